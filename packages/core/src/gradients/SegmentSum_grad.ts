import * as tf from '@tensorflow/tfjs-core';
import { runGatherRows } from '../kernels/run.js';
import { SegmentSum, type SegmentSumAttrs } from '../kernels/SegmentSum.js';

/** The adjoint of a segment sum gathers the output gradient back to each row (0 for dropped rows). */
export const segmentSumGradConfig: tf.GradConfig = {
  kernelName: SegmentSum,
  inputsToSave: ['segmentIds'],
  gradFunc: (dy, saved, attrs) => {
    const [segmentIds] = saved as [tf.Tensor];
    const { argName } = attrs as unknown as SegmentSumAttrs;
    return {
      x: () => runGatherRows(dy as tf.Tensor, segmentIds, 'zero', argName),
      segmentIds: () => tf.zerosLike(segmentIds),
    };
  },
};
