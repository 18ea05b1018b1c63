import type * as tf from '@tensorflow/tfjs-core';
import { describe, NnphysError } from '../errors.js';
import { runGatherRows } from '../kernels/run.js';
import { assertTensor } from '../validate.js';

/**
 * Rows of `x` picked by `indices`: out[e] = x[indices[e]]. Differentiable in x
 * (the gradient is a segment sum). An index outside [0, rows) throws.
 * One row-copy pass on cpu and wasm (the stock gather is 20-30x slower).
 */
export function gatherRows<T extends tf.Tensor>(x: T, indices: tf.Tensor1D): T {
  assertTensor(x, 'gatherRows: x', { dtype: ['float32', 'int32'] });
  if (x.rank < 1) throw new NnphysError(`gatherRows: x must have rank >= 1, got ${describe(x)}`);
  assertTensor(indices, 'gatherRows: indices', { rank: 1, dtype: 'int32' });
  return runGatherRows(x, indices, 'error') as T;
}
