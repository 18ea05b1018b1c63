import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, Random, checkGradients, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { discoLoss, distanceCorrelation, evaluateDistanceCorrelation } from '../src/index.js';
import { backends, maxAbs, maxAbsDiff } from './reference.js';

interface Case {
  name: string;
  x: number[];
  y: number[];
  weights?: number[];
  dcor2: number;
  gradX?: number[];
  gradY?: number[];
}
// Float64 numpy reference (O(n²) double-centred form), made by scripts/dcor_reference.py.
const fixture = JSON.parse(readFileSync(new URL('./fixtures/dcor_reference.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** Independent float64 O(n²) reference in plain JS. */
function dcorPairwise(x: ArrayLike<number>, y: ArrayLike<number>, w?: ArrayLike<number>): number {
  const n = x.length;
  const p = Float64Array.from({ length: n }, (_, i) => (w ? w[i]! : 1));
  const tot = p.reduce((a, b) => a + b, 0);
  p.forEach((v, i) => {
    p[i] = v / tot;
  });
  const centred = (u: ArrayLike<number>) => {
    const row = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) row[i]! += p[j]! * Math.abs(u[i]! - u[j]!);
    const grand = row.reduce((a, r, i) => a + p[i]! * r, 0);
    return (i: number, j: number) => Math.abs(u[i]! - u[j]!) - row[i]! - row[j]! + grand;
  };
  const A = centred(x);
  const B = centred(y);
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = A(i, j);
      const b = B(i, j);
      const pp = p[i]! * p[j]!;
      xy += pp * a * b;
      xx += pp * a * a;
      yy += pp * b * b;
    }
  }
  return xy / Math.sqrt(xx * yy);
}

describe('distance correlation in float64 (sorted, O(n log n))', () => {
  test.each(fixture.cases.map((c) => [c.name, c] as const))('agrees with the numpy reference: %s', (_name, c) => {
    const r = evaluateDistanceCorrelation(c.x, c.y, c.weights);
    // Both float64; different summation orders only.
    expect(Math.abs(r.value - c.dcor2)).toBeLessThan(1e-12);
    if (c.gradX && c.gradY) {
      // Reference gradients are float64 central differences (h = 1e-6 of the spread): ~1e-9 accurate.
      expect(maxAbsDiff(r.gradX, c.gradX)).toBeLessThan(1e-7 * maxAbs(c.gradX) + 1e-9);
      expect(maxAbsDiff(r.gradY, c.gradY)).toBeLessThan(1e-7 * maxAbs(c.gradY) + 1e-9);
    }
  });

  test('agrees with an O(n²) float64 computation with ties and weights, n = 3000', () => {
    const r = new Random(4);
    const n = 3000;
    const x = Float64Array.from({ length: n }, () => Math.round(r.normal() * 20) / 10);
    const y = Float64Array.from(x, (v) => Math.floor(4 * r.uniform()) + 0.3 * v * v);
    const w = Float64Array.from({ length: n }, () => (r.uniform() < 0.1 ? 0 : r.uniformIn(0.1, 3)));
    expect(evaluateDistanceCorrelation(x, y, w).value).toBeCloseTo(dcorPairwise(x, y, w), 11);
    expect(evaluateDistanceCorrelation(x, y).value).toBeCloseTo(dcorPairwise(x, y), 11);
  });

  test('properties: in [0, 1], 1 for linear relations, invariant to shifts and rescaling, ~0 for independent samples', () => {
    const r = new Random(8);
    const n = 500;
    const x = Float64Array.from({ length: n }, () => r.normal());
    const y = Float64Array.from(x, (v) => Math.exp(v) + r.normal());
    const base = evaluateDistanceCorrelation(x, y).value;
    expect(base).toBeGreaterThan(0);
    expect(base).toBeLessThan(1);
    expect(evaluateDistanceCorrelation(x, x.map((v) => -2 * v + 7)).value).toBeCloseTo(1, 12);
    expect(evaluateDistanceCorrelation(x.map((v) => 3 * v - 1), y.map((v) => -0.25 * v + 100)).value).toBeCloseTo(base, 12);
    // Independent by construction, large n (O(n log n) makes this cheap): the V-statistic's bias is O(1/n).
    const big = 50_000;
    const rx = new Random(1);
    const ry = new Random(2);
    const u = Float64Array.from({ length: big }, () => rx.uniform());
    const v = Float64Array.from({ length: big }, () => ry.normal());
    const indep = evaluateDistanceCorrelation(u, v).value;
    expect(indep).toBeGreaterThanOrEqual(0);
    expect(indep).toBeLessThan(20 / big);
    const dep = evaluateDistanceCorrelation(u, v.map((z, i) => z + 0.3 * u[i]!)).value;
    expect(dep).toBeGreaterThan(100 * indep);
  });

  test('a constant variable gives 0 with zero gradient (dcor convention)', () => {
    const r = evaluateDistanceCorrelation([1, 2, 3, 4], [5, 5, 5, 5]);
    expect(r.value).toBe(0);
    expect(Array.from(r.gradX)).toEqual([0, 0, 0, 0]);
  });
});

