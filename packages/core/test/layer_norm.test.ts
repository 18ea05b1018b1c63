import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { LayerNorm, NnphysError, Random, checkGradients, initBackend } from '../src/index.js';

describe.each(['cpu', 'wasm'] as const)('LayerNorm on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('rows come out with mean 0 and variance 1 (then gain and bias), independently of other rows', () => {
    const rng = new Random(1);
    const x = tf.tensor3d(rng.fillNormal(new Float32Array(2 * 3 * 8)).map((v, i) => 5 * v + i), [2, 3, 8]);
    const norm = new LayerNorm({ features: 8 });
    const y = norm.apply(x);
    expect(y.shape).toEqual([2, 3, 8]);
    const rows = y.arraySync() as number[][][];
    for (const row of rows.flat()) {
      const mean = row.reduce((a, b) => a + b, 0) / 8;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / 8;
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      expect(Math.abs(variance - 1)).toBeLessThan(1e-3); // 1 / (1 + eps / var) with var ~ 25
    }
    // row 0 alone gives the same numbers as inside the batch
    const alone = norm.apply(tf.slice(x, [0, 0, 0], [1, 1, 8]));
    expect(Array.from(alone.dataSync())).toEqual(rows[0]?.[0]);
    norm.gain.assign(tf.fill([8], 2));
    norm.bias.assign(tf.fill([8], -1));
    const z = norm.apply(x);
    const expected = tf.sub(tf.mul(y, 2), 1);
    expect(Math.max(...Array.from(tf.abs(tf.sub(z, expected)).dataSync()))).toBeLessThan(1e-5);
    tf.dispose([x, y, alone, z, expected]);
    norm.dispose();
  });

  test('gradients match finite differences, for the input and the parameters', () => {
    const rng = new Random(2);
    const norm = new LayerNorm({ features: 5 });
    norm.gain.assign(tf.tensor1d([0.5, 1, 1.5, -1, 2]));
    const x = tf.tensor2d(rng.fillNormal(new Float32Array(3 * 5)), [3, 5]);
    const w = tf.tensor2d(rng.fillNormal(new Float32Array(3 * 5)), [3, 5]);
    const r = checkGradients((xi) => tf.sum(tf.mul(norm.apply(xi as tf.Tensor2D), w)), [x]);
    expect(r.maxRelativeError).toBeLessThan(2e-2);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(norm.apply(x), w)), [norm.bias]);
    // d/dbias of sum(y * w) is the column sum of w
    expect(Array.from(grads[norm.bias.name]!.dataSync()).map((v) => v.toFixed(5))).toEqual(Array.from(tf.sum(w, 0).dataSync()).map((v) => v.toFixed(5)));
    tf.dispose([x, w, ...Object.values(grads)]);
    norm.dispose();
  });

  test('bad inputs are named; apply leaks nothing', () => {
    expect(() => new LayerNorm({ features: 0 })).toThrow(NnphysError);
    expect(() => new LayerNorm({ features: 3, epsilon: -1 })).toThrow(/epsilon/);
    const norm = new LayerNorm({ features: 3 });
    const x = tf.ones([2, 4]);
    expect(() => norm.apply(x)).toThrow(/3 features on its last axis, got shape \[2, 4\]/);
    const y = tf.ones([2, 3]);
    const before = tf.memory().numTensors;
    norm.apply(y).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    norm.dispose();
  });
});
