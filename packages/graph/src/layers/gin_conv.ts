import * as tf from '@tensorflow/tfjs-core';
import {
  type Activation,
  Linear,
  MLP,
  Module,
  NnphysError,
  type Random,
  assertFiniteNumber,
  assertPositiveInteger,
  gatherRows,
  resolveRandom,
  segmentSum,
} from '@nnphys/core';
import type { GraphBatch } from '../graph.js';
import { assertGraphBatch } from '../validate_batch.js';
import { NodeOutput, type NodeOutputOptions } from './output_stage.js';

export interface GINConvOptions extends NodeOutputOptions {
  inputs: number;
  outputs: number;
  /** Hidden width of the update MLP (default: outputs). Ignored when `mlp` is given. */
  hidden?: number;
  /** The update network (default MLP inputs -> hidden -> outputs with ReLU). */
  mlp?: Module;
  /** Activation inside the default MLP (default 'relu'). */
  mlpActivation?: Activation;
  /** Initial ε (default 0). */
  eps?: number;
  /** Learn ε (GIN-ε) instead of fixing it (GIN-0). Default false. */
  trainEps?: boolean;
  /**
   * Edge feature width: messages become ReLU(h_u + e_uv W_e) (GINE, Hu et al.
   * ICLR 2020), so bond types enter the sum. Default: no edge features.
   */
  edgeInputs?: number;
  seed?: number | Random;
}

/**
 * Graph isomorphism network layer (Xu et al., ICLR 2019, eq. 4.1):
 *   h_v' = MLP((1 + ε) h_v + Σ_{u -> v} h_u),
 * sum aggregation because it is injective on multisets. With `edgeInputs`
 * the neighbour term is Σ_{u -> v} ReLU(h_u + e_uv W_e) (GINE).
 */
export class GINConv extends Module {
  readonly inputs: number;
  readonly outputs: number;
  readonly edgeInputs: number | null;
  readonly mlp: Module;
  readonly eps: tf.Variable;
  readonly edgeLinear: Linear | null;
  private readonly tail: NodeOutput;

  constructor(options: GINConvOptions) {
    super();
    assertPositiveInteger(options?.inputs, 'GINConv: inputs');
    assertPositiveInteger(options.outputs, 'GINConv: outputs');
    const rng = resolveRandom(options.seed);
    this.inputs = options.inputs;
    this.outputs = options.outputs;
    const eps = options.eps ?? 0;
    assertFiniteNumber(eps, 'GINConv: eps');
    this.eps = this.addVariable('eps', tf.scalar(eps), options.trainEps ?? false);
    if (options.mlp !== undefined) {
      if (!(options.mlp instanceof Module)) throw new NnphysError('GINConv: mlp must be a Module mapping [N, inputs] to [N, outputs]');
      this.mlp = this.addModule('mlp', options.mlp);
    } else {
      const hidden = options.hidden ?? options.outputs;
      assertPositiveInteger(hidden, 'GINConv: hidden');
      this.mlp = this.addModule('mlp', new MLP({ inputs: options.inputs, hidden: [hidden], outputs: options.outputs, activation: options.mlpActivation, seed: rng }));
    }
    if (options.edgeInputs !== undefined) {
      assertPositiveInteger(options.edgeInputs, 'GINConv: edgeInputs');
      this.edgeInputs = options.edgeInputs;
      this.edgeLinear = this.addModule('edge', new Linear({ inputs: options.edgeInputs, outputs: options.inputs, seed: rng }));
    } else {
      this.edgeInputs = null;
      this.edgeLinear = null;
    }
    this.tail = this.addModule('output', new NodeOutput(options.inputs, options.outputs, options, rng, 'GINConv'));
  }

  apply(batch: GraphBatch): GraphBatch {
    assertGraphBatch(batch, 'GINConv.apply: batch', {
      nodeFeatures: this.inputs,
      needsEdges: this.edgeInputs !== null,
      edgeFeatures: this.edgeInputs ?? undefined,
    });
    const N = batch.nodes.shape[0];
    const nodes = tf.tidy(() => {
      let messages: tf.Tensor2D = gatherRows(batch.nodes, batch.senders);
      if (this.edgeLinear) messages = tf.relu(tf.add(messages, this.edgeLinear.apply(batch.edges as tf.Tensor2D)) as tf.Tensor2D);
      const neighbours = segmentSum(messages, batch.receivers, N);
      const combined = tf.add(tf.mul(batch.nodes, tf.add(this.eps, 1)), neighbours) as tf.Tensor2D;
      const out = this.mlp.apply(combined) as tf.Tensor2D;
      if (!(out instanceof tf.Tensor) || out.rank !== 2 || out.shape[1] !== this.outputs) {
        throw new NnphysError(`GINConv: mlp must return [N, ${this.outputs}], got ${out instanceof tf.Tensor ? `shape [${out.shape.join(', ')}]` : typeof out}`);
      }
      return this.tail.apply(out, batch.nodes);
    });
    return { ...batch, nodes };
  }
}
