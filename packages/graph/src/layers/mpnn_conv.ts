import * as tf from '@tensorflow/tfjs-core';
import { type Activation, Linear, Module, NnphysError, type Random, activation, assertNonNegativeInteger, assertOneOf, assertPositiveInteger, gatherRows, resolveRandom } from '@nnphys/core';
import { aggregate } from '../aggregate.js';
import { type Aggregation, type GraphBatch, aggregations } from '../graph.js';
import { assertGraphBatch } from '../validate_batch.js';
import { fusedMPNN, fusedMPNNNative } from './mpnn_fused.js';
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
  private readonly mlpActivationName: string | null;

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
    this.mlpActivationName = typeof (options.mlpActivation ?? 'relu') === 'string' ? ((options.mlpActivation ?? 'relu') as string) : null;
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
    const h = batch.nodes;
    const nodes = tf.tidy(() => this.fused(batch, h) ?? this.forward(batch, h, (layer) => layer.apply(h)));
    return { ...batch, nodes };
  }

  /**
   * The layer through the two fused kernels of mpnn_fused.ts when @nnphys/native is available on cpu/wasm and
   * the configuration is the one they implement (sum aggregation, ReLU MLPs, unit weight scales, a tail of
   * ReLU-or-none plus identity-or-no residual); otherwise null and the layer runs op by op.
   */
  private fused(batch: GraphBatch, h: tf.Tensor2D): tf.Tensor2D | null {
    const backend = tf.getBackend();
    const tail = this.tail.fusedConfig();
    const linears = [this.messageSender, this.messageReceiver, this.messageEdge, this.messageOut, this.updateNode, this.updateMessage, this.updateOut];
    if (
      (backend !== 'wasm' && backend !== 'cpu') ||
      fusedMPNNNative() === null ||
      tail === null ||
      this.aggregation !== 'sum' ||
      this.mlpActivationName !== 'relu' ||
      linears.some((l) => l !== null && (l.weightScale !== 1 || l.biasScale !== 1))
    ) {
      return null;
    }
    const E = batch.senders.shape[0];
    const hidden = this.messageSender.outputs;
    const bias = (l: Linear): tf.Tensor => l.bias ?? tf.zeros([l.outputs]);
    // Without edge features: one zero feature with a zero weight (adds nothing; keeps every shape non-empty).
    const edges = this.messageEdge ? (batch.edges as tf.Tensor2D) : tf.zeros([E, 1]);
    const we = this.messageEdge ? this.messageEdge.weight : tf.zeros([1, hidden]);
    return fusedMPNN(
      h,
      batch.senders,
      batch.receivers,
      edges as tf.Tensor2D,
      {
        ws: this.messageSender.weight,
        bs: bias(this.messageSender),
        wr: this.messageReceiver.weight,
        we,
        wo: this.messageOut.weight,
        bo: bias(this.messageOut),
        un: this.updateNode.weight,
        bn: bias(this.updateNode),
        um: this.updateMessage.weight,
        wu: this.updateOut.weight,
        bu: bias(this.updateOut),
      },
      tail,
    );
  }

  /**
   * apply({ ...batch, nodes: input.apply(batch.nodes) }) for an affine `input` layer (e.g. a node encoder from
   * raw atom features x): the node-side products of ψ and φ are computed from x with composed weights,
   * (x W_in + b_in) W + b = x (W_in W) + (b_in W + b), so they multiply [N, input.inputs] instead of
   * [N, nodeInputs] rows, and need no gradient with respect to the layer's input h. h = input.apply(x) is
   * still formed for the residual. Exact identity; falls back to the plain composition when x is not narrower.
   */
  applyAfterLinear(input: Linear, batch: GraphBatch): GraphBatch {
    if (input.outputs !== this.nodeInputs) throw new NnphysError(`MPNNConv.applyAfterLinear: input layer has ${input.outputs} outputs, the layer expects ${this.nodeInputs} node features`);
    assertGraphBatch(batch, 'MPNNConv.applyAfterLinear: batch', {
      nodeFeatures: input.inputs,
      needsEdges: this.edgeInputs > 0,
      edgeFeatures: this.edgeInputs > 0 ? this.edgeInputs : undefined,
    });
    if (input.inputs >= input.outputs || this.fusable()) return this.apply({ ...batch, nodes: input.apply(batch.nodes) });
    const nodes = tf.tidy(() => {
      const x = batch.nodes;
      const win = scaledWeight(input);
      const bin = input.bias ? tf.reshape(input.biasScale === 1 ? input.bias : tf.mul(input.bias, input.biasScale), [1, input.outputs]) : null;
      const node = (layer: Linear): tf.Tensor2D => {
        const w = scaledWeight(layer);
        let y = tf.matMul(x, tf.matMul(win, w)) as tf.Tensor2D;
        let b: tf.Tensor | null = bin ? tf.matMul(bin, w) : null;
        if (layer.bias) {
          const lb = layer.biasScale === 1 ? layer.bias : tf.mul(layer.bias, layer.biasScale);
          b = b ? tf.add(b, lb) : lb;
        }
        if (b) y = tf.add(y, b);
        return y;
      };
      return this.forward(batch, input.apply(x), node);
    });
    return { ...batch, nodes };
  }

  /** Whether apply() takes the fused kernels (then composing an input layer's weights buys nothing). */
  private fusable(): boolean {
    return fusedMPNNNative() !== null && this.tail.fusedConfig() !== null && this.aggregation === 'sum' && this.mlpActivationName === 'relu';
  }

  /** The layer on node states h, with `node(layer)` = layer.apply(h) supplied by the caller. */
  private forward(batch: GraphBatch, h: tf.Tensor2D, node: (layer: Linear) => tf.Tensor2D): tf.Tensor2D {
    const N = h.shape[0];
    let pre = tf.add(gatherRows(node(this.messageSender), batch.senders), gatherRows(node(this.messageReceiver), batch.receivers)) as tf.Tensor2D;
    if (this.messageEdge) pre = tf.add(pre, this.messageEdge.apply(batch.edges as tf.Tensor2D));
    const message = this.messageTerm(this.act(pre) as tf.Tensor2D, batch.receivers, N);
    const hidden = this.act(tf.add(node(this.updateNode), message)) as tf.Tensor2D;
    return this.tail.apply(this.updateOut.apply(hidden), h);
  }
}
