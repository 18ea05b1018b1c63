import { NnphysError, type Random } from '@nnphys/core';

/** Which MLM-U estimator to use (spec §2.2); both have expectation eq. 7.5. */
export type MlmUEstimator = 'subset' | 'bernoulli';

/** One masking draw for one sequence: the masked slots (indices into the maskable positions) and the loss weight. */
export interface MaskDraw {
  masked: number[];
  weight: number;
}

/**
 * Weight of the subset estimator for k of D tokens masked: D / k, so that
 * E_k[(D/k) sum_{tau in M} l] with k ~ U{1..D} equals eq. 7.5 (spec §2.2).
 */
export function mlmUWeight(d: number, k: number): number {
  return d / k;
}

/** A uniformly random subset of size k of {0..d-1} (partial Fisher-Yates), sorted. */
export function randomSubset(d: number, k: number, rng: Random): number[] {
  const idx = Array.from({ length: d }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(d - i);
    const tmp = idx[i] as number;
    idx[i] = idx[j] as number;
    idx[j] = tmp;
  }
  return idx.slice(0, k).sort((a, b) => a - b);
}

/**
 * MLM-U masking of a sequence with d maskable tokens (eq. 7.5):
 * - 'subset' (default): k ~ U{1..d}, a uniform subset of size k, weight d/k (bounded by d);
 * - 'bernoulli': r ~ U(0,1), each token masked with probability r, weight 1/r.
 *   Same expectation (int_0^1 (1/r) C(d,k) r^k (1-r)^(d-k) dr = 1/k), but
 *   draws with no masked token carry no signal and the variance is infinite
 *   (one masked token at small r contributes ~ 1/r with probability ~ d r).
 */
export function drawMlmUMask(d: number, rng: Random, estimator: MlmUEstimator = 'subset'): MaskDraw {
  if (d === 0) return { masked: [], weight: 0 };
  if (estimator === 'subset') {
    const k = 1 + rng.int(d);
    return { masked: randomSubset(d, k, rng), weight: mlmUWeight(d, k) };
  }
  if (estimator === 'bernoulli') {
    // 1 - uniform() lies in (0, 1], so the weight is finite.
    const r = 1 - rng.uniform();
    const masked: number[] = [];
    for (let i = 0; i < d; i++) if (rng.uniform() < r) masked.push(i);
    return { masked, weight: masked.length > 0 ? 1 / r : 0 };
  }
  throw new NnphysError(`mlmULoss: estimator must be 'subset' or 'bernoulli', got ${JSON.stringify(estimator)}`);
}

/**
 * Fixed-rate MLM masking (spec §2.3 decision): exactly max(1, round(rate d))
 * uniformly chosen tokens, no random-token replacement, weight d/k as in
 * MLM-U so that the only difference from MLM-U is the distribution of k.
 */
export function drawFixedRateMask(d: number, rate: number, rng: Random): MaskDraw {
  if (d === 0) return { masked: [], weight: 0 };
  const k = Math.min(d, Math.max(1, Math.round(rate * d)));
  return { masked: randomSubset(d, k, rng), weight: mlmUWeight(d, k) };
}
