import * as tf from '@tensorflow/tfjs-core';
import { Random, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { type ModeLossOptions, evaluateModeLoss, flatnessLoss, massBinning, modeLoss } from '../src/index.js';
import { type RefBins, backends, f32, legendreRef, maxAbs, maxAbsDiff, modeLossRef, uniform } from './reference.js';

const rng = new Random(2026);

/** A background-and-signal batch with a mass-dependent background score. */
function batch(n: number, seed: number) {
  const r = new Random(seed);
  const mass = uniform(r, n, 50, 300);
  const labels = Float64Array.from({ length: n }, () => (r.uniform() < 0.25 ? 1 : 0));
  const scores = Float64Array.from({ length: n }, (_, i) => {
    const m = (mass[i]! - 50) / 250;
    const z = 2 * (m - 0.5) ** 2 + 0.4 * m + 0.3 * r.normal() + (labels[i] ? 0.8 : 0);
    return 1 / (1 + Math.exp(-2 * (z - 0.5)));
  });
  const weights = Float64Array.from({ length: n }, () => r.uniformIn(0.2, 2));
  return { scores: f32(scores), mass: f32(mass), labels, weights: f32(weights) };
}

/** Bins of the background events as the reference needs them. */
function refBinsOf(b: ReturnType<typeof batch>, options: ModeLossOptions, weights?: ArrayLike<number>): { bins: RefBins; use: boolean[] } {
  const use = Array.from(b.labels, (y, i) => y === 0 && (weights === undefined || weights[i]! > 0));
  const m = Float32Array.from(b.mass.filter((_, i) => use[i]));
  const bins = massBinning(m, {
    bins: options.bins ?? 32,
    dynamicBins: options.dynamicBins ?? true,
    map: options.massMap ?? (options.massRange ? 'range' : 'batch'),
    ...(options.massRange ? { massRange: options.massRange } : {}),
  });
  return { bins, use };
}

describe('MoDe forward value', () => {
  const cases: Array<[string, ModeLossOptions, boolean]> = [
    ['order 0', { order: 0, bins: 8 }, false],
    ['order 1', { order: 1, bins: 8 }, true],
    ['order 2', { order: 2, bins: 6 }, false],
    ['order 3, least squares', { order: 3, bins: 10, projection: 'leastSquares' }, true],
    ['order 1, slope cap', { order: 1, bins: 8, maxSlope: 0.4 }, true],
    ['order 2, monotone + cap', { order: 2, bins: 8, maxSlope: 0.6, monotonic: true }, true],
    ['order 2, fixed bins, range map', { order: 2, bins: 8, dynamicBins: false, massRange: [40, 310] }, false],
  ];
  test.each(cases)('float64 value equals the direct reference: %s', (_name, options, weighted) => {
    const b = batch(160, 11);
    const w = weighted ? b.weights : undefined;
    const ev = evaluateModeLoss(b.scores, b.mass, b.labels, w, options);
    const { bins, use } = refBinsOf(b, options);
    const ref = modeLossRef(b.scores, use, w ?? new Float64Array(b.scores.length).fill(1), bins, options);
    // Both in float64; the sweep accumulates O(n) rounding errors only.
    expect(Math.abs(ev.loss - ref)).toBeLessThan(1e-12 + 1e-10 * ref);
    expect(ref).toBeGreaterThan(1e-4);
  });

  test('order 0 with equal-width, equal-occupancy bins equals bins x the flatness loss (§3.2.2)', () => {
    const n = 240;
    const K = 8;
    const mass = f32(uniform(rng, n, 0, 10).map((v) => v * v));
    const scores = f32(uniform(rng, n).map((v, i) => Math.min(1, 0.5 * v + 0.4 * Math.sqrt(mass[i]! / 100))));
    const labels = new Float64Array(n);
    // Quantile map: equal occupancy (n/K each) and equal widths 2/K.
    const ev = evaluateModeLoss(scores, mass, labels, undefined, { order: 0, bins: K, massMap: 'quantile' });
    // Flatness, directly: Σ_b (1/K) ∫ (F_b - F)² ds with F the global CDF (spec §2.1).
    const bins = massBinning(Float32Array.from(mass), { bins: K, dynamicBins: true, map: 'quantile' });
    const pts = [0, ...Array.from(scores).sort((a, b) => a - b), 1];
    let flat = 0;
    for (let k = 0; k + 1 < pts.length; k++) {
      const s = (pts[k]! + pts[k + 1]!) / 2;
      const Fb = new Array<number>(K).fill(0);
      let F = 0;
      for (let i = 0; i < n; i++) {
        if (scores[i]! < s) {
          Fb[bins.bin[i]!]! += K / n;
          F += 1 / n;
        }
      }
      flat += (pts[k + 1]! - pts[k]!) * Fb.reduce((acc, f) => acc + (f - F) ** 2 / K, 0);
    }
    expect(flat).toBeGreaterThan(1e-4);
    expect(ev.loss / flat).toBeCloseTo(K, 10);
    // With unequal widths (a linear map of very non-uniform masses) the two differ (004 §3.2.2).
    const evRange = evaluateModeLoss(scores, mass, labels, undefined, { order: 0, bins: K, massRange: [0, 100] });
    expect(Math.abs(evRange.loss / flat - K)).toBeGreaterThan(0.1 * K);
  });

  test('exactly linear conditional CDFs: order-1 loss ~0, order-0 loss clearly non-zero', () => {
    // K bins with masses at their centres; J score levels t_j with bin-dependent weights
    // π_j(b) = (1 + γ_j m̃_b)/J (Σγ = 0), so F_b(s) = Σ_{t_j<s} π_j(b) is exactly linear in m̃_b.
    const K = 8;
    const J = 6;
    const gamma = [0.9, -0.5, 0.3, -0.8, 0.4, -0.3];
    const t = [0.1, 0.25, 0.4, 0.55, 0.7, 0.9];
    const scores: number[] = [];
    const mass: number[] = [];
    const weights: number[] = [];
    for (let b = 0; b < K; b++) {
      const centre = -1 + (2 * b + 1) / K;
      for (let j = 0; j < J; j++) {
        scores.push(t[j]!);
        mass.push(centre);
        weights.push((1 + gamma[j]! * centre) / J);
      }
    }
    const labels = new Array<number>(scores.length).fill(0);
    const common = { bins: K, dynamicBins: false, massRange: [-1, 1] as [number, number] };
    const l0 = evaluateModeLoss(scores, mass, labels, weights, { ...common, order: 0 }).loss;
    const l1q = evaluateModeLoss(scores, mass, labels, weights, { ...common, order: 1 }).loss;
    const l1ls = evaluateModeLoss(scores, mass, labels, weights, { ...common, order: 1, projection: 'leastSquares' }).loss;
    expect(l0).toBeGreaterThan(0.01);
    // Least squares reproduces a linear function exactly; what remains is float64 rounding of
    // φ = T - 2c·S + cᵀHc, whose terms are O(K): ~K·1e-16 absolute.
    expect(l1ls).toBeLessThan(1e-12 * l0);
    // Quadrature: with equal widths Σ Δ m̃² = 2/3 - ΣΔ³/12 = 2/3 - 2/(3K²), so c_1 = (1 - 1/K²)·slope and
    // the residual is slope·m̃/K², exactly 1/K⁴ of the order-0 residual slope·m̃ (spec §5).
    expect((l1q * K ** 4) / l0).toBeCloseTo(1, 8);
  });

  test('least squares reproduces any polynomial degree exactly: cubic CDFs vanish at order 3, not at order 2', () => {
    const K = 9;
    const t = [0.2, 0.5, 0.8];
    const scores: number[] = [];
    const mass: number[] = [];
    const weights: number[] = [];
    for (let b = 0; b < K; b++) {
      const x = -1 + (2 * b + 1) / K;
      const p = 0.3 * legendreRef(3, x);
      for (const [j, tj] of t.entries()) {
        scores.push(tj);
        mass.push(x);
        weights.push(j === 0 ? 0.4 + p : j === 1 ? 0.3 - p : 0.3);
      }
    }
    const labels = new Array<number>(scores.length).fill(0);
    const o = { bins: K, dynamicBins: false, massRange: [-1, 1] as [number, number], projection: 'leastSquares' as const };
    const l3 = evaluateModeLoss(scores, mass, labels, weights, { ...o, order: 3 }).loss;
    const l2 = evaluateModeLoss(scores, mass, labels, weights, { ...o, order: 2 }).loss;
    expect(l2).toBeGreaterThan(1e-3);
    // Float64 rounding only (see above).
    expect(l3).toBeLessThan(1e-12 * l2);
  });

  test('with equal widths, the least-squares loss decreases with the order', () => {
    const b = batch(300, 5);
    const o = { bins: 10, dynamicBins: false, massRange: [50, 300] as [number, number], projection: 'leastSquares' as const };
    const losses = [0, 1, 2, 3, 4].map((order) => evaluateModeLoss(b.scores, b.mass, b.labels, undefined, { ...o, order }).loss);
    for (let l = 1; l < losses.length; l++) expect(losses[l]!).toBeLessThanOrEqual(losses[l - 1]! * (1 + 1e-12));
    expect(losses[0]!).toBeGreaterThan(2 * losses[4]!);
  });

  test('invariant to reordering the events; every background event counts (ragged bins)', () => {
    const b = batch(203, 3);
    const perm = new Random(1).permutation(203);
    const pick = <T extends ArrayLike<number>>(a: T) => Float64Array.from(perm, (i) => a[i]!);
    for (const order of [0, 1, 2]) {
      const o = { order, bins: 7 };
      const a = evaluateModeLoss(b.scores, b.mass, b.labels, b.weights, o);
      const p = evaluateModeLoss(pick(b.scores), pick(b.mass), pick(b.labels), pick(b.weights), o);
      expect(p.loss).toBeCloseTo(a.loss, 13);
      expect(maxAbsDiff(Float64Array.from(perm, (i) => a.gradient[i]!), p.gradient)).toBeLessThan(1e-15);
      const nB = b.labels.filter((y) => y === 0).length;
      expect(a.binning.counts.reduce((x, y) => x + y, 0)).toBe(nB);
      expect(a.gradient.filter((g, i) => b.labels[i] === 0 && g !== 0).length).toBe(nB);
      expect(a.gradient.filter((g, i) => b.labels[i] === 1 && g !== 0).length).toBe(0);
    }
  });

  test('the s-grid forward value converges to the exact integral; reduction mean = sum / bins', () => {
    const b = batch(400, 8);
    const exact = evaluateModeLoss(b.scores, b.mass, b.labels, undefined, { order: 1, bins: 10 }).loss;
    const errs = [32, 320, 3200].map((sbins) => Math.abs(evaluateModeLoss(b.scores, b.mass, b.labels, undefined, { order: 1, bins: 10, sbins }).loss - exact));
    expect(errs[1]!).toBeLessThan(errs[0]!);
    // Midpoint rule on a step function: error ~ (#events)·h², far below 1e-3 relative at 3200 points.
    expect(errs[2]!).toBeLessThan(1e-3 * exact);
    const mean = evaluateModeLoss(b.scores, b.mass, b.labels, undefined, { order: 1, bins: 10, reduction: 'mean' });
    expect(mean.loss).toBeCloseTo(exact / 10, 14);
  });

  test('integer weights equal duplicated events (eqs. 3.20-3.22); a common weight factor changes nothing', () => {
    const b = batch(120, 9);
    const o = { order: 2, bins: 6, dynamicBins: false, massRange: [40, 310] as [number, number] };
    const w = Float64Array.from(b.scores, (_, i) => 1 + (i % 3));
    const idx = Array.from(w, (wi, i) => new Array<number>(wi).fill(i)).flat();
    const dup = (a: ArrayLike<number>) => Float64Array.from(idx, (i) => a[i]!);
    const weighted = evaluateModeLoss(b.scores, b.mass, b.labels, w, o);
    const duplicated = evaluateModeLoss(dup(b.scores), dup(b.mass), dup(b.labels), undefined, o);
    expect(duplicated.loss).toBeCloseTo(weighted.loss, 13);
    // The copies of one event share its gradient.
    const summed = new Float64Array(120);
    idx.forEach((i, k) => {
      summed[i]! += duplicated.gradient[k]!;
    });
    expect(maxAbsDiff(summed, weighted.gradient)).toBeLessThan(1e-14);
    const scaled = evaluateModeLoss(b.scores, b.mass, b.labels, w.map((v) => 3 * v), o);
    expect(scaled.loss).toBeCloseTo(weighted.loss, 14);
    const ones = evaluateModeLoss(b.scores, b.mass, b.labels, new Float64Array(120).fill(0.7), o);
    const plain = evaluateModeLoss(b.scores, b.mass, b.labels, undefined, o);
    expect(ones.loss).toBeCloseTo(plain.loss, 14);
    expect(maxAbsDiff(ones.gradient, plain.gradient)).toBeLessThan(1e-15);
  });

  test('backgroundOnly false applies the loss to every event', () => {
    const b = batch(150, 4);
    const all = evaluateModeLoss(b.scores, b.mass, b.labels, undefined, { order: 0, bins: 5, backgroundOnly: false });
    const asBackground = evaluateModeLoss(b.scores, b.mass, new Float64Array(150), undefined, { order: 0, bins: 5 });
    expect(all.loss).toBe(asBackground.loss);
  });
});

describe.each(backends)('MoDe through tfjs on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('value and gradient equal the float64 evaluation; weighted flatness too; no tensor leaks', () => {
    const b = batch(500, 21);
    const s = tf.tensor1d(Float32Array.from(b.scores));
    const m = tf.tensor1d(Float32Array.from(b.mass));
    const y = tf.tensor1d(Float32Array.from(b.labels));
    const w = tf.tensor1d(Float32Array.from(b.weights));
    for (const options of [
      { order: 0, bins: 16 },
      { order: 1, bins: 16, maxSlope: 0.5 },
      { order: 2, bins: 12, monotonic: true },
      { order: 3, bins: 12, projection: 'leastSquares' as const, sbins: 64 },
    ]) {
      const before = tf.memory().numTensors;
      const loss = modeLoss(options);
      const ref = evaluateModeLoss(b.scores, b.mass, b.labels, b.weights, options);
      const value = loss(s, m, y, w);
      const grad = tf.grad((x: tf.Tensor) => loss(x as tf.Tensor1D, m, y, w))(s);
      // float32 result of a float64 computation: relative rounding ~1e-7.
      expect(Math.abs(value.dataSync()[0]! - ref.loss)).toBeLessThan(1e-6 * ref.loss);
      expect(maxAbsDiff(grad.dataSync(), ref.gradient)).toBeLessThan(1e-6 * maxAbs(ref.gradient));
      value.dispose();
      grad.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
    const before = tf.memory().numTensors;
    const flat = flatnessLoss({ bins: 10, massMap: 'quantile' })(s, m, y, w);
    // Flatness with weights (fractions f_b weighted) against the direct reference:
    // Σ_b f_b ∫ (F_b - Σ_b' f_b' F_b')² ds.
    const use = Array.from(b.labels, (v) => v === 0);
    const bins = massBinning(Float32Array.from(b.mass.filter((_, i) => use[i])), { bins: 10, dynamicBins: true, map: 'quantile' });
    const K = 10;
    const fb = new Array<number>(K).fill(0);
    let j = 0;
    b.scores.forEach((_, i) => {
      if (use[i]) fb[bins.bin[j++]!]! += b.weights[i]!;
    });
    const W = fb.reduce((a, c) => a + c, 0);
    const pts = [0, ...Array.from(b.scores).filter((_, i) => use[i]).sort((a, c) => a - c), 1];
    let ref = 0;
    for (let k = 0; k + 1 < pts.length; k++) {
      const sm = (pts[k]! + pts[k + 1]!) / 2;
      const num = new Array<number>(K).fill(0);
      let jj = 0;
      b.scores.forEach((sc, i) => {
        if (!use[i]) return;
        const bb = bins.bin[jj++]!;
        if (sc < sm) num[bb]! += b.weights[i]!;
      });
      const F = num.map((v, bb) => v / fb[bb]!);
      const G = F.reduce((a, f, bb) => a + (fb[bb]! / W) * f, 0);
      ref += (pts[k + 1]! - pts[k]!) * F.reduce((a, f, bb) => a + (fb[bb]! / W) * (f - G) ** 2, 0);
    }
    expect(Math.abs(flat.dataSync()[0]! - ref)).toBeLessThan(1e-6 * ref);
    flat.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([s, m, y, w]);
  });

  test('same seed and backend give bit-identical values and gradients', () => {
    const b = batch(300, 5);
    const run = () =>
      tf.tidy(() => {
        const s = tf.tensor1d(Float32Array.from(b.scores));
        const args = [tf.tensor1d(Float32Array.from(b.mass)), tf.tensor1d(Float32Array.from(b.labels))] as const;
        const loss = modeLoss({ order: 2, bins: 9 });
        const g = tf.grad((x: tf.Tensor) => loss(x as tf.Tensor1D, ...args))(s);
        return [loss(s, ...args).dataSync()[0], ...g.dataSync()];
      });
    expect(run()).toEqual(run());
  });
});
