import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { checkGradients, gatherRows, initBackend, NnphysError, Random, segmentMax, segmentMean, segmentMin, segmentSoftmax, segmentSum } from '../src/index.js';
import { maxAbs, maxAbsDiff, randomMatrix, refGather, refSegmentReduce, refSegmentSoftmax } from './reference.js';

type Reduce = 'sum' | 'mean' | 'max' | 'min';
const ops: Record<Reduce, (d: tf.Tensor, ids: tf.Tensor1D, n: number) => tf.Tensor> = {
  sum: segmentSum,
  mean: segmentMean,
  max: segmentMax,
  min: segmentMin,
};

// Random, unsorted ids with repeats, some empty segments and some negative (dropped) ids.
function randomIds(rng: Random, e: number, n: number, withNegative = true): number[] {
  return Array.from({ length: e }, () => (withNegative && rng.uniform() < 0.1 ? -1 : rng.int(Math.max(1, n - 2))));
}

function leakCheck(fn: () => void): number {
  const before = tf.memory().numTensors;
  fn();
  return tf.memory().numTensors - before;
}

describe.each(['cpu', 'wasm'] as const)('segment ops on %s', (backend) => {
  beforeAll(async () => {
    expect(await initBackend(backend)).toBe(backend);
  });

  test('gatherRows equals the float64 reference and tf.gather, on 1-D to 3-D data', () => {
    const rng = new Random(1);
    for (const shape of [[7], [7, 5], [7, 2, 3]]) {
      const rows = shape[0] as number;
      const f = shape.slice(1).reduce((a, b) => a * b, 1);
      const x64 = randomMatrix(rng, rows, f);
      const idx = Array.from({ length: 23 }, () => rng.int(rows));
      const x = tf.tensor(Float32Array.from(x64), shape);
      const i = tf.tensor1d(idx, 'int32');
      const out = gatherRows(x, i);
      expect(out.shape).toEqual([23, ...shape.slice(1)]);
      // a row copy is exact: float32(x) gathered equals float32 of the gathered float64 rows
      expect(maxAbsDiff(out.dataSync(), Float32Array.from(refGather(x64, f, idx)))).toBe(0);
      expect(maxAbsDiff(out.dataSync(), tf.gather(x, i).dataSync())).toBe(0);
      tf.dispose([x, i, out]);
    }
  });

  test('gatherRows of zero indices and of int32 data', () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const empty = gatherRows(x, tf.tensor1d([], 'int32'));
    expect(empty.shape).toEqual([0, 2]);
    const xi = tf.tensor2d([[1, 2], [3, 4]], undefined, 'int32');
    expect(gatherRows(xi, tf.tensor1d([1, 1, 0], 'int32')).arraySync()).toEqual([[3, 4], [3, 4], [1, 2]]);
  });

  test.each(['sum', 'mean', 'max', 'min'] as const)('segment %s equals the float64 reference (empty, repeated, unsorted, negative ids)', (op) => {
    const rng = new Random(2);
    // cases: many rows, 1-wide features, a single row, zero rows, zero segments (every id negative)
    for (const [e, n, f] of [[50, 9, 4], [200, 30, 1], [1, 4, 3], [0, 3, 2], [5, 0, 2]] as const) {
      const x64 = randomMatrix(rng, e, f);
      const ids = n === 0 ? new Array(e).fill(-1) : randomIds(rng, e, n);
      const x = tf.tensor2d(Float32Array.from(x64), [e, f]);
      const out = ops[op](x, tf.tensor1d(ids, 'int32'), n);
      expect(out.shape).toEqual([n, f]);
      const ref = refSegmentReduce(Float64Array.from(x.dataSync()), f, ids, n, op);
      // sums accumulate in float64 and round once: error within 1 ulp of the result
      expect(maxAbsDiff(out.dataSync(), ref)).toBeLessThanOrEqual(2 ** -23 * Math.max(1, maxAbs(ref)));
      x.dispose();
      out.dispose();
    }
  });

  test('segment sum agrees with the stock tf.unsortedSegmentSum', () => {
    const rng = new Random(3);
    const x64 = randomMatrix(rng, 40, 6);
    const ids = randomIds(rng, 40, 12, false);
    const x = tf.tensor2d(Float32Array.from(x64), [40, 6]);
    const i = tf.tensor1d(ids, 'int32');
    const ours = segmentSum(x, i, 12).dataSync();
    // stock cpu kernel (when ours is not installed as a fix it is the O(N E F) one; with fixes, the same loop)
    const ref = refSegmentReduce(Float64Array.from(x.dataSync()), 6, ids, 12, 'sum');
    expect(maxAbsDiff(ours, ref)).toBeLessThan(1e-5);
    expect(maxAbsDiff(tf.unsortedSegmentSum(x, i, 12).dataSync(), ref)).toBeLessThan(1e-5);
  });

  test('segment sum over 3-D data keeps trailing dimensions', () => {
    const x = tf.tensor3d([[[1, 2]], [[3, 4]], [[5, 6]]]);
    const out = segmentSum(x, tf.tensor1d([1, 0, 1], 'int32'), 2);
    expect(out.arraySync()).toEqual([[[3, 4]], [[6, 8]]]);
  });

  test('segment sum is bitwise reproducible', () => {
    const rng = new Random(4);
    const x = tf.tensor2d(Float32Array.from(randomMatrix(rng, 500, 8)), [500, 8]);
    const i = tf.tensor1d(randomIds(rng, 500, 20), 'int32');
    const a = segmentSum(x, i, 20).dataSync();
    const b = segmentSum(x, i, 20).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  test('segment max: ties go to the lowest row, NaN propagates', () => {
    const x = tf.tensor2d([[1], [5], [5], [2]]);
    const ids = tf.tensor1d([0, 0, 0, 1], 'int32');
    const g = tf.grad((x: tf.Tensor) => segmentMax(x, ids, 3).sum())(x);
    expect(g.arraySync()).toEqual([[0], [1], [0], [1]]);
    const withNaN = segmentMax(tf.tensor2d([[1], [Number.NaN], [3]]), tf.tensor1d([0, 0, 0], 'int32'), 1);
    expect(Number.isNaN(withNaN.dataSync()[0])).toBe(true);
  });

  test('segment softmax equals the float64 reference and sums to 1 per non-empty segment', () => {
    const rng = new Random(5);
    const e = 60;
    const n = 10;
    const h = 3;
    const z64 = Float64Array.from({ length: e * h }, () => 10 * rng.normal());
    const ids = randomIds(rng, e, n);
    const out = segmentSoftmax(tf.tensor2d(Float32Array.from(z64), [e, h]), tf.tensor1d(ids, 'int32'), n);
    const ref = refSegmentSoftmax(Float64Array.from(Float32Array.from(z64)), h, ids, n);
    expect(maxAbsDiff(out.dataSync(), ref)).toBeLessThan(1e-6);
    const sums = segmentSum(out, tf.tensor1d(ids, 'int32'), n).arraySync() as number[][];
    const counts = new Array(n).fill(0);
    for (const s of ids) if (s >= 0) counts[s]++;
    sums.forEach((row, s) => {
      for (const v of row) expect(v).toBeCloseTo(counts[s] > 0 ? 1 : 0, 5);
    });
  });

  test('segment softmax survives scores that would overflow a global-max softmax', () => {
    // segment 0 has scores around 1000, segment 1 around -1000: a global max would underflow segment 1 to 0/0.
    const out = segmentSoftmax(tf.tensor1d([1000, 1001, -1000, -1001]), tf.tensor1d([0, 0, 1, 1], 'int32'), 2).dataSync();
    const a = 1 / (1 + Math.exp(1));
    expect(Array.from(out).map((v) => Number(v.toFixed(6)))).toEqual([a, 1 - a, 1 - a, a].map((v) => Number(v.toFixed(6))));
  });

  test.each(['sum', 'mean', 'max', 'min'] as const)('segment %s gradient matches finite differences', (op) => {
    const rng = new Random(6);
    const e = 12;
    const n = 5;
    const f = 3;
    // distinct values keep max/min away from ties, where the gradient is not defined
    const x = tf.tensor2d(Float32Array.from(rng.permutation(e * f).map((v) => v / 3 + 0.1 * rng.uniform())), [e, f]);
    const ids = tf.tensor1d(randomIds(rng, e, n), 'int32');
    const w = tf.tensor2d(Float32Array.from(randomMatrix(rng, n, f)), [n, f]);
    const { maxRelativeError } = checkGradients((x) => tf.sum(tf.mul(ops[op](x, ids, n), w)), [x], { epsilon: 1e-2 });
    // piecewise linear in x: central differences are exact up to float32 rounding of the O(10) outputs
    expect(maxRelativeError).toBeLessThan(1e-2);
  });

  test('gatherRows and segment softmax gradients match finite differences', () => {
    const rng = new Random(7);
    const x = tf.tensor2d(Float32Array.from(randomMatrix(rng, 6, 4)), [6, 4]);
    const idx = tf.tensor1d([5, 0, 0, 3, 2, 5, 5], 'int32');
    const w = tf.tensor2d(Float32Array.from(randomMatrix(rng, 7, 4)), [7, 4]);
    expect(checkGradients((x) => tf.sum(tf.mul(gatherRows(x, idx), w)), [x]).maxRelativeError).toBeLessThan(1e-2);
    const z = tf.tensor2d(Float32Array.from(randomMatrix(rng, 9, 2)), [9, 2]);
    const ids = tf.tensor1d([0, 2, 2, 1, 0, 2, -1, 1, 1], 'int32');
    const v = tf.tensor2d(Float32Array.from(randomMatrix(rng, 9, 2)), [9, 2]);
    // smooth function: central-difference truncation error O(eps^2) ~ 1e-4 relative
    expect(checkGradients((z) => tf.sum(tf.mul(segmentSoftmax(z, ids, 3), v)), [z], { epsilon: 1e-2 }).maxRelativeError).toBeLessThan(2e-2);
  });

  test('negative ids are dropped in the forward and the backward pass', () => {
    const x = tf.tensor2d([[1, 1], [2, 2], [4, 4]]);
    const ids = tf.tensor1d([0, -1, 0], 'int32');
    expect(segmentSum(x, ids, 1).arraySync()).toEqual([[5, 5]]);
    expect(tf.grad((x: tf.Tensor) => segmentSum(x, ids, 1).sum())(x).arraySync()).toEqual([[1, 1], [0, 0], [1, 1]]);
    expect(tf.grad((x: tf.Tensor) => segmentMean(x, ids, 1).sum())(x).arraySync()).toEqual([[0.5, 0.5], [0, 0], [0.5, 0.5]]);
  });

  test('out-of-range ids and bad arguments throw NnphysError naming the argument', () => {
    const x = tf.tensor2d([[1], [2]]);
    expect(() => segmentSum(x, tf.tensor1d([0, 2], 'int32'), 2)).toThrow(/segmentIds\[1\] = 2 is out of range/);
    expect(() => gatherRows(x, tf.tensor1d([0, -1], 'int32'))).toThrow(/indices\[1\] = -1 is out of range/);
    expect(() => gatherRows(x, tf.tensor1d([5], 'int32'))).toThrow(NnphysError);
    expect(() => segmentSum(x, tf.tensor1d([0, 1]), 2)).toThrow(/segmentIds must have dtype int32/);
    expect(() => segmentSum(x, tf.tensor1d([0], 'int32'), 2)).toThrow(/one id per row of data \(2\)/);
    expect(() => segmentMax(x, tf.tensor1d([0, 1], 'int32'), -1)).toThrow(/numSegments must be a non-negative integer/);
    expect(() => segmentSoftmax(x, tf.tensor1d([0, 1], 'int32'), 1.5)).toThrow(/numSegments/);
    expect(() => gatherRows(x, tf.tensor2d([[0]], undefined, 'int32') as unknown as tf.Tensor1D)).toThrow(/indices must have rank 1/);
  });

  test('failed calls and successful calls leak no tensors', () => {
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const ids = tf.tensor1d([1, 0, 1], 'int32');
    for (const op of Object.values(ops)) expect(leakCheck(() => op(x, ids, 2).dispose())).toBe(0);
    expect(leakCheck(() => segmentSoftmax(x, ids, 2).dispose())).toBe(0);
    expect(leakCheck(() => gatherRows(x, ids).dispose())).toBe(0);
    expect(leakCheck(() => tf.tidy(() => tf.grad((x: tf.Tensor) => segmentMax(x, ids, 2).sum())(x)).dispose())).toBe(0);
    expect(
      leakCheck(() => {
        try {
          segmentSum(x, tf.tidy(() => tf.tensor1d([9, 9, 9], 'int32')), 2);
        } catch {
          /* expected */
        }
      }),
    ).toBe(1); // only the ids tensor created for the call remains
  });
});
