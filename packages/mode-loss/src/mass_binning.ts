import { NnphysError } from '@nnphys/core';
import { argsort } from './argsort.js';

/** How masses are mapped to m̃ ∈ [-1, 1] (spec §2.2). */
export type MassMap = 'range' | 'batch' | 'quantile';

export interface MassBinningOptions {
  /** Requested number of mass bins. */
  bins: number;
  /** Equal-occupancy bins (true, 004's dynamic binning) or equal-width bins in m̃ (false). */
  dynamicBins: boolean;
  /**
   * 'range': linear map with fixed bounds `massRange` (the default when a range is given);
   * 'batch': linear map with the batch min/max (the public MoDe code);
   * 'quantile': m̃ = 2·(rank + ½)/n − 1 within the batch (equal-occupancy bins then have equal widths).
   */
  map: MassMap;
  /** Bounds of the 'range' map. */
  massRange?: readonly [number, number];
}

/** The binning of one batch, in the m̃ coordinate. Bins are ordered by mass. */
export interface MassBinning {
  /** Bin of each event, in input order. */
  bin: Int32Array;
  /** Number of bins actually used (fewer than requested when tied masses or empty fixed bins are merged). */
  bins: number;
  /** Bin edges (bins + 1), partitioning [-1, 1]: edges[0] = -1, edges[bins] = 1. */
  edges: Float64Array;
  /** Edge-to-edge widths Δ_b; they sum to 2. */
  widths: Float64Array;
  /** Midpoints of the edges, m̃_b. */
  centres: Float64Array;
  /** Events per bin. */
  counts: Int32Array;
  /** m̃ of each event, in input order. */
  mapped: Float64Array;
}

/** Maps masses to m̃ ∈ [-1, 1] (spec §2.2). Throws if a mass is outside `massRange` or the batch has no spread. */
export function mapMass(mass: Float32Array | Float64Array, map: MassMap, massRange?: readonly [number, number], order?: Uint32Array): Float64Array {
  const n = mass.length;
  const out = new Float64Array(n);
  if (map === 'range') {
    if (massRange === undefined) throw new NnphysError(`massRange is required when massMap is 'range', got undefined`);
    const [lo, hi] = massRange;
    for (let i = 0; i < n; i++) {
      const m = mass[i]!;
      if (!(m >= lo && m <= hi)) throw new NnphysError(`mass[${i}] must lie in massRange [${lo}, ${hi}], got ${m}`);
      out[i] = (2 * (m - lo)) / (hi - lo) - 1;
    }
    return out;
  }
  if (map === 'batch') {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const m = mass[i]!;
      if (m < lo) lo = m;
      if (m > hi) hi = m;
    }
    if (!(hi > lo)) {
      throw new NnphysError(`mass must vary within the batch for the per-batch map (massMap 'batch'), got every mass equal to ${lo}; pass massRange or use massMap 'quantile'`);
    }
    for (let i = 0; i < n; i++) out[i] = Math.min(1, Math.max(-1, (2 * (mass[i]! - lo)) / (hi - lo) - 1));
    return out;
  }
  // quantile map: average rank for ties, so equal masses get equal m̃.
  const idx = order ?? argsort(mass);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    const v = mass[idx[start]!]!;
    while (end < n && mass[idx[end]!] === v) end++;
    const rank = (start + end - 1) / 2;
    const q = (2 * (rank + 0.5)) / n - 1;
    for (let k = start; k < end; k++) out[idx[k]!] = q;
    start = end;
  }
  return out;
}

/**
 * Bins a batch of masses (spec §2.2). Equal-occupancy bins keep every event:
 * boundaries sit at floor(b·n/K), so occupancies differ by at most one; a
 * boundary that would split tied masses moves to the nearer end of the tie
 * run, and bins left empty by that are merged. Fixed-width bins that are
 * empty in the batch are merged into their neighbours (the empty gap is split
 * at its midpoint), so the edges always partition [-1, 1] and ΣΔ_b = 2.
 */
export function massBinning(mass: Float32Array | Float64Array, options: MassBinningOptions): MassBinning {
  const n = mass.length;
  const order = argsort(mass);
  const mapped = mapMass(mass, options.map, options.massRange, order);
  const K = options.bins;
  const bin = new Int32Array(n);
  let edges: number[];
  if (options.dynamicBins) {
    // Tie runs in sorted order: runStart[k], runEnd[k] for position k.
    const runStart = new Uint32Array(n);
    const runEnd = new Uint32Array(n);
    let s = 0;
    while (s < n) {
      let e = s + 1;
      while (e < n && mass[order[e]!] === mass[order[s]!]) e++;
      for (let k = s; k < e; k++) {
        runStart[k] = s;
        runEnd[k] = e;
      }
      s = e;
    }
    const cuts: number[] = [];
    for (let b = 1; b < K; b++) {
      let p = Math.floor((b * n) / K);
      if (p <= 0 || p >= n) continue;
      if (runStart[p]! !== p) {
        const s0 = runStart[p]!;
        const e0 = runEnd[p]!;
        p = p - s0 < e0 - p ? s0 : e0;
      }
      if (p <= 0 || p >= n) continue;
      if (cuts.length === 0 || p > cuts[cuts.length - 1]!) cuts.push(p);
    }
    edges = [-1];
    for (const p of cuts) edges.push((mapped[order[p - 1]!]! + mapped[order[p]!]!) / 2);
    edges.push(1);
    let b = 0;
    for (let k = 0; k < n; k++) {
      while (b < cuts.length && k >= cuts[b]!) b++;
      bin[order[k]!] = b;
    }
  } else {
    const raw = new Int32Array(n);
    const rawCounts = new Int32Array(K);
    for (let i = 0; i < n; i++) {
      const k = Math.min(K - 1, Math.max(0, Math.floor(((mapped[i]! + 1) / 2) * K)));
      raw[i] = k;
      rawCounts[k]!++;
    }
    const relabel = new Int32Array(K).fill(-1);
    const used: number[] = [];
    for (let k = 0; k < K; k++) if (rawCounts[k]! > 0) relabel[k] = used.push(k) - 1;
    const fixedEdge = (k: number) => -1 + (2 * k) / K;
    edges = [-1];
    for (let j = 1; j < used.length; j++) {
      // Edge between used bins a < b: the original edge if adjacent, else the middle of the empty gap.
      edges.push((fixedEdge(used[j - 1]! + 1) + fixedEdge(used[j]!)) / 2);
    }
    edges.push(1);
    for (let i = 0; i < n; i++) bin[i] = relabel[raw[i]!]!;
  }
  const bins = edges.length - 1;
  const edgesArr = Float64Array.from(edges);
  const widths = new Float64Array(bins);
  const centres = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    widths[b] = edgesArr[b + 1]! - edgesArr[b]!;
    centres[b] = (edgesArr[b + 1]! + edgesArr[b]!) / 2;
  }
  const counts = new Int32Array(bins);
  for (let i = 0; i < n; i++) counts[bin[i]!]!++;
  return { bin, bins, edges: edgesArr, widths, centres, counts, mapped };
}
