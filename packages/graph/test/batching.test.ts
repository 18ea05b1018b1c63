import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, Random, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { type Graph, batchGraphs, disposeBatch, paddingBudget, unbatch } from '../src/index.js';
import { backends, randomGraph } from './helpers.js';

const tri: Graph = { nodes: [[1], [2], [3]], senders: [0, 1, 2], receivers: [1, 2, 0], edges: [[10], [11], [12]], target: [7] };
const pair: Graph = { nodes: [[4], [5]], senders: [1], receivers: [0], edges: [[13]], target: [8] };

describe.each(backends)('batching on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('disjoint union offsets senders and receivers and records graph ids', () => {
    const b = batchGraphs([tri, pair]);
    expect(b.nodes.arraySync()).toEqual([[1], [2], [3], [4], [5]]);
    expect(Array.from(b.senders.dataSync())).toEqual([0, 1, 2, 4]);
    expect(Array.from(b.receivers.dataSync())).toEqual([1, 2, 0, 3]);
    expect(Array.from(b.graphIds.dataSync())).toEqual([0, 0, 0, 1, 1]);
    expect(b.edges?.arraySync()).toEqual([[10], [11], [12], [13]]);
    expect(b.targets?.arraySync()).toEqual([[7], [8]]);
    expect(b.numGraphs).toBe(2);
    expect(b.nodeCounts).toEqual([3, 2]);
    expect(b.edgeCounts).toEqual([3, 1]);
    expect(b.senders.dtype).toBe('int32');
    expect(b.nodeMask).toBeUndefined();
    disposeBatch(b);
  });

  test('padding: one padding graph owns the padding nodes and edges; masks mark real entries', () => {
    const b = batchGraphs([tri, pair], { padTo: { nodes: 8, edges: 6, graphs: 4 } });
    expect(b.nodes.shape).toEqual([8, 1]);
    expect(b.edges?.shape).toEqual([6, 1]);
    expect(b.numGraphs).toBe(4);
    expect(Array.from(b.graphIds.dataSync())).toEqual([0, 0, 0, 1, 1, 2, 2, 2]);
    // padding edges join the first padding node (5) to itself, inside the padding graph
    expect(Array.from(b.senders.dataSync())).toEqual([0, 1, 2, 4, 5, 5]);
    expect(Array.from(b.receivers.dataSync())).toEqual([1, 2, 0, 3, 5, 5]);
    expect(Array.from(b.nodeMask!.dataSync())).toEqual([1, 1, 1, 1, 1, 0, 0, 0]);
    expect(Array.from(b.edgeMask!.dataSync())).toEqual([1, 1, 1, 1, 0, 0]);
    expect(Array.from(b.graphMask!.dataSync())).toEqual([1, 1, 0, 0]);
    expect(b.nodeCounts).toEqual([3, 2, 3, 0]);
    expect(b.edgeCounts).toEqual([3, 1, 2, 0]);
    expect(b.targets?.shape).toEqual([4, 1]);
    disposeBatch(b);
  });

  test('unbatch inverts batchGraphs (padding graph dropped), for random graphs including empty and edgeless ones', () => {
    const rng = new Random(1);
    const graphs = [
      randomGraph(rng, { nodes: 4, edges: 6, features: 3, edgeFeatures: 2, targets: 2 }),
      randomGraph(rng, { nodes: 0, edges: 0, features: 3, edgeFeatures: 2, targets: 2 }),
      randomGraph(rng, { nodes: 1, edges: 0, features: 3, edgeFeatures: 2, targets: 2 }),
      randomGraph(rng, { nodes: 5, edges: 0, features: 3, edgeFeatures: 2, targets: 2 }),
      randomGraph(rng, { nodes: 3, edges: 7, features: 3, edgeFeatures: 2, targets: 2 }),
    ];
    const round = (g: Graph[]) => JSON.parse(JSON.stringify(g, (_, v) => (typeof v === 'number' ? Math.fround(v) : v)));
    for (const padTo of [undefined, paddingBudget(graphs)]) {
      const b = batchGraphs(graphs, { padTo });
      expect(unbatch(b)).toEqual(round(graphs));
      disposeBatch(b);
    }
  });

  test('paddingBudget rounds to powers of two or multiples and always fits', () => {
    const graphs = [tri, pair];
    expect(paddingBudget(graphs, { round: 'none' })).toEqual({ nodes: 6, edges: 4, graphs: 3 });
    expect(paddingBudget(graphs)).toEqual({ nodes: 8, edges: 4, graphs: 4 });
    expect(paddingBudget(graphs, { round: 5 })).toEqual({ nodes: 10, edges: 5, graphs: 5 });
    const b = batchGraphs(graphs, { padTo: paddingBudget(graphs, { round: 'none' }) });
    expect(b.nodes.shape[0]).toBe(6);
    disposeBatch(b);
  });

  test('an empty list, and graphs with no nodes, give valid empty tensors', () => {
    const b = batchGraphs([], { nodeFeatures: 3 });
    expect(b.nodes.shape).toEqual([0, 3]);
    expect(b.numGraphs).toBe(0);
    disposeBatch(b);
    const c = batchGraphs([{ nodes: [], senders: [], receivers: [] }], { nodeFeatures: 2 });
    expect(c.nodes.shape).toEqual([0, 2]);
    expect(c.numGraphs).toBe(1);
    disposeBatch(c);
  });

  test('no tensor is left behind by batching and disposeBatch, nor by a rejected call', () => {
    const before = tf.memory().numTensors;
    disposeBatch(batchGraphs([tri, pair], { padTo: { nodes: 8, edges: 6, graphs: 4 } }));
    expect(() => batchGraphs([tri, { ...pair, senders: [5] }])).toThrow(NnphysError);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('batchGraphs rejects bad input with errors naming the argument', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['sender out of range', () => batchGraphs([tri, { ...pair, senders: [2] }]), /graphs\[1\]\.senders\[0\] = 2 is out of range: graph 1 has 2 nodes, so ids must be in \[0, 1\]/],
    ['negative receiver', () => batchGraphs([{ ...tri, receivers: [1, -1, 0] }]), /graphs\[0\]\.receivers\[1\] = -1 is out of range/],
    ['non-integer id', () => batchGraphs([{ ...tri, senders: [0, 1.5, 2] }]), /graphs\[0\]\.senders\[1\] must be an integer node index, got 1\.5/],
    ['NaN id', () => batchGraphs([{ ...tri, senders: [0, Number.NaN, 2] }]), /graphs\[0\]\.senders\[1\] must be an integer node index, got NaN/],
    ['string id', () => batchGraphs([{ ...tri, senders: [0, '1' as unknown as number, 2] }]), /must be an integer node index, got "1"/],
    ['node widths differ between graphs', () => batchGraphs([tri, { ...pair, nodes: [[4, 0], [5, 0]] }]), /mismatched feature widths: graphs\[1\]\.nodes\[0\] has 2 features but graphs\[0\]\.nodes\[0\] has 1/],
    ['node widths differ within a graph', () => batchGraphs([{ ...tri, nodes: [[1], [2, 2], [3]] }]), /graphs\[0\]\.nodes\[1\] has 2 features but graphs\[0\]\.nodes\[0\] has 1/],
    ['edge widths differ', () => batchGraphs([tri, { ...pair, edges: [[1, 2]] }]), /mismatched feature widths: graphs\[1\]\.edges\[0\] has 2 features but graphs\[0\]\.edges\[0\] has 1/],
    ['senders and receivers of different length', () => batchGraphs([{ ...tri, receivers: [1, 2] }]), /graphs\[0\] has 3 senders but 2 receivers/],
    ['edge rows do not match edges', () => batchGraphs([{ ...tri, edges: [[1]] }]), /graphs\[0\]\.edges has 1 rows but the graph has 3 edges/],
    ['edges missing on one graph', () => batchGraphs([tri, { nodes: [[1], [2]], senders: [0], receivers: [1] }]), /graphs\[1\] has no edge features but other graphs do/],
    ['target missing on one graph', () => batchGraphs([tri, { ...pair, target: undefined }]), /graphs\[1\] has no target but other graphs do/],
    ['target length differs', () => batchGraphs([tri, { ...pair, target: [1, 2] }]), /graphs\[1\]\.target has length 2 but graphs\[0\]\.target has length 1/],
    ['non-finite feature', () => batchGraphs([{ ...tri, nodes: [[1], [Number.POSITIVE_INFINITY], [3]] }]), /graphs\[0\]\.nodes\[1\]\[0\] must be a finite number, got Infinity/],
    ['not an array', () => batchGraphs({} as unknown as Graph[]), /graphs must be an array of graphs/],
    ['budget too small for nodes', () => batchGraphs([tri, pair], { padTo: { nodes: 5, edges: 4, graphs: 3 } }), /padTo\.nodes must exceed the 5 real nodes/],
    ['budget too small for edges', () => batchGraphs([tri, pair], { padTo: { nodes: 6, edges: 3, graphs: 3 } }), /padTo\.edges must be at least the 4 real edges/],
    ['budget too small for graphs', () => batchGraphs([tri, pair], { padTo: { nodes: 6, edges: 4, graphs: 2 } }), /padTo\.graphs must exceed the 2 real graphs/],
  ];
  test.each(cases)('%s', async (_, call, message) => {
    await initBackend('cpu');
    expect(call).toThrow(NnphysError);
    expect(call).toThrow(message);
  });
});
