import { NnphysError } from '@nnphys/core';
import type { Caps } from './caps.js';
import { legendre } from './legendre.js';

/** How the binned CDFs are projected onto Legendre polynomials (spec §2.3). */
export type ProjectionMode = 'quadrature' | 'leastSquares';

/**
 * A pointwise-in-s projection of the K binned CDFs F_b(s) onto L coefficients
 * and back, with per-bin loss weights β_b:
 *
 *   c = Q F,   c' = caps(c),   F^ℓ_b = Σ_l c'_l P_lb,   φ(F) = Σ_b β_b (F_b - F^ℓ_b)^2.
 *
 * MoDe (004 eqs. 3.9-3.13) and the flatness loss (spec §2.1) are both of this form.
 * Matrices are row-major L×K.
 */
export interface Projection {
  /** Number of coefficients L (order + 1). */
  terms: number;
  /** Number of bins K. */
  bins: number;
  /** P_lb: the basis evaluated at the bins. */
  basis: Float64Array;
  /** Q_lb: coefficients c = Q F. */
  coefficients: Float64Array;
  /** β_b: weight of bin b in the loss. */
  binWeights: Float64Array;
  /** H_ll' = Σ_b β_b P_lb P_l'b. */
  gram: Float64Array;
  caps: Caps;
}

function gramOf(basis: Float64Array, binWeights: Float64Array, L: number, K: number): Float64Array {
  const H = new Float64Array(L * L);
  for (let l = 0; l < L; l++) {
    for (let k = 0; k < L; k++) {
      let s = 0;
      for (let b = 0; b < K; b++) s += binWeights[b]! * basis[l * K + b]! * basis[k * K + b]!;
      H[l * L + k] = s;
    }
  }
  return H;
}

/**
 * MoDe projection of order ℓ over bins with centres m̃_b and widths Δ_b.
 * 'quadrature' (004 eq. 3.11): Q_lb = ((2l+1)/2) Δ_b P_l(m̃_b).
 * 'leastSquares': Q = (P D Pᵀ)^{-1} P D with D = diag(Δ), the Δ-weighted
 * least-squares fit, which is idempotent (exact for polynomial F_m).
 * `binWeights` is β_b (1 for the 'sum' reduction, 1/K for 'mean').
 */
export function legendreProjection(
  centres: Float64Array,
  widths: Float64Array,
  order: number,
  mode: ProjectionMode,
  binWeight: number,
  caps: Caps,
): Projection {
  const K = centres.length;
  const L = order + 1;
  const basis = new Float64Array(L * K);
  for (let b = 0; b < K; b++) {
    const p = legendre(order, centres[b]!);
    for (let l = 0; l < L; l++) basis[l * K + b] = p[l]!;
  }
  const coefficients = new Float64Array(L * K);
  if (mode === 'quadrature') {
    for (let l = 0; l < L; l++) for (let b = 0; b < K; b++) coefficients[l * K + b] = ((2 * l + 1) / 2) * widths[b]! * basis[l * K + b]!;
  } else {
    const gram = gramOf(basis, widths, L, K);
    const chol = cholesky(gram, L);
    if (chol === null) {
      throw new NnphysError(`projection 'leastSquares' of order ${order} needs at least ${L} mass bins with distinct centres, got ${K} bins`);
    }
    // Solve (P D Pᵀ) Q = P D column by column.
    const rhs = new Float64Array(L);
    for (let b = 0; b < K; b++) {
      for (let l = 0; l < L; l++) rhs[l] = basis[l * K + b]! * widths[b]!;
      choleskySolve(chol, L, rhs);
      for (let l = 0; l < L; l++) coefficients[l * K + b] = rhs[l]!;
    }
  }
  const binWeights = new Float64Array(K).fill(binWeight);
  return { terms: L, bins: K, basis, coefficients, binWeights, gram: gramOf(basis, binWeights, L, K), caps };
}

/**
 * The flatness loss of Rogozhnikov et al. (004 §3.2.1, sign corrected in spec §2.1):
 * Σ_b f_b ∫ |F_b(s) - F(s)|^2 ds with F = Σ_b f_b F_b the global CDF and
 * f_b the (weighted) fraction of events in bin b.
 */
export function flatnessProjection(fractions: Float64Array): Projection {
  const K = fractions.length;
  const basis = new Float64Array(K).fill(1);
  const coefficients = Float64Array.from(fractions);
  const binWeights = Float64Array.from(fractions);
  return { terms: 1, bins: K, basis, coefficients, binWeights, gram: gramOf(basis, binWeights, 1, K), caps: { monotonic: false } };
}

/** Lower Cholesky factor of a symmetric L×L matrix, or null if not positive definite. */
function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]!));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 1e-13 * maxDiag)) return null;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  return l;
}

function choleskySolve(l: Float64Array, n: number, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
}
