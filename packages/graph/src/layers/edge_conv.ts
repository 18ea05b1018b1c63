import * as tf from '@tensorflow/tfjs-core';
import { type Activation, Linear, MLP, Module, type Random, assertOneOf, assertPositiveInteger, gatherRows, resolveRandom } from '@nnphys/core';
import { aggregate } from '../aggregate.js';
import { type Aggregation, type GraphBatch, aggregations } from '../graph.js';
import { assertGraphBatch } from '../validate_batch.js';
import { NodeOutput, type NodeOutputOptions } from './output_stage.js';

export interface EdgeConvOptions extends NodeOutputOptions {
  nodeInputs: number;
  edgeInputs: number;
  outputs: number;
  /** Hidden width of the edge network Θ (default 32). */
  hidden?: number;
  /** Activation inside Θ (default 'relu'). */
  mlpActivation?: Activation;
  /** ⊕ (default 'sum', as in Gilmer et al.). */
  aggregate?: Aggregation;
  seed?: number | Random;
}

/**
 * Edge-conditioned convolution (Simonovsky & Komodakis, CVPR 2017; the
 * "edge network" message of Gilmer et al., ICML 2017; PyG's NNConv):
 *   h_v' = h_v W_root + ⊕_{u -> v} Θ(e_uv) h_u + b,
 * where Θ is an MLP mapping an edge's features to a [nodeInputs, outputs]
 * matrix, so each bond type gets its own learned linear map.
 * Not PyG's EdgeConv (the DGCNN layer on h_u - h_v, which has no edge features).
 */
export class EdgeConv extends Module {
  readonly nodeInputs: number;
  readonly edgeInputs: number;
  readonly outputs: number;
  readonly aggregation: Aggregation;
  readonly edgeNetwork: MLP;
  readonly root: Linear;
  private readonly tail: NodeOutput;

  constructor(options: EdgeConvOptions) {
    super();
    assertPositiveInteger(options?.nodeInputs, 'EdgeConv: nodeInputs');
    assertPositiveInteger(options.edgeInputs, 'EdgeConv: edgeInputs');
    assertPositiveInteger(options.outputs, 'EdgeConv: outputs');
    const hidden = options.hidden ?? 32;
    assertPositiveInteger(hidden, 'EdgeConv: hidden');
    this.aggregation = options.aggregate ?? 'sum';
    assertOneOf(this.aggregation, 'EdgeConv: aggregate', aggregations);
    const rng = resolveRandom(options.seed);
    this.nodeInputs = options.nodeInputs;
    this.edgeInputs = options.edgeInputs;
    this.outputs = options.outputs;
    this.edgeNetwork = this.addModule(
      'edge_network',
      new MLP({ inputs: options.edgeInputs, hidden: [hidden], outputs: options.nodeInputs * options.outputs, activation: options.mlpActivation, seed: rng }),
    );
    this.root = this.addModule('root', new Linear({ inputs: options.nodeInputs, outputs: options.outputs, seed: rng }));
    this.tail = this.addModule('output', new NodeOutput(options.nodeInputs, options.outputs, options, rng, 'EdgeConv'));
  }

  apply(batch: GraphBatch): GraphBatch {
    assertGraphBatch(batch, 'EdgeConv.apply: batch', { nodeFeatures: this.nodeInputs, needsEdges: true, edgeFeatures: this.edgeInputs });
    const N = batch.nodes.shape[0];
    const E = batch.senders.shape[0];
    const F = this.nodeInputs;
    const C = this.outputs;
    const nodes = tf.tidy(() => {
      const theta = tf.reshape(this.edgeNetwork.apply(batch.edges as tf.Tensor2D), [E, F, C]);
      const hu = tf.reshape(gatherRows(batch.nodes, batch.senders), [E, 1, F]);
      const messages = tf.reshape(tf.matMul(hu, theta), [E, C]) as tf.Tensor2D;
      const out = tf.add(this.root.apply(batch.nodes), aggregate(messages, batch.receivers, N, this.aggregation)) as tf.Tensor2D;
      return this.tail.apply(out, batch.nodes);
    });
    return { ...batch, nodes };
  }
}
