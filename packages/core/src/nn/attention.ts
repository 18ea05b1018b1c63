import * as tf from '@tensorflow/tfjs-core';
import { describe, NnphysError } from '../errors.js';
import { assertTensor } from '../validate.js';

export interface AttentionOptions {
  /** 1 where a query may attend to a key, 0 where not; broadcastable to [..., Tq, Tk]. */
  mask?: tf.Tensor;
  /** Forbid attending to later positions (query i sees keys j <= i). */
  causal?: boolean;
  /** Score scale (default 1/sqrt(d)); 000 eq. 6.1 omits it, eq. 6.4 and every implementation use it. */
  scale?: number;
}

/** A large finite negative instead of -Infinity, so a fully masked row gives a uniform softmax, never NaN. */
export const MASK_VALUE = -1e9;

/**
 * Dense scaled dot-product attention, softmax_j(q_i . k_j / sqrt(d)) v_j (000 eq. 6.4),
 * for q [..., Tq, d], k [..., Tk, d], v [..., Tk, dv]. The sparse, per-edge
 * form used on graphs is `segmentSoftmax` over incoming edges.
 */
export function scaledDotProductAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, options: AttentionOptions = {}): tf.Tensor {
  assertTensor(q, 'attention: q', { dtype: 'float32' });
  assertTensor(k, 'attention: k', { dtype: 'float32' });
  assertTensor(v, 'attention: v', { dtype: 'float32' });
  if (q.rank < 2 || k.rank !== q.rank || v.rank !== q.rank) throw new NnphysError(`attention: q, k, v must have the same rank >= 2, got ${describe(q)}, ${describe(k)}, ${describe(v)}`);
  const d = q.shape[q.rank - 1] as number;
  if (k.shape[k.rank - 1] !== d) throw new NnphysError(`attention: k must have feature size ${d} like q, got ${describe(k)}`);
  if (k.shape[k.rank - 2] !== v.shape[v.rank - 2]) throw new NnphysError(`attention: k and v must have the same number of keys, got ${describe(k)} and ${describe(v)}`);
  const tq = q.shape[q.rank - 2] as number;
  const tk = k.shape[k.rank - 2] as number;
  return tf.tidy(() => {
    let scores = tf.mul(tf.matMul(q, k, false, true), options.scale ?? 1 / Math.sqrt(d));
    let allowed: tf.Tensor | null = options.mask ? tf.cast(options.mask, 'float32') : null;
    if (options.causal) {
      const causal = tf.linalg.bandPart(tf.ones([tq, tk]), -1, 0);
      allowed = allowed ? tf.mul(allowed, causal) : causal;
    }
    if (allowed) scores = tf.add(tf.mul(scores, allowed), tf.mul(tf.sub(1, allowed), MASK_VALUE));
    return tf.matMul(tf.softmax(scores), v);
  });
}
