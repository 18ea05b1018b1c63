import * as tf from '@tensorflow/tfjs-core';
import { Linear, Module, NnphysError, type Random, assertPositiveInteger, resolveRandom, segmentSoftmax, segmentSum } from '@nnphys/core';
import type { GraphBatch } from '../graph.js';
import { assertGraphBatch } from '../validate_batch.js';

export interface AttentionPoolOptions {
  /** Node feature width. */
  inputs: number;
  /** Output width (default: inputs). With the default value network, outputs = inputs means the identity. */
  outputs?: number;
  /** Gate network [N, inputs] -> [N, 1] scores (default Linear(inputs, 1)). */
  gate?: Module;
  /** Value network [N, inputs] -> [N, outputs] (default identity when outputs = inputs, else Linear). */
  value?: Module;
  seed?: number | Random;
}

/**
 * Soft-attention readout (Li et al., ICLR 2016, eq. 7; PyG's AttentionalAggregation):
 *   h_G = Σ_{v in G} softmax_{v in G}(gate(h_v)) · value(h_v),
 * the softmax taken over the nodes of each graph. An empty graph gives 0.
 */
export class AttentionPool extends Module {
  readonly inputs: number;
  readonly outputs: number;
  readonly gate: Module;
  readonly value: Module | null;

  constructor(options: AttentionPoolOptions) {
    super();
    assertPositiveInteger(options?.inputs, 'AttentionPool: inputs');
    const outputs = options.outputs ?? options.inputs;
    assertPositiveInteger(outputs, 'AttentionPool: outputs');
    const rng = resolveRandom(options.seed);
    this.inputs = options.inputs;
    this.outputs = outputs;
    if (options.gate !== undefined && !(options.gate instanceof Module)) throw new NnphysError('AttentionPool: gate must be a Module mapping [N, inputs] to [N, 1]');
    if (options.value !== undefined && !(options.value instanceof Module)) throw new NnphysError('AttentionPool: value must be a Module mapping [N, inputs] to [N, outputs]');
    this.gate = this.addModule('gate', options.gate ?? new Linear({ inputs: options.inputs, outputs: 1, seed: rng }));
    this.value = options.value
      ? this.addModule('value', options.value)
      : outputs !== options.inputs
        ? this.addModule('value', new Linear({ inputs: options.inputs, outputs, seed: rng }))
        : null;
  }

  /** Attention weight of each node within its graph, [N, 1]; they sum to 1 over every non-empty graph. */
  weights(batch: GraphBatch): tf.Tensor2D {
    assertGraphBatch(batch, 'AttentionPool.weights: batch', { nodeFeatures: this.inputs });
    return tf.tidy(() => {
      const scores = this.gate.apply(batch.nodes) as tf.Tensor2D;
      if (!(scores instanceof tf.Tensor) || scores.rank !== 2 || scores.shape[1] !== 1) {
        throw new NnphysError(`AttentionPool: gate must return [N, 1] scores, got ${scores instanceof tf.Tensor ? `shape [${scores.shape.join(', ')}]` : typeof scores}`);
      }
      return segmentSoftmax(scores, batch.graphIds, batch.numGraphs);
    });
  }

  apply(batch: GraphBatch): tf.Tensor2D {
    assertGraphBatch(batch, 'AttentionPool.apply: batch', { nodeFeatures: this.inputs });
    return tf.tidy(() => {
      const alpha = this.weights(batch);
      const values = this.value ? (this.value.apply(batch.nodes) as tf.Tensor2D) : batch.nodes;
      return segmentSum(tf.mul(values, alpha) as tf.Tensor2D, batch.graphIds, batch.numGraphs);
    });
  }
}
