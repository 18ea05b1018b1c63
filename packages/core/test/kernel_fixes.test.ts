import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkGradients, gatherRows, initBackend, segmentSum, installKernelFixes, kernelFixesInstalled, NnphysError, nativeStatus, Random, setNativeEnabled, uninstallKernelFixes } from '../src/index.js';
import { maxAbs, maxAbsDiff, randomMatrix, refGather, refMatMul, refSegmentReduce } from './reference.js';

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c] as number;
  return out;
}

describe.each(['cpu', 'wasm'] as const)('kernel fixes on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  afterAll(() => installKernelFixes(backend));

  test('fixes are installed by initBackend and can be removed and reinstalled', () => {
    expect(kernelFixesInstalled(backend)).toBe(true);
    uninstallKernelFixes(backend);
    expect(kernelFixesInstalled(backend)).toBe(false);
    installKernelFixes(backend);
    expect(kernelFixesInstalled(backend)).toBe(true);
  });

  test.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('matMul with transposeA=%s transposeB=%s equals the float64 product and the stock kernel', (ta, tb) => {
    const rng = new Random(10);
    for (const [m, k, n] of [[37, 53, 29], [1, 7, 1], [64, 64, 64], [5, 0, 3]] as const) {
      const a64 = randomMatrix(rng, m, k);
      const b64 = randomMatrix(rng, k, n);
      const ref = refMatMul(Float64Array.from(Float32Array.from(a64)), Float64Array.from(Float32Array.from(b64)), m, k, n);
      const a = ta ? tf.tensor2d(Float32Array.from(transpose(a64, m, k)), [k, m]) : tf.tensor2d(Float32Array.from(a64), [m, k]);
      const b = tb ? tf.tensor2d(Float32Array.from(transpose(b64, k, n)), [n, k]) : tf.tensor2d(Float32Array.from(b64), [k, n]);
      const fixed = tf.matMul(a, b, ta, tb);
      expect(fixed.shape).toEqual([m, n]);
      // float32 products of length-k dot products: error ~ k * 2^-24 * |a||b|; allow 1e-5 relative to the scale
      const tol = 1e-5 * Math.max(1, maxAbs(ref)) * Math.sqrt(Math.max(k, 1));
      expect(maxAbsDiff(fixed.dataSync(), ref)).toBeLessThan(tol);
      uninstallKernelFixes(backend);
      const stock = tf.matMul(a, b, ta, tb);
      installKernelFixes(backend);
      expect(maxAbsDiff(fixed.dataSync(), stock.dataSync())).toBeLessThan(tol);
      tf.dispose([a, b, fixed, stock]);
    }
  });

  test('transposes of rank 3-6 equal an index-by-index reference for random permutations (float32, int32, bool)', () => {
    const rng = new Random(12);
    const shapes = [[2, 3, 4], [4, 1, 3, 2], [3, 2, 3, 2, 2], [2, 2, 1, 3, 2, 2], [0, 3, 2]];
    for (const shape of shapes) {
      for (let trial = 0; trial < 3; trial++) {
        const perm = rng.permutation(shape.length);
        const size = shape.reduce((a, b) => a * b, 1);
        const values = Float32Array.from({ length: size }, (_, i) => i - 7);
        const outShape = perm.map((p) => shape[p] as number);
        // reference: out[i_0..i_{r-1}] = x[j] with j_{perm[a]} = i_a
        const ref = new Float32Array(size);
        const inStrides = shape.map((_, a) => shape.slice(a + 1).reduce((p, q) => p * q, 1));
        for (let o = 0; o < size; o++) {
          let rest = o;
          let j = 0;
          for (let a = outShape.length - 1; a >= 0; a--) {
            const d = outShape[a] as number;
            j += (rest % d) * (inStrides[perm[a] as number] as number);
            rest = Math.floor(rest / d);
          }
          ref[o] = values[j] as number;
        }
        for (const dtype of ['float32', 'int32', 'bool'] as const) {
          const x = tf.tensor(dtype === 'bool' ? values.map((v) => (v > 0 ? 1 : 0)) : values, shape, dtype);
          const y = tf.transpose(x, perm);
          expect(y.shape).toEqual(outShape);
          const want = dtype === 'bool' ? ref.map((v) => (v > 0 ? 1 : 0)) : ref;
          expect(Array.from(y.dataSync())).toEqual(Array.from(want));
          tf.dispose([x, y]);
        }
      }
    }
  });

  test('sums over leading axes (bias gradients) equal float64 column sums; other reductions are untouched', () => {
    const rng = new Random(13);
    const x64 = randomMatrix(rng, 6 * 5, 7);
    const x = tf.tensor3d(Float32Array.from(x64), [6, 5, 7]);
    const cols = (rows: number, width: number) => {
      const out = new Float64Array(width);
      for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) out[c] += Math.fround(x64[r * width + c] as number);
      return out;
    };
    const s01 = tf.sum(x, [0, 1]);
    expect(s01.shape).toEqual([7]);
    expect(maxAbsDiff(s01.dataSync(), cols(30, 7))).toBeLessThan(1e-5);
    const s0 = tf.sum(x, 0, true);
    expect(s0.shape).toEqual([1, 5, 7]);
    expect(maxAbsDiff(s0.dataSync(), cols(6, 35))).toBeLessThan(1e-5);
    const s2 = tf.sum(x, -1);
    const s12 = tf.sum(x, [1, 2]);
    uninstallKernelFixes(backend);
    const [r2, r12] = [tf.sum(x, -1), tf.sum(x, [1, 2])];
    installKernelFixes(backend);
    expect(maxAbsDiff(s2.dataSync(), Float64Array.from(r2.dataSync()))).toBeLessThan(1e-5);
    expect(maxAbsDiff(s12.dataSync(), Float64Array.from(r12.dataSync()))).toBeLessThan(1e-5);
    // gradients through both still flow (tf.sum's gradient broadcasts dy back)
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.sum(t, 0), tf.range(0, 35).reshape([5, 7]))))(x);
    expect(maxAbsDiff(g.dataSync(), Float64Array.from({ length: 210 }, (_, i) => i % 35))).toBe(0);
    tf.dispose([x, s01, s0, s2, s12, r2, r12, g]);
  });

  test('tf.split along any axis, by count and by sizes (with -1), equals slices', () => {
    const x = tf.tensor(Float32Array.from({ length: 4 * 6 * 3 }, (_, i) => i * 0.5 - 3), [4, 6, 3]);
    for (const [splits, axis] of [[2, 0], [3, 1], [[1, 2, 3], 1], [[2, -1], 1], [[1, 2], 2], [3, -1]] as const) {
      const parts = tf.split(x, splits as number | number[], axis);
      let begin = 0;
      const ax = axis < 0 ? axis + 3 : axis;
      for (const p of parts) {
        const size = p.shape[ax] as number;
        const start = [0, 0, 0];
        start[ax] = begin;
        const ref = tf.slice(x, start, p.shape);
        expect(Array.from(p.dataSync())).toEqual(Array.from(ref.dataSync()));
        begin += size;
        ref.dispose();
      }
      expect(begin).toBe(x.shape[ax]);
      tf.dispose(parts);
    }
    const ints = tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32');
    const [a, b] = tf.split(ints, 2, 1);
    expect([Array.from(a!.dataSync()), Array.from(b!.dataSync())]).toEqual([[1, 2], [3, 4]]);
    tf.dispose([x, ints, a!, b!]);
  });

  test('batched matMul with broadcasting equals the per-matrix products', () => {
    const rng = new Random(11);
    const a64 = randomMatrix(rng, 3 * 4, 5);
    const b64 = randomMatrix(rng, 5, 6);
    const a = tf.tensor3d(Float32Array.from(a64), [3, 4, 5]);
    const b = tf.tensor3d(Float32Array.from(b64), [1, 5, 6]);
    const out = tf.matMul(a, b).dataSync();
    for (let i = 0; i < 3; i++) {
      const ref = refMatMul(Float64Array.from(Float32Array.from(a64.subarray(i * 20, i * 20 + 20))), Float64Array.from(Float32Array.from(b64)), 4, 5, 6);
      expect(maxAbsDiff(out.subarray(i * 24, i * 24 + 24), ref)).toBeLessThan(1e-5);
    }
    // gradients use transposed batched products
    const ga = tf.grad((a: tf.Tensor) => tf.sum(tf.matMul(a, b)))(a);
    uninstallKernelFixes(backend);
    const gaStock = tf.grad((a: tf.Tensor) => tf.sum(tf.matMul(a, b)))(a);
    installKernelFixes(backend);
    expect(maxAbsDiff(ga.dataSync(), gaStock.dataSync())).toBeLessThan(1e-5);
  });

  test('fused matMul (bias + relu) with transposes equals the unfused ops', () => {
    const rng = new Random(12);
    const a = tf.tensor2d(Float32Array.from(randomMatrix(rng, 6, 9)), [6, 9]);
    const b = tf.tensor2d(Float32Array.from(randomMatrix(rng, 4, 6)), [4, 6]);
    const bias = tf.tensor1d(Float32Array.from(randomMatrix(rng, 1, 4)));
    const fused = tf.fused.matMul({ a, b, transposeA: true, transposeB: true, bias, activation: 'relu' });
    const plain = tf.relu(tf.add(tf.matMul(a, b, true, true), bias));
    expect(maxAbsDiff(fused.dataSync(), plain.dataSync())).toBeLessThan(1e-5);
  });

  test('tf.gather along axis 0 uses the row-copy kernel; other axes still work', () => {
    const rng = new Random(13);
    const x64 = randomMatrix(rng, 9, 4);
    const x = tf.tensor2d(Float32Array.from(x64), [9, 4]);
    const idx = [8, 0, 3, 3];
    expect(maxAbsDiff(tf.gather(x, tf.tensor1d(idx, 'int32')).dataSync(), Float32Array.from(refGather(x64, 4, idx)))).toBe(0);
    // 2-D indices
    expect(tf.gather(x, tf.tensor2d([[1, 2], [0, 0]], undefined, 'int32')).shape).toEqual([2, 2, 4]);
    // axis 1 falls back to the stock kernel
    expect(tf.gather(x, tf.tensor1d([3, 1], 'int32'), 1).arraySync()).toEqual((x.arraySync() as number[][]).map((r) => [r[3], r[1]]));
    expect(() => tf.gather(x, tf.tensor1d([9], 'int32'))).toThrow(NnphysError);
  });

  test('tf.gather has a gradient on this backend (stock wasm lacks UnsortedSegmentSum)', () => {
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.gather(x, tf.tensor1d([2, 2, 0], 'int32'))))(x);
    expect(g.arraySync()).toEqual([[1, 1], [0, 0], [2, 2]]);
  });

  test('tf.unsortedSegmentSum uses the O(E*F) kernel and agrees with the reference', () => {
    const rng = new Random(14);
    const x64 = randomMatrix(rng, 300, 5);
    const ids = Array.from({ length: 300 }, () => rng.int(40));
    const out = tf.unsortedSegmentSum(tf.tensor2d(Float32Array.from(x64), [300, 5]), tf.tensor1d(ids, 'int32'), 40);
    expect(maxAbsDiff(out.dataSync(), refSegmentReduce(Float64Array.from(Float32Array.from(x64)), 5, ids, 40, 'sum'))).toBeLessThan(1e-5);
  });
});

