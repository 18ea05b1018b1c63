import * as tf from '@tensorflow/tfjs-core';
import { NnphysError } from '../errors.js';
import { assertPositiveInteger, assertPositiveNumber, assertTensor } from '../validate.js';
import { Module } from './module.js';

/**
 * Layer normalisation over the last axis (Ba et al. 2016), row by row:
 * y = (x − mean(x)) / sqrt(var(x) + ε) · gain + bias.
 * It never mixes rows (nodes, tokens, events), so it keeps layers permutation-equivariant and padded rows
 * cannot change real ones. Variables: `gain` (ones) and `bias` (zeros), [features].
 */
export class LayerNorm extends Module {
  readonly features: number;
  readonly epsilon: number;
  readonly gain: tf.Variable;
  readonly bias: tf.Variable;

  constructor(options: { features: number; epsilon?: number }) {
    super();
    assertPositiveInteger(options?.features, 'LayerNorm: features');
    this.features = options.features;
    this.epsilon = options.epsilon ?? 1e-5;
    assertPositiveNumber(this.epsilon, 'LayerNorm: epsilon');
    this.gain = this.addVariable('gain', tf.ones([options.features]));
    this.bias = this.addVariable('bias', tf.zeros([options.features]));
  }

  apply<T extends tf.Tensor>(x: T): T {
    assertTensor(x, 'LayerNorm.apply: x', { dtype: 'float32' });
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.features) {
      throw new NnphysError(`LayerNorm.apply: x must have ${this.features} features on its last axis, got shape [${x.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const mean = tf.mean(x, -1, true);
      const centred = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centred), -1, true);
      const normed = tf.mul(centred, tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(normed, this.gain), this.bias) as T;
    });
  }
}
