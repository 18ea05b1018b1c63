import * as tf from '@tensorflow/tfjs-core';
import { Module, assertDim, assertPositiveInteger, assertPositiveNumber, assertTensor } from '@nnphys/core';

/**
 * Layer normalisation over the feature axis (Ba et al. 2016):
 * y = (x - mean(x)) / sqrt(var(x) + epsilon) * gain + bias, row by row.
 * Unlike batch normalisation it does not mix nodes, so it keeps layers
 * permutation-equivariant and padding cannot change real outputs.
 * (Core has no normalisation layer; this one lives here.)
 */
export class LayerNorm extends Module {
  readonly features: number;
  readonly epsilon: number;
  readonly gain: tf.Variable;
  readonly bias: tf.Variable;

  constructor(options: { features: number; epsilon?: number }) {
    super();
    assertPositiveInteger(options.features, 'LayerNorm: features');
    this.features = options.features;
    this.epsilon = options.epsilon ?? 1e-5;
    assertPositiveNumber(this.epsilon, 'LayerNorm: epsilon');
    this.gain = this.addVariable('gain', tf.ones([options.features]));
    this.bias = this.addVariable('bias', tf.zeros([options.features]));
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    assertTensor(x, 'LayerNorm.apply: x', { rank: 2, dtype: 'float32' });
    assertDim(x, 1, this.features, 'LayerNorm.apply: x', 'feature width (axis 1)');
    return tf.tidy(() => {
      const mean = tf.mean(x, 1, true);
      const centred = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centred), 1, true);
      const normed = tf.mul(centred, tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(normed, this.gain), this.bias) as tf.Tensor2D;
    });
  }
}