describe.each(backends)('distanceCorrelation through tfjs on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test.each(fixture.cases.map((c) => [c.name, c] as const))('both methods agree with the numpy reference to 1e-5: %s', (_name, c) => {
    const x = tf.tensor1d(c.x);
    const y = tf.tensor1d(c.y);
    const w = c.weights ? tf.tensor1d(c.weights) : undefined;
    const before = tf.memory().numTensors;
    for (const method of ['sorted', 'pairwise'] as const) {
      const v = distanceCorrelation(x, y, w, { method });
      expect(Math.abs(v.dataSync()[0]! - c.dcor2)).toBeLessThan(1e-5);
      v.dispose();
      if (c.gradX && c.gradY) {
        const [gx, gy] = tf.grads((a: tf.Tensor, b: tf.Tensor) => distanceCorrelation(a as tf.Tensor1D, b as tf.Tensor1D, w, { method }))([x, y]);
        // float32 arithmetic in the pairwise form: sums of n² products, ~1e-5 relative; the absolute
        // floor covers the linear case, where dCor² = 1 is a maximum and the gradient is ~0.
        const tol = method === 'sorted' ? 1e-6 : 1e-4;
        expect(maxAbsDiff(gx!.dataSync(), c.gradX)).toBeLessThan(tol * maxAbs(c.gradX) + 1e-6);
        expect(maxAbsDiff(gy!.dataSync(), c.gradY)).toBeLessThan(tol * maxAbs(c.gradY) + 1e-6);
        tf.dispose([gx!, gy!]);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, ...(w ? [w] : [])]);
  });

  test('core checkGradients passes for both methods, weighted', () => {
    const r = new Random(3);
    const n = 40;
    const x = tf.tensor1d(Float32Array.from({ length: n }, () => r.normal()));
    const y = tf.tensor1d(Float32Array.from(x.dataSync(), (v) => v * v + 0.5 * r.normal()));
    const w = tf.tensor1d(Float32Array.from({ length: n }, () => r.uniformIn(0.2, 2)));
    for (const method of ['sorted', 'pairwise'] as const) {
      // Random directions; a step of 1e-3 rarely reorders samples spaced ~1/n apart.
      const res = checkGradients((a, b) => distanceCorrelation(a as tf.Tensor1D, b as tf.Tensor1D, w, { method }), [x, y], { epsilon: 1e-3, maxCoordinates: 0, directions: 8 });
      expect(res.maxRelativeError).toBeLessThan(2e-2);
    }
    tf.dispose([x, y, w]);
  });

  test('discoLoss is dCor² over the background, with no gradient on signal events', () => {
    const r = new Random(6);
    const n = 120;
    const mass = Float32Array.from({ length: n }, () => r.uniformIn(50, 300));
    const labels = Float32Array.from({ length: n }, () => (r.uniform() < 0.3 ? 1 : 0));
    const scores = Float32Array.from(mass, (m, i) => 1 / (1 + Math.exp(-(m - 150) / 50 - labels[i]! - r.normal())));
    const bg = Array.from(labels.keys()).filter((i) => labels[i] === 0);
    const expected = evaluateDistanceCorrelation(
      bg.map((i) => scores[i]!),
      bg.map((i) => mass[i]!),
    ).value;
    const [s, m, y] = [tf.tensor1d(scores), tf.tensor1d(mass), tf.tensor1d(labels)];
    const before = tf.memory().numTensors;
    for (const method of ['sorted', 'pairwise'] as const) {
      const loss = discoLoss({ method });
      const v = loss(s, m, y);
      expect(Math.abs(v.dataSync()[0]! - expected)).toBeLessThan(1e-5);
      const gt = tf.grad((a: tf.Tensor) => loss(a as tf.Tensor1D, m, y))(s);
      const g = gt.dataSync();
      gt.dispose();
      labels.forEach((l, i) => {
        if (l === 1) expect(Math.abs(g[i]!)).toBe(0);
      });
      expect(maxAbs(g)).toBeGreaterThan(0);
      v.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([s, m, y]);
  });
});

describe('distanceCorrelation errors', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  test('bad inputs throw NnphysError naming the argument', () => {
    const x = tf.tensor1d([1, 2, 3]);
    expect(() => distanceCorrelation(x, tf.tensor1d([1, 2]))).toThrow(/y must have the same length as x \(3\)/);
    expect(() => distanceCorrelation(tf.tensor1d([1]), tf.tensor1d([1]))).toThrow(/at least 2 entries/);
    expect(() => distanceCorrelation(x, tf.tensor1d([1, Number.NaN, 3]))).toThrow(/y\[1\] must be a finite number, got NaN/);
    expect(() => distanceCorrelation(x, x, tf.tensor1d([1, -1, 1]))).toThrow(/weights\[1\] must be a finite number >= 0, got -1/);
    expect(() => distanceCorrelation(x, x, tf.tensor1d([0, 0, 0]))).toThrow(/weights must have a positive sum/);
    expect(() => distanceCorrelation(x, x, undefined, { method: 'fast' as 'sorted' })).toThrow(/method must be one of "sorted", "pairwise", got "fast"/);
    const big = tf.zeros([9000]) as tf.Tensor1D;
    expect(() => distanceCorrelation(big, big, undefined, { method: 'pairwise' })).toThrow(/accepts at most 8192 events, got 9000; use method 'sorted'/);
    expect(() => evaluateDistanceCorrelation([1, 2], [1, 2, 3])).toThrow(NnphysError);
    tf.dispose([x, big]);
  });
});
