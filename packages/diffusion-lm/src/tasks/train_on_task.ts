import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, type ProgressStream, type TrainHistory, assertInRange, assertOneOf, assertPositiveInteger, assertPositiveNumber, resolveRandom, train } from '@nnphys/core';
import { autoregressiveLoss } from '../objectives/autoregressive_loss.js';
import { maskedLoss } from '../objectives/masked_loss.js';
import { mlmULoss } from '../objectives/mlm_u_loss.js';
import { permutationLoss } from '../objectives/permutation_loss.js';
import { reverseEntities, reverseTokens } from '../reversal.js';
import { Tokenizer } from '../tokenizer.js';
import { type PositionEncoding, Transformer } from '../transformer.js';
import { type AnswerAccuracy, answerAccuracy } from './answer_accuracy.js';
import type { TextSequence } from './text_sequence.js';

/**
 * The training objectives compared in 004 §7.3 (Tables 7.1, D.2, D.4):
 * - 'ar': next-token prediction (causal model);
 * - 'ar-reverse': AR on every sequence and its token-level reversal;
 * - 'ar-reverse-entity': AR on every sequence and its entity-level reversal with delimiters;
 * - 'ar-reverse-entity-nodelim': the same without delimiters (the "*" variant);
 * - 'mlm': fixed-rate masked LM (rate r, default 0.15; bidirectional model);
 * - 'mlm-u': uniform-rate masked LM (eq. 7.5);
 * - 'plm': permutation LM with every position predicted (eq. 7.4).
 */
export type TaskObjective = 'ar' | 'ar-reverse' | 'ar-reverse-entity' | 'ar-reverse-entity-nodelim' | 'mlm' | 'mlm-u' | 'plm';
export const taskObjectives: readonly TaskObjective[] = ['ar', 'ar-reverse', 'ar-reverse-entity', 'ar-reverse-entity-nodelim', 'mlm', 'mlm-u', 'plm'];

/** Delimiters written around entities by 'ar-reverse-entity' (the spelling of @nnphys/datasets' ENTITY_DELIMITERS). */
export const ENTITY_OPEN = '<e>';
export const ENTITY_CLOSE = '</e>';

export interface TaskModelOptions {
  dim?: number;
  heads?: number;
  layers?: number;
  hidden?: number;
  positions?: PositionEncoding;
}

export interface TrainOnTaskOptions {
  objective: TaskObjective;
  /** Masking rate of 'mlm' (default 0.15). */
  rate?: number;
  /** Transformer size (default dim 64, 4 heads, 2 layers, rotary positions). */
  model?: TaskModelOptions;
  epochs: number;
  /** Sequences per step (default 64); every batch has the same shape. */
  batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /**
   * Learning-rate schedule over the optimizer steps: 'constant' (default) or 'cosine' (linear
   * warm-up over the first `warmup` fraction of the steps, then cosine decay to zero).
   */
  schedule?: 'constant' | 'cosine';
  /** Warm-up fraction of the 'cosine' schedule (default 0.01, the 1% of 004 §D.5.3). */
  warmup?: number;
  /**
   * Which tokens the loss is on: 'all' (default: every token, as 004 trains the retrieval and
   * relationship tasks) or 'answer' (only the tokens after `promptLength`: AR predicts the answer
   * from the prompt, the masked objectives mask only answer tokens, D = answer length; the star-graph
   * setup of 004 §7.4 / its ref. [248]). Not available for the reversal objectives.
   */
  lossOn?: 'all' | 'answer';
  /** Decoding order of the test answers for bidirectional models (answerAccuracy's `order`; default 'left-to-right'). */
  order?: 'left-to-right' | 'confidence';
  /** Evaluate on the test set every this many epochs (default: only at the end). */
  evaluateEvery?: number;
  /**
   * Start every row with BOS (default false). BOS is never masked, so it is an absolute position
   * anchor: on the retrieval task a rotary MLM-U model with BOS learned the value tokens by their
   * distance from BOS and answered unseen forward queries (one token longer than the facts) with
   * the tokens shifted (exact match 0.2 against 1.0 without BOS, 40 pairs, seed 1).
   */
  bos?: boolean;
  /** Called after each evaluation; return false to stop training. */
  onEvaluate?: (epoch: number, accuracy: AnswerAccuracy) => unknown;
  /** Progress bar (default false), as core's `train` option: true, or `{ label, stream }`. */
  progress?: boolean | { label?: string; stream?: ProgressStream };
  seed?: number;
}

