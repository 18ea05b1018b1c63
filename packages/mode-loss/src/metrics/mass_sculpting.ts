import { NnphysError } from '@nnphys/core';
import { threshold } from './efficiency.js';
import { type MetricOptions, assertEfficiency, binOf, massEdges, metricArrays } from './inputs.js';

/**
 * Jensen-Shannon divergence in bits between two histograms (normalised here):
 * JSD = ½ KL(P‖M) + ½ KL(Q‖M), M = (P + Q)/2, with log base 2; in [0, 1].
 */
export function jensenShannonBits(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new NnphysError(`q must have the same length as p (${p.length}), got length ${q.length}`);
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    if (!(p[i]! >= 0 && Number.isFinite(p[i]!))) throw new NnphysError(`p[${i}] must be a finite count >= 0, got ${p[i]}`);
    if (!(q[i]! >= 0 && Number.isFinite(q[i]!))) throw new NnphysError(`q[${i}] must be a finite count >= 0, got ${q[i]}`);
    sp += p[i]!;
    sq += q[i]!;
  }
  if (!(sp > 0)) throw new NnphysError('p must have a positive total, got 0');
  if (!(sq > 0)) throw new NnphysError('q must have a positive total, got 0');
  let jsd = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]! / sp;
    const b = q[i]! / sq;
    const m = (a + b) / 2;
    if (a > 0) jsd += 0.5 * a * Math.log2(a / m);
    if (b > 0) jsd += 0.5 * b * Math.log2(b / m);
  }
  return Math.max(0, Math.min(1, jsd));
}

/**
 * Background weight per mass bin that passes / fails the threshold giving `efficiency` on the signal, and the
 * total, accumulated in event order (shared by inverseJSD and falsePositiveRateByBin).
 */
function backgroundByBin(
  scores: ArrayLike<number>,
  mass: ArrayLike<number>,
  labels: ArrayLike<number>,
  efficiency: number,
  bins: number | ArrayLike<number>,
  options: MetricOptions | undefined,
): { pass: Float64Array; fail: Float64Array; tot: Float64Array; t: number } {
  assertEfficiency(efficiency);
  const a = metricArrays(scores, labels, options, mass);
  const m = a.mass!;
  const edges = massEdges(bins, m, a.labels, a.weights);
  const t = threshold(a.scores, a.labels, a.weights, efficiency);
  const K = edges.length - 1;
  const pass = new Float64Array(K);
  const fail = new Float64Array(K);
  const tot = new Float64Array(K);
  for (let i = 0; i < m.length; i++) {
    if (a.labels[i] !== 0) continue;
    const b = binOf(m[i]!, edges);
    if (b < 0) continue;
    tot[b]! += a.weights[i]!;
    if (a.scores[i]! >= t) pass[b]! += a.weights[i]!;
    else fail[b]! += a.weights[i]!;
  }
  return { pass, fail, tot, t };
}

/**
 * 1/JSD between the background mass histograms passing and failing the
 * selection at the given signal efficiency (004 §3.3.2, after Kasieczka & Shih),
 * in bits. `bins`: a count of equal-width bins over the background mass range
 * (default 50) or explicit edges (recommended, so numbers compare across
 * models); background outside explicit edges is ignored. Infinity for
 * identical histograms.
 */
export function inverseJSD(
  scores: ArrayLike<number>,
  mass: ArrayLike<number>,
  labels: ArrayLike<number>,
  efficiency: number,
  bins: number | ArrayLike<number> = 50,
  options?: MetricOptions,
): number {
  const { pass, fail, t } = backgroundByBin(scores, mass, labels, efficiency, bins, options);
  if (!pass.some((v) => v > 0)) throw new NnphysError(`inverseJSD: no background event passes the selection at efficiency ${efficiency} (threshold ${t}), so the JSD is undefined`);
  if (!fail.some((v) => v > 0)) throw new NnphysError(`inverseJSD: every background event passes the selection at efficiency ${efficiency} (threshold ${t}), so the JSD is undefined`);
  return 1 / jensenShannonBits(pass, fail);
}

/**
 * False-positive rate per mass bin at a fixed signal efficiency (004 Figs. 3.3-3.5):
 * the threshold is set on all signal events, then the passing fraction of the
 * background is taken in each mass bin. `bins`: count of equal-width bins over
 * the background mass range, or explicit edges. A bin without background gives NaN.
 */
export function falsePositiveRateByBin(
  scores: ArrayLike<number>,
  mass: ArrayLike<number>,
  labels: ArrayLike<number>,
  efficiency: number,
  bins: number | ArrayLike<number>,
  options?: MetricOptions,
): number[] {
  const { pass, tot } = backgroundByBin(scores, mass, labels, efficiency, bins, options);
  return Array.from(pass, (p, b) => (tot[b]! > 0 ? p / tot[b]! : Number.NaN));
}

