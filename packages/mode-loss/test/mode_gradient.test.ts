import * as tf from '@tensorflow/tfjs-core';
import { Random, checkGradients, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { type ModeLossOptions, evaluateModeLoss, massBinning, modeLoss } from '../src/index.js';
import { backends, f32, maxAbs, maxAbsDiff, specGradientRef, uniform } from './reference.js';

function randomBatch(n: number, seed: number, signalFraction = 0.2) {
  const r = new Random(seed);
  const mass = f32(uniform(r, n, -3, 5));
  const labels = Float64Array.from({ length: n }, () => (r.uniform() < signalFraction ? 1 : 0));
  const scores = f32(Float64Array.from(mass, (m, i) => 1 / (1 + Math.exp(-(0.4 * m - 0.1 * m * m + r.normal() + labels[i]!)))));
  const weights = f32(uniform(r, n, 0.3, 1.7));
  return { scores, mass, labels, weights };
}

/** Central differences of the float64 exact-integral loss in one score. */
function finiteDifference(b: ReturnType<typeof randomBatch>, w: ArrayLike<number> | undefined, o: ModeLossOptions, i: number, h: number): number {
  const up = Float64Array.from(b.scores);
  const down = Float64Array.from(b.scores);
  up[i]! += h;
  down[i]! -= h;
  return (evaluateModeLoss(up, b.mass, b.labels, w, o).loss - evaluateModeLoss(down, b.mass, b.labels, w, o).loss) / (2 * h);
}

const uncapped: Array<[string, ModeLossOptions]> = [
  ['order 0', { order: 0, bins: 6 }],
  ['order 1', { order: 1, bins: 6 }],
  ['order 2, fixed bins', { order: 2, bins: 7, dynamicBins: false, massRange: [-3, 5] }],
  ['order 4, least squares', { order: 4, bins: 9, projection: 'leastSquares' }],
  ['order 1, mean reduction, quantile map', { order: 1, bins: 5, reduction: 'mean', massMap: 'quantile' }],
];

const capped: Array<[string, ModeLossOptions]> = [
  ['slope cap', { order: 1, bins: 6, maxSlope: 0.3 }],
  ['monotone quadratic', { order: 2, bins: 6, monotonic: true }],
  ['monotone quadratic with slope cap', { order: 2, bins: 6, monotonic: true, maxSlope: 0.5 }],
  ['slope cap, least squares, order 3', { order: 3, bins: 8, maxSlope: 0.2, projection: 'leastSquares' }],
];

describe('MoDe analytic gradient (float64)', () => {
  test.each(uncapped)('equals the exact derivative of the exact-integral loss without caps: %s', (_name, o) => {
    // The loss is piecewise linear in each score (the integrand only changes where scores cross),
    // and without caps φ(F) is quadratic, so the Θ(0)=½ midpoint derivative equals the secant: the
    // finite difference with h far below the smallest score gap is exact up to rounding (~1e-16/h).
    const b = randomBatch(90, 1);
    for (const w of [undefined, b.weights]) {
      const ev = evaluateModeLoss(b.scores, b.mass, b.labels, w, o);
      const fd = Array.from(b.scores, (_, i) => (b.labels[i] === 0 ? finiteDifference(b, w, o, i, 1e-8) : 0));
      expect(maxAbsDiff(fd, ev.gradient)).toBeLessThan(1e-6 * maxAbs(ev.gradient));
      expect(maxAbs(ev.gradient)).toBeGreaterThan(1e-4);
    }
  });

  test.each([...uncapped, ...capped])('equals the functional-derivative formula of spec §2.4 with a numerical Jacobian: %s', (_name, o) => {
    const b = randomBatch(80, 2);
    const use = Array.from(b.labels, (y) => y === 0);
    const bins = massBinning(Float32Array.from(b.mass.filter((_, i) => use[i])), {
      bins: o.bins!,
      dynamicBins: o.dynamicBins ?? true,
      map: o.massMap ?? (o.massRange ? 'range' : 'batch'),
      ...(o.massRange ? { massRange: o.massRange } : {}),
    });
    const ev = evaluateModeLoss(b.scores, b.mass, b.labels, b.weights, o);
    const ref = specGradientRef(b.scores, use, b.weights, bins, o);
    const scale = o.reduction === 'mean' ? 1 / bins.bins : 1;
    // The reference Jacobian is a central difference with h = 1e-6 in F: error ~1e-10 relative.
    expect(maxAbsDiff(ref.map((g) => g * scale), ev.gradient)).toBeLessThan(1e-7 * maxAbs(ev.gradient));
  });

  test.each(capped)('with caps, approaches the exact derivative as bins fill up: %s', (_name, o) => {
    // With caps φ is not quadratic; the midpoint derivative differs from the secant by
    // O(ω²) relative, ω = w_i/w_b the event's share of its bin. Doubling the occupancy must shrink it.
    const errors = [60, 240].map((n) => {
      const b = randomBatch(n, 3, 0);
      const ev = evaluateModeLoss(b.scores, b.mass, b.labels, undefined, o);
      const probe = Array.from({ length: 30 }, (_, k) => Math.floor((k * n) / 30));
      let err = 0;
      let norm = 0;
      for (const i of probe) {
        err += (finiteDifference(b, undefined, o, i, 1e-8) - ev.gradient[i]!) ** 2;
        norm += ev.gradient[i]! ** 2;
      }
      return Math.sqrt(err / norm);
    });
    expect(errors[1]!).toBeLessThan(0.05);
    expect(errors[1]!).toBeLessThan(errors[0]!);
  });

  test('reproduces eq. 3.19 for order 1 (quadrature, no cap)', () => {
    const b = randomBatch(70, 4, 0);
    const o = { order: 1, bins: 5 };
    const ev = evaluateModeLoss(b.scores, b.mass, b.labels, undefined, o);
    const bins = ev.binning;
    const K = bins.bins;
    const n = b.scores.length;
    // δL¹ = -δs_i Σ_m (1/n_{m_i}) [F_m - F¹_m](s_i) [2δ_{m,m_i} - Δ_{m_i}(1 + 3 m̃ m̃_i)], Θ(0) = ½.
    for (let i = 0; i < n; i++) {
      const bi = bins.bin[i]!;
      const F = new Array<number>(K).fill(0);
      for (let j = 0; j < n; j++) {
        const d = b.scores[i]! - b.scores[j]!;
        F[bins.bin[j]!]! += (d > 0 ? 1 : d === 0 ? 0.5 : 0) / bins.counts[bins.bin[j]!]!;
      }
      const c0 = 0.5 * F.reduce((a, f, m) => a + bins.widths[m]! * f, 0);
      const c1 = 1.5 * F.reduce((a, f, m) => a + bins.widths[m]! * bins.centres[m]! * f, 0);
      let sum = 0;
      for (let m = 0; m < K; m++) {
        const r = F[m]! - (c0 + c1 * bins.centres[m]!);
        sum += r * ((m === bi ? 2 : 0) - bins.widths[bi]! * (1 + 3 * bins.centres[m]! * bins.centres[bi]!));
      }
      expect(ev.gradient[i]!).toBeCloseTo(-sum / bins.counts[bi]!, 14);
    }
  });

  test('the gradient does not depend on sbins', () => {
    const b = randomBatch(200, 6);
    const g = [8, 100, 'exact' as const].map((sbins) => evaluateModeLoss(b.scores, b.mass, b.labels, b.weights, { order: 2, bins: 8, maxSlope: 0.5, sbins }).gradient);
    expect(Array.from(g[0]!)).toEqual(Array.from(g[2]!));
    expect(Array.from(g[1]!)).toEqual(Array.from(g[2]!));
  });

  test('gradient descent on raw scores with only the MoDe gradient reaches the allowed dependence, not flatness', () => {
    // Start from scores with a linear + quadratic mass dependence; descend L^ℓ alone.
    const r = new Random(9);
    const n = 400;
    const mass = uniform(r, n);
    const start = Float64Array.from(mass, (m) => Math.min(1, Math.max(0, 0.45 + 0.3 * (m - 0.5) + 0.6 * (m - 0.5) ** 2 + 0.12 * r.normal())));
    const labels = new Float64Array(n);
    const run = (order: number) => {
      const o = { order, bins: 8, massRange: [0, 1] as [number, number], projection: 'leastSquares' as const };
      let s = Float64Array.from(start);
      const first = evaluateModeLoss(s, mass, labels, undefined, o).loss;
      for (let it = 0; it < 300; it++) {
        const g = evaluateModeLoss(s, mass, labels, undefined, o).gradient;
        s = s.map((v, i) => Math.min(1, Math.max(0, v - 0.05 * n * g[i]!)));
      }
      const last = evaluateModeLoss(s, mass, labels, undefined, o).loss;
      const flatness = evaluateModeLoss(s, mass, labels, undefined, { ...o, order: 0 }).loss;
      return { first, last, flatness };
    };
    const initialL0 = evaluateModeLoss(start, mass, labels, undefined, { order: 0, bins: 8, massRange: [0, 1] }).loss;
    const r0 = run(0);
    const r1 = run(1);
    expect(r0.last).toBeLessThan(r0.first / 50);
    expect(r1.last).toBeLessThan(r1.first / 20);
    // MoDe[1] keeps a linear dependence: its order-0 loss stays a sizeable fraction of the start.
    expect(r1.flatness).toBeGreaterThan(0.2 * initialL0);
    expect(r1.flatness).toBeGreaterThan(10 * r0.last);
  });
});

describe.each(backends)('MoDe gradient through tfjs on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test.each(uncapped)('core checkGradients (finite differences of the float32 loss): %s', (_name, o) => {
    // 24 background scores at least 0.03 apart, so the ±0.01 steps of checkGradients never cross
    // another score; without caps the loss is then exactly linear along each step.
    const n = 24;
    const r = new Random(5);
    const perm = r.permutation(n);
    const scores = tf.tensor1d(Float32Array.from(perm, (k) => 0.1 + 0.034 * k));
    const mass = tf.tensor1d(Float32Array.from(uniform(r, n, -3, 5)));
    const labels = tf.zeros([n]) as tf.Tensor1D;
    const weights = tf.tensor1d(Float32Array.from(uniform(r, n, 0.5, 1.5)));
    const loss = modeLoss({ ...o, bins: Math.max(4, o.order + 2) });
    const before = tf.memory().numTensors;
    const result = checkGradients((s) => loss(s as tf.Tensor1D, mass, labels, weights), [scores], { epsilon: 0.01 });
    expect(tf.memory().numTensors).toBe(before);
    // float32 loss values ~1e-1 with ~1e-7 relative rounding, divided by 2·0.01: ~1e-5 relative.
    expect(result.maxRelativeError).toBeLessThan(1e-3);
    tf.dispose([scores, mass, labels, weights]);
  });
});
