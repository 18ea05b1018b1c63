import * as tf from '@tensorflow/tfjs-core';

/**
 * Rotary position embedding (RoPE, Su et al. 2021), the positional bias of the
 * 004 App. D.7 models. Feature pairs (i, i + d/2) of each head are rotated by
 * the angle p * base^(-2i/d) for a token at position p, so q_m . k_n depends on
 * the positions only through m - n. Tables are built in float64 on the host
 * and rounded once to float32.
 */
export function rotaryTables(positions: Int32Array | number[], batch: number, length: number, headDim: number, base: number): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
  const half = headDim / 2;
  const cos = new Float32Array(batch * length * headDim);
  const sin = new Float32Array(batch * length * headDim);
  const inv = new Float64Array(half);
  for (let i = 0; i < half; i++) inv[i] = base ** ((-2 * i) / headDim);
  for (let r = 0; r < batch * length; r++) {
    const p = positions[r] as number;
    for (let i = 0; i < half; i++) {
      const angle = p * (inv[i] as number);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[r * headDim + i] = c;
      cos[r * headDim + i + half] = c;
      sin[r * headDim + i] = s;
      sin[r * headDim + i + half] = s;
    }
  }
  // [B, 1, T, dh]: broadcast over heads.
  return { cos: tf.tensor4d(cos, [batch, 1, length, headDim]), sin: tf.tensor4d(sin, [batch, 1, length, headDim]) };
}

/** x * cos + rotateHalf(x) * sin for x [B, H, T, dh], rotateHalf(x1, x2) = (-x2, x1). */
export function applyRotary(x: tf.Tensor4D, cos: tf.Tensor4D, sin: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const half = (x.shape[3] as number) / 2;
    const [x1, x2] = tf.split(x, [half, half], 3) as [tf.Tensor4D, tf.Tensor4D];
    const rotated = tf.concat([tf.neg(x2), x1], 3);
    return tf.add(tf.mul(x, cos), tf.mul(rotated, sin)) as tf.Tensor4D;
  });
}
