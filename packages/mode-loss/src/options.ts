import { NnphysError, assertOneOf, assertPositiveInteger } from '@nnphys/core';
import type { ScoreBins } from './binned_cdf_loss.js';
import type { MassMap } from './mass_binning.js';

/** Options shared by the binned-CDF losses (MoDe and flatness). */
export interface BinnedLossOptions {
  /** Number of mass bins (default 32, as the public MoDe code). */
  bins?: number;
  /**
   * Points of the s-integral of the forward value, or 'exact' (default): the
   * exact integral of the step-function CDFs, which is the limit of many points
   * and costs no more. The gradient does not depend on it (004 §3.2.4).
   */
  sbins?: ScoreBins;
  /** Apply the loss to background events (label 0) only (default true). */
  backgroundOnly?: boolean;
  /** Equal-occupancy mass bins (default true) or equal-width bins in m̃. */
  dynamicBins?: boolean;
  /** Mass map to m̃ ∈ [-1, 1]: 'range' (default when massRange is given), 'batch' (default otherwise), 'quantile'. */
  massMap?: MassMap;
  /** Fixed dataset-level mass bounds for the 'range' map. */
  massRange?: [number, number];
  /** Interval of the s-integral; every score entering the loss must lie in it (default [0, 1], sigmoid outputs). */
  scoreRange?: [number, number];
}

export interface ResolvedBinnedLossOptions {
  bins: number;
  sbins: ScoreBins;
  backgroundOnly: boolean;
  dynamicBins: boolean;
  massMap: MassMap;
  massRange?: readonly [number, number];
  scoreRange: readonly [number, number];
}

function assertInterval(value: unknown, name: string): asserts value is [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v)) || !(value[0] < value[1])) {
    throw new NnphysError(`${name} must be [lo, hi] with finite lo < hi, got ${JSON.stringify(value)}`);
  }
}

export function resolveBinnedLossOptions(options: BinnedLossOptions): ResolvedBinnedLossOptions {
  const bins = options.bins ?? 32;
  assertPositiveInteger(bins, 'bins');
  const sbins = options.sbins ?? 'exact';
  if (sbins !== 'exact') assertPositiveInteger(sbins, 'sbins');
  const backgroundOnly = options.backgroundOnly ?? true;
  if (typeof backgroundOnly !== 'boolean') throw new NnphysError(`backgroundOnly must be a boolean, got ${String(backgroundOnly)}`);
  const dynamicBins = options.dynamicBins ?? true;
  if (typeof dynamicBins !== 'boolean') throw new NnphysError(`dynamicBins must be a boolean, got ${String(dynamicBins)}`);
  if (options.massRange !== undefined) assertInterval(options.massRange, 'massRange');
  const massMap = options.massMap ?? (options.massRange !== undefined ? 'range' : 'batch');
  assertOneOf(massMap, 'massMap', ['range', 'batch', 'quantile'] as const);
  if (massMap === 'range' && options.massRange === undefined) throw new NnphysError(`massRange is required when massMap is 'range', got undefined`);
  const scoreRange = options.scoreRange ?? [0, 1];
  assertInterval(scoreRange, 'scoreRange');
  return {
    bins,
    sbins,
    backgroundOnly,
    dynamicBins,
    massMap,
    ...(options.massRange !== undefined ? { massRange: [options.massRange[0], options.massRange[1]] as const } : {}),
    scoreRange: [scoreRange[0], scoreRange[1]],
  };
}
