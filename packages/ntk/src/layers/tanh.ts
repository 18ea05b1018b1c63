import * as tf from '@tensorflow/tfjs-core';
import { NnphysError } from '@nnphys/core';
import type { Layer } from '../layer.js';

/**
 * tanh: usable in finite networks, but its NNGP/NTK duals have no closed
 * form (neural-tangents #15), so `kernel` throws and points to the
 * alternatives instead of returning an approximation silently.
 */
export function tanh(): Layer {
  return {
    name: 'tanh',
    rowwise: true,
    outputDim: (inputDim) => inputDim,
    init: () => null,
    apply: (x) => tf.tanh(x),
    kernel(): never {
      throw new NnphysError(
        'tanh: the infinite-width NNGP/NTK of tanh has no closed form. Use erf() (closed form, similar shape), ' +
          'monteCarloKernel(architecture, x1, x2) (Monte-Carlo average of empirical kernels of finite networks), ' +
          'or elementwise({ name: "tanh", apply: tf.tanh, fn: Math.tanh, derivative: (x) => 1 - Math.tanh(x) ** 2 }) ' +
          '(Gauss-Hermite quadrature).',
      );
    },
  };
}
