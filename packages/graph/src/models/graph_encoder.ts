import * as tf from '@tensorflow/tfjs-core';
import { type Activation, LayerList, Linear, Module, NnphysError, type Random, assertOneOf, assertPositiveInteger, resolveRandom } from '@nnphys/core';
import type { Aggregation, GraphBatch } from '../graph.js';
import { EdgeConv } from '../layers/edge_conv.js';
import { GATConv } from '../layers/gat_conv.js';
import { GCNConv } from '../layers/gcn_conv.js';
import { GINConv } from '../layers/gin_conv.js';
import { MPNNConv } from '../layers/mpnn_conv.js';
import { AttentionPool } from '../readout/attention_pool.js';
import { globalPool } from '../readout/global_pool.js';
import { assertGraphBatch } from '../validate_batch.js';

export type ConvKind = 'mpnn' | 'edge' | 'gin' | 'gcn' | 'gat';
export const convKinds: readonly ConvKind[] = ['mpnn', 'edge', 'gin', 'gcn', 'gat'];
export type Readout = Aggregation | 'attention';

export interface GraphEncoderOptions {
  /** Node feature width (11 for the QM9 'lecture' layout). */
  nodeInputs: number;
  /** Edge feature width (4 for bond types); 0 or absent for graphs without edge features. */
  edgeInputs?: number;
  /** Hidden width of every layer (default 64). */
  hidden?: number;
  /** Number of message-passing layers (default 3). */
  layers?: number;
  /** Layer type (default 'mpnn' with edge features, 'gin' without). 'edge' needs edge features. */
  conv?: ConvKind;
  /** Heads of 'gat' layers (default 4, averaged so the width stays `hidden`). */
  heads?: number;
  /** Graph readout (default 'sum', 000 eq. 5.10). */
  readout?: Readout;
  /** Activation after each layer and inside the layers' MLPs (default 'relu'). */
  activation?: Activation;
  /** Residual connections around each layer (default true). */
  residual?: boolean;
  /** Layer normalisation in each layer (default 'none'). */
  norm?: 'layer' | 'none';
  seed?: number | Random;
}

/**
 * Node encoder (Linear to `hidden`), `layers` message-passing layers of one
 * kind, then a graph readout: batch -> [numGraphs, hidden]. The trunk of
 * GraphRegressor and GraphClassifier.
 */
export class GraphEncoder extends Module {
  readonly nodeInputs: number;
  readonly edgeInputs: number;
  readonly hidden: number;
  readonly conv: ConvKind;
  readonly readout: Readout;
  private readonly embed: Linear;
  private readonly convs: Module[];
  private readonly attentionPool: AttentionPool | null;

  constructor(options: GraphEncoderOptions) {
    super();
    assertPositiveInteger(options?.nodeInputs, 'GraphEncoder: nodeInputs');
    const edgeInputs = options.edgeInputs ?? 0;
    if (edgeInputs !== 0) assertPositiveInteger(edgeInputs, 'GraphEncoder: edgeInputs');
    const hidden = options.hidden ?? 64;
    assertPositiveInteger(hidden, 'GraphEncoder: hidden');
    const layers = options.layers ?? 3;
    if (!Number.isInteger(layers) || layers < 0) throw new NnphysError(`GraphEncoder: layers must be a non-negative integer, got ${layers}`);
    const conv = options.conv ?? (edgeInputs > 0 ? 'mpnn' : 'gin');
    assertOneOf(conv, 'GraphEncoder: conv', convKinds);
    if (conv === 'edge' && edgeInputs === 0) throw new NnphysError("GraphEncoder: conv 'edge' needs edge features; set edgeInputs > 0");
    const readout = options.readout ?? 'sum';
    assertOneOf(readout, 'GraphEncoder: readout', ['sum', 'mean', 'max', 'min', 'attention']);
    const rng = resolveRandom(options.seed);
    this.nodeInputs = options.nodeInputs;
    this.edgeInputs = edgeInputs;
    this.hidden = hidden;
    this.conv = conv;
    this.readout = readout;
    this.embed = this.addModule('embed', new Linear({ inputs: options.nodeInputs, outputs: hidden, seed: rng }));
    const act = options.activation ?? 'relu';
    const common = { activation: act, residual: options.residual ?? true, norm: options.norm ?? 'none', seed: rng } as const;
    const list = this.addModule('layers', new LayerList());
    this.convs = [];
    for (let i = 0; i < layers; i++) {
      let layer: Module;
      switch (conv) {
        case 'mpnn':
          layer = new MPNNConv({ nodeInputs: hidden, edgeInputs, outputs: hidden, mlpActivation: act, ...common });
          break;
        case 'edge':
          layer = new EdgeConv({ nodeInputs: hidden, edgeInputs, outputs: hidden, mlpActivation: act, ...common });
          break;
        case 'gin':
          layer = new GINConv({ inputs: hidden, outputs: hidden, edgeInputs: edgeInputs > 0 ? edgeInputs : undefined, mlpActivation: act, ...common });
          break;
        case 'gcn':
          layer = new GCNConv({ inputs: hidden, outputs: hidden, ...common });
          break;
        case 'gat':
          layer = new GATConv({ inputs: hidden, outputs: hidden, heads: options.heads ?? 4, concat: false, edgeInputs: edgeInputs > 0 ? edgeInputs : undefined, ...common });
          break;
      }
      list.push(layer);
      this.convs.push(layer);
    }
    this.attentionPool = readout === 'attention' ? this.addModule('readout', new AttentionPool({ inputs: hidden, seed: rng })) : null;
  }

  /** Node states after the last layer, [N, hidden]. */
  nodeStates(batch: GraphBatch): tf.Tensor2D {
    assertGraphBatch(batch, 'GraphEncoder: batch', {
      nodeFeatures: this.nodeInputs,
      needsEdges: this.edgeInputs > 0,
      edgeFeatures: this.edgeInputs > 0 ? this.edgeInputs : undefined,
    });
    return tf.tidy(() => {
      // An MPNNConv first layer takes the encoder's affine map into its own node-side products (fewer FLOPs).
      const [first, ...rest] = this.convs;
      let b: GraphBatch = first instanceof MPNNConv ? first.applyAfterLinear(this.embed, batch) : { ...batch, nodes: this.embed.apply(batch.nodes) };
      for (const layer of first instanceof MPNNConv ? rest : this.convs) b = layer.apply(b) as GraphBatch;
      return b.nodes;
    });
  }

  /** Graph embeddings [numGraphs, hidden]. */
  apply(batch: GraphBatch): tf.Tensor2D {
    return tf.tidy(() => {
      const nodes = this.nodeStates(batch);
      const b = { ...batch, nodes };
      return this.attentionPool ? this.attentionPool.apply(b) : globalPool(b, this.readout as Aggregation);
    });
  }
}
