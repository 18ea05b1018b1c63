import * as tf from '@tensorflow/tfjs-core';
import { Linear, Module, NnphysError, type Random, assertPositiveInteger, resolveRandom, scaledDotProductAttention } from '@nnphys/core';
import { applyRotary } from './rotary.js';

export interface MultiHeadAttentionOptions {
  dim: number;
  heads: number;
  seed?: number | Random;
}

/** Per-call context shared by every attention layer of a forward pass. */
export interface AttentionContext {
  /** 1 where query i may read key j, broadcastable to [B, H, T, T] (null: everything visible). */
  allowed: tf.Tensor | null;
  /** Rotary tables [B, 1, T, dh] (null: no rotary bias). */
  rotary: { cos: tf.Tensor4D; sin: tf.Tensor4D } | null;
}

/**
 * Multi-head self-attention (Vaswani et al. 2017): one fused projection to
 * queries, keys and values, `heads` heads of size dim / heads, each
 * softmax(q k^T / sqrt(dh)) v (000 eq. 6.4, core's `scaledDotProductAttention`),
 * concatenated and projected back to `dim`.
 */
export class MultiHeadAttention extends Module {
  readonly dim: number;
  readonly heads: number;
  readonly headDim: number;
  readonly qkv: Linear;
  readonly out: Linear;

  constructor(options: MultiHeadAttentionOptions) {
    super();
    assertPositiveInteger(options.dim, 'MultiHeadAttention: dim');
    assertPositiveInteger(options.heads, 'MultiHeadAttention: heads');
    if (options.dim % options.heads !== 0) throw new NnphysError(`MultiHeadAttention: dim must be divisible by heads, got dim ${options.dim} and heads ${options.heads}`);
    this.dim = options.dim;
    this.heads = options.heads;
    this.headDim = options.dim / options.heads;
    const rng = resolveRandom(options.seed);
    this.qkv = this.addModule('qkv', new Linear({ inputs: this.dim, outputs: 3 * this.dim, seed: rng }));
    this.out = this.addModule('out', new Linear({ inputs: this.dim, outputs: this.dim, seed: rng }));
  }

  /** x [B, T, dim] -> [B, T, dim]. */
  apply(x: tf.Tensor3D, context: AttentionContext): tf.Tensor3D {
    const [b, t] = x.shape;
    const { heads, headDim, dim } = this;
    return tf.tidy(() => {
      const qkv = this.qkv.apply(tf.reshape(x, [b * t, dim]) as tf.Tensor2D);
      // [B*T, 3*dim] -> [3, B, H, T, dh]
      const split = tf.transpose(tf.reshape(qkv, [b, t, 3, heads, headDim]), [2, 0, 3, 1, 4]);
      let [q, k, v] = tf.split(split, 3, 0).map((s) => tf.reshape(s, [b, heads, t, headDim]) as tf.Tensor4D) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      if (context.rotary) {
        q = applyRotary(q, context.rotary.cos, context.rotary.sin);
        k = applyRotary(k, context.rotary.cos, context.rotary.sin);
      }
      const attended = scaledDotProductAttention(q, k, v, context.allowed ? { mask: context.allowed } : {});
      // [B, H, T, dh] -> [B*T, dim]
      const merged = tf.reshape(tf.transpose(attended, [0, 2, 1, 3]), [b * t, dim]) as tf.Tensor2D;
      return tf.reshape(this.out.apply(merged), [b, t, dim]) as tf.Tensor3D;
    });
  }
}
