import * as tf from '@tensorflow/tfjs-core';
import {
  Linear,
  Module,
  NnphysError,
  type Random,
  assertFiniteNumber,
  assertOneOf,
  assertPositiveInteger,
  gatherRows,
  initWeights,
  resolveRandom,
  segmentSoftmax,
  segmentSum,
} from '@nnphys/core';
import type { GraphBatch } from '../graph.js';
import { assertGraphBatch } from '../validate_batch.js';
import { NodeOutput, type NodeOutputOptions } from './output_stage.js';

export interface GATConvOptions extends NodeOutputOptions {
  inputs: number;
  /** Width per head. */
  outputs: number;
  /** Attention heads (default 1). */
  heads?: number;
  /** Concatenate the heads ([N, heads * outputs], default) or average them ([N, outputs]). */
  concat?: boolean;
  /**
   * 'additive' (GAT, Veličković et al. 2018): f = LeakyReLU(a_dst·W h_v + a_src·W h_u);
   * 'dot' (scaled dot product): f = (W_q h_v)·(W_k h_u) / sqrt(outputs). Default 'additive'.
   */
  score?: 'additive' | 'dot';
  /** LeakyReLU slope of the additive score (default 0.2, the GAT default). */
  negativeSlope?: number;
  /** Let each node attend to itself (default true, as in GAT); self-loops carry no edge features. */
  selfLoops?: boolean;
  /** Edge feature width: the additive score gains a term a_edge·W_e e_uv (as PyG's edge_dim). */
  edgeInputs?: number;
  bias?: boolean;
  seed?: number | Random;
}

/** Attention weights of one GATConv call: weights[k, h] is α of edge senders[k] -> receivers[k] in head h. */
export interface GraphAttention {
  senders: tf.Tensor1D;
  receivers: tf.Tensor1D;
  /** [E', heads]; E' = E (+ N self-loops, appended after the batch's edges). */
  weights: tf.Tensor2D;
}

/**
 * Graph attention, 000 eqs. 5.11-5.12 (Veličković et al., ICLR 2018):
 *   h_v' = ‖_heads Σ_{u -> v} α_uv W h_u,
 *   α_uv = exp f(h_u, h_v) / Σ_{w -> v} exp f(h_w, h_v),
 * normalised over the incoming edges of each receiver v (segment softmax
 * with a per-receiver maximum). α is always written α_{sender,receiver}.
 */
export class GATConv extends Module {
  readonly inputs: number;
  readonly outputs: number;
  readonly heads: number;
  readonly concat: boolean;
  readonly score: 'additive' | 'dot';
  readonly negativeSlope: number;
  readonly selfLoops: boolean;
  readonly edgeInputs: number | null;
  readonly linear: Linear;
  readonly query: Linear | null;
  readonly key: Linear | null;
  readonly attSource: tf.Variable | null;
  readonly attTarget: tf.Variable | null;
  readonly edgeLinear: Linear | null;
  readonly attEdge: tf.Variable | null;
  readonly bias: tf.Variable | null;
  private readonly tail: NodeOutput;

  constructor(options: GATConvOptions) {
    super();
    assertPositiveInteger(options?.inputs, 'GATConv: inputs');
    assertPositiveInteger(options.outputs, 'GATConv: outputs');
    const heads = options.heads ?? 1;
    assertPositiveInteger(heads, 'GATConv: heads');
    const score = options.score ?? 'additive';
    assertOneOf(score, 'GATConv: score', ['additive', 'dot']);
    this.negativeSlope = options.negativeSlope ?? 0.2;
    assertFiniteNumber(this.negativeSlope, 'GATConv: negativeSlope');
    const rng = resolveRandom(options.seed);
    this.inputs = options.inputs;
    this.outputs = options.outputs;
    this.heads = heads;
    this.concat = options.concat ?? true;
    this.score = score;
    this.selfLoops = options.selfLoops ?? true;
    const width = heads * options.outputs;
    this.linear = this.addModule('linear', new Linear({ inputs: options.inputs, outputs: width, bias: false, seed: rng }));
    if (score === 'additive') {
      // Attention vectors a_src, a_dst per head ([heads, outputs]), Glorot as in GAT.
      this.attSource = this.addVariable('att_source', initWeights([heads, options.outputs], 'glorot', rng));
      this.attTarget = this.addVariable('att_target', initWeights([heads, options.outputs], 'glorot', rng));
      this.query = null;
      this.key = null;
    } else {
      this.attSource = null;
      this.attTarget = null;
      this.query = this.addModule('query', new Linear({ inputs: options.inputs, outputs: width, bias: false, seed: rng }));
      this.key = this.addModule('key', new Linear({ inputs: options.inputs, outputs: width, bias: false, seed: rng }));
    }
    if (options.edgeInputs !== undefined) {
      assertPositiveInteger(options.edgeInputs, 'GATConv: edgeInputs');
      if (score !== 'additive') throw new NnphysError(`GATConv: edgeInputs needs score 'additive', got score '${score}'`);
      this.edgeInputs = options.edgeInputs;
      this.edgeLinear = this.addModule('edge', new Linear({ inputs: options.edgeInputs, outputs: width, bias: false, seed: rng }));
      this.attEdge = this.addVariable('att_edge', initWeights([heads, options.outputs], 'glorot', rng));
    } else {
      this.edgeInputs = null;
      this.edgeLinear = null;
      this.attEdge = null;
    }
    const outWidth = this.concat ? width : options.outputs;
    this.bias = options.bias ?? true ? this.addVariable('bias', tf.zeros([outWidth])) : null;
    this.tail = this.addModule('output', new NodeOutput(options.inputs, outWidth, options, rng, 'GATConv'));
  }

