import * as tf from '@tensorflow/tfjs-core';

/**
 * A scalar whose value and gradients are computed outside tfjs (float64 plain
 * JS on the tensors' data), attached to `inputs` through tf.customGrad so that
 * tf.grad / optimizers see it. `gradients` runs only when a gradient is asked
 * for and returns one array per input, with the input's length.
 */
export function customScalar(inputs: tf.Tensor[], value: number, gradients: () => Float64Array[]): tf.Scalar {
  const f = tf.customGrad((..._inputs: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: tf.scalar(value, 'float32'),
    gradFunc: (dy: tf.Tensor) => gradients().map((g, i) => tf.mul(dy, tf.tensor(Float32Array.from(g), inputs[i]!.shape, 'float32'))),
  }));
  return f(...inputs) as tf.Scalar;
}
