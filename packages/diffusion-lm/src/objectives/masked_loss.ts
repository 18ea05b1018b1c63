import type * as tf from '@tensorflow/tfjs-core';
import { assertInRange, resolveRandom } from '@nnphys/core';
import type { TokensLike } from '../token_batch.js';
import { type TokenModel, assertTokenModel } from '../token_model.js';
import { type MaskingOptions, maskedObjective, readMaskableBatch } from './masked_objective.js';
import { drawFixedRateMask } from './masking.js';

export interface MaskedLossOptions extends MaskingOptions {
  /** Masking rate r in (0, 1]: exactly max(1, round(r D)) tokens are masked per sequence. */
  rate: number;
}

/**
 * Fixed-rate masked language modelling (BERT-like "MLM r" of 004 §7.3):
 * exactly max(1, round(r D)) uniformly chosen tokens are replaced by the mask
 * token (no random-token replacement) and predicted, with weight D/k like
 * MLM-U so that the two objectives differ only in the distribution of k
 * (spec §2.3). Mean over the batch of nats per sequence.
 */
export function maskedLoss(model: TokenModel, tokens: TokensLike, options: MaskedLossOptions): tf.Scalar {
  assertTokenModel(model, 'maskedLoss', 'bidirectional');
  const input = readMaskableBatch(model, tokens, options, 'maskedLoss');
  assertInRange(options.rate, 'maskedLoss: rate', Number.MIN_VALUE, 1);
  const rng = resolveRandom(options.seed);
  const draws = input.maskable.map((positions) => drawFixedRateMask(positions.length, options.rate, rng));
  return maskedObjective(model, input, options.maskToken, draws);
}
