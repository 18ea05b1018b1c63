import { argsort } from '../argsort.js';
import { type MetricOptions, assertEfficiency, metricArrays } from './inputs.js';

/**
 * The score threshold t whose selection s >= t keeps a (weighted) signal
 * fraction of at least `efficiency`: the highest t that does, i.e. the score of
 * the signal event at which the cumulative signal fraction, counted from the
 * top, first reaches `efficiency`. Every metric at a fixed signal efficiency
 * (R50, FPR per mass bin, JSD) uses this threshold.
 */
export function thresholdAtEfficiency(scores: ArrayLike<number>, labels: ArrayLike<number>, efficiency: number, options?: MetricOptions): number {
  assertEfficiency(efficiency);
  const a = metricArrays(scores, labels, options);
  return threshold(a.scores, a.labels, a.weights, efficiency);
}

export function threshold(scores: ArrayLike<number>, labels: ArrayLike<number>, weights: Float64Array, efficiency: number): number {
  const idx: number[] = [];
  let totS = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] === 1 && weights[i]! > 0) {
      idx.push(i);
      totS += weights[i]!;
    }
  }
  const sig = Float64Array.from(idx, (i) => scores[i]!);
  const order = argsort(sig);
  let cum = 0;
  // Relative slack so that e.g. 0.5 of an even count is reached despite rounding.
  const target = efficiency * totS * (1 - 1e-12);
  for (let r = order.length - 1; r >= 0; r--) {
    cum += weights[idx[order[r]!]!]!;
    if (cum >= target) return sig[order[r]!]!;
  }
  return sig[order[0]!]!;
}

/** Weighted fraction of background events with s >= t. */
export function falsePositiveRate(scores: ArrayLike<number>, labels: ArrayLike<number>, weights: Float64Array, t: number): number {
  let pass = 0;
  let tot = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 0) continue;
    tot += weights[i]!;
    if (scores[i]! >= t) pass += weights[i]!;
  }
  return pass / tot;
}

/**
 * Background rejection 1/FPR at a signal efficiency (R50 for efficiency 0.5,
 * 004 §3.3.2). Infinity when no background passes.
 */
export function rejectionAtEfficiency(scores: ArrayLike<number>, labels: ArrayLike<number>, efficiency: number, options?: MetricOptions): number {
  assertEfficiency(efficiency);
  const a = metricArrays(scores, labels, options);
  const t = threshold(a.scores, a.labels, a.weights, efficiency);
  return 1 / falsePositiveRate(a.scores, a.labels, a.weights, t);
}
