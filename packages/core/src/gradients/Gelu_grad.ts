import * as tf from '@tensorflow/tfjs-core';
import { Gelu, GeluGrad } from '../kernels/Gelu.js';

/** d gelu / dx = Phi(x) + x phi(x), in one kernel. */
export const geluGradConfig: tf.GradConfig = {
  kernelName: Gelu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.engine().runKernel(GeluGrad, { x, dy: dy as tf.Tensor }) as tf.Tensor };
  },
};
