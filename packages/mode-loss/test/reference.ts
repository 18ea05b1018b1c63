// Independent float64 reference implementations for the tests: direct formulas,
// no incremental sweeps, no shared code with src/ except the bin assignment.
import type { Random } from '@nnphys/core';

export const backends = ['cpu', 'wasm'] as const;

export interface RefBins {
  bin: ArrayLike<number>;
  widths: ArrayLike<number>;
  centres: ArrayLike<number>;
}

export interface RefOptions {
  order: number;
  maxSlope?: number;
  monotonic?: boolean;
  projection?: 'quadrature' | 'leastSquares';
}

/** P_l(x) from the explicit formulas up to l = 4, Rodrigues-free. */
export function legendreRef(l: number, x: number): number {
  switch (l) {
    case 0:
      return 1;
    case 1:
      return x;
    case 2:
      return (3 * x * x - 1) / 2;
    case 3:
      return (5 * x ** 3 - 3 * x) / 2;
    case 4:
      return (35 * x ** 4 - 30 * x * x + 3) / 8;
    default:
      throw new Error(`legendreRef: order ${l} not tabulated`);
  }
}

/** Solves a small dense system by Gaussian elimination with partial pivoting. */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[piv]![c]!)) piv = r;
    [m[c], m[piv]] = [m[piv]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/** F^ℓ_b from the binned CDF values F_b at one s (eqs. 3.10-3.13), directly. */
export function projectRef(F: number[], bins: RefBins, o: RefOptions): number[] {
  const K = F.length;
  const L = o.order + 1;
  let c: number[];
  if ((o.projection ?? 'quadrature') === 'quadrature') {
    c = Array.from({ length: L }, (_, l) => {
      let s = 0;
      for (let b = 0; b < K; b++) s += bins.widths[b]! * legendreRef(l, bins.centres[b]!) * F[b]!;
      return ((2 * l + 1) / 2) * s;
    });
  } else {
    const A = Array.from({ length: L }, (_, l) =>
      Array.from({ length: L }, (_, k) => {
        let s = 0;
        for (let b = 0; b < K; b++) s += bins.widths[b]! * legendreRef(l, bins.centres[b]!) * legendreRef(k, bins.centres[b]!);
        return s;
      }),
    );
    const rhs = Array.from({ length: L }, (_, l) => {
      let s = 0;
      for (let b = 0; b < K; b++) s += bins.widths[b]! * legendreRef(l, bins.centres[b]!) * F[b]!;
      return s;
    });
    c = solve(A, rhs);
  }
  if (o.maxSlope !== undefined) {
    const a = o.maxSlope * c[0]!;
    c[1] = a === 0 ? 0 : a * Math.tanh(c[1]! / a);
  }
  if (o.monotonic) {
    const a = c[1]! / 3;
    c[2] = a === 0 ? 0 : a * Math.tanh(c[2]! / a);
  }
  return Array.from({ length: K }, (_, b) => {
    let s = 0;
    for (let l = 0; l < L; l++) s += c[l]! * legendreRef(l, bins.centres[b]!);
    return s;
  });
}

/** Weighted binned CDFs at s with Θ(0) = theta0 (eq. 3.20). */
export function cdfRef(s: number, scores: ArrayLike<number>, use: ArrayLike<boolean>, weights: ArrayLike<number>, bins: RefBins, K: number, theta0: number): number[] {
  const num = new Array<number>(K).fill(0);
  const den = new Array<number>(K).fill(0);
  let j = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!use[i]) continue;
    const b = bins.bin[j++]!;
    const w = weights[i]!;
    den[b]! += w;
    const d = s - scores[i]!;
    num[b]! += w * (d > 0 ? 1 : d === 0 ? theta0 : 0);
  }
  return num.map((v, b) => v / den[b]!);
}

function phi(F: number[], bins: RefBins, o: RefOptions): number {
  const fit = projectRef(F, bins, o);
  return F.reduce((acc, f, b) => acc + (f - fit[b]!) ** 2, 0);
}

/**
 * Exact Σ_b ∫_0^1 |F_b - F^ℓ_b|² ds: the integrand is constant between
 * consecutive distinct scores, so evaluate it at each interval's midpoint. O(n² K).
 */
export function modeLossRef(scores: ArrayLike<number>, use: ArrayLike<boolean>, weights: ArrayLike<number>, bins: RefBins, o: RefOptions, range: [number, number] = [0, 1]): number {
  const K = bins.widths.length;
  const pts = [range[0], ...Array.from(scores).filter((_, i) => use[i]), range[1]].sort((a, b) => a - b);
  let total = 0;
  for (let k = 0; k + 1 < pts.length; k++) {
    const a = pts[k]!;
    const b = pts[k + 1]!;
    if (b <= a) continue;
    total += (b - a) * phi(cdfRef((a + b) / 2, scores, use, weights, bins, K, 0), bins, o);
  }
  return total;
}

/**
 * Spec §2.4: ∂L/∂s_i = -(w_i/w_{m_i}) G_{m_i}(s_i) with
 * G_{m'} = 2 r_{m'} - 2 Σ_m r_m ∂F^ℓ_m/∂F_{m'}, the Jacobian by central
 * differences of projectRef, and Θ(0) = ½ at s_i.
 */
export function specGradientRef(scores: ArrayLike<number>, use: ArrayLike<boolean>, weights: ArrayLike<number>, bins: RefBins, o: RefOptions): number[] {
  const K = bins.widths.length;
  const wBin = new Array<number>(K).fill(0);
  let j = 0;
  for (let i = 0; i < scores.length; i++) if (use[i]) wBin[bins.bin[j++]!]! += weights[i]!;
  const grad = new Array<number>(scores.length).fill(0);
  j = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!use[i]) continue;
    const b = bins.bin[j++]!;
    const F = cdfRef(scores[i]!, scores, use, weights, bins, K, 0.5);
    const fit = projectRef(F, bins, o);
    const r = F.map((f, m) => f - fit[m]!);
    const h = 1e-6;
    const Fp = [...F];
    const Fm = [...F];
    Fp[b]! += h;
    Fm[b]! -= h;
    const dp = projectRef(Fp, bins, o);
    const dm = projectRef(Fm, bins, o);
    let G = 2 * r[b]!;
    for (let m = 0; m < K; m++) G -= 2 * r[m]! * ((dp[m]! - dm[m]!) / (2 * h));
    grad[i] = -(weights[i]! / wBin[b]!) * G;
  }
  return grad;
}

/** Uniform random array. */
export function uniform(rng: Random, n: number, lo = 0, hi = 1): Float64Array {
  return Float64Array.from({ length: n }, () => rng.uniformIn(lo, hi));
}

/** Float32-rounded copy (what a tensor holds). */
export function f32(a: ArrayLike<number>): Float64Array {
  return Float64Array.from(Float32Array.from(a));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
