import { prepareBinnedBatch, withProjection } from './binned_batch.js';
import { binnedCdfGradient, binnedCdfLoss } from './binned_cdf_loss.js';
import { customScalar } from './custom_scalar.js';
import type { ModeLossFn } from './mode_loss.js';
import { type BinnedLossOptions, resolveBinnedLossOptions } from './options.js';
import { flatnessProjection } from './projection.js';
import { readBatch } from './read_batch.js';

/**
 * The flatness loss (Rogozhnikov et al., 004 §3.2.1; sign corrected in spec §2.1):
 *   L_flat = Σ_m f_m ∫ |F_m(s) - F(s)|² ds,
 * f_m the (weighted) fraction of events in mass bin m and F the global CDF.
 * A baseline for MoDe[0]: with equal-width, equal-occupancy bins L^0 = bins · L_flat.
 * Same binning options, same analytic gradient (spec §2.4 with bin weights f_m).
 */
export function flatnessLoss(options: BinnedLossOptions = {}): ModeLossFn {
  const o = resolveBinnedLossOptions(options);
  return (scores, mass, labels, weights) => {
    const prepared = prepareBinnedBatch(readBatch(scores, mass, labels, weights), {
      bins: o.bins,
      dynamicBins: o.dynamicBins,
      massMap: o.massMap,
      ...(o.massRange !== undefined ? { massRange: o.massRange } : {}),
      backgroundOnly: o.backgroundOnly,
      scoreRange: o.scoreRange,
      minBins: 1,
      what: 'the flatness loss',
    });
    let total = 0;
    for (const w of prepared.binWeights) total += w;
    const problem = withProjection(prepared, flatnessProjection(prepared.binWeights.map((w) => w / total)));
    return customScalar([scores], binnedCdfLoss(problem, o.sbins), () => [binnedCdfGradient(problem)]);
  };
}
