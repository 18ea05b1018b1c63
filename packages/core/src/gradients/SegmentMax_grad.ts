import * as tf from '@tensorflow/tfjs-core';
import { runScatterArgRows } from '../kernels/run.js';
import { SegmentMax } from '../kernels/SegmentMax.js';

/** The whole gradient of each segment maximum goes to the one row that attained it (lowest on ties). */
export const segmentMaxGradConfig: tf.GradConfig = {
  kernelName: SegmentMax,
  inputsToSave: ['x', 'segmentIds'],
  outputsToSave: [false, true],
  gradFunc: (dys, saved) => {
    const [x, segmentIds, arg] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
    const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
    return {
      x: () => runScatterArgRows(dy, arg, x.shape[0] as number),
      segmentIds: () => tf.zerosLike(segmentIds),
    };
  },
};
