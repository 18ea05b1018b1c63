import * as tf from '@tensorflow/tfjs-core';
import { Module, NnphysError, assertOneOf } from '@nnphys/core';
import { aggregate } from '../aggregate.js';
import { type Aggregation, type GraphBatch, aggregations } from '../graph.js';
import { assertGraphBatch } from '../validate_batch.js';
import { setSegments } from './set_segments.js';

export interface DeepSetsOptions {
  /** φ, applied to every element: [n, F] -> [n, H]. */
  phi: Module;
  /** ρ, applied to the pooled embedding: [sets, H] -> [sets, out]. */
  rho: Module;
  /** Pooling over each set (default 'sum', 000 eq. 5.7). */
  pool?: Aggregation;
}

function isGraphBatch(x: unknown): x is GraphBatch {
  return x !== null && typeof x === 'object' && !(x instanceof tf.Tensor) && 'graphIds' in (x as object);
}

/**
 * Permutation-invariant set function, 000 eq. 5.7 (Zaheer et al., NeurIPS 2017):
 *   f({x_1..x_n}) = ρ(Σ_i φ(x_i)).
 * Works on dense sets x [B, S, F] with an optional 0/1 mask [B, S] (masked
 * elements are ignored by every pooling mode) and on ragged sets given as a
 * GraphBatch (the nodes of each graph form one set; edges are ignored).
 * An empty set pools to 0.
 *
 * Limit: 000 states that every invariant function has this form. That holds
 * for countable domains, or for continuous φ, ρ only when the latent width is
 * at least the set size (Wagstaff et al., ICML 2019).
 */
export class DeepSets extends Module {
  readonly phi: Module;
  readonly rho: Module;
  readonly pool: Aggregation;

  constructor(options: DeepSetsOptions) {
    super();
    if (!(options?.phi instanceof Module)) throw new NnphysError('DeepSets: phi must be a Module applied to every element ([n, F] -> [n, H])');
    if (!(options.rho instanceof Module)) throw new NnphysError('DeepSets: rho must be a Module applied to the pooled embedding ([sets, H] -> [sets, out])');
    this.pool = options.pool ?? 'sum';
    assertOneOf(this.pool, 'DeepSets: pool', aggregations);
    this.phi = this.addModule('phi', options.phi);
    this.rho = this.addModule('rho', options.rho);
  }

  /** The pooled embedding Σ_i φ(x_i) per set, before ρ: [sets, H]. */
  embed(x: tf.Tensor3D | GraphBatch, mask?: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      if (isGraphBatch(x)) {
        assertGraphBatch(x, 'DeepSets: batch');
        return aggregate(this.phi.apply(x.nodes) as tf.Tensor2D, x.graphIds, x.numGraphs, this.pool);
      }
      const s = setSegments(x, mask, 'DeepSets');
      const pooled = aggregate(this.phi.apply(s.rows) as tf.Tensor2D, s.ids, s.batch + 1, this.pool);
      return tf.slice(pooled, [0, 0], [s.batch, -1]);
    });
  }

  /** ρ(⊕_i φ(x_i)) per set: [B, out] for dense input, [numGraphs, out] for a batch. */
  apply(x: tf.Tensor3D | GraphBatch, mask?: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.rho.apply(this.embed(x, mask)) as tf.Tensor2D);
  }
}