export interface TaskRun {
  model: Transformer;
  tokenizer: Tokenizer;
  history: TrainHistory;
  /** Test accuracy after training. */
  accuracy: AnswerAccuracy;
  /** Test accuracy at each evaluation: [epoch, accuracy]. */
  curve: Array<[number, AnswerAccuracy]>;
  /** Number of training rows per epoch (after reversal augmentation). */
  trainingRows: number;
}

/**
 * Trains a Transformer on a question-answering token task (the retrieval,
 * relationship or star-graph tasks of 004 §7, e.g. from @nnphys/datasets)
 * with one objective, and scores the test prompts by greedy left-to-right
 * completion. Rows are padded to a common length (padding keys are hidden);
 * with `bos: true` they start with BOS (never masked, not counted in D).
 */
export async function trainOnTask(task: { train: readonly TextSequence[]; test: readonly TextSequence[]; vocabulary?: readonly string[] }, options: TrainOnTaskOptions): Promise<TaskRun> {
  if (task == null || !Array.isArray(task.train) || !Array.isArray(task.test) || task.train.length === 0 || task.test.length === 0) {
    throw new NnphysError('trainOnTask: task must have non-empty train and test arrays of { tokens, promptLength }');
  }
  if (options == null || typeof options !== 'object') throw new NnphysError('trainOnTask: options { objective, epochs } are required');
  const { objective } = options;
  assertOneOf(objective, 'trainOnTask: objective', taskObjectives);
  assertPositiveInteger(options.epochs, 'trainOnTask: epochs');
  const batchSize = options.batchSize ?? 64;
  assertPositiveInteger(batchSize, 'trainOnTask: batchSize');
  const learningRate = options.learningRate ?? 1e-3;
  assertPositiveNumber(learningRate, 'trainOnTask: learningRate');
  const rate = options.rate ?? 0.15;
  assertInRange(rate, 'trainOnTask: rate', Number.MIN_VALUE, 1);
  const schedule = options.schedule ?? 'constant';
  assertOneOf(schedule, 'trainOnTask: schedule', ['constant', 'cosine'] as const);
  const warmup = options.warmup ?? 0.01;
  assertInRange(warmup, 'trainOnTask: warmup', 0, 1);
  const evaluateEvery = options.evaluateEvery ?? options.epochs;
  assertPositiveInteger(evaluateEvery, 'trainOnTask: evaluateEvery');
  const rng = resolveRandom(options.seed ?? 0);
  const order = options.order ?? 'left-to-right';
  assertOneOf(order, 'trainOnTask: order', ['left-to-right', 'confidence'] as const);
  if (objective.startsWith('ar') && order !== 'left-to-right') throw new NnphysError(`trainOnTask: objective '${objective}' trains a causal model, which decodes 'left-to-right' only, got order '${order}'`);
  const lossOn = options.lossOn ?? 'all';
  assertOneOf(lossOn, 'trainOnTask: lossOn', ['all', 'answer'] as const);
  if (lossOn === 'answer' && objective.startsWith('ar-reverse')) throw new NnphysError(`trainOnTask: lossOn 'answer' is not defined for objective '${objective}' (reversal moves the answer); use lossOn 'all'`);

  const words: string[] = [...(task.vocabulary ?? [])];
  for (const s of [...task.train, ...task.test]) words.push(...s.tokens);
  words.push(ENTITY_OPEN, ENTITY_CLOSE);
  const tokenizer = Tokenizer.fromTokens(words);

  // Training rows, with reversal augmentation for the AR baselines (BOS stays first).
  const bos = options.bos ?? false;
  if (typeof bos !== 'boolean') throw new NnphysError(`trainOnTask: bos must be true or false, got ${String(bos)}`);
  const offset = bos ? 1 : 0;
  const base = task.train.map((s) => tokenizer.encode(s.tokens, { bos }));
  let rows = base;
  if (objective === 'ar-reverse') rows = [...base, ...base.map((r) => reverseTokens(r, { start: offset }))];
  if (objective === 'ar-reverse-entity' || objective === 'ar-reverse-entity-nodelim') {
    const delimiters = objective === 'ar-reverse-entity' ? { open: tokenizer.id(ENTITY_OPEN), close: tokenizer.id(ENTITY_CLOSE) } : {};
    const reversed = task.train.map((s, i) => {
      const spans = (s.entities ?? []).map(([a, b]: readonly [number, number]) => [a + offset, b + offset] as [number, number]);
      return reverseEntities(base[i] as number[], spans, { start: offset, ...delimiters });
    });
    rows = [...base, ...reversed];
  }
  const testLength = Math.max(...task.test.map((s) => s.tokens.length + offset));
  const length = Math.max(testLength, ...rows.map((r) => r.length));
  const padded = encodeRows(rows, length, tokenizer.pad);
  // 1 where a token is in the loss: with lossOn 'answer', positions at or after the prompt (+ BOS).
  const targets = padded.map((r, i) => r.map((_, t) => (lossOn === 'all' || t >= (task.train[i] as TextSequence).promptLength + offset ? 1 : 0)));

  const m = options.model ?? {};
  const causal = objective.startsWith('ar');
  const model = new Transformer({
    vocabSize: tokenizer.size,
    maxLength: length,
    dim: m.dim ?? 64,
    heads: m.heads ?? 4,
    layers: m.layers ?? 2,
    hidden: m.hidden,
    positions: m.positions ?? 'rotary',
    causal,
    padToken: tokenizer.pad,
    seed: rng.fork(),
  });
  const masking = { maskToken: tokenizer.mask, keepTokens: [tokenizer.bos], padToken: tokenizer.pad };
  const loss = (batch: { tokens: number[][]; targets: number[][]; seed: number }): tf.Scalar => {
    const only = lossOn === 'answer';
    switch (objective) {
      case 'mlm':
        return maskedLoss(model, batch.tokens, { ...masking, rate, seed: batch.seed, ...(only ? { maskable: batch.targets } : {}) });
      case 'mlm-u':
        return mlmULoss(model, batch.tokens, { ...masking, seed: batch.seed, ...(only ? { maskable: batch.targets } : {}) });
      case 'plm':
        return permutationLoss(model, batch.tokens, { ...masking, seed: batch.seed, ...(only ? { maskable: batch.targets } : {}) });
      default:
        return autoregressiveLoss(model, batch.tokens, only ? { targets: batch.targets } : {});
    }
  };
  const steps = Math.ceil(padded.length / batchSize);
  const data = () => {
    const order = rng.permutation(padded.length);
    const batches: { tokens: number[][]; targets: number[][]; seed: number }[] = [];
    for (let s = 0; s < steps; s++) {
      // Fixed batch shape: the last batch wraps around to the start of the permutation.
      const picks = Array.from({ length: Math.min(batchSize, padded.length) }, (_, i) => order[(s * batchSize + i) % order.length] as number);
      batches.push({ tokens: picks.map((j) => padded[j] as number[]), targets: picks.map((j) => targets[j] as number[]), seed: rng.nextSeed() });
    }
    return batches;
  };
  const curve: Array<[number, AnswerAccuracy]> = [];
  const evaluate = () => answerAccuracy(model, tokenizer, task.test, { bos, order });
  const optimizer = tf.train.adam(learningRate);
  const totalSteps = steps * options.epochs;
  const warm = Math.max(1, Math.round(warmup * totalSteps));
  // Linear warm-up, then cosine decay; core's train sets the rate of every step (step = 0-based index).
  const rateAt = (step: number) =>
    step < warm ? (learningRate * (step + 1)) / warm : 0.5 * learningRate * (1 + Math.cos((Math.PI * (step - warm)) / Math.max(1, totalSteps - warm)));
  try {
    const history = await train({
      model,
      loss,
      data,
      epochs: options.epochs,
      optimizer,
      progress: options.progress === true ? { label: objective } : (options.progress ?? false),
      ...(schedule === 'constant' ? {} : { learningRate: rateAt }),
      onEpochEnd: (epoch) => {
        if ((epoch + 1) % evaluateEvery !== 0 || epoch + 1 === options.epochs) return;
        const accuracy = evaluate();
        curve.push([epoch + 1, accuracy]);
        return options.onEvaluate?.(epoch + 1, accuracy);
      },
    });
    const accuracy = evaluate();
    curve.push([history.epochs, accuracy]);
    options.onEvaluate?.(history.epochs, accuracy);
    return { model, tokenizer, history, accuracy, curve, trainingRows: padded.length };
  } finally {
    optimizer.dispose();
  }
}

function encodeRows(rows: number[][], length: number, pad: number): number[][] {
  return rows.map((r) => [...r, ...new Array<number>(length - r.length).fill(pad)]);
}