test('the native accelerator is found in this workspace when its build could compile it (required in CI)', () => {
  const status = nativeStatus();
  if (!status.available) expect(process.env.NNPHYS_REQUIRE_NATIVE, status.reason ?? '').not.toBe('1');
  else expect(status.enabled).toBe(true);
});

// Without a C compiler the addon is not built: these comparisons do not run (listed as skipped).
describe.runIf(nativeStatus().available).each(['cpu', 'wasm'] as const)('native accelerator on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  afterAll(() => setNativeEnabled(true));

  test('batched matMul with transposes and broadcasting equals the tfjs path within float32 error', () => {
    const rng = new Random(21);
    const cases: [number[], number[], boolean, boolean][] = [
      [[3, 7, 5], [3, 5, 4], false, false],
      [[2, 3, 5, 7], [2, 3, 4, 5], true, true],
      [[4, 9, 6], [6, 11], false, false], // rank-2 right operand broadcasts over the batch
      [[1, 9, 6], [5, 6, 11], false, false], // batch of 1 broadcasts
      [[6, 9], [4, 11, 9], false, true],
      [[130, 70], [70, 90], false, false], // large enough to use both threads
    ];
    for (const [sa, sb, ta, tb] of cases) {
      const a = tf.tensor(Float32Array.from({ length: sa.reduce((p, q) => p * q, 1) }, () => rng.normal()), sa);
      const b = tf.tensor(Float32Array.from({ length: sb.reduce((p, q) => p * q, 1) }, () => rng.normal()), sb);
      const fast = tf.matMul(a, b, ta, tb);
      setNativeEnabled(false);
      const plain = tf.matMul(a, b, ta, tb);
      setNativeEnabled(true);
      expect(fast.shape).toEqual(plain.shape);
      const k = sa[sa.length - (ta ? 2 : 1)] as number;
      expect(maxAbsDiff(fast.dataSync(), Float64Array.from(plain.dataSync()))).toBeLessThan(1e-5 * Math.sqrt(k) * 4);
      tf.dispose([a, b, fast, plain]);
    }
  });

  test('segment sums, row gathers and bias-gradient sums are bitwise the same with and without the native kernels', () => {
    const rng = new Random(23);
    const [E, F, N] = [700, 37, 90];
    const x = tf.tensor2d(Float32Array.from({ length: E * F }, () => rng.normal()), [E, F]);
    const ids = tf.tensor1d(Int32Array.from({ length: E }, (_, e) => (e % 11 === 0 ? -1 : Math.floor(rng.uniform() * N))), 'int32');
    const rows = tf.tensor1d(Int32Array.from({ length: 300 }, () => Math.floor(rng.uniform() * E)), 'int32');
    const run = () => [segmentSum(x, ids, N), gatherRows(x, rows), tf.sum(x, 0)].map((t) => {
      const v = Array.from(t.dataSync());
      t.dispose();
      return v;
    });
    const fast = run();
    setNativeEnabled(false);
    const plain = run();
    setNativeEnabled(true);
    expect(fast).toEqual(plain);
    tf.dispose([x, ids, rows]);
  });

  test('gradients through the native matMul pass a finite-difference check', () => {
    const rng = new Random(22);
    const a = tf.tensor(Float32Array.from({ length: 2 * 4 * 3 }, () => rng.normal()), [2, 4, 3]);
    const b = tf.tensor(Float32Array.from({ length: 2 * 3 * 5 }, () => rng.normal()), [2, 3, 5]);
    const result = checkGradients((x, y) => tf.sum(tf.square(tf.matMul(x, y))), [a, b]);
    expect(result.maxRelativeError).toBeLessThan(2e-2);
    tf.dispose([a, b]);
  });
});

describe('shared Identity on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  test('a clone shares the data, survives the original, and frees it with the last reference', () => {
    const before = tf.memory();
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    const z = tf.clone(y);
    expect(y.dataId).toBe(x.dataId);
    expect(z.dataId).toBe(x.dataId);
    expect(tf.memory().numDataBuffers - before.numDataBuffers).toBe(1); // one buffer for three tensors
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    const w = tf.add(y, 1);
    y.dispose();
    expect(Array.from(z.dataSync())).toEqual([1, 2, 3]);
    z.dispose();
    expect(Array.from(w.dataSync())).toEqual([2, 3, 4]);
    w.dispose();
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    expect(tf.memory().numTensors).toBe(before.numTensors);
  });
});
