import { NnphysError, assertMatrix, assertNonNegativeInteger, assertNumberArray, assertPositiveInteger } from '@nnphys/core';

export interface LeastSquaresResult {
  /** A minimiser of ||A x - b||² (the basic solution: free coordinates 0 when A is rank deficient). */
  x: Float64Array;
  /** Numerical rank of A. */
  rank: number;
  /** ||A x - b||. */
  residualNorm: number;
}

/**
 * Float64 linear least squares by Householder QR with column pivoting
 * (Golub & Van Loan, Alg. 5.4.1), in plain JavaScript: tfjs is float32-only
 * and has no QR solve with pivoting. The rank is the number of pivots above
 * `tolerance` (default max(m, n) · ε · |R₁₁|).
 */
export function leastSquares(A: number[][], b: number[], options: { tolerance?: number } = {}): LeastSquaresResult {
  const [m, n] = assertMatrix(A, 'leastSquares: A');
  assertNumberArray(b, 'leastSquares: b', m);
  const a = A.map((row) => Float64Array.from(row));
  const y = Float64Array.from(b);
  const perm = Array.from({ length: n }, (_, j) => j);
  const steps = Math.min(m, n);
  let rank = 0;
  let tol = options.tolerance ?? -1;
  for (let k = 0; k < steps; k++) {
    // Pivot: the remaining column of largest norm (recomputed, for accuracy).
    let best = k;
    let bestNorm = -1;
    for (let j = k; j < n; j++) {
      let s = 0;
      for (let i = k; i < m; i++) s += (a[i] as Float64Array)[j] ** 2;
      if (s > bestNorm) {
        bestNorm = s;
        best = j;
      }
    }
    if (best !== k) {
      for (let i = 0; i < m; i++) {
        const r = a[i] as Float64Array;
        const t = r[k] as number;
        r[k] = r[best] as number;
        r[best] = t;
      }
      const t = perm[k] as number;
      perm[k] = perm[best] as number;
      perm[best] = t;
    }
    const norm = Math.sqrt(bestNorm);
    if (k === 0 && tol < 0) tol = Math.max(m, n) * Number.EPSILON * norm;
    if (norm <= tol || norm === 0) break;
    // Householder vector v for column k, rows k..m-1.
    const x0 = (a[k] as Float64Array)[k] as number;
    const alpha = x0 >= 0 ? -norm : norm;
    const v = new Float64Array(m - k);
    v[0] = x0 - alpha;
    for (let i = k + 1; i < m; i++) v[i - k] = (a[i] as Float64Array)[k] as number;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += (v[i] as number) ** 2;
    if (vv > 0) {
      for (let j = k; j < n; j++) {
        let s = 0;
        for (let i = k; i < m; i++) s += (v[i - k] as number) * ((a[i] as Float64Array)[j] as number);
        const f = (2 * s) / vv;
        for (let i = k; i < m; i++) (a[i] as Float64Array)[j] -= f * (v[i - k] as number);
      }
      let s = 0;
      for (let i = k; i < m; i++) s += (v[i - k] as number) * (y[i] as number);
      const f = (2 * s) / vv;
      for (let i = k; i < m; i++) y[i] -= f * (v[i - k] as number);
    }
    rank++;
  }
  // Back substitution on the leading rank x rank block of R.
  const z = new Float64Array(n);
  for (let i = rank - 1; i >= 0; i--) {
    let s = y[i] as number;
    const r = a[i] as Float64Array;
    for (let j = i + 1; j < rank; j++) s -= (r[j] as number) * (z[j] as number);
    z[i] = s / (r[i] as number);
  }
  const x = new Float64Array(n);
  for (let j = 0; j < n; j++) x[perm[j] as number] = z[j] as number;
  let res = 0;
  for (let i = 0; i < m; i++) {
    let s = -(b[i] as number);
    const row = A[i] as number[];
    for (let j = 0; j < n; j++) s += (row[j] as number) * (x[j] as number);
    res += s * s;
  }
  return { x, rank, residualNorm: Math.sqrt(res) };
}

/**
 * Design matrices of 002 §4.7 for K-tuples of atom ids in [0, vocabulary):
 * 'counts' sums the one-hot codes of a tuple (vocabulary columns; the shared
 * model's linear analogue); 'positional' concatenates them per position
 * (K * vocabulary columns; the unshared model's analogue).
 */
export function atomDesignMatrix(atoms: number[][], vocabulary: number, layout: 'counts' | 'positional' = 'counts'): number[][] {
  assertPositiveInteger(vocabulary, 'atomDesignMatrix: vocabulary');
  if (!Array.isArray(atoms)) throw new NnphysError('atomDesignMatrix: atoms must be an array of atom-id tuples');
  const K = atoms.length > 0 ? (atoms[0] as number[]).length : 0;
  return atoms.map((tuple, s) => {
    if (!Array.isArray(tuple) || tuple.length !== K) throw new NnphysError(`atomDesignMatrix: atoms[${s}] must be a tuple of ${K} atom ids`);
    const row = new Array<number>(layout === 'counts' ? vocabulary : K * vocabulary).fill(0);
    tuple.forEach((a, k) => {
      assertNonNegativeInteger(a, `atomDesignMatrix: atoms[${s}][${k}]`);
      if (a >= vocabulary) throw new NnphysError(`atomDesignMatrix: atoms[${s}][${k}] = ${a} is out of range [0, ${vocabulary - 1}]`);
      row[layout === 'counts' ? a : k * vocabulary + a] += 1;
    });
    return row;
  });
}

/**
 * Linear regression on summed one-hot counts (002 §4.7) in float64: the
 * least-squares atom values v with Σ_k v[a_k] ≈ y. `identified` is true when
 * the counts have full column rank, which makes v unique (then an exact fit
 * recovers the hidden values to round-off).
 */
export function atomValuesLeastSquares(atoms: number[][], targets: number[], vocabulary: number): { values: Float64Array; rank: number; identified: boolean; residualNorm: number } {
  assertNumberArray(targets, 'atomValuesLeastSquares: targets', atoms?.length);
  const { x, rank, residualNorm } = leastSquares(atomDesignMatrix(atoms, vocabulary, 'counts'), targets);
  return { values: x, rank, identified: rank === vocabulary, residualNorm };
}
