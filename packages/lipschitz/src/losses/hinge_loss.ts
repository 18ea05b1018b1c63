import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, assertFiniteNumber, assertOneOf, assertTensor } from '@nnphys/core';
import { type LabelConvention, alignLabels, labelConventions, signedLabels } from './labels.js';

export interface HingeLossOptions {
  /** Margin m (eq. 2.16); must be > 0 (default 1). */
  margin?: number;
  /** Label values: 'binary' {0, 1} (default) or 'signed' {-1, +1}. */
  labels?: LabelConvention;
}

/**
 * Hinge loss with margin m (004 eq. 2.16): mean(max(0, m - y yhat)), y = +-1,
 * on raw outputs (logits). A Lipschitz classifier can reach zero loss once
 * every training point is at least m / lambda from the boundary, so a small
 * margin aligns the loss with accuracy (§2.5).
 */
export function hingeLoss(options: HingeLossOptions = {}): (labels: tf.Tensor, logits: tf.Tensor) => tf.Scalar {
  const margin = options.margin ?? 1;
  assertFiniteNumber(margin, 'hingeLoss: margin');
  if (margin <= 0) throw new NnphysError(`hingeLoss: margin must be > 0, got ${margin}`);
  const convention = options.labels ?? 'binary';
  assertOneOf(convention, 'hingeLoss: labels', labelConventions);
  return (labels, logits) =>
    tf.tidy(() => {
      const y = signedLabels(alignLabels(labels, logits, 'hingeLoss'), convention);
      return tf.mean(tf.relu(tf.sub(margin, tf.mul(y, logits)))) as tf.Scalar;
    });
}

/**
 * Hinge loss with a margin per example (004 eq. 2.15): mean(max(0, delta_i - y_i yhat_i)),
 * with delta from `dynamicMargins` (half the distance to the nearest example of the other class).
 */
export function dynamicHingeLoss(options: { labels?: LabelConvention } = {}): (labels: tf.Tensor, logits: tf.Tensor, margins: tf.Tensor) => tf.Scalar {
  const convention = options.labels ?? 'binary';
  assertOneOf(convention, 'dynamicHingeLoss: labels', labelConventions);
  return (labels, logits, margins) =>
    tf.tidy(() => {
      const y = signedLabels(alignLabels(labels, logits, 'dynamicHingeLoss'), convention);
      assertTensor(margins, 'dynamicHingeLoss: margins', { dtype: 'float32' });
      if (margins.size !== logits.size) throw new NnphysError(`dynamicHingeLoss: margins must have one entry per logit (${logits.size}), got shape [${margins.shape}]`);
      return tf.mean(tf.relu(tf.sub(tf.reshape(margins, logits.shape), tf.mul(y, logits)))) as tf.Scalar;
    });
}
