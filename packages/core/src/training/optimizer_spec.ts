import * as tf from '@tensorflow/tfjs-core';
import { NnphysError } from '../errors.js';
import { FusedAdam } from './fused_adam.js';

/** An optimizer described as plain data, so that every worker can build its own copy. */
export type OptimizerSpec =
  | { name: 'sgd'; learningRate: number }
  | { name: 'momentum'; learningRate: number; momentum: number; useNesterov?: boolean }
  /** `fused` (default true on the cpu and wasm backends): core's FusedAdam, the same update in one loop per variable. */
  | { name: 'adam'; learningRate?: number; beta1?: number; beta2?: number; epsilon?: number; fused?: boolean }
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
    case 'adam': {
      const fused = spec.fused ?? ['cpu', 'wasm'].includes(tf.getBackend());
      if (fused) {
        return new FusedAdam({
          learningRate: spec.learningRate ?? 1e-3,
          ...(spec.beta1 !== undefined ? { beta1: spec.beta1 } : {}),
          ...(spec.beta2 !== undefined ? { beta2: spec.beta2 } : {}),
          ...(spec.epsilon !== undefined ? { epsilon: spec.epsilon } : {}),
        });
      }
      return tf.train.adam(spec.learningRate ?? 1e-3, spec.beta1, spec.beta2, spec.epsilon);
    }
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
