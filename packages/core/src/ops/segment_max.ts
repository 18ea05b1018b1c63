import * as tf from '@tensorflow/tfjs-core';
import { runSegmentMax } from '../kernels/run.js';
import { validateSegmentArgs } from './segment_args.js';

/**
 * Elementwise maximum of each segment's rows; an empty segment gives 0 (never
 * -Infinity). The gradient goes to the row attaining the maximum, the lowest
 * row on ties, so it is deterministic.
 */
export function segmentMax<T extends tf.Tensor>(data: T, segmentIds: tf.Tensor1D, numSegments: number): T {
  validateSegmentArgs('segmentMax', data, segmentIds, numSegments);
  return tf.tidy(() => runSegmentMax(data, segmentIds, numSegments)[0] as T);
}

/** Elementwise minimum of each segment's rows (-segmentMax(-data)); an empty segment gives 0. */
export function segmentMin<T extends tf.Tensor>(data: T, segmentIds: tf.Tensor1D, numSegments: number): T {
  validateSegmentArgs('segmentMin', data, segmentIds, numSegments);
  return tf.tidy(() => tf.neg(runSegmentMax(tf.neg(data), segmentIds, numSegments)[0] as tf.Tensor) as T);
}
