import { NnphysError } from '@nnphys/core';

/** Options shared by the metrics. */
export interface MetricOptions {
  /** Per-event weights (>= 0); default 1. */
  weights?: ArrayLike<number>;
}

export interface MetricArrays {
  scores: ArrayLike<number>;
  labels: ArrayLike<number>;
  weights: Float64Array;
  mass?: ArrayLike<number>;
}

function assertFiniteArray(value: unknown, name: string): asserts value is ArrayLike<number> {
  if (!Array.isArray(value) && !(ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    throw new NnphysError(`${name} must be an array of numbers, got ${value === null ? 'null' : typeof value}`);
  }
  const a = value as ArrayLike<unknown>;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new NnphysError(`${name}[${i}] must be a finite number, got ${String(v)}`);
  }
}

/** Validates metric inputs: equal lengths, finite numbers, labels 0/1, weights >= 0, both classes present. */
export function metricArrays(scores: unknown, labels: unknown, options: MetricOptions | undefined, mass?: unknown): MetricArrays {
  assertFiniteArray(scores, 'scores');
  assertFiniteArray(labels, 'labels');
  const n = scores.length;
  if (labels.length !== n) throw new NnphysError(`labels must have the same length as scores (${n}), got length ${labels.length}`);
  let nS = 0;
  let nB = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new NnphysError(`labels[${i}] must be 0 (background) or 1 (signal), got ${y}`);
  }
  const weights = new Float64Array(n).fill(1);
  if (options?.weights !== undefined) {
    assertFiniteArray(options.weights, 'weights');
    if (options.weights.length !== n) throw new NnphysError(`weights must have the same length as scores (${n}), got length ${options.weights.length}`);
    for (let i = 0; i < n; i++) {
      const w = options.weights[i]!;
      if (w < 0) throw new NnphysError(`weights[${i}] must be >= 0, got ${w}`);
      weights[i] = w;
    }
  }
  for (let i = 0; i < n; i++) {
    if (weights[i]! > 0) {
      if (labels[i] === 1) nS++;
      else nB++;
    }
  }
  if (nS === 0) throw new NnphysError(`labels: no signal events (label 1) with weight > 0, got ${n} events`);
  if (nB === 0) throw new NnphysError(`labels: no background events (label 0) with weight > 0, got ${n} events`);
  const out: MetricArrays = { scores, labels, weights };
  if (mass !== undefined) {
    assertFiniteArray(mass, 'mass');
    if (mass.length !== n) throw new NnphysError(`mass must have the same length as scores (${n}), got length ${mass.length}`);
    out.mass = mass;
  }
  return out;
}

/** Checks a signal efficiency in (0, 1]. */
export function assertEfficiency(value: unknown): asserts value is number {
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) {
    throw new NnphysError(`efficiency must be a number in (0, 1], got ${String(value)}`);
  }
}

/**
 * Mass bin edges: a count gives equal-width bins spanning the background
 * masses; an array is taken as explicit ascending edges.
 */
export function massEdges(bins: unknown, mass: ArrayLike<number>, labels: ArrayLike<number>, weights: Float64Array): Float64Array {
  if (Array.isArray(bins) || ArrayBuffer.isView(bins)) {
    const e = bins as ArrayLike<number>;
    if (e.length < 2) throw new NnphysError(`bins given as edges must have at least 2 entries, got ${e.length}`);
    for (let i = 0; i < e.length; i++) {
      if (typeof e[i] !== 'number' || !Number.isFinite(e[i]!)) throw new NnphysError(`bins[${i}] must be a finite number, got ${String(e[i])}`);
      if (i > 0 && !(e[i]! > e[i - 1]!)) throw new NnphysError(`bins edges must be strictly ascending, got bins[${i - 1}] = ${e[i - 1]} and bins[${i}] = ${e[i]}`);
    }
    return Float64Array.from(e);
  }
  if (typeof bins !== 'number' || !Number.isInteger(bins) || bins <= 0) {
    throw new NnphysError(`bins must be a positive integer or an array of edges, got ${String(bins)}`);
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < mass.length; i++) {
    if (labels[i] !== 0 || weights[i] === 0) continue;
    lo = Math.min(lo, mass[i]!);
    hi = Math.max(hi, mass[i]!);
  }
  if (!(hi > lo)) hi = lo + 1;
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = lo + ((hi - lo) * b) / bins;
  edges[bins] = hi;
  return edges;
}

/** Bin of x for ascending edges (last bin closed), or -1 outside. */
export function binOf(x: number, edges: Float64Array): number {
  const K = edges.length - 1;
  if (x < edges[0]! || x > edges[K]!) return -1;
  if (x === edges[K]) return K - 1;
  let lo = 0;
  let hi = K;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x >= edges[mid]!) lo = mid;
    else hi = mid;
  }
  return lo;
}
