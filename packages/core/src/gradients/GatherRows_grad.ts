import * as tf from '@tensorflow/tfjs-core';
import { GatherRows, type GatherRowsAttrs } from '../kernels/GatherRows.js';
import { runSegmentSum } from '../kernels/run.js';

/** The adjoint of a row gather is a segment sum over the same indices (negative ones dropped). */
export const gatherRowsGradConfig: tf.GradConfig = {
  kernelName: GatherRows,
  inputsToSave: ['x', 'indices'],
  gradFunc: (dy, saved, attrs) => {
    const [x, indices] = saved as [tf.Tensor, tf.Tensor];
    const { argName } = attrs as unknown as GatherRowsAttrs;
    return {
      x: () => runSegmentSum(dy as tf.Tensor, indices, x.shape[0] as number, argName),
      indices: () => tf.zerosLike(indices),
    };
  },
};
