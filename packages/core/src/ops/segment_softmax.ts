import type * as tf from '@tensorflow/tfjs-core';
import { runSegmentSoftmax } from '../kernels/run.js';
import { validateSegmentArgs } from './segment_args.js';

/**
 * Softmax of `scores` within each segment (e.g. over the incoming edges of
 * each node, 000 eq. 5.12), column by column for [E, H] scores (one softmax
 * per head). Stable: subtracts the per-segment maximum. Rows with a negative
 * id get 0.
 */
export function segmentSoftmax<T extends tf.Tensor>(scores: T, segmentIds: tf.Tensor1D, numSegments: number): T {
  validateSegmentArgs('segmentSoftmax', scores, segmentIds, numSegments);
  return runSegmentSoftmax(scores, segmentIds, numSegments) as T;
}
