import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { initBackend, installKernelFixes, kernelFixesInstalled, NnphysError, Random, uninstallKernelFixes } from '../src/index.js';
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
