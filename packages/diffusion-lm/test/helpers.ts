import { Random } from '@nnphys/core';
import type { ConditionalTable } from '../src/index.js';

export const backends = ['cpu', 'wasm'] as const;

/** Every sequence of length d over v tokens, position 0 as the least significant digit. */
export function allSequences(v: number, d: number): number[][] {
  const out: number[][] = [];
  for (let x = 0; x < v ** d; x++) {
    const seq: number[] = [];
    for (let i = 0, r = x; i < d; i++, r = Math.floor(r / v)) seq.push(r % v);
    out.push(seq);
  }
  return out;
}

/** Index of a sequence in allSequences order. */
export function sequenceIndex(seq: readonly number[], v: number): number {
  let x = 0;
  for (let i = seq.length - 1; i >= 0; i--) x = x * v + (seq[i] as number);
  return x;
}

/**
 * An arbitrary float64 conditional model over v tokens (any length): for
 * each input pattern (digits in 0..v, v = masked) and position, a random
 * distribution over v tokens. Independent of the package's TabularModel.
 */
export function randomConditionals(v: number, seed: number, scale = 1.5): (pattern: readonly number[], tau: number) => Float64Array {
  const rng = new Random(seed);
  const table = new Map<string, Float64Array>();
  return (pattern, tau) => {
    const key = `${pattern.join(',')}|${tau}`;
    let p = table.get(key);
    if (!p) {
      const logits = Array.from({ length: v }, () => rng.normal(0, scale));
      const m = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - m));
      const s = e.reduce((a, b) => a + b, 0);
      p = Float64Array.from(e, (x) => x / s);
      table.set(key, p);
    }
    return p;
  };
}

/** Conditionals of a joint over v^d (consistent by construction), float64. */
export function jointConditionals(joint: Float64Array, v: number, d: number): (pattern: readonly number[], tau: number) => Float64Array {
  const seqs = allSequences(v, d);
  return (pattern, tau) => {
    const mass = new Float64Array(v);
    seqs.forEach((x, i) => {
      if (x.every((xi, j) => pattern[j] === v || pattern[j] === xi)) mass[x[tau] as number] += joint[i] as number;
    });
    const s = mass.reduce((a, b) => a + b, 0);
    return mass.map((m) => m / s);
  };
}

/** The conditional table of sequence x under a conditional model (float64). */
export function tableOf(cond: (pattern: readonly number[], tau: number) => Float64Array, x: readonly number[], v: number): ConditionalTable {
  const d = x.length;
  const logp = new Float64Array((1 << d) * d).fill(Number.NaN);
  for (let s = 0; s < 1 << d; s++) {
    const pattern = x.map((xi, i) => (s & (1 << i) ? xi : v));
    for (let tau = 0; tau < d; tau++) if (!(s & (1 << tau))) logp[s * d + tau] = Math.log((cond(pattern, tau)[x[tau] as number]) as number);
  }
  return { length: d, logp };
}

export function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}

export function subsetsOfSize(d: number, k: number): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < 1 << d; s++) {
    const members = [];
    for (let i = 0; i < d; i++) if (s & (1 << i)) members.push(i);
    if (members.length === k) out.push(members);
  }
  return out;
}

export function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/**
 * Upper critical value of chi-square with df degrees of freedom at a
 * one-sided level of about 1e-4 (Wilson-Hilferty, z = 3.719): a correct
 * sampler fails a test with probability ~1e-4.
 */
export function chiSquareCritical(df: number): number {
  const z = 3.719;
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

export function chiSquare(observed: number[], expected: number[]): number {
  let c = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = expected[i] as number;
    if (e > 0) c += ((observed[i] as number) - e) ** 2 / e;
  }
  return c;
}

export function meanAndStandardError(values: number[]): { mean: number; se: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(variance / n) };
}
