import * as tf from '@tensorflow/tfjs-core';
import { Module, NnphysError, assertOneOf, gatherRows } from '@nnphys/core';
import { aggregate } from '../aggregate.js';
import { type Aggregation, type GraphBatch, aggregations } from '../graph.js';
import { assertGraphBatch } from '../validate_batch.js';
import { setSegments } from './set_segments.js';

export interface DeepSetsEquivariantOptions {
  /** φ, applied to every element before pooling: [n, F] -> [n, H]. */
  phi: Module;
  /** ψ, applied to [x_i ‖ pooled]: [n, F + H] -> [n, out]. */
  psi: Module;
  /** Pooling over each set (default 'sum', 000 eq. 5.8). */
  pool?: Aggregation;
}

/**
 * Permutation-equivariant set layer, 000 eq. 5.8:
 *   y_i = ψ(x_i ‖ Σ_j φ(x_j)),
 * so permuting the elements permutes the outputs. Dense input x [B, S, F]
 * (+ mask [B, S]) gives [B, S, out] with masked rows 0; a GraphBatch gives
 * the batch with new node features (each graph's nodes form one set).
 */
export class DeepSetsEquivariant extends Module {
  readonly phi: Module;
  readonly psi: Module;
  readonly pool: Aggregation;

  constructor(options: DeepSetsEquivariantOptions) {
    super();
    if (!(options?.phi instanceof Module)) throw new NnphysError('DeepSetsEquivariant: phi must be a Module applied to every element ([n, F] -> [n, H])');
    if (!(options.psi instanceof Module)) throw new NnphysError('DeepSetsEquivariant: psi must be a Module applied to [x_i ‖ pooled] ([n, F + H] -> [n, out])');
    this.pool = options.pool ?? 'sum';
    assertOneOf(this.pool, 'DeepSetsEquivariant: pool', aggregations);
    this.phi = this.addModule('phi', options.phi);
    this.psi = this.addModule('psi', options.psi);
  }

  private perElement(rows: tf.Tensor2D, ids: tf.Tensor1D, numSegments: number): tf.Tensor2D {
    const pooled = aggregate(this.phi.apply(rows) as tf.Tensor2D, ids, numSegments, this.pool);
    return this.psi.apply(tf.concat([rows, gatherRows(pooled, ids)], 1)) as tf.Tensor2D;
  }

  apply(x: tf.Tensor3D, mask?: tf.Tensor2D): tf.Tensor3D;
  apply(x: GraphBatch): GraphBatch;
  apply(x: tf.Tensor3D | GraphBatch, mask?: tf.Tensor2D): tf.Tensor3D | GraphBatch {
    if (x !== null && typeof x === 'object' && !(x instanceof tf.Tensor) && 'graphIds' in x) {
      assertGraphBatch(x, 'DeepSetsEquivariant.apply: batch');
      const nodes = tf.tidy(() => this.perElement(x.nodes, x.graphIds, x.numGraphs));
      return { ...x, nodes };
    }
    return tf.tidy(() => {
      const s = setSegments(x, mask, 'DeepSetsEquivariant');
      let y = this.perElement(s.rows, s.ids, s.batch + 1);
      if (s.mask) y = tf.mul(y, s.mask);
      return tf.reshape(y, [s.batch, s.size, y.shape[1]]) as tf.Tensor3D;
    });
  }
}
