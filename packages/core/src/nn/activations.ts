import * as tf from '@tensorflow/tfjs-core';
import { nativeKernels } from '../engine/native.js';
import { NnphysError } from '../errors.js';
import { Gelu } from '../kernels/Gelu.js';
import { ensureKernels } from '../kernels/install.js';

export type ActivationName = 'relu' | 'silu' | 'gelu' | 'tanh' | 'sigmoid' | 'erf' | 'identity';
export const activationNames: readonly ActivationName[] = ['relu', 'silu', 'gelu', 'tanh', 'sigmoid', 'erf', 'identity'];
export type Activation = ActivationName | ((x: tf.Tensor) => tf.Tensor);

/** silu(x) = x * sigmoid(x) (swish). */
export function silu<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)) as T);
}

/**
 * gelu(x) = x * Phi(x), the exact (erf) form. With @nnphys/native on cpu or wasm: one fused kernel forward and
 * one backward (see kernels/Gelu.ts); otherwise the tfjs composition.
 */
export function gelu<T extends tf.Tensor>(x: T): T {
  const backend = tf.getBackend();
  if (x.dtype === 'float32' && (backend === 'wasm' || backend === 'cpu') && nativeKernels() !== null) {
    ensureKernels(backend);
    return tf.engine().runKernel(Gelu, { x }) as T;
  }
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))) as T);
}

/** The function for an activation name (or the function itself). */
export function activation(a: Activation): (x: tf.Tensor) => tf.Tensor {
  if (typeof a === 'function') return a;
  switch (a) {
    case 'relu':
      return tf.relu;
    case 'silu':
      return silu;
    case 'gelu':
      return gelu;
    case 'tanh':
      return tf.tanh;
    case 'sigmoid':
      return tf.sigmoid;
    case 'erf':
      return tf.erf;
    case 'identity':
      return (x) => x;
    default:
      throw new NnphysError(`activation must be one of ${activationNames.join(', ')} or a function, got ${JSON.stringify(a)}`);
  }
}
