import type * as tf from '@tensorflow/tfjs-core';
import { assertOneOf, segmentMax, segmentMean, segmentMin, segmentSum } from '@nnphys/core';
import { type Aggregation, aggregations } from './graph.js';

/**
 * Reduces the rows of `data` that share a segment id (the ⊕ of 000 eq. 5.9,
 * or a readout). Backed by core's segment kernels: deterministic, O(rows),
 * differentiable on cpu and wasm. Empty segments give 0 for every mode;
 * negative ids are dropped.
 */
export function aggregate<T extends tf.Tensor>(data: T, segmentIds: tf.Tensor1D, numSegments: number, mode: Aggregation = 'sum'): T {
  assertOneOf(mode, 'aggregate: mode', aggregations);
  switch (mode) {
    case 'sum':
      return segmentSum(data, segmentIds, numSegments);
    case 'mean':
      return segmentMean(data, segmentIds, numSegments);
    case 'max':
      return segmentMax(data, segmentIds, numSegments);
    case 'min':
      return segmentMin(data, segmentIds, numSegments);
  }
}
