import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, assertTensor } from '@nnphys/core';

/** Label convention of the classification losses: {0, 1} (default, as BCE and twoMoons) or {-1, +1}. */
export type LabelConvention = 'binary' | 'signed';
export const labelConventions: readonly LabelConvention[] = ['binary', 'signed'];

/** Checks that labels (float32, int32 or bool) have one entry per logit (float32). */
export function checkLabels(labels: tf.Tensor, logits: tf.Tensor, fn: string): void {
  assertTensor(logits, `${fn}: logits`, { dtype: 'float32' });
  assertTensor(labels, `${fn}: labels`, { dtype: ['float32', 'int32', 'bool'] });
  if (labels.size !== logits.size) throw new NnphysError(`${fn}: labels must have one entry per logit (${logits.size}, shape [${logits.shape}]), got shape [${labels.shape}]`);
}

/** Checks labels/logits and returns labels shaped like the logits (float32). */
export function alignLabels(labels: tf.Tensor, logits: tf.Tensor, fn: string): tf.Tensor {
  checkLabels(labels, logits, fn);
  const l = labels.dtype === 'float32' ? labels : tf.cast(labels, 'float32');
  return l.shape.length === logits.shape.length && l.shape.every((s, i) => s === logits.shape[i]) ? l : tf.reshape(l, logits.shape);
}

/** Signed labels y in {-1, +1} from the given convention. */
export function signedLabels(labels: tf.Tensor, convention: LabelConvention): tf.Tensor {
  return convention === 'signed' ? labels : tf.sub(tf.mul(labels, 2), 1);
}
