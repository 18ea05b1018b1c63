import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, assertPositiveInteger } from '@nnphys/core';
import type { Graph, GraphBatch } from './graph.js';

/** Fixed sizes of a padded batch (jraph's pad_with_graphs): totals including the padding graph. */
export interface PadBudget {
  nodes: number;
  edges: number;
  graphs: number;
}

export interface BatchGraphsOptions {
  /**
   * Pad to fixed totals so that every batch has the same shapes. One padding
   * graph owns all padding nodes and edges (padding edges join padding nodes),
   * so it needs nodes > real nodes and graphs > real graphs; edges >= real edges.
   */
  padTo?: PadBudget;
  /** Node feature width, needed only when no graph has a node. */
  nodeFeatures?: number;
  /** Edge feature width, needed only when graphs carry `edges` but none has an edge. */
  edgeFeatures?: number;
}

function describeValue(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v === 'string' ? JSON.stringify(v) : typeof v;
}

function rows(value: unknown, name: string): unknown[] {
  if (!Array.isArray(value)) throw new NnphysError(`batchGraphs: ${name} must be an array of feature rows, got ${describeValue(value)}`);
  return value;
}

/** Copies a matrix row by row into `out` at `offset`, checking its width and that entries are finite. */
function copyRows(value: unknown[], name: string, width: number, widthSource: string, out: Float32Array, offset: number): void {
  for (let i = 0; i < value.length; i++) {
    const row = value[i];
    if (!Array.isArray(row) && !ArrayBuffer.isView(row)) throw new NnphysError(`batchGraphs: ${name}[${i}] must be an array of numbers, got ${describeValue(row)}`);
    const r = row as ArrayLike<unknown>;
    if (r.length !== width) {
      throw new NnphysError(`batchGraphs: mismatched feature widths: ${name}[${i}] has ${r.length} features but ${widthSource} has ${width}`);
    }
    for (let j = 0; j < width; j++) {
      const v = r[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new NnphysError(`batchGraphs: ${name}[${i}][${j}] must be a finite number, got ${describeValue(v)}`);
      out[(offset + i) * width + j] = v;
    }
  }
}

function firstRowWidth(graphs: Graph[], field: 'nodes' | 'edges'): { width: number; source: string } | null {
  for (let g = 0; g < graphs.length; g++) {
    const m = (graphs[g] as Graph)[field];
    if (Array.isArray(m) && m.length > 0) {
      const row = m[0] as unknown;
      if (Array.isArray(row) || ArrayBuffer.isView(row)) return { width: (row as ArrayLike<unknown>).length, source: `graphs[${g}].${field}[0]` };
    }
  }
  return null;
}

/**
 * Disjoint union of `graphs` (jraph's `batch`): node features stacked,
 * sender and receiver ids offset by the number of nodes before each graph,
 * `graphIds[i]` the graph of node i. With `padTo`, one padding graph is
 * appended so that the tensors have exactly the budgeted shapes.
 *
 * Validates the plain arrays: every id must be an integer in [0, nodes of
 * its graph), feature widths must agree across graphs, `senders`,
 * `receivers` and `edges` must have one entry per edge.
 */
export function batchGraphs(graphs: Graph[], options: BatchGraphsOptions = {}): GraphBatch {
  if (!Array.isArray(graphs)) throw new NnphysError(`batchGraphs: graphs must be an array of graphs, got ${describeValue(graphs)}`);
  const G = graphs.length;
  const nodeCounts: number[] = [];
  const edgeCounts: number[] = [];
  let withEdges = 0;
  let withTargets = 0;
  for (let g = 0; g < G; g++) {
    const graph = graphs[g] as Graph;
    if (graph === null || typeof graph !== 'object') throw new NnphysError(`batchGraphs: graphs[${g}] must be a graph object, got ${describeValue(graph)}`);
    const n = rows(graph.nodes, `graphs[${g}].nodes`).length;
    if (!Array.isArray(graph.senders)) throw new NnphysError(`batchGraphs: graphs[${g}].senders must be an array of node indices, got ${describeValue(graph.senders)}`);
    if (!Array.isArray(graph.receivers)) throw new NnphysError(`batchGraphs: graphs[${g}].receivers must be an array of node indices, got ${describeValue(graph.receivers)}`);
    const e = graph.senders.length;
    if (graph.receivers.length !== e) {
      throw new NnphysError(`batchGraphs: graphs[${g}] has ${e} senders but ${graph.receivers.length} receivers; expected one of each per edge`);
    }
    for (const field of ['senders', 'receivers'] as const) {
      const ids = graph[field];
      for (let k = 0; k < e; k++) {
        const v = ids[k] as unknown;
        if (typeof v !== 'number' || !Number.isInteger(v)) {
          throw new NnphysError(`batchGraphs: graphs[${g}].${field}[${k}] must be an integer node index, got ${describeValue(v)}`);
        }
        if (v < 0 || v >= n) {
          throw new NnphysError(`batchGraphs: graphs[${g}].${field}[${k}] = ${v} is out of range: graph ${g} has ${n} nodes, so ids must be in [0, ${n - 1}]`);
        }
      }
    }
    if (graph.edges !== undefined) {
      const m = rows(graph.edges, `graphs[${g}].edges`).length;
      if (m !== e) throw new NnphysError(`batchGraphs: graphs[${g}].edges has ${m} rows but the graph has ${e} edges (senders); expected one feature row per edge`);
      withEdges++;
    }
    if (graph.target !== undefined) {
      if (!Array.isArray(graph.target)) throw new NnphysError(`batchGraphs: graphs[${g}].target must be an array of numbers, got ${describeValue(graph.target)}`);
      withTargets++;
    }
    nodeCounts.push(n);
    edgeCounts.push(e);
  }
  const numNodes = nodeCounts.reduce((a, b) => a + b, 0);
  const numEdges = edgeCounts.reduce((a, b) => a + b, 0);

  // Edge features: all or nothing (a graph without edges may omit them).
  const hasEdges = withEdges > 0;
  if (hasEdges) {
    for (let g = 0; g < G; g++) {
      const graph = graphs[g] as Graph;
      if (graph.edges === undefined && graph.senders.length > 0) {
        throw new NnphysError(`batchGraphs: graphs[${g}] has no edge features but other graphs do; give every graph with edges an 'edges' array`);
      }
    }
  }
  if (withTargets > 0 && withTargets < G) {
    const g = graphs.findIndex((graph) => graph.target === undefined);
    throw new NnphysError(`batchGraphs: graphs[${g}] has no target but other graphs do; give every graph a target or none`);
  }

  const nodeWidthInfo = firstRowWidth(graphs, 'nodes');
  if (options.nodeFeatures !== undefined) assertPositiveInteger(options.nodeFeatures, 'batchGraphs: options.nodeFeatures');
  const F = nodeWidthInfo?.width ?? options.nodeFeatures ?? 0;
  const nodeSource = nodeWidthInfo?.source ?? 'options.nodeFeatures';
  if (options.nodeFeatures !== undefined && nodeWidthInfo && nodeWidthInfo.width !== options.nodeFeatures) {
    throw new NnphysError(`batchGraphs: mismatched feature widths: options.nodeFeatures is ${options.nodeFeatures} but ${nodeWidthInfo.source} has ${nodeWidthInfo.width}`);
  }
  const edgeWidthInfo = hasEdges ? firstRowWidth(graphs, 'edges') : null;
  if (options.edgeFeatures !== undefined) assertPositiveInteger(options.edgeFeatures, 'batchGraphs: options.edgeFeatures');
  const D = edgeWidthInfo?.width ?? options.edgeFeatures ?? 0;
  const edgeSource = edgeWidthInfo?.source ?? 'options.edgeFeatures';
  if (options.edgeFeatures !== undefined && edgeWidthInfo && edgeWidthInfo.width !== options.edgeFeatures) {
    throw new NnphysError(`batchGraphs: mismatched feature widths: options.edgeFeatures is ${options.edgeFeatures} but ${edgeWidthInfo.source} has ${edgeWidthInfo.width}`);
  }
  const T = withTargets > 0 ? (graphs[0] as Graph).target!.length : 0;

  // Budgets.
  let totalNodes = numNodes;
  let totalEdges = numEdges;
  let totalGraphs = G;
  const pad = options.padTo;
  if (pad !== undefined) {
    if (pad === null || typeof pad !== 'object') throw new NnphysError(`batchGraphs: options.padTo must be { nodes, edges, graphs }, got ${describeValue(pad)}`);
    assertPositiveInteger(pad.nodes, 'batchGraphs: options.padTo.nodes');
    assertPositiveInteger(pad.graphs, 'batchGraphs: options.padTo.graphs');
    if (typeof pad.edges !== 'number' || !Number.isInteger(pad.edges) || pad.edges < 0) {
      throw new NnphysError(`batchGraphs: options.padTo.edges must be a non-negative integer, got ${describeValue(pad.edges)}`);
    }
    if (pad.nodes <= numNodes) throw new NnphysError(`batchGraphs: options.padTo.nodes must exceed the ${numNodes} real nodes (the padding graph needs a node), got ${pad.nodes}`);
    if (pad.edges < numEdges) throw new NnphysError(`batchGraphs: options.padTo.edges must be at least the ${numEdges} real edges, got ${pad.edges}`);
    if (pad.graphs <= G) throw new NnphysError(`batchGraphs: options.padTo.graphs must exceed the ${G} real graphs (one padding graph is added), got ${pad.graphs}`);
    totalNodes = pad.nodes;
    totalEdges = pad.edges;
    totalGraphs = pad.graphs;
  }

  const nodes = new Float32Array(totalNodes * F);
  const edges = hasEdges ? new Float32Array(totalEdges * D) : null;
  const senders = new Int32Array(totalEdges);
  const receivers = new Int32Array(totalEdges);
  const graphIds = new Int32Array(totalNodes);
  const targets = T > 0 ? new Float32Array(totalGraphs * T) : null;
  let nodeOffset = 0;
  let edgeOffset = 0;
  for (let g = 0; g < G; g++) {
    const graph = graphs[g] as Graph;
    const n = nodeCounts[g] as number;
    const e = edgeCounts[g] as number;
    copyRows(graph.nodes, `graphs[${g}].nodes`, F, nodeSource, nodes, nodeOffset);
    if (edges && graph.edges) copyRows(graph.edges, `graphs[${g}].edges`, D, edgeSource, edges, edgeOffset);
    for (let k = 0; k < e; k++) {
      senders[edgeOffset + k] = (graph.senders[k] as number) + nodeOffset;
      receivers[edgeOffset + k] = (graph.receivers[k] as number) + nodeOffset;
    }
    graphIds.fill(g, nodeOffset, nodeOffset + n);
    if (targets) {
      const t = graph.target as unknown[];
      if (t.length !== T) throw new NnphysError(`batchGraphs: graphs[${g}].target has length ${t.length} but graphs[0].target has length ${T}`);
      for (let j = 0; j < T; j++) {
        const v = t[j];
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new NnphysError(`batchGraphs: graphs[${g}].target[${j}] must be a finite number, got ${describeValue(v)}`);
        targets[g * T + j] = v;
      }
    }
    nodeOffset += n;
    edgeOffset += e;
  }

  if (pad !== undefined) {
    // The padding graph (index G) owns nodes [numNodes, totalNodes) and edges
    // [numEdges, totalEdges), which all join the first padding node to itself.
    graphIds.fill(G, numNodes, totalNodes);
    senders.fill(numNodes, numEdges, totalEdges);
    receivers.fill(numNodes, numEdges, totalEdges);
    nodeCounts.push(totalNodes - numNodes);
    edgeCounts.push(totalEdges - numEdges);
    for (let g = G + 1; g < totalGraphs; g++) {
      nodeCounts.push(0);
      edgeCounts.push(0);
    }
  }
  const batch: GraphBatch = {
    nodes: tf.tensor2d(nodes, [totalNodes, F]),
    senders: tf.tensor1d(senders, 'int32'),
    receivers: tf.tensor1d(receivers, 'int32'),
    graphIds: tf.tensor1d(graphIds, 'int32'),
    numGraphs: totalGraphs,
    nodeCounts,
    edgeCounts,
  };
  if (edges) batch.edges = tf.tensor2d(edges, [totalEdges, D]);
  if (targets) batch.targets = tf.tensor2d(targets, [totalGraphs, T]);
  if (pad !== undefined) {
    const mask = (n: number, real: number) => tf.tensor1d(Float32Array.from({ length: n }, (_, i) => (i < real ? 1 : 0)));
    batch.nodeMask = mask(totalNodes, numNodes);
    batch.edgeMask = mask(totalEdges, numEdges);
    batch.graphMask = mask(totalGraphs, G);
  }
  return batch;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * A padding budget that fits `graphs` (real totals plus one padding graph
 * and node), rounded up to powers of two (default) or to a multiple, so that
 * batches of similar size share shapes (jraph #10).
 */
export function paddingBudget(graphs: Graph[], options: { round?: 'pow2' | 'none' | number } = {}): PadBudget {
  if (!Array.isArray(graphs)) throw new NnphysError(`paddingBudget: graphs must be an array of graphs, got ${describeValue(graphs)}`);
  const round = options.round ?? 'pow2';
  let nodes = 1;
  let edges = 0;
  for (const [g, graph] of graphs.entries()) {
    if (!graph || !Array.isArray(graph.nodes) || !Array.isArray(graph.senders)) throw new NnphysError(`paddingBudget: graphs[${g}] must be a graph with nodes and senders arrays`);
    nodes += graph.nodes.length;
    edges += graph.senders.length;
  }
  const budget = { nodes, edges, graphs: graphs.length + 1 };
  if (round === 'none') return budget;
  if (round === 'pow2') return { nodes: nextPowerOfTwo(nodes), edges: nextPowerOfTwo(edges), graphs: nextPowerOfTwo(budget.graphs) };
  assertPositiveInteger(round, "paddingBudget: options.round (a multiple, 'pow2' or 'none')");
  const up = (n: number) => Math.ceil(n / round) * round;
  return { nodes: up(nodes), edges: up(edges), graphs: up(budget.graphs) };
}

/**
 * The graphs of a batch as plain arrays (jraph's `unbatch`), with the
 * batch's current node (and edge) features, so a layer's output can be read
 * graph by graph. The padding graph of a padded batch is left out. Node order
 * within each graph follows the batch; a graph's edges must stay within it.
 */
export function unbatch(batch: GraphBatch): Graph[] {
  if (batch === null || typeof batch !== 'object' || !batch.nodes || !batch.graphIds) throw new NnphysError('unbatch: batch must be a GraphBatch');
  const N = batch.nodes.shape[0];
  const F = batch.nodes.shape[1];
  const nodes = batch.nodes.dataSync();
  const graphIds = batch.graphIds.dataSync();
  const senders = batch.senders.dataSync();
  const receivers = batch.receivers.dataSync();
  const edges = batch.edges ? batch.edges.dataSync() : null;
  const D = batch.edges ? batch.edges.shape[1] : 0;
  const targets = batch.targets ? batch.targets.dataSync() : null;
  const T = batch.targets ? batch.targets.shape[1] : 0;
  const real = batch.graphMask ? Array.from(batch.graphMask.dataSync(), (m) => m > 0) : null;
  const numGraphs = batch.numGraphs;
  const out: Graph[] = Array.from({ length: numGraphs }, () => ({ nodes: [], senders: [], receivers: [] }));
  const local = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const g = graphIds[i] as number;
    if (g < 0 || g >= numGraphs) throw new NnphysError(`unbatch: batch.graphIds[${i}] = ${g} is out of range [0, ${numGraphs - 1}]`);
    const graph = out[g] as Graph;
    local[i] = graph.nodes.length;
    graph.nodes.push(Array.from(nodes.subarray(i * F, (i + 1) * F)));
  }
  for (let k = 0; k < senders.length; k++) {
    const s = senders[k] as number;
    const r = receivers[k] as number;
    const g = graphIds[s] as number;
    if (graphIds[r] !== g) throw new NnphysError(`unbatch: edge ${k} joins node ${s} of graph ${g} to node ${r} of graph ${graphIds[r]}; edges must stay within a graph`);
    const graph = out[g] as Graph;
    graph.senders.push(local[s] as number);
    graph.receivers.push(local[r] as number);
    if (edges) (graph.edges ??= []).push(Array.from(edges.subarray(k * D, (k + 1) * D)));
  }
  out.forEach((graph, g) => {
    if (edges) graph.edges ??= [];
    if (targets) graph.target = Array.from(targets.subarray(g * T, (g + 1) * T));
  });
  return real ? out.filter((_, g) => real[g]) : out;
}

/** Disposes every tensor of a batch. Layer outputs share index tensors with their input: dispose only one of them this way. */
export function disposeBatch(batch: GraphBatch): void {
  const tensors = [batch.nodes, batch.edges, batch.senders, batch.receivers, batch.graphIds, batch.globals, batch.targets, batch.nodeMask, batch.edgeMask, batch.graphMask];
  for (const t of tensors) if (t && !t.isDisposed) t.dispose();
}