  /** Output width: heads * outputs when concatenating, outputs when averaging. */
  get outputWidth(): number {
    return this.concat ? this.heads * this.outputs : this.outputs;
  }

  private check(batch: GraphBatch, name: string): void {
    assertGraphBatch(batch, name, { nodeFeatures: this.inputs, needsEdges: this.edgeInputs !== null, edgeFeatures: this.edgeInputs ?? undefined });
  }

  /** Edge lists with self-loops appended, the projected values W h [N, heads*outputs] and α [E', heads]. */
  private attend(batch: GraphBatch): { senders: tf.Tensor1D; receivers: tf.Tensor1D; values: tf.Tensor2D; alpha: tf.Tensor2D } {
    const N = batch.nodes.shape[0];
    const H = this.heads;
    const C = this.outputs;
    let senders = batch.senders;
    let receivers = batch.receivers;
    if (this.selfLoops) {
      const loops = tf.range(0, N, 1, 'int32') as tf.Tensor1D;
      senders = tf.concat([senders, loops]);
      receivers = tf.concat([receivers, loops]);
    }
    const values = this.linear.apply(batch.nodes);
    let scores: tf.Tensor2D;
    if (this.score === 'additive') {
      const xr = tf.reshape(values, [N, H, C]);
      const aSrc = tf.sum(tf.mul(xr, this.attSource as tf.Variable), 2) as tf.Tensor2D; // [N, H]
      const aDst = tf.sum(tf.mul(xr, this.attTarget as tf.Variable), 2) as tf.Tensor2D;
      scores = tf.add(gatherRows(aSrc, senders), gatherRows(aDst, receivers));
      if (this.edgeLinear) {
        const E = batch.senders.shape[0];
        const we = tf.reshape(this.edgeLinear.apply(batch.edges as tf.Tensor2D), [E, H, C]);
        let aEdge = tf.sum(tf.mul(we, this.attEdge as tf.Variable), 2) as tf.Tensor2D; // [E, H]
        if (this.selfLoops) aEdge = tf.concat([aEdge, tf.zeros([N, H])]);
        scores = tf.add(scores, aEdge);
      }
      scores = tf.leakyRelu(scores, this.negativeSlope);
    } else {
      const q = (this.query as Linear).apply(batch.nodes);
      const k = (this.key as Linear).apply(batch.nodes);
      const E2 = senders.shape[0];
      const prod = tf.mul(tf.reshape(gatherRows(q, receivers), [E2, H, C]), tf.reshape(gatherRows(k, senders), [E2, H, C]));
      scores = tf.mul(tf.sum(prod, 2), 1 / Math.sqrt(C)) as tf.Tensor2D;
    }
    // 000 eq. 5.12: softmax over the incoming edges of each receiver.
    const alpha = segmentSoftmax(scores, receivers, N);
    return { senders, receivers, values, alpha };
  }

  apply(batch: GraphBatch): GraphBatch {
    this.check(batch, 'GATConv.apply: batch');
    const N = batch.nodes.shape[0];
    const H = this.heads;
    const C = this.outputs;
    const nodes = tf.tidy(() => {
      const { senders, receivers, values, alpha } = this.attend(batch);
      const E2 = senders.shape[0];
      // 000 eq. 5.11: Σ_u α_uv W h_u, per head.
      const messages = tf.mul(tf.reshape(gatherRows(values, senders), [E2, H, C]), tf.expandDims(alpha, 2));
      let out = tf.reshape(segmentSum(messages, receivers, N), [N, H * C]) as tf.Tensor2D;
      // (The wasm backend's Transpose, used by a mean over axis 1, fails on empty tensors: skip it when N = 0.)
      if (!this.concat) out = N === 0 ? tf.zeros([0, C]) : (tf.mean(tf.reshape(out, [N, H, C]), 1) as tf.Tensor2D);
      if (this.bias) out = tf.add(out, this.bias);
      return this.tail.apply(out, batch.nodes);
    });
    return { ...batch, nodes };
  }

  /** The attention weights α of each edge (and self-loop) per head; every node's incoming weights sum to 1. */
  attention(batch: GraphBatch): GraphAttention {
    this.check(batch, 'GATConv.attention: batch');
    return tf.tidy(() => {
      const { senders, receivers, alpha } = this.attend(batch);
      // Return fresh copies of the index tensors so the caller can dispose everything it receives.
      return { senders: tf.clone(senders), receivers: tf.clone(receivers), weights: alpha };
    });
  }
}
