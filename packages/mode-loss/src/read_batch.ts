import type * as tf from '@tensorflow/tfjs-core';
import { NnphysError, assertTensor } from '@nnphys/core';
import type { BatchArrays } from './binned_batch.js';

function floats(t: tf.Tensor): Float32Array | Float64Array {
  const d = t.dataSync();
  if (d instanceof Float32Array) return d;
  return Float64Array.from(d as ArrayLike<number>);
}

/**
 * Checks the tensors of a loss call and reads them: 1-D, same length, float
 * scores. Reading is synchronous because the losses are evaluated inside
 * tfjs's gradient tape; the tensors are small 1-D vectors.
 */
export function readBatch(scores: unknown, mass: unknown, labels: unknown, weights: unknown): BatchArrays {
  assertTensor(scores, 'scores', { rank: 1, dtype: 'float32' });
  assertTensor(mass, 'mass', { rank: 1, dtype: ['float32', 'int32'] });
  assertTensor(labels, 'labels', { rank: 1, dtype: ['float32', 'int32', 'bool'] });
  const n = scores.shape[0]!;
  if (mass.shape[0] !== n) throw new NnphysError(`mass must have the same length as scores (${n}), got a tensor of shape [${mass.shape.join(', ')}]`);
  if (labels.shape[0] !== n) throw new NnphysError(`labels must have the same length as scores (${n}), got a tensor of shape [${labels.shape.join(', ')}]`);
  const out: BatchArrays = { scores: floats(scores), mass: floats(mass), labels: labels.dataSync() as ArrayLike<number> };
  if (weights !== undefined) {
    assertTensor(weights, 'weights', { rank: 1, dtype: 'float32' });
    if (weights.shape[0] !== n) throw new NnphysError(`weights must have the same length as scores (${n}), got a tensor of shape [${weights.shape.join(', ')}]`);
    out.weights = weights.dataSync() as Float32Array;
  }
  return out;
}
