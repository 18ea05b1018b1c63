import * as tf from '@tensorflow/tfjs-core';
import { type Module, NnphysError, assertNonNegativeInteger, assertNumberArray, assertPositiveInteger, assertTensor } from '@nnphys/core';
import { effectiveRate, type LossReduction } from './loss_reduction.js';

export interface FullBatchMSEOptions {
  /** eta: theta <- theta - eta grad L. */
  learningRate: number;
  /** Number of gradient steps. */
  steps: number;
  /** 'mean' (default): L = (1/N) sum (f - y)^2 / 2; 'sum': L = sum (f - y)^2 / 2. Same convention as gradientDescentMSE. */
  lossReduction?: LossReduction;
  /** Variables to train (default: the model's trainable variables). */
  variables?: tf.Variable[];
  /** Record outputs every `every` steps (default: only at 0 and the end) on `x` (default: the training inputs). */
  record?: { every?: number; x?: tf.Tensor2D };
}

export interface FullBatchMSEHistory {
  /** Steps at which outputs and losses were recorded (always includes 0 and `steps`). */
  steps: number[];
  /** Loss at each recorded step. */
  loss: number[];
  /** Model outputs on record.x at each recorded step. */
  outputs: number[][];
}

/**
 * Full-batch gradient descent on the MSE loss with plain SGD, matching the
 * conventions of `gradientDescentMSE` (eta~ = eta/N for 'mean'), so that a
 * wide network's outputs can be compared with the linearised prediction
 * after the same number of steps (spec ntk §2.4, discrete gradient descent).
 */
export function trainFullBatchMSE(model: Module, x: tf.Tensor2D, y: number[], options: FullBatchMSEOptions): FullBatchMSEHistory {
  const label = 'trainFullBatchMSE';
  if (model == null || typeof (model as Module).trainableVariables !== 'function') throw new NnphysError(`${label}: model must be a Module`);
  assertTensor(x, `${label}: x`, { rank: 2, dtype: 'float32' });
  const n = x.shape[0];
  assertNumberArray(y, `${label}: y`, n);
  if (options === null || typeof options !== 'object') throw new NnphysError(`${label}: options { learningRate, steps } are required`);
  effectiveRate(label, options.learningRate, options.lossReduction, n);
  assertNonNegativeInteger(options.steps, `${label}: steps`);
  const every = options.record?.every ?? options.steps;
  if (options.steps > 0) assertPositiveInteger(every, `${label}: record.every`);
  const rx = options.record?.x ?? x;
  assertTensor(rx, `${label}: record.x`, { rank: 2, dtype: 'float32' });
  const variables = options.variables ?? model.trainableVariables();
  if (variables.length === 0) throw new NnphysError(`${label}: there are no trainable variables`);
  const reduction = options.lossReduction ?? 'mean';

  const yt = tf.tensor2d(Float32Array.from(y), [n, 1]);
  const optimizer = tf.train.sgd(options.learningRate);
  const lossFn = (): tf.Scalar => {
    const f = model.apply(x) as tf.Tensor;
    if (f.size !== n) throw new NnphysError(`${label}: the model must return one number per row ([${n}, 1]), got shape [${f.shape.join(', ')}]`);
    const r = tf.sub(tf.reshape(f, [n, 1]), yt);
    const half = tf.mul(tf.square(r), 0.5);
    return (reduction === 'mean' ? tf.mean(half) : tf.sum(half)) as tf.Scalar;
  };
  const history: FullBatchMSEHistory = { steps: [], loss: [], outputs: [] };
  const record = (step: number) => {
    const [loss, out] = tf.tidy(() => [lossFn().dataSync()[0] as number, (model.apply(rx) as tf.Tensor).dataSync()]);
    if (!Number.isFinite(loss)) throw new NnphysError(`${label}: the loss became ${loss} at step ${step}; lower the learning rate`);
    history.steps.push(step);
    history.loss.push(loss);
    history.outputs.push(Array.from(out as Float32Array));
  };
  try {
    record(0);
    for (let s = 1; s <= options.steps; s++) {
      const cost = optimizer.minimize(lossFn, false, variables);
      cost?.dispose();
      if (s % every === 0 || s === options.steps) record(s);
    }
  } finally {
    optimizer.dispose();
    yt.dispose();
  }
  return history;
}
