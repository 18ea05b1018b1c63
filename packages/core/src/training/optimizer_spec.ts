import * as tf from '@tensorflow/tfjs-core';
import { NnphysError } from '../errors.js';

/** An optimizer described as plain data, so that every worker can build its own copy. */
export type OptimizerSpec =
  | { name: 'sgd'; learningRate: number }
  | { name: 'momentum'; learningRate: number; momentum: number; useNesterov?: boolean }
  | { name: 'adam'; learningRate?: number; beta1?: number; beta2?: number; epsilon?: number }
  | { name: 'adamax'; learningRate?: number; beta1?: number; beta2?: number; epsilon?: number; decay?: number }
  | { name: 'rmsprop'; learningRate: number; decay?: number; momentum?: number; epsilon?: number; centered?: boolean }
  | { name: 'adagrad'; learningRate: number; initialAccumulatorValue?: number }
  | { name: 'adadelta'; learningRate?: number; rho?: number; epsilon?: number };

export function createOptimizer(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.name) {
    case 'sgd':
      return tf.train.sgd(spec.learningRate);
    case 'momentum':
      return tf.train.momentum(spec.learningRate, spec.momentum, spec.useNesterov);
    case 'adam':
      return tf.train.adam(spec.learningRate ?? 1e-3, spec.beta1, spec.beta2, spec.epsilon);
    case 'adamax':
      return tf.train.adamax(spec.learningRate ?? 2e-3, spec.beta1, spec.beta2, spec.epsilon, spec.decay);
    case 'rmsprop':
      return tf.train.rmsprop(spec.learningRate, spec.decay, spec.momentum, spec.epsilon, spec.centered);
    case 'adagrad':
      return tf.train.adagrad(spec.learningRate, spec.initialAccumulatorValue);
    case 'adadelta':
      return tf.train.adadelta(spec.learningRate, spec.rho, spec.epsilon);
    default:
      throw new NnphysError(`optimizer.name must be one of sgd, momentum, adam, adamax, rmsprop, adagrad, adadelta, got ${JSON.stringify((spec as { name?: unknown }).name)}`);
  }
}
