import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, type Random, assertNonNegativeInteger, assertOneOf, resolveRandom } from '@nnphys/core';
import { argmaxLogit, categoricalProbabilities, sampleCategorical } from './sampling.js';
import { type TokenModel, assertTokenId, assertTokenModel } from './token_model.js';

export type GenerationOrder = 'left-to-right' | 'random' | 'confidence';
export const generationOrders: readonly GenerationOrder[] = ['left-to-right', 'random', 'confidence'];

export interface GenerateBatchOptions {
  /** Prompts, all of the same length (may be empty for a bidirectional model). */
  prompts: readonly (readonly number[])[];
  /** Number of tokens to generate after each prompt. */
  length: number;
  /**
   * Which masked position is filled next (bidirectional models): 'left-to-right'
   * (default; 004 App. D.7 evaluates every objective this way), 'random' (a
   * uniformly random order: samples the order-mixture distribution of eq. 7.4),
   * or 'confidence' (the position whose most likely token is most probable,
   * as in MaskGIT; known to give repetitive text, MDLM #35). Causal models only
   * support 'left-to-right'.
   */
  order?: GenerationOrder;
  /** Softmax temperature (default 1); 0 is greedy. */
  temperature?: number;
  /** The mask token (required for bidirectional models). */
  maskToken?: number;
  /** Tokens after the generated span (bidirectional models: infilling between prompt and suffix). */
  suffix?: readonly number[];
  /** Ids never generated (default: the mask token and the model's padding token). */
  exclude?: readonly number[];
  seed?: number | Random;
}

export interface GenerateOptions extends Omit<GenerateBatchOptions, 'prompts'> {
  prompt: readonly number[];
}

/**
 * Generates `length` tokens after `prompt` and returns prompt + generated
 * (+ suffix). Sampling is float64 (see `sampleCategorical`).
 */
export function generate(model: TokenModel, options: GenerateOptions): number[] {
  if (options == null || typeof options !== 'object') throw new NnphysError('generate: options { prompt, length, ... } are required');
  if (!Array.isArray(options.prompt)) throw new NnphysError(`generate: prompt must be an array of token ids, got ${typeof options.prompt}`);
  const { prompt, ...rest } = options;
  return generateBatch(model, { ...rest, prompts: [prompt] })[0] as number[];
}

/**
 * `generate` for many prompts of equal length at once: one model call per
 * generated token for the whole batch. Returns prompt + generated (+ suffix) per row.
 *
 * Causal model: token t + 1 is drawn from the logits at position t.
 * Bidirectional model: the generated span starts as mask tokens; at each step
 * one masked position (chosen by `order`) is drawn from the model's
 * conditional given every unmasked token, and unmasked.
 */
