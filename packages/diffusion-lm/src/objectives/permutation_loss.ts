import * as tf from '@tensorflow/tfjs-core';
import { resolveRandom, segmentSum } from '@nnphys/core';
import type { TokensLike } from '../token_batch.js';
import { type TokenModel, assertTokenModel } from '../token_model.js';
import { selectedLogProbs } from './log_probs.js';
import { type MaskingOptions, readMaskableBatch } from './masked_objective.js';

/**
 * Permutation language modelling with every position predicted (004 eq. 7.4,
 * Jensen form; spec §2.1): for sigma ~ U(S_D),
 *   L_P = -sum_t log p(x_sigma(t) | x_sigma(<t)).
 * With a single-stack masked model each conditional needs its own masked
 * input, so a sequence of D maskable tokens becomes D rows (row t masks
 * sigma(>=t) and predicts sigma(t)): D times the cost of one MLM-U step.
 * E_sigma L_P equals the MLM-U loss of eq. 7.5 (same expectation, different
 * variance). Mean over the batch of nats per sequence.
 */
export function permutationLoss(model: TokenModel, tokens: TokensLike, options: MaskingOptions): tf.Scalar {
  assertTokenModel(model, 'permutationLoss', 'bidirectional');
  const { batch, maskable } = readMaskableBatch(model, tokens, options, 'permutationLoss');
  const rng = resolveRandom(options.seed);
  const { data, length } = batch;
  const rowsData: number[] = [];
  const targetRows: number[] = [];
  const targets: number[] = [];
  const segments: number[] = [];
  let expanded = 0;
  for (let b = 0; b < batch.batch; b++) {
    const positions = maskable[b] as number[];
    const order = rng.permutation(positions.length).map((i) => positions[i] as number);
    for (let t = 0; t < order.length; t++) {
      const row = Array.from(data.subarray(b * length, (b + 1) * length));
      for (let s = t; s < order.length; s++) row[order[s] as number] = options.maskToken;
      rowsData.push(...row);
      const tau = order[t] as number;
      targetRows.push(expanded * length + tau);
      targets.push(data[b * length + tau] as number);
      segments.push(b);
      expanded++;
    }
  }
  return tf.tidy(() => {
    if (expanded === 0) {
      const logits = model.apply(tf.tensor2d(data, [batch.batch, length], 'int32'));
      return tf.mul(tf.sum(logits), 0) as tf.Scalar;
    }
    const logits = model.apply(tf.tensor2d(Int32Array.from(rowsData), [expanded, length], 'int32'));
    const logp = selectedLogProbs(logits, Int32Array.from(targetRows), Int32Array.from(targets));
    const perSequence = segmentSum(tf.neg(logp), tf.tensor1d(Int32Array.from(segments), 'int32'), batch.batch);
    return tf.div(tf.sum(perSequence), batch.batch) as tf.Scalar;
  });
}
