// Float64 reference implementations (plain loops) that the kernels are checked against.
import type { Random } from '../src/index.js';

export function randomMatrix(rng: Random, rows: number, cols: number): Float64Array {
  return Float64Array.from({ length: rows * cols }, () => rng.normal());
}

export function refGather(x: Float64Array, f: number, idx: number[]): Float64Array {
  const out = new Float64Array(idx.length * f);
  idx.forEach((r, e) => {
    for (let j = 0; j < f; j++) out[e * f + j] = x[r * f + j] as number;
  });
  return out;
}

export function refSegmentReduce(x: Float64Array, f: number, ids: number[], n: number, op: 'sum' | 'mean' | 'max' | 'min'): Float64Array {
  const out = new Float64Array(n * f);
  const count = new Array(n).fill(0);
  const init = op === 'max' ? -Infinity : op === 'min' ? Infinity : 0;
  out.fill(init);
  ids.forEach((s, e) => {
    if (s < 0) return;
    count[s]++;
    for (let j = 0; j < f; j++) {
      const v = x[e * f + j] as number;
      const k = s * f + j;
      if (op === 'sum' || op === 'mean') out[k] = (out[k] as number) + v;
      else if (op === 'max') out[k] = Math.max(out[k] as number, v);
      else out[k] = Math.min(out[k] as number, v);
    }
  });
  for (let s = 0; s < n; s++) {
    for (let j = 0; j < f; j++) {
      const k = s * f + j;
      if (count[s] === 0) out[k] = 0;
      else if (op === 'mean') out[k] = (out[k] as number) / count[s];
    }
  }
  return out;
}

export function refSegmentSoftmax(z: Float64Array, f: number, ids: number[], n: number): Float64Array {
  const max = new Float64Array(n * f).fill(-Infinity);
  ids.forEach((s, e) => {
    if (s >= 0) for (let j = 0; j < f; j++) max[s * f + j] = Math.max(max[s * f + j] as number, z[e * f + j] as number);
  });
  const sum = new Float64Array(n * f);
  ids.forEach((s, e) => {
    if (s >= 0) for (let j = 0; j < f; j++) sum[s * f + j] = (sum[s * f + j] as number) + Math.exp((z[e * f + j] as number) - (max[s * f + j] as number));
  });
  const out = new Float64Array(ids.length * f);
  ids.forEach((s, e) => {
    if (s >= 0) for (let j = 0; j < f; j++) out[e * f + j] = Math.exp((z[e * f + j] as number) - (max[s * f + j] as number)) / (sum[s * f + j] as number);
  });
  return out;
}

export function refMatMul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) c[i * n + j] = (c[i * n + j] as number) + (a[i * k + p] as number) * (b[p * n + j] as number);
  return c;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}
