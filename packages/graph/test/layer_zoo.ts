import { MLP, type Module } from '@nnphys/core';
import {
  DeepSetsEquivariant,
  EdgeConv,
  EquivariantLinear,
  GATConv,
  GCNConv,
  GINConv,
  type GraphBatch,
  MPNNConv,
  MessagePassing,
} from '../src/index.js';

/** Node and edge widths of the test graphs. */
export const F = 5;
export const D = 3;

/** A module mapping a batch to a batch (Module.apply is `unknown`-typed, so it is omitted). */
export type GraphLayer = Omit<Module, 'apply'> & { apply(b: GraphBatch): GraphBatch };

export interface ZooEntry {
  name: string;
  make: (seed: number) => GraphLayer;
  /** Needs edge features. */
  edges: boolean;
}

/**
 * Every layer that maps a batch to a batch, in several configurations, with
 * smooth activations (tanh) so that finite differences are meaningful.
 */
export const zoo: ZooEntry[] = [
  ...(['sum', 'mean', 'max', 'min'] as const).map((aggregate) => ({
    name: `MessagePassing(${aggregate})`,
    edges: true,
    make: (seed: number) =>
      new MessagePassing({
        message: new MLP({ inputs: 2 * F + D, hidden: [7], outputs: 6, activation: 'tanh', seed }),
        update: new MLP({ inputs: F + 6, hidden: [7], outputs: 4, activation: 'tanh', seed: seed + 1 }),
        aggregate,
      }),
  })),
  { name: 'GCNConv', edges: false, make: (seed) => new GCNConv({ inputs: F, outputs: 6, seed }) },
  { name: 'GCNConv(no self-loops, tanh, residual)', edges: false, make: (seed) => new GCNConv({ inputs: F, outputs: 6, selfLoops: false, activation: 'tanh', residual: true, seed }) },
  { name: 'GINConv', edges: false, make: (seed) => new GINConv({ inputs: F, outputs: 6, mlpActivation: 'tanh', eps: 0.3, trainEps: true, seed }) },
  { name: 'GINConv(edges)', edges: true, make: (seed) => new GINConv({ inputs: F, outputs: 6, edgeInputs: D, mlpActivation: 'tanh', seed }) },
  { name: 'GATConv(2 heads, concat)', edges: false, make: (seed) => new GATConv({ inputs: F, outputs: 3, heads: 2, seed }) },
  { name: 'GATConv(3 heads, mean, no self-loops)', edges: false, make: (seed) => new GATConv({ inputs: F, outputs: 3, heads: 3, concat: false, selfLoops: false, seed }) },
  { name: 'GATConv(dot)', edges: false, make: (seed) => new GATConv({ inputs: F, outputs: 4, heads: 2, score: 'dot', seed }) },
  { name: 'GATConv(edges, layer norm)', edges: true, make: (seed) => new GATConv({ inputs: F, outputs: 4, heads: 2, edgeInputs: D, norm: 'layer', seed }) },
  { name: 'MPNNConv', edges: true, make: (seed) => new MPNNConv({ nodeInputs: F, edgeInputs: D, outputs: 6, mlpActivation: 'tanh', seed }) },
  {
    name: 'MPNNConv(max, norm, residual)',
    edges: true,
    make: (seed) => new MPNNConv({ nodeInputs: F, edgeInputs: D, outputs: 6, aggregate: 'max', mlpActivation: 'tanh', norm: 'layer', residual: true, activation: 'tanh', seed }),
  },
  { name: 'MPNNConv(no edge features, mean)', edges: false, make: (seed) => new MPNNConv({ nodeInputs: F, edgeInputs: 0, outputs: 6, aggregate: 'mean', mlpActivation: 'tanh', seed }) },
  { name: 'EdgeConv', edges: true, make: (seed) => new EdgeConv({ nodeInputs: F, edgeInputs: D, outputs: 4, mlpActivation: 'tanh', hidden: 6, seed }) },
  {
    name: 'DeepSetsEquivariant',
    edges: false,
    make: (seed) =>
      new DeepSetsEquivariant({
        phi: new MLP({ inputs: F, hidden: [6], outputs: 4, activation: 'tanh', seed }),
        psi: new MLP({ inputs: F + 4, hidden: [6], outputs: 3, activation: 'tanh', seed: seed + 1 }),
      }),
  },
  { name: 'EquivariantLinear(mean)', edges: false, make: (seed) => new EquivariantLinear({ inputs: F, outputs: 4, pool: 'mean', activation: 'tanh', seed }) },
];
