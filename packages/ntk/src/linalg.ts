import { NnphysError, assertMatrix, assertNumberArray } from '@nnphys/core';
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * Float64 linear algebra on plain arrays, delegating decompositions to
 * ml-matrix (tfjs has no float64, eigendecomposition or Cholesky).
 */

/** A validated square, symmetric matrix as row-major float64 (symmetrised). */
export function squareSymmetric(k: unknown, name: string): { a: Float64Array; n: number } {
  const [n, m] = assertMatrix(k, name);
  if (n === 0) throw new NnphysError(`${name} must be a non-empty square matrix, got 0 rows`);
  if (n !== m) throw new NnphysError(`${name} must be square, got ${n} x ${m}`);
  const rows = k as number[][];
  const a = new Float64Array(n * n);
  let scale = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scale = Math.max(scale, Math.abs(rows[i][j]));
  // Float32 empirical kernels are symmetric to ~1e-7; anything larger is a wrong argument.
  const tol = 1e-6 * scale;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const x = rows[i][j];
      const y = rows[j][i];
      if (Math.abs(x - y) > tol) {
        throw new NnphysError(`${name} must be symmetric: entry [${i}][${j}] = ${x} but [${j}][${i}] = ${y}`);
      }
      const s = 0.5 * (x + y);
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  }
  return { a, n };
}

/** A validated rows x cols matrix as row-major float64. */
export function rectangular(k: unknown, name: string, cols: number): { a: Float64Array; rows: number } {
  const [rows, c] = assertMatrix(k, name, { cols });
  if (rows > 0 && c !== cols) throw new NnphysError(`${name} must have ${cols} columns, got ${c}`);
  const a = new Float64Array(rows * cols);
  const r = k as number[][];
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[i * cols + j] = r[i][j];
  return { a, rows };
}

/** A validated vector of finite numbers as float64. */
export function vector(v: unknown, name: string, length?: number): Float64Array {
  assertNumberArray(v, name, length);
  return Float64Array.from(v as ArrayLike<number>);
}

function toMatrix(a: Float64Array, n: number, m = n): Matrix {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(a.subarray(i * m, (i + 1) * m)));
  return new Matrix(rows);
}

/** K = U diag(values) U^T; vectors row-major, column k is the k-th eigenvector. */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const e = new EigenvalueDecomposition(toMatrix(a, n), { assumeSymmetric: true });
  const values = Float64Array.from(e.realEigenvalues);
  const u = e.eigenvectorMatrix;
  const vectors = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) vectors[i * n + k] = u.get(i, k);
  return { values, vectors };
}

/**
 * Cholesky factor of K + jitter I (lower, row-major). With jitter 'auto', tries 0, then
 * 1e-10 * mean(diag K), growing tenfold up to 1e-3 * mean(diag K); the jitter used is returned.
 */
export function cholesky(a: Float64Array, n: number, jitter: number | 'auto', name: string): { l: Float64Array; jitter: number } {
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += a[i * n + i] / n;
  const tries = jitter === 'auto' ? [0, ...Array.from({ length: 8 }, (_, k) => Math.abs(meanDiag) * 10 ** (-10 + k))] : [jitter];
  for (const j of tries) {
    const b = Float64Array.from(a);
    for (let i = 0; i < n; i++) b[i * n + i] = b[i * n + i] + j;
    const c = new CholeskyDecomposition(toMatrix(b, n));
    if (c.isPositiveDefinite()) {
      const lm = c.lowerTriangularMatrix;
      const l = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let k = 0; k <= i; k++) l[i * n + k] = lm.get(i, k);
      return { l, jitter: j };
    }
  }
  throw new NnphysError(
    `${name} is not positive definite${jitter === 'auto' ? ' even with a jitter of 1e-3 * mean(diag)' : ` with jitter ${jitter}`}; ` +
      'check for duplicated inputs or add observation noise',
  );
}

/** Solves L z = b (forward substitution) for a lower-triangular L. */
export function forwardSolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * z[k];
    z[i] = s / l[i * n + i];
  }
  return z;
}

/** Solves L^T z = b (back substitution) for a lower-triangular L. */
export function backSolveTransposed(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const z = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * z[k];
    z[i] = s / l[i * n + i];
  }
  return z;
}

/** y = A x for row-major A [rows, cols]. */
export function matVec(a: Float64Array, rows: number, cols: number, x: Float64Array): Float64Array {
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const o = i * cols;
    for (let j = 0; j < cols; j++) s += a[o + j] * x[j];
    y[i] = s;
  }
  return y;
}

/** y = A^T x for row-major A [rows, cols]. */
export function matTVec(a: Float64Array, rows: number, cols: number, x: Float64Array): Float64Array {
  const y = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const xi = x[i];
    const o = i * cols;
    for (let j = 0; j < cols; j++) y[j] = y[j] + a[o + j] * xi;
  }
  return y;
}
