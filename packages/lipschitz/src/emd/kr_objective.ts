import * as tf from '@tensorflow/tfjs-core';

/** Anything mapping [n, d] points to [n, 1] potentials. */
export interface Potential {
  apply(x: tf.Tensor2D): tf.Tensor2D;
}

/**
 * The Kantorovich-Rubinstein dual objective (004 eqs. 4.5-4.6) with exact
 * expectations: sum_i a_i f(x_i) - sum_j b_j f(y_j), one forward pass on the
 * stacked points. For a 1-Lipschitz f it is a lower bound of the EMD.
 */
export function krObjective(f: Potential, x: tf.Tensor2D, a: tf.Tensor1D, y: tf.Tensor2D, b: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const values = tf.reshape(f.apply(tf.concat([x, y], 0) as tf.Tensor2D), [-1]);
    return tf.sum(tf.mul(values, tf.concat([a, tf.neg(b)]))) as tf.Scalar;
  });
}
