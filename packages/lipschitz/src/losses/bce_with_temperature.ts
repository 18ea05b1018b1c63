import * as tf from '@tensorflow/tfjs-core';
import { assertPositiveNumber } from '@nnphys/core';
import { alignLabels } from './labels.js';

export interface BceWithTemperatureOptions {
  /** tau > 0 (eq. 2.13); 1 is plain BCE. */
  temperature: number;
}

/**
 * Binary cross-entropy with temperature (004 eq. 2.13): L_BCE(y, tau yhat) on
 * logits yhat and labels y in {0, 1}, mean over the batch, computed stably as
 * max(z, 0) - z y + log(1 + exp(-|z|)) with z = tau yhat. A Lipschitz network
 * cannot make its logits large, so plain BCE keeps pushing on points already
 * classified right; a large tau sharpens the sigmoid so that the loss tracks
 * accuracy (§2.5).
 */
export function bceWithTemperature(options: BceWithTemperatureOptions): (labels: tf.Tensor, logits: tf.Tensor) => tf.Scalar {
  const temperature = options?.temperature;
  assertPositiveNumber(temperature, 'bceWithTemperature: temperature');
  return (labels, logits) =>
    tf.tidy(() => {
      const y = alignLabels(labels, logits, 'bceWithTemperature');
      const z = tf.mul(logits, temperature);
      return tf.mean(tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))) as tf.Scalar;
    });
}
