import type * as tf from '@tensorflow/tfjs-core';
import { NnphysError, assertNonNegativeInteger, assertOneOf, assertPositiveNumber } from '@nnphys/core';
import { type BatchArrays, prepareBinnedBatch, withProjection } from './binned_batch.js';
import { type BinnedCdfProblem, binnedCdfGradient, binnedCdfLoss } from './binned_cdf_loss.js';
import { customScalar } from './custom_scalar.js';
import type { MassBinning } from './mass_binning.js';
import { type BinnedLossOptions, type ResolvedBinnedLossOptions, resolveBinnedLossOptions } from './options.js';
import { type ProjectionMode, legendreProjection } from './projection.js';
import { readBatch } from './read_batch.js';

export interface ModeLossOptions extends BinnedLossOptions {
  /** Legendre order ℓ of the allowed mass dependence: 0 = independence, 1 = linear, 2 = quadratic, any ℓ >= 0. */
  order: number;
  /** c_1^max of eq. 3.12: caps |c_1(s)| at maxSlope·c_0(s) (thesis form, relative to c_0). Needs order >= 1. */
  maxSlope?: number;
  /** Monotone quadratic dependence, eq. 3.13 (applied after the slope cap). Needs order 2. */
  monotonic?: boolean;
  /** 'quadrature' (default, 004 eq. 3.11) or 'leastSquares' (idempotent; exact for polynomial CDFs). */
  projection?: ProjectionMode;
  /** 'sum' over mass bins (default, as 004 eq. 3.9) or 'mean' (= sum / bins; λ_mean = bins·λ_sum). */
  reduction?: 'sum' | 'mean';
}

/** A MoDe loss: (scores, mass, labels, weights?) -> scalar, differentiable in scores. */
export type ModeLossFn = (scores: tf.Tensor1D, mass: tf.Tensor1D, labels: tf.Tensor1D, weights?: tf.Tensor1D) => tf.Scalar;

interface ResolvedModeOptions extends ResolvedBinnedLossOptions {
  order: number;
  maxSlope?: number;
  monotonic: boolean;
  projection: ProjectionMode;
  reduction: 'sum' | 'mean';
}

function resolveModeOptions(options: ModeLossOptions): ResolvedModeOptions {
  if (options === null || typeof options !== 'object') throw new NnphysError(`modeLoss options must be an object with at least { order }, got ${String(options)}`);
  assertNonNegativeInteger(options.order, 'order');
  const base = resolveBinnedLossOptions(options);
  const order = options.order;
  if (options.maxSlope !== undefined) {
    assertPositiveNumber(options.maxSlope, 'maxSlope');
    if (order < 1) throw new NnphysError(`maxSlope caps the linear moment c_1 (eq. 3.12) and needs order >= 1, got order ${order}`);
  }
  const monotonic = options.monotonic ?? false;
  if (typeof monotonic !== 'boolean') throw new NnphysError(`monotonic must be a boolean, got ${String(monotonic)}`);
  if (monotonic && order !== 2) {
    throw new NnphysError(`monotonic (eq. 3.13, 3|c_2| <= |c_1|) guarantees monotonicity only for a quadratic and needs order 2, got order ${order}`);
  }
  const projection = options.projection ?? 'quadrature';
  assertOneOf(projection, 'projection', ['quadrature', 'leastSquares'] as const);
  const reduction = options.reduction ?? 'sum';
  assertOneOf(reduction, 'reduction', ['sum', 'mean'] as const);
  return { ...base, order, ...(options.maxSlope !== undefined ? { maxSlope: options.maxSlope } : {}), monotonic, projection, reduction };
}

function buildProblem(batch: BatchArrays, o: ResolvedModeOptions): { problem: BinnedCdfProblem; binning: MassBinning } {
  const prepared = prepareBinnedBatch(batch, {
    bins: o.bins,
    dynamicBins: o.dynamicBins,
    massMap: o.massMap,
    ...(o.massRange !== undefined ? { massRange: o.massRange } : {}),
    backgroundOnly: o.backgroundOnly,
    scoreRange: o.scoreRange,
    minBins: o.order + 1,
    what: `MoDe of order ${o.order}`,
  });
  const K = prepared.binning.bins;
  const projection = legendreProjection(prepared.binning.centres, prepared.binning.widths, o.order, o.projection, o.reduction === 'sum' ? 1 : 1 / K, {
    ...(o.maxSlope !== undefined ? { maxSlope: o.maxSlope } : {}),
    monotonic: o.monotonic,
  });
  return { problem: withProjection(prepared, projection), binning: prepared.binning };
}

/**
 * Moment Decomposition loss of 004 §3.2 (Kitouni et al.), any Legendre order:
 *   L^ℓ = Σ_m ∫ |F_m(s) - F^ℓ_m(s)|² ds                      (eq. 3.9)
 * with weighted binned CDFs F_m (eqs. 3.20-3.21), Legendre moments (eq. 3.11),
 * optional slope cap (eq. 3.12) and monotone quadratic (eq. 3.13), and the
 * analytic gradient of §3.2.4 through tf.customGrad.
 *
 * The loss and its gradient are computed in float64 plain JS from the tensor
 * data (tfjs has no sort and Θ has no useful autodiff gradient); only `scores`
 * receives a gradient. Add it to the classification loss as L = L_class + λ L^ℓ.
 */
export function modeLoss(options: ModeLossOptions): ModeLossFn {
  const o = resolveModeOptions(options);
  return (scores, mass, labels, weights) => {
    const { problem } = buildProblem(readBatch(scores, mass, labels, weights), o);
    // Only the scores are inputs of the custom gradient; mass, labels and weights are data.
    return customScalar([scores], binnedCdfLoss(problem, o.sbins), () => [binnedCdfGradient(problem)]);
  };
}

/** The MoDe value, its gradient with respect to every score and the binning, in float64 from plain arrays. */
export interface ModeEvaluation {
  loss: number;
  /** ∂L/∂s_i for every event (0 for events that do not enter the loss). */
  gradient: Float64Array;
  binning: MassBinning;
}

/**
 * Evaluates MoDe on plain arrays in float64 (for full-dataset monitoring,
 * inspection of the binning, or use outside tfjs). Same options as modeLoss.
 */
export function evaluateModeLoss(
  scores: ArrayLike<number>,
  mass: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  options: ModeLossOptions,
): ModeEvaluation {
  const o = resolveModeOptions(options);
  const batch: BatchArrays = {
    scores: scores instanceof Float32Array ? scores : Float64Array.from(scores),
    mass: mass instanceof Float32Array ? mass : Float64Array.from(mass),
    labels,
    ...(weights !== undefined ? { weights } : {}),
  };
  const { problem, binning } = buildProblem(batch, o);
  return { loss: binnedCdfLoss(problem, o.sbins), gradient: binnedCdfGradient(problem), binning };
}
