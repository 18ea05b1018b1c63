import * as tf from '@tensorflow/tfjs-core';
import { runGatherRows, runSegmentSum } from '../kernels/run.js';
import { SegmentSoftmax, type SegmentSoftmaxAttrs } from '../kernels/SegmentSoftmax.js';

/**
 * Softmax Jacobian per segment: dz = alpha * (dalpha - sum_{e' in s} dalpha[e'] alpha[e']).
 */
export const segmentSoftmaxGradConfig: tf.GradConfig = {
  kernelName: SegmentSoftmax,
  inputsToSave: ['segmentIds'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [segmentIds, alpha] = saved as [tf.Tensor, tf.Tensor];
    const { numSegments, argName } = attrs as unknown as SegmentSoftmaxAttrs;
    return {
      x: () => {
        const weighted = tf.mul(dy as tf.Tensor, alpha);
        const perSegment = runSegmentSum(weighted, segmentIds, numSegments, argName);
        const back = runGatherRows(perSegment, segmentIds, 'zero', argName);
        return tf.mul(alpha, tf.sub(dy as tf.Tensor, back));
      },
      segmentIds: () => tf.zerosLike(segmentIds),
    };
  },
};
