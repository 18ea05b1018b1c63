import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, Random, checkGradients, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { GroupSort, oddEvenMergeSortStages } from '../src/index.js';
import { backends } from './helpers.js';

/** Reference: sort each contiguous group ascending (eq. 2.9). */
function refGroupSort(x: number[], groupSize: number): number[] {
  const out: number[] = [];
  for (let g = 0; g < x.length; g += groupSize) out.push(...x.slice(g, g + groupSize).sort((a, b) => a - b));
  return out;
}

describe('sorting network', () => {
  test('Batcher odd-even merge sort stages sort every 0/1 input (0-1 principle) for n = 1..12', () => {
    for (let n = 1; n <= 12; n++) {
      const stages = oddEvenMergeSortStages(n);
      for (let mask = 0; mask < 1 << n; mask++) {
        const v = Array.from({ length: n }, (_, i) => (mask >> i) & 1);
        for (const stage of stages) for (const [lo, hi] of stage) if ((v[lo] as number) > (v[hi] as number)) [v[lo], v[hi]] = [v[hi] as number, v[lo] as number];
        for (let i = 1; i < n; i++) expect(v[i - 1] as number).toBeLessThanOrEqual(v[i] as number);
      }
    }
  });
});

describe.each(backends)('GroupSort on %s', (backend) => {
  beforeAll(() => initBackend(backend));

  test.each(['kernel', 'compare-exchange'] as const)('%s: sorts contiguous groups (groupSize / numGroups), equals the reference', (method) => {
    const rng = new Random(1);
    for (const [width, opts] of [
      [6, { groupSize: 2 }],
      [6, { groupSize: 3 }],
      [6, { numGroups: 1 }],
      [20, { numGroups: 1 }],
      [12, { numGroups: 3 }],
      [7, { groupSize: 1 }],
    ] as const) {
      const gs = new GroupSort({ ...opts, method } as ConstructorParameters<typeof GroupSort>[0]);
      const size = gs.groupSizeFor(width);
      const rows = 5;
      const x = Array.from({ length: rows }, () => Array.from({ length: width }, () => Math.round(rng.normal() * 4) / 2)); // ties included
      const xt = tf.tensor2d(x);
      const y = gs.apply(xt).arraySync();
      for (let r = 0; r < rows; r++) {
        const expected = refGroupSort(x[r] as number[], size);
        for (let i = 0; i < width; i++) expect(y[r]?.[i]).toBeCloseTo(expected[i] as number, 6);
      }
      xt.dispose();
    }
  });

  test.each(['kernel', 'compare-exchange'] as const)('%s: the Jacobian is a permutation matrix, also at ties', (method) => {
    // ties: relu'(0) = 0 sends each upstream gradient to exactly one input (spec pitfall)
    const gs = new GroupSort({ numGroups: 1, method });
    for (const row of [
      [3, 1, 2, 0],
      [1, 1, 1, 1],
      [2, 0, 2, 0],
    ]) {
      const x = tf.tensor2d([row]);
      for (let o = 0; o < 4; o++) {
        const dy = tf.cast(tf.oneHot([o], 4), 'float32') as tf.Tensor2D;
        const g = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(gs.apply(z as tf.Tensor2D), dy)))(x).dataSync();
        // one-hot in, one-hot out
        expect(Array.from(g).sort()).toEqual([0, 0, 0, 1]);
        dy.dispose();
      }
      // the columns: every input receives exactly one output's gradient
      const jac = tf.tidy(() => {
        const rowsOut: number[][] = [];
        for (let o = 0; o < 4; o++) rowsOut.push(Array.from(tf.grad((z: tf.Tensor) => tf.sum(tf.slice(gs.apply(z as tf.Tensor2D), [0, o], [1, 1])))(x).dataSync()));
        return rowsOut;
      });
      for (let i = 0; i < 4; i++) expect(jac.reduce((s, r) => s + (r[i] as number), 0)).toBe(1);
      x.dispose();
    }
  });

  test('finite differences away from ties (both methods)', () => {
    const rng = new Random(2);
    for (const method of ['kernel', 'compare-exchange'] as const) {
      const gs = new GroupSort({ groupSize: 4, method });
      const x = tf.tensor2d(Float32Array.from({ length: 16 }, () => rng.normal()), [2, 8]);
      const r = tf.tensor2d(Float32Array.from({ length: 16 }, () => rng.normal()), [2, 8]);
      // random normal entries: gaps between entries >> eps = 1e-3 for this seed (no order change under the step)
      const res = checkGradients((z) => tf.sum(tf.mul(gs.apply(z as tf.Tensor2D), r)) as tf.Scalar, [x], { epsilon: 1e-3 });
      expect(res.maxRelativeError).toBeLessThan(1e-2);
      tf.dispose([x, r]);
    }
  });

  test('no tensor leaks (forward + gradient)', () => {
    const gs = new GroupSort({ groupSize: 2 });
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grad((z: tf.Tensor) => tf.sum(gs.apply(z as tf.Tensor2D)))(x);
    });
    const y = gs.apply(x);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('GroupSort errors', () => {
  beforeAll(() => initBackend('cpu'));
  test('exactly one of groupSize / numGroups; divisibility named', () => {
    expect(() => new GroupSort({} as never)).toThrow(/exactly one of groupSize/);
    expect(() => new GroupSort({ groupSize: 2, numGroups: 2 } as never)).toThrow(/both/);
    expect(() => new GroupSort({ groupSize: 0 })).toThrow(NnphysError);
    const x = tf.zeros([1, 5]) as tf.Tensor2D;
    expect(() => new GroupSort({ groupSize: 2 }).apply(x)).toThrow(/width 5 is not divisible by groupSize 2/);
    expect(() => new GroupSort({ numGroups: 2 }).apply(x)).toThrow(/width 5 is not divisible by numGroups 2/);
    x.dispose();
  });
});
