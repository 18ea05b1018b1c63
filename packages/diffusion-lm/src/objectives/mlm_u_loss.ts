import type * as tf from '@tensorflow/tfjs-core';
import { NnphysError, resolveRandom } from '@nnphys/core';
import type { TokensLike } from '../token_batch.js';
import { type TokenModel, assertTokenModel } from '../token_model.js';
import { type MaskingOptions, maskedObjective, readMaskableBatch } from './masked_objective.js';
import { type MlmUEstimator, drawMlmUMask } from './masking.js';

export interface MlmUOptions extends MaskingOptions {
  /** 'subset' (default: k ~ U{1..D}, weight D/k) or 'bernoulli' (r ~ U(0,1), weight 1/r). */
  estimator?: MlmUEstimator;
}

/**
 * Uniform-rate masked language modelling, MLM-U (004 eq. 7.5; absorbing-state
 * discrete diffusion, Kitouni et al. 2024, L_CT of Austin et al. 2021):
 *   L = -E_sigma E_{t ~ U{1..D}} D / (D - t + 1) sum_{tau in sigma(>=t)} log p(x_tau | x_sigma(<t)),
 * estimated per sequence by masking a uniformly random subset of k ~ U{1..D}
 * tokens with weight D/k (spec §2.2). Unbiased for eq. 7.5; mean over the
 * batch of nats per sequence (divide by D for nats per token).
 */
export function mlmULoss(model: TokenModel, tokens: TokensLike, options: MlmUOptions): tf.Scalar {
  assertTokenModel(model, 'mlmULoss', 'bidirectional');
  const input = readMaskableBatch(model, tokens, options, 'mlmULoss');
  const estimator = options.estimator ?? 'subset';
  if (estimator !== 'subset' && estimator !== 'bernoulli') throw new NnphysError(`mlmULoss: estimator must be 'subset' or 'bernoulli', got ${JSON.stringify(estimator)}`);
  const rng = resolveRandom(options.seed);
  const draws = input.maskable.map((positions) => drawMlmUMask(positions.length, rng, estimator));
  return maskedObjective(model, input, options.maskToken, draws);
}