export function generateBatch(model: TokenModel, options: GenerateBatchOptions): number[][] {
  assertTokenModel(model, 'generate');
  if (options == null || typeof options !== 'object') throw new NnphysError('generate: options { prompts, length, ... } are required');
  const { prompts, length } = options;
  const order = options.order ?? 'left-to-right';
  assertOneOf(order, 'generate: order', generationOrders);
  assertNonNegativeInteger(length, 'generate: length');
  const temperature = options.temperature ?? 1;
  if (typeof temperature !== 'number' || !(temperature >= 0) || !Number.isFinite(temperature)) throw new NnphysError(`generate: temperature must be a finite number >= 0, got ${String(temperature)}`);
  if (!Array.isArray(prompts) || prompts.length === 0) throw new NnphysError('generate: prompts must be a non-empty array of token-id arrays');
  const promptLength = (prompts[0] as readonly number[]).length;
  const suffix = options.suffix ?? [];
  if (!Array.isArray(suffix)) throw new NnphysError('generate: suffix must be an array of token ids');
  for (const [b, p] of prompts.entries()) {
    if (!Array.isArray(p)) throw new NnphysError(`generate: prompts[${b}] must be an array of token ids`);
    if (p.length !== promptLength) throw new NnphysError(`generate: all prompts must have the same length (${promptLength}), prompts[${b}] has ${p.length}`);
    for (const [t, id] of p.entries()) assertTokenId(id, `generate: prompt[${t}]${prompts.length > 1 ? ` of prompts[${b}]` : ''}`, model);
  }
  for (const [t, id] of suffix.entries()) assertTokenId(id, `generate: suffix[${t}]`, model);
  const total = promptLength + length + suffix.length;
  if (total > model.maxLength) throw new NnphysError(`generate: prompt (${promptLength}) + length (${length}) + suffix (${suffix.length}) = ${total} tokens exceeds the model's maxLength ${model.maxLength}`);
  const rng = resolveRandom(options.seed);

  if (model.causal) {
    if (order !== 'left-to-right') throw new NnphysError(`generate: a causal model can only generate 'left-to-right', got order '${order}'`);
    if (promptLength === 0) throw new NnphysError('generate: a causal model needs a prompt of at least one token (e.g. BOS)');
    if (suffix.length > 0) throw new NnphysError('generate: a causal model cannot infill before a suffix');
    const exclude = new Set(options.exclude ?? (model.padToken != null ? [model.padToken] : []));
    if (options.maskToken !== undefined) {
      assertTokenId(options.maskToken, 'generate: maskToken', model);
      if (options.exclude === undefined) exclude.add(options.maskToken);
    }
    return generateCausal(model, prompts, length, temperature, exclude, rng);
  }
  assertTokenId(options.maskToken, 'generate: maskToken', model, 'a bidirectional model generates by unmasking; is the mask token missing from the tokenizer?');
  const maskToken = options.maskToken as number;
  // The mask token is always excluded: an unmasked position must hold a real token.
  const exclude = new Set([maskToken, ...(options.exclude ?? (model.padToken != null ? [model.padToken] : []))]);
  for (const [b, p] of prompts.entries()) {
    if (p.includes(maskToken)) throw new NnphysError(`generate: prompts[${b}] contains the mask token ${maskToken}`);
  }
  return generateMasked(model, prompts, suffix, length, order, temperature, maskToken, exclude, rng);
}

function generateCausal(model: TokenModel, prompts: readonly (readonly number[])[], length: number, temperature: number, exclude: Set<number>, rng: Random): number[][] {
  const rows = prompts.map((p) => [...p]);
  for (let step = 0; step < length; step++) {
    const current = rows[0]?.length as number;
    const logits = tf.tidy(() => {
      const out = model.apply(rows);
      return tf.slice(out, [0, current - 1, 0], [rows.length, 1, model.outputs]);
    });
    const values = logits.dataSync();
    logits.dispose();
    for (let b = 0; b < rows.length; b++) {
      const row = values.subarray(b * model.outputs, (b + 1) * model.outputs);
      (rows[b] as number[]).push(sampleCategorical(row, rng, { temperature, exclude }));
    }
  }
  return rows;
}

function generateMasked(
  model: TokenModel,
  prompts: readonly (readonly number[])[],
  suffix: readonly number[],
  length: number,
  order: GenerationOrder,
  temperature: number,
  maskToken: number,
  exclude: Set<number>,
  rng: Random,
): number[][] {
  const start = (prompts[0] as readonly number[]).length;
  const rows = prompts.map((p) => [...p, ...new Array<number>(length).fill(maskToken), ...suffix]);
  const total = rows[0]?.length as number;
  const V = model.outputs;
  // Per row, the generation order (for 'random'), drawn up front.
  const orders = order === 'random' ? rows.map(() => rng.permutation(length).map((i) => start + i)) : null;
  for (let step = 0; step < length; step++) {
    const logits = model.apply(rows);
    const values = logits.dataSync();
    logits.dispose();
    for (let b = 0; b < rows.length; b++) {
      const row = rows[b] as number[];
      let position: number;
      if (order === 'left-to-right') position = start + step;
      else if (order === 'random') position = (orders as number[][])[b]?.[step] as number;
      else {
        // Most confident masked position: highest max-probability (ties: leftmost).
        let best = -1;
        let bestP = -1;
        for (let t = start; t < start + length; t++) {
          if (row[t] !== maskToken) continue;
          const slice = values.subarray((b * total + t) * V, (b * total + t + 1) * V);
          const probs = categoricalProbabilities(slice, { temperature: temperature === 0 ? 1 : temperature, exclude });
          const p = probs[argmaxLogit(slice, exclude)] as number;
          if (p > bestP) {
            bestP = p;
            best = t;
          }
        }
        position = best;
      }
      const slice = values.subarray((b * total + position) * V, (b * total + position + 1) * V);
      row[position] = sampleCategorical(slice, rng, { temperature, exclude });
    }
  }
  return rows;
}
