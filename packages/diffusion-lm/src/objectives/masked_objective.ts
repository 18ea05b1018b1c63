import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, type Random, segmentSum } from '@nnphys/core';
import { type TokenBatch, type TokensLike, readMask, readTokens } from '../token_batch.js';
import { type TokenModel, assertTokenId } from '../token_model.js';
import { selectedLogProbs } from './log_probs.js';
import type { MaskDraw } from './masking.js';

/** Options shared by the masked objectives (fixed-rate MLM, MLM-U, PLM). */
export interface MaskingOptions {
  /** Id fed in place of a masked token. Must be in the model's vocabulary and absent from the data. */
  maskToken: number;
  /** Seed or generator for the masks (default: core's global generator). */
  seed?: number | Random;
  /** Padding id: never masked, not counted in D (default: the model's padToken). */
  padToken?: number;
  /** Token ids never masked and not counted in D (e.g. BOS). */
  keepTokens?: number[];
  /** 0/1 per position [batch, length]: 1 where a token may be masked (and counts in D). Combined with padToken and keepTokens. */
  maskable?: tf.Tensor2D | readonly (readonly number[])[];
}

/** Tokens checked against the model plus, per sequence, the positions that count in D. */
export interface MaskableBatch {
  batch: TokenBatch;
  maskable: number[][];
}

export function readMaskableBatch(model: TokenModel, tokens: TokensLike, options: MaskingOptions, fn: string): MaskableBatch {
  if (options == null || typeof options !== 'object') throw new NnphysError(`${fn}: options { maskToken, ... } are required`);
  assertTokenId(options.maskToken, `${fn}: maskToken`, model, 'is the mask token missing from the tokenizer? use a tokenizer with a mask special');
  const batch = readTokens(tokens, `${fn}: tokens`, model.vocabSize, model.maxLength);
  const pad = options.padToken ?? model.padToken ?? null;
  if (pad !== null) assertTokenId(pad, `${fn}: padToken`, model);
  const keep = new Set(options.keepTokens ?? []);
  for (const k of keep) assertTokenId(k, `${fn}: keepTokens[]`, model);
  const allowed = options.maskable !== undefined ? readMask(options.maskable, `${fn}: maskable`, batch.batch, batch.length) : null;
  const maskable: number[][] = [];
  const { data, length } = batch;
  for (let b = 0; b < batch.batch; b++) {
    const row: number[] = [];
    for (let t = 0; t < length; t++) {
      const v = data[b * length + t] as number;
      if (v === options.maskToken) throw new NnphysError(`${fn}: tokens[${b}][${t}] is already the mask token ${options.maskToken}; the data must not contain it`);
      if (v === pad || keep.has(v) || (allowed && allowed[b * length + t] === 0)) continue;
      if (v >= model.outputs) throw new NnphysError(`${fn}: tokens[${b}][${t}] = ${v} can be masked but the model only predicts ids [0, ${model.outputs}); add it to keepTokens or widen the model's outputs`);
      row.push(t);
    }
    maskable.push(row);
  }
  return { batch, maskable };
}

/**
 * sum_b weight_b sum_{tau in M_b} -log p(x_tau | x_unmasked) / batch: the
 * masked tokens are replaced by `maskToken`, the model predicts them, and each
 * sequence's NLL is summed before it is weighted (spec §6: large D/k weights
 * would otherwise amplify float32 rounding). Nats per sequence.
 */
export function maskedObjective(model: TokenModel, input: MaskableBatch, maskToken: number, draws: MaskDraw[]): tf.Scalar {
  const { batch, maskable } = input;
  const { length } = batch;
  const masked = Int32Array.from(batch.data);
  const rows: number[] = [];
  const targets: number[] = [];
  const segments: number[] = [];
  const weights = new Float32Array(batch.batch);
  for (let b = 0; b < batch.batch; b++) {
    const draw = draws[b] as MaskDraw;
    weights[b] = draw.weight;
    for (const slot of draw.masked) {
      const t = (maskable[b] as number[])[slot] as number;
      const flat = b * length + t;
      masked[flat] = maskToken;
      rows.push(flat);
      targets.push(batch.data[flat] as number);
      segments.push(b);
    }
  }
  return tf.tidy(() => {
    const logits = model.apply(tf.tensor2d(masked, [batch.batch, length], 'int32'));
    // Nothing masked in the whole batch (possible with the Bernoulli estimator):
    // a zero that stays connected to the parameters, so optimizers do not fail.
    if (rows.length === 0) return tf.mul(tf.sum(logits), 0) as tf.Scalar;
    const logp = selectedLogProbs(logits, Int32Array.from(rows), Int32Array.from(targets));
    const perSequence = segmentSum(tf.neg(logp), tf.tensor1d(Int32Array.from(segments), 'int32'), batch.batch);
    return tf.div(tf.sum(tf.mul(perSequence, tf.tensor1d(weights))), batch.batch) as tf.Scalar;
  });
}
