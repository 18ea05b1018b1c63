import { applyCaps, capsVectorJacobian } from './caps.js';
import type { Projection } from './projection.js';

/**
 * One batch of a binned-CDF loss, ready to evaluate: the events that enter the
 * loss, sorted by score, with their bin and their share w_i / w_b of the bin's
 * weight (004 eqs. 3.20-3.21).
 */
export interface BinnedCdfProblem {
  /** Length of the full score vector (the gradient has this length; unused events get 0). */
  size: number;
  /** Original index of each used event, in ascending score order. */
  index: Uint32Array;
  score: Float64Array;
  bin: Int32Array;
  share: Float64Array;
  projection: Projection;
  /** The s-interval the loss integrates over. */
  scoreRange: readonly [number, number];
}

/** Number of s points, or 'exact' for the exact integral of the step-function CDFs. */
export type ScoreBins = number | 'exact';

/**
 * The binned CDFs F_b(s) as a running state, swept in ascending s. Each event
 * adds its share to one bin; c = Q F, S_l = Σ_b β_b P_lb F_b and T = Σ_b β_b F_b²
 * are kept up to date in O(L), so the loss density
 *   φ = Σ_b β_b (F_b - Σ_l c'_l P_lb)² = T - 2 c'·S + c'ᵀ H c'
 * costs O(L²) per evaluation, independent of the number of bins.
 */
class CdfSweep {
  readonly F: Float64Array;
  readonly c: Float64Array;
  readonly S: Float64Array;
  T = 0;
  private readonly capped: Float64Array;
  private readonly u: Float64Array;
  readonly v: Float64Array;

  constructor(private readonly p: Projection) {
    this.F = new Float64Array(p.bins);
    this.c = new Float64Array(p.terms);
    this.S = new Float64Array(p.terms);
    this.capped = new Float64Array(p.terms);
    this.u = new Float64Array(p.terms);
    this.v = new Float64Array(p.terms);
  }

  add(b: number, delta: number): void {
    const { bins: K, terms: L, basis, coefficients, binWeights } = this.p;
    const old = this.F[b]!;
    this.F[b] = old + delta;
    const beta = binWeights[b]!;
    this.T += beta * delta * (2 * old + delta);
    for (let l = 0; l < L; l++) {
      this.c[l]! += coefficients[l * K + b]! * delta;
      this.S[l]! += beta * basis[l * K + b]! * delta;
    }
  }

  /** φ(F) at the current state. */
  density(): number {
    const L = this.p.terms;
    const H = this.p.gram;
    applyCaps(this.c, this.p.caps, this.capped);
    const cp = this.capped;
    let phi = this.T;
    for (let l = 0; l < L; l++) {
      let hc = 0;
      for (let k = 0; k < L; k++) hc += H[l * L + k]! * cp[k]!;
      phi += cp[l]! * (hc - 2 * this.S[l]!);
    }
    // Rounding can leave a tiny negative number where φ is 0.
    return Math.max(phi, 0);
  }

  /**
   * Prepares ∂φ/∂F_b for every b at the current state: afterwards
   * dDensity(b) = 2 β_b r_b - 2 Σ_k v_k Q_kb   (spec §2.4, with weights β_b),
   * where r = F - F^ℓ and v = (∂c'/∂c)ᵀ u, u_l = Σ_b β_b r_b P_lb = S_l - (H c')_l.
   */
  prepareDerivative(): void {
    const L = this.p.terms;
    const H = this.p.gram;
    applyCaps(this.c, this.p.caps, this.capped);
    for (let l = 0; l < L; l++) {
      let hc = 0;
      for (let k = 0; k < L; k++) hc += H[l * L + k]! * this.capped[k]!;
      this.u[l] = this.S[l]! - hc;
    }
    capsVectorJacobian(this.c, this.u, this.p.caps, this.capped, this.v);
  }

  dDensity(b: number): number {
    const { bins: K, terms: L, basis, coefficients, binWeights } = this.p;
    let fit = 0;
    let back = 0;
    for (let l = 0; l < L; l++) {
      fit += this.capped[l]! * basis[l * K + b]!;
      back += this.v[l]! * coefficients[l * K + b]!;
    }
    return 2 * binWeights[b]! * (this.F[b]! - fit) - 2 * back;
  }
}

/**
 * The loss Σ_b β_b ∫ |F_b(s) - F^ℓ_b(s)|² ds (004 eq. 3.9) over `scoreRange`.
 * With sbins = n the integral is the midpoint rule on n points with Θ(0) = 0
 * (as in 004 and the public code); with 'exact' it is the exact integral of the
 * step functions (φ is constant between consecutive scores), the limit n -> ∞.
 * Cost O(n log n) for the sort (done by the caller) + O(n L + sbins L²).
 */
export function binnedCdfLoss(problem: BinnedCdfProblem, sbins: ScoreBins): number {
  const { score, bin, share } = problem;
  const [lo, hi] = problem.scoreRange;
  const n = score.length;
  const sweep = new CdfSweep(problem.projection);
  let total = 0;
  if (sbins === 'exact') {
    let prev = lo;
    let phi = 0; // F = 0 below every score, so c = 0 and φ = 0
    let j = 0;
    while (j < n) {
      const s = score[j]!;
      total += (s - prev) * phi;
      while (j < n && score[j] === s) {
        sweep.add(bin[j]!, share[j]!);
        j++;
      }
      phi = sweep.density();
      prev = s;
    }
    total += (hi - prev) * phi;
    return total;
  }
  const h = (hi - lo) / sbins;
  let j = 0;
  for (let k = 0; k < sbins; k++) {
    const g = lo + (k + 0.5) * h;
    while (j < n && score[j]! < g) {
      sweep.add(bin[j]!, share[j]!);
      j++;
    }
    total += h * sweep.density();
  }
  return total;
}

/**
 * ∂L/∂s_i = -(w_i / w_{b_i}) ∂φ/∂F_{b_i} evaluated at s = s_i (004 eqs. 3.15-3.22,
 * general form of spec §2.4), with Θ(0) = ½ at s_i (the mean of the left and right
 * limits; events tied in score all count half). Independent of the s-grid.
 * Without caps φ is quadratic in F, so this equals the exact derivative of the
 * 'exact' integral. O(n L²) after the sort.
 */
export function binnedCdfGradient(problem: BinnedCdfProblem): Float64Array {
  const { score, bin, share, index } = problem;
  const n = score.length;
  const grad = new Float64Array(problem.size);
  const sweep = new CdfSweep(problem.projection);
  let j = 0;
  while (j < n) {
    const s = score[j]!;
    let end = j;
    while (end < n && score[end] === s) end++;
    for (let k = j; k < end; k++) sweep.add(bin[k]!, 0.5 * share[k]!);
    sweep.prepareDerivative();
    for (let k = j; k < end; k++) grad[index[k]!] = -share[k]! * sweep.dDensity(bin[k]!);
    for (let k = j; k < end; k++) sweep.add(bin[k]!, 0.5 * share[k]!);
    j = end;
  }
  return grad;
}
