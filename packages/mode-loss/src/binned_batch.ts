import { NnphysError } from '@nnphys/core';
import { argsort } from './argsort.js';
import type { BinnedCdfProblem } from './binned_cdf_loss.js';
import { type MassBinning, type MassMap, massBinning } from './mass_binning.js';
import type { Projection } from './projection.js';

/** A batch as plain arrays (read from tensors, or given by the user). */
export interface BatchArrays {
  scores: Float32Array | Float64Array;
  mass: Float32Array | Float64Array;
  labels: ArrayLike<number>;
  weights?: ArrayLike<number>;
}

export interface BinnedBatchOptions {
  bins: number;
  dynamicBins: boolean;
  massMap: MassMap;
  massRange?: readonly [number, number];
  backgroundOnly: boolean;
  scoreRange: readonly [number, number];
  /** Fewest bins the loss can work with (order + 1 for MoDe); more are needed after tie merging. */
  minBins: number;
  /** Name of the loss, for error messages. */
  what: string;
}

/** A batch selected, binned in mass and sorted by score, before the projection is chosen. */
export interface BinnedBatch {
  binning: MassBinning;
  /** Sum of weights per bin, w_b (004 eq. 3.21). */
  binWeights: Float64Array;
  /** Everything of the problem except the projection. */
  problem: Omit<BinnedCdfProblem, 'projection'>;
}

/**
 * Validates a batch, keeps the events the loss applies to (background only by
 * default; events of weight 0 carry nothing and are left out), bins them in
 * mass and sorts them by score. Every kept event enters the loss: nothing is
 * dropped to make the batch divisible by the bin count.
 */
export function prepareBinnedBatch(batch: BatchArrays, options: BinnedBatchOptions): BinnedBatch {
  const { scores, mass, labels, weights } = batch;
  const n = scores.length;
  if (mass.length !== n) throw new NnphysError(`mass must have the same length as scores (${n}), got length ${mass.length}`);
  if (labels.length !== n) throw new NnphysError(`labels must have the same length as scores (${n}), got length ${labels.length}`);
  if (weights !== undefined && weights.length !== n) throw new NnphysError(`weights must have the same length as scores (${n}), got length ${weights.length}`);
  const [lo, hi] = options.scoreRange;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (y !== 0 && y !== 1) throw new NnphysError(`labels[${i}] must be 0 (background) or 1 (signal), got ${y}`);
    const w = weights === undefined ? 1 : weights[i]!;
    if (!(Number.isFinite(w) && w >= 0)) throw new NnphysError(`weights[${i}] must be a finite number >= 0, got ${w}`);
    if (options.backgroundOnly && y !== 0) continue;
    if (w === 0) continue;
    const s = scores[i]!;
    if (!(s >= lo && s <= hi)) {
      throw new NnphysError(`scores[${i}] must lie in scoreRange [${lo}, ${hi}] (the CDFs are integrated over it), got ${s}`);
    }
    if (!Number.isFinite(mass[i]!)) throw new NnphysError(`mass[${i}] must be a finite number, got ${mass[i]}`);
    keep.push(i);
  }
  const m = keep.length;
  const selection = options.backgroundOnly ? 'background events (label 0) with weight > 0' : 'events with weight > 0';
  if (m === 0) throw new NnphysError(`${options.what}: the batch has no ${selection}, got ${n} events`);
  if (options.bins > m) {
    throw new NnphysError(`bins (${options.bins}) must not exceed the number of ${selection} in the batch, got ${m}`);
  }
  const Arr = scores instanceof Float32Array ? Float32Array : Float64Array;
  const usedScores = new Arr(m);
  const usedMass = new (mass instanceof Float32Array ? Float32Array : Float64Array)(m);
  const usedWeights = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const i = keep[k]!;
    usedScores[k] = scores[i]!;
    usedMass[k] = mass[i]!;
    usedWeights[k] = weights === undefined ? 1 : weights[i]!;
  }
  const binning = massBinning(usedMass, {
    bins: options.bins,
    dynamicBins: options.dynamicBins,
    map: options.massMap,
    ...(options.massRange !== undefined ? { massRange: options.massRange } : {}),
  });
  if (binning.bins < options.minBins) {
    throw new NnphysError(
      `${options.what} needs at least ${options.minBins} mass bins with events, got ${binning.bins} (of ${options.bins} requested; tied masses and empty fixed bins are merged)`,
    );
  }
  const binWeights = new Float64Array(binning.bins);
  for (let k = 0; k < m; k++) binWeights[binning.bin[k]!]! += usedWeights[k]!;
  const order = argsort(usedScores);
  const index = new Uint32Array(m);
  const score = new Float64Array(m);
  const bin = new Int32Array(m);
  const share = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const k = order[r]!;
    index[r] = keep[k]!;
    score[r] = usedScores[k]!;
    const b = binning.bin[k]!;
    bin[r] = b;
    share[r] = usedWeights[k]! / binWeights[b]!; // w_i / w_b (004 eq. 3.22)
  }
  return { binning, binWeights, problem: { size: n, index, score, bin, share, scoreRange: options.scoreRange } };
}

/** Attaches a projection. */
export function withProjection(batch: BinnedBatch, projection: Projection): BinnedCdfProblem {
  return { ...batch.problem, projection };
}
