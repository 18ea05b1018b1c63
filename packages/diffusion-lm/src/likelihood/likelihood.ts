import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, assertPositiveInteger } from '@nnphys/core';
import { type TokenModel, assertTokenId, assertTokenModel } from '../token_model.js';
import { type ConditionalTable, MAX_ENUMERATION_LENGTH, assertPermutation, mixtureNLLFromTable, mlmUFromTable } from './conditional_table.js';

export interface LikelihoodOptions {
  /** The mask token (required for bidirectional models). */
  maskToken?: number;
  /** Always-visible tokens before the scored sequence (e.g. BOS, or a question); not scored. A causal model needs at least one. */
  prefix?: readonly number[];
  /** Always-visible tokens after the scored sequence (bidirectional models); not scored. */
  suffix?: readonly number[];
  /** Rows per model call when enumerating (default 256). */
  batchSize?: number;
}

/** log softmax(logits)[target] in float64. */
function logProb(logits: ArrayLike<number>, target: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) {
    const l = logits[i] as number;
    if (!Number.isFinite(l)) throw new NnphysError(`likelihood: the model produced a non-finite logit (${l})`);
    if (l > max) max = l;
  }
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i] as number) - max);
  return (logits[target] as number) - max - Math.log(sum);
}

interface Checked {
  sequence: number[];
  prefix: number[];
  suffix: number[];
  maskToken: number;
}

function check(model: TokenModel, sequence: readonly number[], options: LikelihoodOptions, fn: string, needsMask: boolean): Checked {
  assertTokenModel(model, fn);
  if (!Array.isArray(sequence) || sequence.length === 0) throw new NnphysError(`${fn}: sequence must be a non-empty array of token ids`);
  const prefix = [...(options.prefix ?? [])];
  const suffix = [...(options.suffix ?? [])];
  for (const [i, v] of sequence.entries()) {
    assertTokenId(v, `${fn}: sequence[${i}]`, model);
    if (v >= model.outputs) throw new NnphysError(`${fn}: sequence[${i}] = ${v} is scored but the model only predicts ids [0, ${model.outputs})`);
  }
  for (const [i, v] of prefix.entries()) assertTokenId(v, `${fn}: prefix[${i}]`, model);
  for (const [i, v] of suffix.entries()) assertTokenId(v, `${fn}: suffix[${i}]`, model);
  const total = prefix.length + sequence.length + suffix.length;
  if (total > model.maxLength) throw new NnphysError(`${fn}: prefix + sequence + suffix = ${total} tokens exceeds the model's maxLength ${model.maxLength}`);
  let maskToken = -1;
  if (needsMask) {
    assertTokenId(options.maskToken, `${fn}: maskToken`, model, 'a bidirectional model scores a token by masking it');
    maskToken = options.maskToken as number;
    if ([...prefix, ...sequence, ...suffix].includes(maskToken)) throw new NnphysError(`${fn}: the sequence, prefix or suffix contains the mask token ${maskToken}`);
  }
  if (options.batchSize !== undefined) assertPositiveInteger(options.batchSize, `${fn}: batchSize`);
  return { sequence: [...sequence], prefix, suffix, maskToken };
}

/** Runs the model on rows in chunks and calls visit(rowIndex, logitsOfRow [T * V]). */
function forEachRow(model: TokenModel, rows: number[][], batchSize: number, visit: (r: number, logits: Float32Array) => void): void {
  const T = (rows[0] as number[]).length;
  const V = model.outputs;
  for (let start = 0; start < rows.length; start += batchSize) {
    const chunk = rows.slice(start, start + batchSize);
    const out = tf.tidy(() => model.apply(chunk));
    const values = out.dataSync() as Float32Array;
    out.dispose();
    for (let r = 0; r < chunk.length; r++) visit(start + r, values.subarray(r * T * V, (r + 1) * T * V));
  }
}

/**
 * Every conditional log p(x_tau | x_S) of a bidirectional model for one
 * sequence of D <= 16 tokens: 2^D masked copies of the sequence (positions
 * outside S hold the mask token), evaluated in batches; log-softmax in float64.
 */
export function conditionalTable(model: TokenModel, sequence: readonly number[], options: LikelihoodOptions = {}): ConditionalTable {
  const c = check(model, sequence, options, 'conditionalTable', true);
  if (model.causal) throw new NnphysError('conditionalTable: needs a bidirectional model; a causal model has only the left-to-right conditionals (use exactNLL)');
  const d = c.sequence.length;
  if (d > MAX_ENUMERATION_LENGTH) throw new NnphysError(`conditionalTable: enumerating 2^D masks is limited to D <= ${MAX_ENUMERATION_LENGTH}, got a sequence of ${d} tokens`);
  const size = 1 << d;
  const rows: number[][] = [];
  for (let s = 0; s < size; s++) rows.push([...c.prefix, ...c.sequence.map((v, i) => (s & (1 << i) ? v : c.maskToken)), ...c.suffix]);
  const logp = new Float64Array(size * d).fill(Number.NaN);
  const V = model.outputs;
  const offset = c.prefix.length;
  forEachRow(model, rows, options.batchSize ?? 256, (s, logits) => {
    for (let tau = 0; tau < d; tau++) {
      if (s & (1 << tau)) continue;
      const at = (offset + tau) * V;
      logp[s * d + tau] = logProb(logits.subarray(at, at + V), c.sequence[tau] as number);
    }
  });
  return { length: d, logp };
}

