import * as tf from '@tensorflow/tfjs-core';
import { type Activation, Linear, Module, NnphysError, type Random, activation, assertOneOf, assertPositiveInteger, gatherRows, resolveRandom } from '@nnphys/core';
import { aggregate } from '../aggregate.js';
import type { GraphBatch } from '../graph.js';
import { assertGraphBatch } from '../validate_batch.js';
import { setSegments } from './set_segments.js';

export interface EquivariantLinearOptions {
  inputs: number;
  outputs: number;
  /** 'sum' gives 1 1ᵀ X Γ, 'mean' gives (1/n) 1 1ᵀ X Γ (default 'sum'). */
  pool?: 'sum' | 'mean';
  activation?: Activation;
  bias?: boolean;
  seed?: number | Random;
}

/**
 * Linear permutation-equivariant set layer (Zaheer et al. 2017, §4):
 *   Y = σ(X Λ + 1 1ᵀ X Γ + 1 bᵀ)   (mean variant: (1/n) 1 1ᵀ),
 * the most general linear equivariant map on sets, per set of a dense batch
 * [B, S, F] (+ mask) or per graph of a GraphBatch.
 */
export class EquivariantLinear extends Module {
  readonly inputs: number;
  readonly outputs: number;
  readonly pool: 'sum' | 'mean';
  readonly lambda: Linear;
  readonly gamma: Linear;
  private readonly act: ((x: tf.Tensor) => tf.Tensor) | null;

  constructor(options: EquivariantLinearOptions) {
    super();
    assertPositiveInteger(options?.inputs, 'EquivariantLinear: inputs');
    assertPositiveInteger(options.outputs, 'EquivariantLinear: outputs');
    this.pool = options.pool ?? 'sum';
    assertOneOf(this.pool, 'EquivariantLinear: pool', ['sum', 'mean']);
    const rng = resolveRandom(options.seed);
    this.inputs = options.inputs;
    this.outputs = options.outputs;
    this.lambda = this.addModule('lambda', new Linear({ inputs: options.inputs, outputs: options.outputs, bias: options.bias ?? true, seed: rng }));
    this.gamma = this.addModule('gamma', new Linear({ inputs: options.inputs, outputs: options.outputs, bias: false, seed: rng }));
    this.act = options.activation !== undefined ? activation(options.activation) : null;
  }

  private rows(x: tf.Tensor2D, ids: tf.Tensor1D, numSegments: number): tf.Tensor2D {
    // 1 1ᵀ X Γ = gather(pool(X), ids) Γ; pooling before Γ multiplies fewer rows.
    const pooled = aggregate(x, ids, numSegments, this.pool);
    const y = tf.add(this.lambda.apply(x), this.gamma.apply(gatherRows(pooled, ids))) as tf.Tensor2D;
    return this.act ? (this.act(y) as tf.Tensor2D) : y;
  }

  apply(x: tf.Tensor3D, mask?: tf.Tensor2D): tf.Tensor3D;
  apply(x: GraphBatch): GraphBatch;
  apply(x: tf.Tensor3D | GraphBatch, mask?: tf.Tensor2D): tf.Tensor3D | GraphBatch {
    if (x !== null && typeof x === 'object' && !(x instanceof tf.Tensor) && 'graphIds' in x) {
      assertGraphBatch(x, 'EquivariantLinear.apply: batch', { nodeFeatures: this.inputs });
      const nodes = tf.tidy(() => this.rows(x.nodes, x.graphIds, x.numGraphs));
      return { ...x, nodes };
    }
    return tf.tidy(() => {
      const s = setSegments(x, mask, 'EquivariantLinear');
      if (s.rows.shape[1] !== this.inputs) throw new NnphysError(`EquivariantLinear: x must have ${this.inputs} features (axis 2), got shape [${(x as tf.Tensor).shape.join(', ')}]`);
      let y = this.rows(s.rows, s.ids, s.batch + 1);
      if (s.mask) y = tf.mul(y, s.mask);
      return tf.reshape(y, [s.batch, s.size, this.outputs]) as tf.Tensor3D;
    });
  }
}
