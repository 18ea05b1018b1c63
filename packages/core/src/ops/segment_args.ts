import type * as tf from '@tensorflow/tfjs-core';
import { describe, NnphysError } from '../errors.js';
import { assertNonNegativeInteger, assertTensor } from '../validate.js';

/** Validation shared by the segment ops: data [E, ...], ids int32 [E], numSegments >= 0. */
export function validateSegmentArgs(op: string, data: unknown, segmentIds: unknown, numSegments: unknown): asserts data is tf.Tensor {
  assertTensor(data, `${op}: data`, { dtype: 'float32' });
  if ((data as tf.Tensor).rank < 1) throw new NnphysError(`${op}: data must have rank >= 1, got ${describe(data)}`);
  assertTensor(segmentIds, `${op}: segmentIds`, { rank: 1, dtype: 'int32' });
  assertNonNegativeInteger(numSegments, `${op}: numSegments`);
  const e = (data as tf.Tensor).shape[0];
  if ((segmentIds as tf.Tensor).shape[0] !== e) {
    throw new NnphysError(`${op}: segmentIds must have one id per row of data (${e}), got ${describe(segmentIds)}`);
  }
}