/**
 * The MLM-U loss of one sequence computed exactly (004 eq. 7.5 by enumeration
 * of all 2^D masks, not sampled). For any conditional model it is an upper
 * bound on mixtureNLL (Jensen, eq. 7.4); for consistent conditionals it equals
 * -log p(x). Nats.
 */
export function mlmUBound(model: TokenModel, sequence: readonly number[], options: LikelihoodOptions = {}): number {
  return mlmUFromTable(conditionalTable(model, sequence, options));
}

/**
 * -log E_sigma q_sigma(x), the NLL of the uniform mixture over all D!
 * factorization orders (eq. 7.4, left-hand side): the likelihood of
 * random-order generation at temperature 1. Exact, by enumeration of 2^D masks.
 */
export function mixtureNLL(model: TokenModel, sequence: readonly number[], options: LikelihoodOptions = {}): number {
  return mixtureNLLFromTable(conditionalTable(model, sequence, options));
}

export type FactorizationOrder = readonly number[] | 'left-to-right' | 'right-to-left';

/**
 * -log q_sigma(x) = -sum_t log p(x_sigma(t) | x_sigma(<t)) for one order of a
 * bidirectional model (D model rows). For 'left-to-right' this is the exact
 * NLL of left-to-right generation at temperature 1.
 */
export function orderNLL(model: TokenModel, sequence: readonly number[], options: LikelihoodOptions & { order?: FactorizationOrder } = {}): number {
  const c = check(model, sequence, options, 'orderNLL', true);
  if (model.causal) throw new NnphysError('orderNLL: needs a bidirectional model; for a causal model use exactNLL');
  const d = c.sequence.length;
  const orderOption = options.order ?? 'left-to-right';
  const order =
    orderOption === 'left-to-right'
      ? Array.from({ length: d }, (_, i) => i)
      : orderOption === 'right-to-left'
        ? Array.from({ length: d }, (_, i) => d - 1 - i)
        : [...orderOption];
  assertPermutation(order, d, 'orderNLL: order');
  const rows: number[][] = [];
  const visible = new Array<boolean>(d).fill(false);
  for (const tau of order) {
    rows.push([...c.prefix, ...c.sequence.map((v, i) => (visible[i] ? v : c.maskToken)), ...c.suffix]);
    visible[tau] = true;
  }
  let nll = 0;
  const V = model.outputs;
  forEachRow(model, rows, options.batchSize ?? 256, (t, logits) => {
    const tau = order[t] as number;
    const at = (c.prefix.length + tau) * V;
    nll -= logProb(logits.subarray(at, at + V), c.sequence[tau] as number);
  });
  return nll;
}

/**
 * The exact NLL (nats) the model assigns to `sequence` after `prefix`:
 * - causal model: -sum_t log p(x_t | prefix, x_{<t}) (eq. 7.1), one model call;
 * - bidirectional model: the left-to-right factorization, `orderNLL` (the
 *   distribution that left-to-right generation samples; 004 App. D.7).
 * Summing exp(-exactNLL) over every sequence of length D gives 1 when the
 * model puts no mass on ids outside the enumerated alphabet.
 */
export function exactNLL(model: TokenModel, sequence: readonly number[], options: LikelihoodOptions = {}): number {
  assertTokenModel(model, 'exactNLL');
  if (!model.causal) return orderNLL(model, sequence, { ...options, order: 'left-to-right' });
  const c = check(model, sequence, options, 'exactNLL', false);
  if (c.prefix.length === 0) throw new NnphysError('exactNLL: a causal model needs a prefix of at least one token (e.g. [bos]) to predict the first token from');
  if (c.suffix.length > 0) throw new NnphysError('exactNLL: a causal model cannot condition on a suffix');
  const row = [...c.prefix, ...c.sequence];
  let nll = 0;
  const V = model.outputs;
  forEachRow(model, [row], 1, (_, logits) => {
    for (let t = 0; t < c.sequence.length; t++) {
      const at = (c.prefix.length - 1 + t) * V;
      nll -= logProb(logits.subarray(at, at + V), c.sequence[t] as number);
    }
  });
  return nll;
}
