import * as tf from '@tensorflow/tfjs-core';
import { type ActivationName, LayerNorm, Linear, Module, type Random, activation, resolveRandom } from '@nnphys/core';
import { type AttentionContext, MultiHeadAttention } from './multi_head_attention.js';

export interface TransformerBlockOptions {
  dim: number;
  heads: number;
  hidden: number;
  activation?: ActivationName;
  seed?: number | Random;
}

/**
 * Pre-norm residual block (000 eq. 3.1; GPT-2 layout):
 *   h = x + Attention(LN(x)),   y = h + W2 act(W1 LN(h)).
 */
export class TransformerBlock extends Module {
  readonly norm1: LayerNorm;
  readonly attention: MultiHeadAttention;
  readonly norm2: LayerNorm;
  readonly fc1: Linear;
  readonly fc2: Linear;
  private readonly act: (x: tf.Tensor) => tf.Tensor;
  private readonly dim: number;

  constructor(options: TransformerBlockOptions) {
    super();
    const rng = resolveRandom(options.seed);
    this.dim = options.dim;
    this.norm1 = this.addModule('norm1', new LayerNorm({ features: options.dim }));
    this.attention = this.addModule('attention', new MultiHeadAttention({ dim: options.dim, heads: options.heads, seed: rng }));
    this.norm2 = this.addModule('norm2', new LayerNorm({ features: options.dim }));
    this.fc1 = this.addModule('fc1', new Linear({ inputs: options.dim, outputs: options.hidden, seed: rng }));
    this.fc2 = this.addModule('fc2', new Linear({ inputs: options.hidden, outputs: options.dim, seed: rng }));
    this.act = activation(options.activation ?? 'gelu');
  }

  apply(x: tf.Tensor3D, context: AttentionContext): tf.Tensor3D {
    const [b, t] = x.shape;
    return tf.tidy(() => {
      const h = tf.add(x, this.attention.apply(this.norm1.apply(x) as tf.Tensor3D, context)) as tf.Tensor3D;
      const flat = tf.reshape(this.norm2.apply(h), [b * t, this.dim]) as tf.Tensor2D;
      const m = this.fc2.apply(this.act(this.fc1.apply(flat)) as tf.Tensor2D);
      return tf.add(h, tf.reshape(m, [b, t, this.dim])) as tf.Tensor3D;
    });
  }
}
