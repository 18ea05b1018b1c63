import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { currentBackend, initBackend, NnphysError } from '../src/index.js';

async function canImport(name: string): Promise<boolean> {
  try {
    await import(/* @vite-ignore */ name);
    return true;
  } catch {
    return false;
  }
}

test('cpu and wasm initialise, return their name and are idempotent', async () => {
  expect(await initBackend('cpu')).toBe('cpu');
  expect(await initBackend('wasm')).toBe('wasm');
  expect(await initBackend('wasm')).toBe('wasm');
  expect(currentBackend()).toBe('wasm');
});

test("'auto' picks tfjs-node when loadable, else wasm", async () => {
  const hasNode = (await canImport('@tensorflow/tfjs-node-gpu')) || (await canImport('@tensorflow/tfjs-node'));
  expect(await initBackend('auto')).toBe(hasNode ? 'tensorflow' : 'wasm');
});

test("'tensorflow' without tfjs-node explains how to install it", async () => {
  const hasNode = (await canImport('@tensorflow/tfjs-node-gpu')) || (await canImport('@tensorflow/tfjs-node'));
  if (hasNode) {
    expect(await initBackend('tensorflow')).toBe('tensorflow');
  } else {
    await expect(initBackend('tensorflow')).rejects.toThrow(/npm i @tensorflow\/tfjs-node/);
    expect(currentBackend()).not.toBe('tensorflow');
  }
});

test('unknown preferences are rejected', async () => {
  await expect(initBackend('webgpu' as never)).rejects.toThrow(NnphysError);
});

test('concurrent calls are serialised and the engine has gradients and chained ops', async () => {
  const names = await Promise.all([initBackend('cpu'), initBackend('wasm'), initBackend('cpu')]);
  expect(names).toEqual(['cpu', 'wasm', 'cpu']);
  const g = tf.grad((x: tf.Tensor) => x.square().mean())(tf.tensor1d([1, 2]));
  expect(Array.from(g.dataSync())).toEqual([1, 2]);
});
