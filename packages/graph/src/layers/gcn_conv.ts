import * as tf from '@tensorflow/tfjs-core';
import { Linear, Module, type Random, assertPositiveInteger, gatherRows, resolveRandom, segmentSum } from '@nnphys/core';
import type { GraphBatch } from '../graph.js';
import { assertGraphBatch } from '../validate_batch.js';
import { NodeOutput, type NodeOutputOptions } from './output_stage.js';

export interface GCNConvOptions extends NodeOutputOptions {
  inputs: number;
  outputs: number;
  /** Add a self-loop to every node, Ã = A + I (default true, as in Kipf & Welling). */
  selfLoops?: boolean;
  /** Symmetric normalisation D̃^-1/2 Ã D̃^-1/2 (default true); false gives the plain sum Ã X W. */
  normalize?: boolean;
  bias?: boolean;
  seed?: number | Random;
}

/**
 * Graph convolution of Kipf & Welling (ICLR 2017), eq. 2:
 *   H' = D̃^-1/2 Ã D̃^-1/2 H W + b,  Ã[v, u] = 1 for every edge u -> v (+ I),
 *   D̃[v, v] = Σ_u Ã[v, u]  (the in-degree plus one),
 * so edge u -> v carries the weight 1 / sqrt(d̃_u d̃_v) (PyG's gcn_norm).
 * With self-loops every degree is >= 1. Without them a node with no
 * incoming edge has degree 0, and d^-1/2 is taken as 0 for it (PyG's
 * convention), so its outgoing messages carry weight 0.
 */
export class GCNConv extends Module {
  readonly inputs: number;
  readonly outputs: number;
  readonly selfLoops: boolean;
  readonly normalize: boolean;
  readonly linear: Linear;
  private readonly tail: NodeOutput;

  constructor(options: GCNConvOptions) {
    super();
    assertPositiveInteger(options?.inputs, 'GCNConv: inputs');
    assertPositiveInteger(options.outputs, 'GCNConv: outputs');
    const rng = resolveRandom(options.seed);
    this.inputs = options.inputs;
    this.outputs = options.outputs;
    this.selfLoops = options.selfLoops ?? true;
    this.normalize = options.normalize ?? true;
    this.linear = this.addModule('linear', new Linear({ inputs: options.inputs, outputs: options.outputs, bias: options.bias ?? true, seed: rng }));
    this.tail = this.addModule('output', new NodeOutput(options.inputs, options.outputs, options, rng, 'GCNConv'));
  }

  apply(batch: GraphBatch): GraphBatch {
    assertGraphBatch(batch, 'GCNConv.apply: batch', { nodeFeatures: this.inputs });
    const N = batch.nodes.shape[0];
    const E = batch.senders.shape[0];
    const nodes = tf.tidy(() => {
      // Bias after propagation: H' = Â (H W) + b.
      const xw = tf.matMul(batch.nodes, this.linear.weight) as tf.Tensor2D;
      let out: tf.Tensor2D;
      if (this.normalize) {
        const inDegree = segmentSum(tf.ones([E]), batch.receivers, N) as tf.Tensor1D;
        const degree = this.selfLoops ? tf.add(inDegree, 1) : inDegree;
        // d^-1/2, with 0 for isolated nodes (no self-loop, no incoming edge).
        const invSqrt = tf.where(tf.greater(degree, 0), tf.rsqrt(tf.maximum(degree, 1)), tf.zerosLike(degree)) as tf.Tensor1D;
        const weight = tf.mul(gatherRows(invSqrt, batch.senders), gatherRows(invSqrt, batch.receivers));
        const messages = tf.mul(gatherRows(xw, batch.senders), tf.expandDims(weight, 1));
        out = segmentSum(messages, batch.receivers, N) as tf.Tensor2D;
        if (this.selfLoops) out = tf.add(out, tf.mul(xw, tf.expandDims(tf.square(invSqrt), 1)));
      } else {
        out = segmentSum(gatherRows(xw, batch.senders), batch.receivers, N);
        if (this.selfLoops) out = tf.add(out, xw);
      }
      if (this.linear.bias) out = tf.add(out, this.linear.bias);
      return this.tail.apply(out, batch.nodes);
    });
    return { ...batch, nodes };
  }
}
