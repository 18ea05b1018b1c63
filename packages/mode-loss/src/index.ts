// @nnphys/mode-loss: Moment Decomposition (MoDe), DisCo and flatness losses, and the metrics of resonance searches (004 ch. 3).
export { modeLoss, evaluateModeLoss, type ModeLossOptions, type ModeLossFn, type ModeEvaluation } from './mode_loss.js';
export { flatnessLoss } from './flatness_loss.js';
export type { BinnedLossOptions } from './options.js';
export type { ScoreBins } from './binned_cdf_loss.js';
export type { ProjectionMode } from './projection.js';
export { massBinning, mapMass, type MassBinning, type MassBinningOptions, type MassMap } from './mass_binning.js';
export { legendre } from './legendre.js';
export {
  distanceCorrelation,
  evaluateDistanceCorrelation,
  discoLoss,
  MAX_PAIRWISE_EVENTS,
  type DistanceCorrelationMethod,
  type DistanceCorrelationOptions,
  type DiscoLossOptions,
} from './distance_correlation.js';
export type { DistanceCorrelationTerms } from './distance_correlation_sorted.js';
export { rocCurve, auc, type RocCurve } from './metrics/roc.js';
export { thresholdAtEfficiency, rejectionAtEfficiency } from './metrics/efficiency.js';
export { jensenShannonBits, inverseJSD, falsePositiveRateByBin } from './metrics/mass_sculpting.js';
export type { MetricOptions } from './metrics/inputs.js';
