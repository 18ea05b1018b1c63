import * as tf from '@tensorflow/tfjs-core';
import { assertOneOf } from '@nnphys/core';
import { aggregate } from '../aggregate.js';
import { type Aggregation, type GraphBatch, aggregations } from '../graph.js';
import { assertGraphBatch } from '../validate_batch.js';

/**
 * Graph readout h_G = ⊕_{v in G} h_v (000 eq. 5.10 with ⊕ = sum; mean, max
 * and min as options): [N, F] -> [numGraphs, F]. An empty graph gives 0.
 * A padded batch keeps the padding graph's row (use `batch.graphMask`).
 * `nodes` defaults to `batch.nodes`.
 */
export function globalPool(batch: GraphBatch, mode: Aggregation = 'sum', nodes?: tf.Tensor2D): tf.Tensor2D {
  assertGraphBatch(batch, 'globalPool: batch');
  assertOneOf(mode, 'globalPool: mode', aggregations);
  const x = nodes ?? batch.nodes;
  if (nodes !== undefined) {
    assertGraphBatch({ ...batch, nodes }, 'globalPool: (batch with nodes)');
  }
  return tf.tidy(() => aggregate(x, batch.graphIds, batch.numGraphs, mode));
}
