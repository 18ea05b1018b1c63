import type * as tf from '@tensorflow/tfjs-core';
import { runSegmentSum } from '../kernels/run.js';
import { validateSegmentArgs } from './segment_args.js';

/**
 * out[s] = sum of data[e] over rows e with segmentIds[e] = s; empty segments
 * are 0, negative ids are dropped (padding), ids >= numSegments throw.
 * O(E*F), deterministic (fixed summation order, float64 accumulation).
 */
export function segmentSum<T extends tf.Tensor>(data: T, segmentIds: tf.Tensor1D, numSegments: number): T {
  validateSegmentArgs('segmentSum', data, segmentIds, numSegments);
  return runSegmentSum(data, segmentIds, numSegments) as T;
}
