import * as tf from '@tensorflow/tfjs-core';
import { type Random, resolveRandom } from '../random.js';

/**
 * Weight initialisers for a [fanIn, fanOut] kernel, drawn from nnphys's own
 * generator so that a seed gives the same weights on every backend.
 * - glorot: uniform, limit sqrt(6 / (fanIn + fanOut)) (Keras default);
 * - he: normal, std sqrt(2 / fanIn) (for ReLU);
 * - lecun: normal, std sqrt(1 / fanIn) (for SELU/tanh);
 * - ntk: standard normal; the layer scales by sigmaW / sqrt(fanIn) in the forward pass.
 */
export type Initializer = 'glorot' | 'he' | 'lecun' | 'ntk' | 'zeros';
export const initializers: readonly Initializer[] = ['glorot', 'he', 'lecun', 'ntk', 'zeros'];

export function initWeights(shape: [number, number], init: Initializer, seed?: number | Random): tf.Tensor2D {
  const [fanIn, fanOut] = shape;
  const rng = resolveRandom(seed);
  const values = new Float32Array(fanIn * fanOut);
  switch (init) {
    case 'glorot': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      rng.fillUniform(values, -limit, limit);
      break;
    }
    case 'he':
      rng.fillNormal(values, 0, Math.sqrt(2 / fanIn));
      break;
    case 'lecun':
      rng.fillNormal(values, 0, Math.sqrt(1 / fanIn));
      break;
    case 'ntk':
      rng.fillNormal(values, 0, 1);
      break;
    case 'zeros':
      break;
  }
  return tf.tensor2d(values, shape);
}
