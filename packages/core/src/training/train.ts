import * as tf from '@tensorflow/tfjs-core';
import { NnphysError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { assertPositiveInteger } from '../validate.js';
import { createOptimizer, type OptimizerSpec } from './optimizer_spec.js';
import type { ParallelTrainOptions, ParallelTrainResult } from './parallel.js';
import { ProgressBar, type ProgressStream } from './progress.js';

export type BatchSource<B> = Iterable<B> | AsyncIterable<B>;

export interface EarlyStopping {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** Smallest decrease that counts as an improvement (default 0). */
  minDelta?: number;
  /** What to watch: the training loss or the `validate` result (default: validation when given). */
  monitor?: 'loss' | 'validation';
  /** Put back the weights of the best epoch when stopping (default false). */
  restoreBest?: boolean;
}

export interface EpochLogs {
  epoch: number;
  loss: number;
  validation?: number;
  steps: number;
  seconds: number;
}

export interface TrainOptions<B> {
  model: Module;
  /** Loss of one batch. Runs inside the optimizer's gradient tape. */
  loss: (batch: B) => tf.Scalar;
  /** Batches of one epoch: an array (re-iterated each epoch) or a function returning a fresh iterable per epoch. */
  data: BatchSource<B> | ((epoch: number) => BatchSource<B>);
  epochs: number;
  /** Any tfjs optimizer, or one described as data (default Adam, learning rate 1e-3). */
  optimizer?: tf.Optimizer | OptimizerSpec;
  /** Variables to train (default: the model's trainable variables). */
  variables?: tf.Variable[];
  /** A validation score computed after each epoch (lower is better). */
  validate?: (epoch: number) => number | Promise<number>;
  earlyStopping?: EarlyStopping;
  /** Return false to stop training. */
  onEpochEnd?: (epoch: number, logs: EpochLogs) => unknown;
  /**
   * Learning rate of every step (0-based step count over the whole run), e.g. warm-up and cosine decay. It is
   * set on the optimizer before each step, so it works with tfjs's optimizers and core's FusedAdam.
   */
  learningRate?: (step: number) => number;
  /** Called after every optimizer step, e.g. to project weights back onto a constraint set. */
  afterStep?: (step: number) => void;
  /** Progress bar on a terminal (default true; silent when not a TTY). */
  progress?: boolean | { label?: string; stream?: ProgressStream };
}

export interface TrainHistory {
  /** Mean batch loss per epoch. */
  loss: number[];
  /** Validation score per epoch (when `validate` is given). */
  validation: number[];
  epochs: number;
  steps: number;
  stoppedEarly: boolean;
  bestEpoch: number;
  seconds: number;
}

function isIterable<B>(x: unknown): x is BatchSource<B> {
  return x != null && (typeof (x as Iterable<B>)[Symbol.iterator] === 'function' || typeof (x as AsyncIterable<B>)[Symbol.asyncIterator] === 'function');
}

/**
 * Mini-batch training: for each epoch, one optimizer step per batch. Memory
 * stays flat (each step's tensors are released; only the running loss sum is
 * kept). A loss that becomes NaN or infinite stops training with an error
 * naming the epoch.
 *
 * With `{ workers: n, task }` the same loop runs data-parallel over n replicas
 * in worker threads (Node); see `ParallelTrainOptions`.
 */
export async function train<B>(options: TrainOptions<B>): Promise<TrainHistory>;
export async function train(options: ParallelTrainOptions): Promise<ParallelTrainResult>;
export async function train<B>(options: TrainOptions<B> | ParallelTrainOptions): Promise<TrainHistory | ParallelTrainResult> {
  if ('workers' in options || 'task' in options) {
    if (!('task' in options) || (options as Partial<ParallelTrainOptions>).task === undefined) {
      throw new NnphysError('train: workers need a task module (task: path or URL) that builds the model, loss and data in every worker');
    }
    // Imported lazily: it needs node:worker_threads, which browser bundles must never load.
    const { trainParallel } = await import('./parallel.js');
    return trainParallel(options as ParallelTrainOptions);
  }
  return trainSingle(options as TrainOptions<B>);
}

/**
 * SGD and momentum keep -learningRate in a scalar tensor and expose setLearningRate; the other tfjs optimizers
 * (and FusedAdam) read their learningRate field at every step.
 */
function setLearningRate(optimizer: tf.Optimizer, rate: number, step: number): void {
  if (!(Number.isFinite(rate) && rate > 0)) throw new NnphysError(`train: learningRate(${step}) must be a positive finite number, got ${rate}`);
  const o = optimizer as unknown as { learningRate?: unknown; setLearningRate?: (r: number) => void };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(rate);
  else if (typeof o.learningRate === 'number') o.learningRate = rate;
  else throw new NnphysError('train: learningRate schedules need an optimizer with a numeric learningRate field (tfjs optimizers and FusedAdam have one)');
}

async function trainSingle<B>(options: TrainOptions<B>): Promise<TrainHistory> {
  const { model, loss, data, epochs } = options;
  if (model == null || typeof (model as Module).trainableVariables !== 'function') {
    throw new NnphysError('train: model must be a Module');
  }
  if (typeof loss !== 'function') throw new NnphysError('train: loss must be a function (batch) => tf.Scalar');
  assertPositiveInteger(epochs, 'train: epochs');
  if (typeof data !== 'function' && !isIterable(data)) {
    throw new NnphysError('train: data must be an iterable of batches or a function (epoch) => iterable');
  }
  const variables = options.variables ?? model.trainableVariables();
  if (variables.length === 0) throw new NnphysError('train: the model has no trainable variables');
  const given = options.optimizer;
  // Duck-typed: an optimizer from another copy of tfjs-core fails `instanceof`.
  const isOptimizer = typeof (given as tf.Optimizer | undefined)?.minimize === 'function';
  const ownsOptimizer = !isOptimizer;
  const optimizer = isOptimizer ? (given as tf.Optimizer) : createOptimizer((given as OptimizerSpec | undefined) ?? { name: 'adam', learningRate: 1e-3 });
  const es = options.earlyStopping;
  if (es) assertPositiveInteger(es.patience, 'train: earlyStopping.patience');
  const monitor = es?.monitor ?? (options.validate ? 'validation' : 'loss');
  if (monitor === 'validation' && es && !options.validate) throw new NnphysError("train: earlyStopping.monitor is 'validation' but no validate function was given");

  const progressOpt = options.progress ?? true;
  const label = typeof progressOpt === 'object' ? progressOpt.label : undefined;
  const stream = typeof progressOpt === 'object' ? progressOpt.stream : undefined;
  const bar = progressOpt === false ? null : new ProgressBar(epochs, label ?? 'train', stream);

  const history: TrainHistory = { loss: [], validation: [], epochs: 0, steps: 0, stoppedEarly: false, bestEpoch: -1, seconds: 0 };
  const t0 = Date.now();
  let best = Number.POSITIVE_INFINITY;
  let sinceBest = 0;
  let bestWeights: tf.Tensor[] | null = null;

  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const te = Date.now();
      const source = typeof data === 'function' ? (data as (e: number) => BatchSource<B>)(epoch) : data;
      if (!isIterable(source)) throw new NnphysError(`train: data(${epoch}) must return an iterable of batches`);
      let sum: tf.Scalar = tf.scalar(0);
      let steps = 0;
      let total: number;
      try {
        for await (const batch of source as AsyncIterable<B>) {
          if (options.learningRate) setLearningRate(optimizer, options.learningRate(history.steps), history.steps);
          const cost = optimizer.minimize(() => loss(batch), true, variables);
          if (!cost) throw new NnphysError('train: the loss function returned nothing');
          const next = tf.add(sum, cost) as tf.Scalar;
          sum.dispose();
          cost.dispose();
          sum = next;
          steps++;
          history.steps++;
          options.afterStep?.(history.steps);
        }
        total = (await sum.data())[0] as number;
      } finally {
        sum.dispose();
      }
      if (steps === 0) throw new NnphysError(`train: epoch ${epoch} produced no batches`);
      const meanLoss = total / steps;
      if (!Number.isFinite(meanLoss)) {
        throw new NnphysError(`train: the loss became ${meanLoss} in epoch ${epoch}; lower the learning rate or check the inputs for NaN`);
      }
      history.loss.push(meanLoss);
      const logs: EpochLogs = { epoch, loss: meanLoss, steps, seconds: (Date.now() - te) / 1000 };
      if (options.validate) {
        const v = await options.validate(epoch);
        if (typeof v !== 'number' || Number.isNaN(v)) throw new NnphysError(`train: validate(${epoch}) must return a number, got ${String(v)}`);
        history.validation.push(v);
        logs.validation = v;
      }
      history.epochs = epoch + 1;
      const score = monitor === 'validation' ? (logs.validation as number) : meanLoss;
      if (score < best - (es?.minDelta ?? 0)) {
        best = score;
        history.bestEpoch = epoch;
        sinceBest = 0;
        if (es?.restoreBest) {
          for (const t of bestWeights ?? []) t.dispose();
          bestWeights = variables.map((v) => tf.clone(v));
        }
      } else {
        sinceBest++;
      }
      bar?.update(epoch + 1, `loss ${meanLoss.toPrecision(4)}${logs.validation !== undefined ? ` val ${logs.validation.toPrecision(4)}` : ''}`);
      const verdict = await options.onEpochEnd?.(epoch, logs);
      if (verdict === false) break;
      if (es && sinceBest >= es.patience) {
        history.stoppedEarly = true;
        break;
      }
    }
    if (history.stoppedEarly && bestWeights) {
      for (const [i, v] of variables.entries()) v.assign(bestWeights[i] as tf.Tensor);
    }
  } finally {
    for (const t of bestWeights ?? []) t.dispose();
    if (ownsOptimizer) optimizer.dispose();
    bar?.done();
  }
  history.seconds = (Date.now() - t0) / 1000;
  return history;
}

/** Splits n examples into shuffled (or ordered) index batches. */
export function batchIndices(n: number, batchSize: number, order?: number[]): number[][] {
  assertPositiveInteger(batchSize, 'batchIndices: batchSize');
  const idx = order ?? Array.from({ length: n }, (_, i) => i);
  const out: number[][] = [];
  for (let i = 0; i < idx.length; i += batchSize) out.push(idx.slice(i, i + batchSize));
  return out;
}
