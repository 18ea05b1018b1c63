import * as tf from '@tensorflow/tfjs-core';
import { Module, assertPositiveInteger, assertTensor, NnphysError } from '@nnphys/core';

/**
 * Layer normalisation over the last axis, y = (x - mean) / sqrt(var + eps) * gain + bias
 * (Ba et al. 2016), used before each sub-layer of a pre-norm block (000 eq. 3.1).
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
    this.gain = this.addVariable('gain', tf.ones([this.features]));
    this.bias = this.addVariable('bias', tf.zeros([this.features]));
  }

  apply(x: tf.Tensor): tf.Tensor {
    assertTensor(x, 'LayerNorm.apply: x', { dtype: 'float32' });
    if (x.shape[x.rank - 1] !== this.features) throw new NnphysError(`LayerNorm.apply: x must have ${this.features} features on its last axis, got shape [${x.shape.join(', ')}]`);
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, -1, true);
      const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(normed, this.gain), this.bias);
    });
  }
}
