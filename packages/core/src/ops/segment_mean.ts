import * as tf from '@tensorflow/tfjs-core';
import { runSegmentCount, runSegmentSum } from '../kernels/run.js';
import { validateSegmentArgs } from './segment_args.js';

/** Mean of each segment's rows; an empty segment gives 0. Gradient: dy / count, gathered back. */
export function segmentMean<T extends tf.Tensor>(data: T, segmentIds: tf.Tensor1D, numSegments: number): T {
  validateSegmentArgs('segmentMean', data, segmentIds, numSegments);
  return tf.tidy(() => {
    const sum = runSegmentSum(data, segmentIds, numSegments);
    const count = tf.maximum(runSegmentCount(segmentIds, numSegments), 1);
    const shape = [numSegments, ...data.shape.slice(1).map(() => 1)];
    return tf.div(sum, tf.reshape(count, shape)) as T;
  });
}
