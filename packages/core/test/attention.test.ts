import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend, NnphysError, Random, scaledDotProductAttention } from '../src/index.js';

function rand(rng: Random, shape: number[]): tf.Tensor {
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
}

describe.each(['cpu', 'wasm'] as const)('scaledDotProductAttention on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('equals softmax(q k^T / sqrt(d)) v computed by hand in float64', () => {
    const rng = new Random(1);
    const [tq, tk, d, dv] = [3, 4, 5, 2];
    const q = rand(rng, [tq, d]);
    const k = rand(rng, [tk, d]);
    const v = rand(rng, [tk, dv]);
    const out = scaledDotProductAttention(q, k, v).arraySync() as number[][];
    const Q = q.arraySync() as number[][];
    const K = k.arraySync() as number[][];
    const V = v.arraySync() as number[][];
    for (let i = 0; i < tq; i++) {
      const s = K.map((kr) => kr.reduce((acc, x, j) => acc + x * Q[i]![j]!, 0) / Math.sqrt(d));
      const m = Math.max(...s);
      const e = s.map((x) => Math.exp(x - m));
      const z = e.reduce((a, b) => a + b, 0);
      for (let c = 0; c < dv; c++) expect(out[i]![c]).toBeCloseTo(e.reduce((acc, w, j) => acc + (w / z) * V[j]![c]!, 0), 5);
    }
  });

  test('causal: output at position i does not depend on later positions (zero gradient)', () => {
    const rng = new Random(2);
    const x = rand(rng, [2, 6, 4]);
    const i = 2;
    const g = tf.grad((x: tf.Tensor) => {
      const out = scaledDotProductAttention(x, x, x, { causal: true });
      return tf.sum(tf.slice(out, [0, i, 0], [2, 1, 4]));
    })(x);
    const grad = g.arraySync() as number[][][];
    for (const b of grad) {
      for (let t = 0; t < 6; t++) {
        const norm = b[t]!.reduce((a, v) => a + Math.abs(v), 0);
        if (t > i) expect(norm).toBe(0);
        else expect(norm).toBeGreaterThan(0);
      }
    }
  });

  test('a key mask hides keys; a fully masked row is uniform, never NaN', () => {
    const q = tf.tensor2d([[1, 0], [0, 1]]);
    const k = tf.tensor2d([[1, 0], [0, 1], [5, 5]]);
    const v = tf.tensor2d([[1], [2], [100]]);
    const masked = scaledDotProductAttention(q, k, v, { mask: tf.tensor2d([[1, 1, 0], [0, 0, 0]]) }).arraySync() as number[][];
    const unmasked = scaledDotProductAttention(tf.slice(q, [0, 0], [1, 2]), tf.slice(k, [0, 0], [2, 2]), tf.slice(v, [0, 0], [2, 1])).arraySync() as number[][];
    expect(masked[0]![0]).toBeCloseTo(unmasked[0]![0]!, 5);
    expect(masked[1]![0]).toBeCloseTo((1 + 2 + 100) / 3, 4);
  });

  test('bad shapes throw NnphysError', () => {
    expect(() => scaledDotProductAttention(tf.ones([2, 3]), tf.ones([2, 4]), tf.ones([2, 1]))).toThrow(/feature size 3/);
    expect(() => scaledDotProductAttention(tf.ones([2, 3]), tf.ones([2, 3]), tf.ones([5, 1]))).toThrow(NnphysError);
  });
});
