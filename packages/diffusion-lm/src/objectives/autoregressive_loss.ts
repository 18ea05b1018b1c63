import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, segmentSum } from '@nnphys/core';
import { type TokensLike, readMask, readTokens } from '../token_batch.js';
import { type TokenModel, assertTokenId, assertTokenModel } from '../token_model.js';
import { selectedLogProbs } from './log_probs.js';

export interface AutoregressiveLossOptions {
  /** Targets equal to this id are not predicted (default: the model's padToken). */
  padToken?: number;
  /**
   * 0/1 per position [batch, length]: 1 where the token is a target (e.g. only the answer of a
   * question, as in the star-graph setup of 004 §7.4). Default: every token after the first.
   */
  targets?: tf.Tensor2D | readonly (readonly number[])[];
}

/**
 * Next-token prediction (004 eq. 7.1): -sum_{t>=1} log p(x_t | x_{<t}) with a
 * causal model whose logits at t - 1 predict token t. The first token of each
 * row (usually BOS) is context only; padding targets are skipped. Mean over
 * the batch of nats per sequence.
 */
export function autoregressiveLoss(model: TokenModel, tokens: TokensLike, options: AutoregressiveLossOptions = {}): tf.Scalar {
  assertTokenModel(model, 'autoregressiveLoss', 'causal');
  const batch = readTokens(tokens, 'autoregressiveLoss: tokens', model.vocabSize, model.maxLength);
  const pad = options.padToken ?? model.padToken ?? null;
  if (pad !== null) assertTokenId(pad, 'autoregressiveLoss: padToken', model);
  const { data, length } = batch;
  if (length < 2) throw new NnphysError(`autoregressiveLoss: sequences need at least 2 tokens (context + target), got length ${length}`);
  const targetMask = options.targets !== undefined ? readMask(options.targets, 'autoregressiveLoss: targets', batch.batch, length) : null;
  const rows: number[] = [];
  const targets: number[] = [];
  const segments: number[] = [];
  for (let b = 0; b < batch.batch; b++) {
    for (let t = 1; t < length; t++) {
      const v = data[b * length + t] as number;
      if (v === pad || (targetMask && targetMask[b * length + t] === 0)) continue;
      if (v >= model.outputs) throw new NnphysError(`autoregressiveLoss: tokens[${b}][${t}] = ${v} is a target but the model only predicts ids [0, ${model.outputs})`);
      rows.push(b * length + t - 1);
      targets.push(v);
      segments.push(b);
    }
  }
  return tf.tidy(() => {
    const logits = model.apply(tf.tensor2d(data, [batch.batch, length], 'int32'));
    if (rows.length === 0) return tf.mul(tf.sum(logits), 0) as tf.Scalar;
    const logp = selectedLogProbs(logits, Int32Array.from(rows), Int32Array.from(targets));
    const perSequence = segmentSum(tf.neg(logp), tf.tensor1d(Int32Array.from(segments), 'int32'), batch.batch);
    return tf.div(tf.sum(perSequence), batch.batch) as tf.Scalar;
  });
}
