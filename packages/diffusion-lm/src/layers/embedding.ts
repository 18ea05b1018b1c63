import * as tf from '@tensorflow/tfjs-core';
import { Module, type Random, assertPositiveInteger, gatherRows, resolveRandom } from '@nnphys/core';

/**
 * A lookup table of `count` rows of size `dim`, initialised N(0, std^2)
 * (GPT-2 uses std 0.02). Rows are picked with core's `gatherRows`, whose
 * gradient is a segment sum (tfjs's gatherND has none; platform.md).
 */
export class Embedding extends Module {
  readonly count: number;
  readonly dim: number;
  readonly table: tf.Variable;

  constructor(options: { count: number; dim: number; std?: number; seed?: number | Random }) {
    super();
    assertPositiveInteger(options.count, 'Embedding: count');
    assertPositiveInteger(options.dim, 'Embedding: dim');
    this.count = options.count;
    this.dim = options.dim;
    const rng = resolveRandom(options.seed);
    const values = rng.fillNormal(new Float32Array(this.count * this.dim), 0, options.std ?? 0.02);
    this.table = this.addVariable('table', tf.tensor2d(values, [this.count, this.dim]));
  }

  /** Rows for flat int32 ids (already range-checked by the caller). */
  apply(ids: tf.Tensor1D): tf.Tensor2D {
    return gatherRows(this.table as unknown as tf.Tensor2D, ids);
  }
}
