import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { initBackend, segmentSum } from '../src/index.js';

test('smoke', async () => {
  for (const b of ['cpu', 'wasm'] as const) {
    await initBackend(b);
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const g = tf.grad((x: tf.Tensor) => segmentSum(x, tf.tensor1d([1, 1], 'int32'), 2).sum())(x);
    expect(g.arraySync()).toEqual([[1, 1], [1, 1]]);
    expect(x.reshape([4]).shape).toEqual([4]);
  }
});
