import * as tf from '@tensorflow/tfjs-core';
import { gatherRows } from '@nnphys/core';

/**
 * log p(target_k) at flat positions rows[k] = b * length + t of logits
 * [batch, length, V], as a Tensor1D [K]. Only the selected rows are
 * normalised; selection uses core's differentiable `gatherRows`.
 */
export function selectedLogProbs(logits: tf.Tensor3D, rows: Int32Array, targets: Int32Array): tf.Tensor1D {
  return tf.tidy(() => {
    const [b, t, v] = logits.shape;
    const picked = gatherRows(tf.reshape(logits, [b * t, v]) as tf.Tensor2D, tf.tensor1d(rows, 'int32'));
    const logp = tf.logSoftmax(picked);
    const flat = new Int32Array(rows.length);
    for (let k = 0; k < rows.length; k++) flat[k] = k * v + (targets[k] as number);
    return gatherRows(tf.reshape(logp, [rows.length * v]) as tf.Tensor1D, tf.tensor1d(flat, 'int32'));
  });
}
