import type * as tf from '@tensorflow/tfjs-core';

/**
 * One graph as plain arrays, structurally identical to `Graph` of
 * @nnphys/datasets (so a `Molecule` can be passed as is):
 * - `nodes[i]` is the feature row of node i;
 * - edge k goes from `senders[k]` to `receivers[k]` (a chemical bond is two
 *   directed edges, one each way);
 * - `edges[k]` (optional) is the feature row of edge k;
 * - `target` (optional) is the graph's label vector.
 */
export interface Graph {
  nodes: number[][];
  senders: number[];
  receivers: number[];
  edges?: number[][];
  target?: number[];
}

/**
 * A disjoint union of graphs as tensors (jraph's GraphsTuple): plain data,
 * no methods. Node i of the batch belongs to graph `graphIds[i]`; edge k goes
 * from node `senders[k]` to node `receivers[k]` (batch-wide indices).
 *
 * The index fields are exactly `senders` and `receivers` (node indices,
 * offset when batching) and `graphIds` (graph indices). No other field is
 * ever offset, whatever its name.
 *
 * A padded batch (see `batchGraphs`' `padTo`) ends with one padding graph
 * that owns every padding node and edge; `nodeMask`, `edgeMask` and
 * `graphMask` are 1 for real entries and 0 for padding.
 */
export interface GraphBatch {
  /** [N, F] node features. */
  nodes: tf.Tensor2D;
  /** [E, D] edge features. */
  edges?: tf.Tensor2D;
  /** int32 [E], sending node of each edge. */
  senders: tf.Tensor1D;
  /** int32 [E], receiving node of each edge. */
  receivers: tf.Tensor1D;
  /** int32 [N], graph of each node. */
  graphIds: tf.Tensor1D;
  /** Number of graphs, including the padding graph of a padded batch. */
  numGraphs: number;
  /** [numGraphs, G] graph-level features. */
  globals?: tf.Tensor2D;
  /** [numGraphs, T] graph targets (when every input graph had one). */
  targets?: tf.Tensor2D;
  /** Nodes per graph (plain numbers, length numGraphs). */
  nodeCounts?: number[];
  /** Edges per graph (plain numbers, length numGraphs). */
  edgeCounts?: number[];
  /** float32 [N], 1 for real nodes, 0 for padding (padded batches only). */
  nodeMask?: tf.Tensor1D;
  /** float32 [E], 1 for real edges, 0 for padding (padded batches only). */
  edgeMask?: tf.Tensor1D;
  /** float32 [numGraphs], 1 for real graphs, 0 for the padding graph (padded batches only). */
  graphMask?: tf.Tensor1D;
}

/** The aggregation of messages (or of node states for a readout). Empty segments give 0. */
export type Aggregation = 'sum' | 'mean' | 'max' | 'min';
export const aggregations: readonly Aggregation[] = ['sum', 'mean', 'max', 'min'];
