import { argsort } from '../argsort.js';
import { type MetricOptions, metricArrays } from './inputs.js';

export interface RocCurve {
  /** False-positive rates (background efficiency), ascending from 0 to 1. */
  fpr: number[];
  /** True-positive rates (signal efficiency), ascending from 0 to 1. */
  tpr: number[];
  /** Selection s >= threshold gives the point; the first point (0, 0) has threshold +Infinity. */
  thresholds: number[];
}

/** Weighted ROC curve, one point per distinct score (selection s >= threshold). */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>, options?: MetricOptions): RocCurve {
  const a = metricArrays(scores, labels, options);
  const order = argsort(Float64Array.from(a.scores));
  let totS = 0;
  let totB = 0;
  for (let i = 0; i < a.weights.length; i++) {
    if (a.labels[i] === 1) totS += a.weights[i]!;
    else totB += a.weights[i]!;
  }
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Number.POSITIVE_INFINITY];
  let s = 0;
  let b = 0;
  let r = order.length - 1;
  while (r >= 0) {
    const v = a.scores[order[r]!]!;
    while (r >= 0 && a.scores[order[r]!] === v) {
      const i = order[r]!;
      if (a.labels[i] === 1) s += a.weights[i]!;
      else b += a.weights[i]!;
      r--;
    }
    fpr.push(b / totB);
    tpr.push(s / totS);
    thresholds.push(v);
  }
  return { fpr, tpr, thresholds };
}

/**
 * Area under the ROC curve, the probability that a signal event scores above
 * a background event (ties count ½), weighted; O(n log n).
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>, options?: MetricOptions): number {
  const a = metricArrays(scores, labels, options);
  const order = argsort(Float64Array.from(a.scores));
  let totS = 0;
  let totB = 0;
  let below = 0; // background weight strictly below the current score
  let sum = 0;
  let r = 0;
  const n = order.length;
  while (r < n) {
    const v = a.scores[order[r]!]!;
    let gs = 0;
    let gb = 0;
    while (r < n && a.scores[order[r]!] === v) {
      const i = order[r]!;
      if (a.labels[i] === 1) gs += a.weights[i]!;
      else gb += a.weights[i]!;
      r++;
    }
    sum += gs * (below + 0.5 * gb);
    below += gb;
    totS += gs;
    totB += gb;
  }
  return sum / (totS * totB);
}
