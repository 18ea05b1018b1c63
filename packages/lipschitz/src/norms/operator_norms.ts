import { sliceNorms } from '../kernels/normalize_kernels.js';
import type { NormKind } from './kinds.js';

/**
 * Operator norms of W (out x in) given as a tfjs kernel K = W^T, row-major
 * [inputs, outputs], computed in float64 from the stored values. Norm
 * indices: 1, 2 or Infinity.
 */
export type NormIndex = 1 | 2 | typeof Number.POSITIVE_INFINITY;

/** ||W||_kind (the norm a LipschitzLinear of that kind bounds). */
export function kindNorm(k: ArrayLike<number>, inputs: number, outputs: number, kind: NormKind): number {
  const s = sliceNorms(Float32Array.from(k), inputs, outputs, kind);
  let m = 0;
  for (const v of s) if (v > m) m = v;
  return m;
}

/** Dual exponent: 1 <-> inf, 2 <-> 2. */
export function dualNorm(p: NormIndex): NormIndex {
  return p === 1 ? Number.POSITIVE_INFINITY : p === 2 ? 2 : 1;
}

/** ||v||_p of a float64 vector. */
export function vectorNorm(v: ArrayLike<number>, p: NormIndex): number {
  let acc = 0;
  if (p === Number.POSITIVE_INFINITY) {
    for (let i = 0; i < v.length; i++) acc = Math.max(acc, Math.abs(v[i] as number));
    return acc;
  }
  if (p === 1) {
    for (let i = 0; i < v.length; i++) acc += Math.abs(v[i] as number);
    return acc;
  }
  for (let i = 0; i < v.length; i++) acc += (v[i] as number) ** 2;
  return Math.sqrt(acc);
}

/** Row j of W (the weights into output j) = column j of K. */
export function outputRow(k: ArrayLike<number>, inputs: number, outputs: number, j: number): Float64Array {
  const r = new Float64Array(inputs);
  for (let i = 0; i < inputs; i++) r[i] = k[i * outputs + j] as number;
  return r;
}

/** Column i of W (the weights out of input i) = row i of K. */
export function inputColumn(k: ArrayLike<number>, _inputs: number, outputs: number, i: number): Float64Array {
  const c = new Float64Array(outputs);
  for (let j = 0; j < outputs; j++) c[j] = k[i * outputs + j] as number;
  return c;
}

/**
 * An upper bound on ||W||_{a -> b} for a in {1, 2, inf}, b in {1, inf}, exact where a closed form exists:
 * - a -> inf = max_j ||W_j,:||_{a*}           (exact)
 * - 1 -> b   = max_k ||W_:,k||_b              (exact)
 * - a -> 1   <= sum_j ||W_j,:||_{a*}          (a in {2, inf}; ||.||_{inf->1} itself is NP-hard)
 */
export function operatorNormBound(k: ArrayLike<number>, inputs: number, outputs: number, a: NormIndex, b: NormIndex): number {
  const aStar = dualNorm(a);
  if (b === Number.POSITIVE_INFINITY) {
    let m = 0;
    for (let j = 0; j < outputs; j++) m = Math.max(m, vectorNorm(outputRow(k, inputs, outputs, j), aStar));
    return m;
  }
  if (a === 1) {
    let m = 0;
    for (let i = 0; i < inputs; i++) m = Math.max(m, vectorNorm(inputColumn(k, inputs, outputs, i), b));
    return m;
  }
  if (b === 1) {
    let s = 0;
    for (let j = 0; j < outputs; j++) s += vectorNorm(outputRow(k, inputs, outputs, j), aStar);
    return s;
  }
  throw new Error(`operatorNormBound: unsupported norm pair ${a} -> ${b}`);
}

/**
 * Largest singular value ||W||_{2->2} by power iteration on W^T W (float64).
 * An estimate from below that converges to the value; for monitoring only,
 * never used in a certificate.
 */
export function spectralNorm(k: ArrayLike<number>, inputs: number, outputs: number, iterations = 100): number {
  let v = new Float64Array(inputs).fill(1 / Math.sqrt(inputs));
  let sigma = 0;
  for (let it = 0; it < iterations; it++) {
    const u = new Float64Array(outputs); // u = W v = K^T v
    for (let i = 0; i < inputs; i++) {
      const vi = v[i] as number;
      for (let j = 0; j < outputs; j++) u[j] = (u[j] as number) + (k[i * outputs + j] as number) * vi;
    }
    const next = new Float64Array(inputs); // W^T u = K u
    for (let i = 0; i < inputs; i++) {
      let acc = 0;
      for (let j = 0; j < outputs; j++) acc += (k[i * outputs + j] as number) * (u[j] as number);
      next[i] = acc;
    }
    const nrm = vectorNorm(next, 2);
    if (nrm === 0) return 0;
    sigma = Math.sqrt(nrm);
    for (let i = 0; i < inputs; i++) next[i] = (next[i] as number) / nrm;
    v = next;
  }
  return sigma;
}
