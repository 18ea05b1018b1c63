import * as tf from '@tensorflow/tfjs-core';
import { type Activation, Linear, Module, type Random, activation, assertNonNegativeInteger, assertOneOf, assertPositiveInteger, gatherRows, resolveRandom } from '@nnphys/core';
import { aggregate } from '../aggregate.js';
import { type Aggregation, type GraphBatch, aggregations } from '../graph.js';
import { assertGraphBatch } from '../validate_batch.js';
import { NodeOutput, type NodeOutputOptions } from './output_stage.js';

export interface MPNNConvOptions extends NodeOutputOptions {
  nodeInputs: number;
  /** Edge (bond) feature width; 0 for graphs without edge features. */
  edgeInputs: number;
  outputs: number;
  /** Hidden width of ψ and φ (default: outputs). */
  hidden?: number;
  /** Activation inside ψ and φ (default 'relu'). */
  mlpActivation?: Activation;
  /** ⊕ (default 'sum', as in 000 eq. 5.9). */
  aggregate?: Aggregation;
  seed?: number | Random;
}

/** W times the layer's weight scale (1 except in NTK parameterisation), as Linear.apply uses it. */
function scaledWeight(layer: Linear): tf.Tensor2D {
  return layer.weightScale === 1 ? (layer.weight as tf.Tensor2D) : (tf.mul(layer.weight, layer.weightScale) as tf.Tensor2D);
}

/**
 * Edge-conditioned message passing, 000 eq. 5.9 with bond features:
 *   m_uv = ψ(h_u ‖ h_v ‖ e_uv),  ψ = Linear -> act -> Linear,
 *   h_v' = φ(h_v ‖ ⊕_{u -> v} m_uv),  φ = Linear -> act -> Linear.
 * ψ's first layer is evaluated as (h W_s)[u] + (h W_r)[v] + e W_e, which is
 * the same affine map on the concatenation but multiplies N node rows
 * instead of E edge rows.
 */
export class MPNNConv extends Module {
  readonly nodeInputs: number;
  readonly edgeInputs: number;
  readonly outputs: number;
  readonly aggregation: Aggregation;
  private readonly act: (x: tf.Tensor) => tf.Tensor;
  private readonly messageSender: Linear;
  private readonly messageReceiver: Linear;
  private readonly messageEdge: Linear | null;
  private readonly messageOut: Linear;
  private readonly updateNode: Linear;
  private readonly updateMessage: Linear;
  private readonly updateOut: Linear;
  private readonly tail: NodeOutput;

  constructor(options: MPNNConvOptions) {
    super();
    assertPositiveInteger(options?.nodeInputs, 'MPNNConv: nodeInputs');
    assertNonNegativeInteger(options.edgeInputs, 'MPNNConv: edgeInputs');
    assertPositiveInteger(options.outputs, 'MPNNConv: outputs');
    const hidden = options.hidden ?? options.outputs;
    assertPositiveInteger(hidden, 'MPNNConv: hidden');
    this.aggregation = options.aggregate ?? 'sum';
    assertOneOf(this.aggregation, 'MPNNConv: aggregate', aggregations);
    const rng = resolveRandom(options.seed);
    this.nodeInputs = options.nodeInputs;
    this.edgeInputs = options.edgeInputs;
    this.outputs = options.outputs;
    this.act = activation(options.mlpActivation ?? 'relu');
    const F = options.nodeInputs;
    this.messageSender = this.addModule('message_sender', new Linear({ inputs: F, outputs: hidden, seed: rng }));
    this.messageReceiver = this.addModule('message_receiver', new Linear({ inputs: F, outputs: hidden, bias: false, seed: rng }));
    this.messageEdge = options.edgeInputs > 0 ? this.addModule('message_edge', new Linear({ inputs: options.edgeInputs, outputs: hidden, bias: false, seed: rng })) : null;
    this.messageOut = this.addModule('message_out', new Linear({ inputs: hidden, outputs: options.outputs, seed: rng }));
    this.updateNode = this.addModule('update_node', new Linear({ inputs: F, outputs: hidden, seed: rng }));
    this.updateMessage = this.addModule('update_message', new Linear({ inputs: options.outputs, outputs: hidden, bias: false, seed: rng }));
    this.updateOut = this.addModule('update_out', new Linear({ inputs: hidden, outputs: options.outputs, seed: rng }));
    this.tail = this.addModule('output', new NodeOutput(F, options.outputs, options, rng, 'MPNNConv'));
  }

  /**
   * updateMessage(⊕_{u -> v} messageOut(a_uv)), the message term of φ's first layer. ψ's last layer is affine,
   * so for sum and mean it commutes with ⊕: Σ_u (a_uv W_o + b_o) = (Σ_u a_uv) W_o + deg(v) b_o, and the mean
   * gives mean_u(a_uv) W_o + [deg(v) > 0] b_o (0 for a node without incoming edges, like the mean of no
   * messages). The product then runs on N node rows instead of E edge rows (forward and backward). The two
   * linear maps W_o and U_m then compose: (P W_o + c b_o) U_m = P (W_o U_m) + c (b_o U_m), so one [N, hidden]
   * product (and its two gradient products) replaces two; W_o U_m is a small [hidden, outputs] x [outputs,
   * hidden] product. Max and min do not commute with ψ's last layer.
   */
  private messageTerm(a: tf.Tensor2D, receivers: tf.Tensor1D, N: number): tf.Tensor2D {
    const um = scaledWeight(this.updateMessage);
    if (this.aggregation !== 'sum' && this.aggregation !== 'mean') return tf.matMul(aggregate(this.messageOut.apply(a), receivers, N, this.aggregation), um);
    const out = this.messageOut;
    const pooled = aggregate(a, receivers, N, this.aggregation);
    // Composing costs hidden² · outputs once instead of N · hidden · outputs; worth it unless outputs << hidden.
    let y = 2 * out.outputs >= out.inputs ? (tf.matMul(pooled, tf.matMul(scaledWeight(out), um)) as tf.Tensor2D) : (tf.matMul(tf.matMul(pooled, scaledWeight(out)), um) as tf.Tensor2D);
    if (out.bias) {
      let count = aggregate(tf.ones([receivers.shape[0], 1]) as tf.Tensor2D, receivers, N, 'sum');
      if (this.aggregation === 'mean') count = tf.minimum(count, 1);
      const bias = out.biasScale === 1 ? out.bias : tf.mul(out.bias, out.biasScale);
      y = tf.add(y, tf.mul(count, tf.matMul(tf.reshape(bias, [1, out.outputs]), um)));
    }
    return y;
  }

  apply(batch: GraphBatch): GraphBatch {
    assertGraphBatch(batch, 'MPNNConv.apply: batch', {
      nodeFeatures: this.nodeInputs,
      needsEdges: this.edgeInputs > 0,
      edgeFeatures: this.edgeInputs > 0 ? this.edgeInputs : undefined,
    });
    const N = batch.nodes.shape[0];
    const nodes = tf.tidy(() => {
      const h = batch.nodes;
      let pre = tf.add(gatherRows(this.messageSender.apply(h), batch.senders), gatherRows(this.messageReceiver.apply(h), batch.receivers)) as tf.Tensor2D;
      if (this.messageEdge) pre = tf.add(pre, this.messageEdge.apply(batch.edges as tf.Tensor2D));
      const message = this.messageTerm(this.act(pre) as tf.Tensor2D, batch.receivers, N);
      const hidden = this.act(tf.add(this.updateNode.apply(h), message)) as tf.Tensor2D;
      return this.tail.apply(this.updateOut.apply(hidden), h);
    });
    return { ...batch, nodes };
  }
}
