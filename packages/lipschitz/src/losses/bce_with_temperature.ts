import * as tf from '@tensorflow/tfjs-core';
import { assertPositiveNumber } from '@nnphys/core';
import { BceKernel, bceKernel } from '../kernels/bce_kernels.js';
import { runPackageKernel } from '../kernels/registry.js';
import { fusedBackends } from '../networks/fused_network.js';
import { alignLabels, checkLabels } from './labels.js';

export interface BceWithTemperatureOptions {
  /** tau > 0 (eq. 2.13); 1 is plain BCE. */
  temperature: number;
  /**
   * One fused kernel (and a multiply for the gradient) on cpu and wasm (default true); false: the graph of
   * tfjs ops. The fused loss is differentiable w.r.t. the logits only (labels are data).
   */
  fused?: boolean;
}

/**
 * Binary cross-entropy with temperature (004 eq. 2.13): L_BCE(y, tau yhat) on
 * logits yhat and labels y in {0, 1}, mean over the batch, computed stably as
 * max(z, 0) - z y + log(1 + exp(-|z|)) with z = tau yhat. A Lipschitz network
 * cannot make its logits large, so plain BCE keeps pushing on points already
 * classified right; a large tau sharpens the sigmoid so that the loss tracks
 * accuracy (§2.5).
 * d loss / d yhat = tau (sigmoid(tau yhat) - y) / N.
 */
export function bceWithTemperature(options: BceWithTemperatureOptions): (labels: tf.Tensor, logits: tf.Tensor) => tf.Scalar {
  const temperature = options?.temperature;
  assertPositiveNumber(temperature, 'bceWithTemperature: temperature');
  const fused = options.fused ?? true;
  return (labels, logits) => {
    if (fused && fusedBackends.includes(tf.getBackend())) {
      checkLabels(labels, logits, 'bceWithTemperature');
      return fusedBce(labels, logits, temperature);
    }
    return tf.tidy(() => {
      const y = alignLabels(labels, logits, 'bceWithTemperature');
      const z = tf.mul(logits, temperature);
      return tf.mean(tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))) as tf.Scalar;
    });
  };
}

function fusedBce(labels: tf.Tensor, logits: tf.Tensor, temperature: number): tf.Scalar {
  if (!tf.engine().isTapeOn()) {
    const [loss] = runPackageKernel(BceKernel, bceKernel, { z: logits, y: labels }, { temperature, record: false }) as tf.Tensor[];
    return loss as tf.Scalar;
  }
  // labels enter through the closure, not as an input of the op: no gradient flows to them
  const op = tf.customGrad(((z: tf.Tensor, save: tf.GradSaveFunc) => {
    const [loss, grad] = runPackageKernel(BceKernel, bceKernel, { z, y: labels }, { temperature, record: true }) as tf.Tensor[];
    save([grad as tf.Tensor]);
    return { value: loss as tf.Tensor, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(saved[0] as tf.Tensor, dy) };
  }) as unknown as Parameters<typeof tf.customGrad<tf.Scalar>>[0]);
  return op(logits) as tf.Scalar;
}
