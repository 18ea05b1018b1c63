import * as tf from '@tensorflow/tfjs-core';
import { Random, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { type Graph, type GraphBatch, batchGraphs, disposeBatch, globalPool, paddingBudget, unbatch } from '../src/index.js';
import { backends, ethanolA, ethanolB, ethanolBtoA, ethanolGraphs, expectNoLeak, maxAbs, maxAbsDiff, permuteGraph, randomGraph } from './helpers.js';
import { D, F, type ZooEntry, zoo } from './layer_zoo.js';

// float32 outputs of the same computation summed in a different order (or
// with rows in other positions of a matmul) differ by a few ulps of the
// largest value; 1e-5 relative is ~100 ulps and far below any real bug
// (a wrong neighbour or normalisation changes outputs at the 1e-1 level).
const REL = 1e-5;

function strip(g: Graph, entry: ZooEntry): Graph {
  if (entry.edges) return g;
  const { edges: _, ...rest } = g;
  return rest;
}

/** Node outputs of `layer` per graph (padding graph dropped). */
function nodeOutputs(layer: ZooEntry['make'] extends (s: number) => infer L ? L : never, graphs: Graph[], padTo?: ReturnType<typeof paddingBudget>, garbage?: Random): number[][][] {
  const batch = batchGraphs(graphs, { padTo, nodeFeatures: F, edgeFeatures: D });
  let input: GraphBatch = batch;
  if (garbage && batch.nodeMask) {
    // Random values in the padding slots must not reach real outputs.
    const noise = (t: tf.Tensor2D) => tf.tensor2d(Float32Array.from({ length: t.size }, () => 10 * garbage.normal()), t.shape);
    const mix = (t: tf.Tensor2D, mask: tf.Tensor1D) => tf.tidy(() => tf.where(tf.cast(tf.expandDims(mask, 1), 'bool'), t, noise(t)) as tf.Tensor2D);
    input = { ...batch, nodes: mix(batch.nodes, batch.nodeMask), edges: batch.edges ? mix(batch.edges, batch.edgeMask!) : undefined };
  }
  const out = layer.apply(input);
  const result = unbatch({ ...out, edges: undefined }).map((g) => g.nodes);
  out.nodes.dispose();
  if (input !== batch) {
    input.nodes.dispose();
    input.edges?.dispose();
  }
  disposeBatch(batch);
  return result;
}

describe.each(backends)('layer properties on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('the ethanol adjacency matrices of 002 ch. 1 are one molecule under the stated relabelling', () => {
    for (let i = 0; i < 9; i++) {
      expect(ethanolB.labels[i]?.[0]).toBe(ethanolA.labels[ethanolBtoA[i] as number]?.[0]);
      for (let j = 0; j < 9; j++) expect(ethanolB.adjacency[i]?.[j]).toBe(ethanolA.adjacency[ethanolBtoA[i] as number]?.[ethanolBtoA[j] as number]);
    }
  });

  describe.each(zoo.map((z) => [z.name, z] as const))('%s', (_, entry) => {
    test('ethanol A and B (002 ch. 1): node outputs permute with the atoms, pooled outputs agree', () => {
      const { a, b } = ethanolGraphs(new Random(11));
      const layer = entry.make(1);
      const [outA] = nodeOutputs(layer, [strip(a, entry)]) as [number[][]];
      const [outB] = nodeOutputs(layer, [strip(b, entry)]) as [number[][]];
      const scale = Math.max(1, maxAbs(outA));
      expect(maxAbsDiff(outB, ethanolBtoA.map((i) => outA[i] as number[]))).toBeLessThan(REL * scale);
      // graph-level readout (000 eq. 5.10) is invariant
      const sum = (rows: number[][]) => rows.reduce((acc, r) => acc.map((v, j) => v + (r[j] as number)));
      expect(maxAbsDiff(sum(outA), sum(outB))).toBeLessThan(REL * scale * 9);
      layer.dispose();
    });

    test('random graphs under random node and edge permutations', () => {
      const rng = new Random(5);
      const layer = entry.make(2);
      for (let trial = 0; trial < 3; trial++) {
        const g = strip(randomGraph(rng, { nodes: 7, edges: 15, features: F, edgeFeatures: D }), entry);
        const perm = rng.permutation(7);
        const [out] = nodeOutputs(layer, [g]) as [number[][]];
        const [outP] = nodeOutputs(layer, [permuteGraph(g, perm, rng)]) as [number[][]];
        expect(maxAbsDiff(outP, perm.map((p) => out[p] as number[]))).toBeLessThan(REL * Math.max(1, maxAbs(out)));
      }
      layer.dispose();
    });

    test('a batch equals its graphs run one by one, including empty, single-node and edgeless graphs', () => {
      const rng = new Random(9);
      const graphs = [
        randomGraph(rng, { nodes: 5, edges: 9, features: F, edgeFeatures: D }),
        randomGraph(rng, { nodes: 0, edges: 0, features: F, edgeFeatures: D }),
        randomGraph(rng, { nodes: 1, edges: 0, features: F, edgeFeatures: D }),
        randomGraph(rng, { nodes: 1, edges: 2, features: F, edgeFeatures: D }), // two self-loops
        randomGraph(rng, { nodes: 4, edges: 0, features: F, edgeFeatures: D }),
        randomGraph(rng, { nodes: 6, edges: 12, features: F, edgeFeatures: D }),
      ].map((g) => strip(g, entry));
      const layer = entry.make(3);
      const batched = nodeOutputs(layer, graphs);
      const scale = Math.max(1, maxAbs(batched.flat()));
      graphs.forEach((g, i) => {
        const [alone] = nodeOutputs(layer, [g]);
        expect(alone?.length).toBe(g.nodes.length);
        if (g.nodes.length > 0) expect(maxAbsDiff(batched[i] as number[][], alone as number[][])).toBeLessThan(REL * scale);
        for (const row of alone ?? []) for (const v of row) expect(Number.isFinite(v)).toBe(true);
      });
      layer.dispose();
    });

    test('padded and unpadded batches agree, whatever the padding slots hold', () => {
      const rng = new Random(13);
      const graphs = [
        randomGraph(rng, { nodes: 4, edges: 8, features: F, edgeFeatures: D }),
        randomGraph(rng, { nodes: 3, edges: 0, features: F, edgeFeatures: D }),
        randomGraph(rng, { nodes: 5, edges: 6, features: F, edgeFeatures: D }),
      ].map((g) => strip(g, entry));
      const layer = entry.make(4);
      const plain = nodeOutputs(layer, graphs);
      const scale = Math.max(1, maxAbs(plain.flat()));
      const budget = { nodes: 16, edges: 20, graphs: 5 };
      for (const garbage of [undefined, new Random(99)]) {
        const padded = nodeOutputs(layer, graphs, budget, garbage);
        expect(padded.length).toBe(3);
        expect(maxAbsDiff(padded.flat(), plain.flat())).toBeLessThan(REL * scale);
      }
      expect(budget.nodes).toBeGreaterThanOrEqual(paddingBudget(graphs, { round: 'none' }).nodes);
      layer.dispose();
    });

    test('no tensor leaks; outputs are finite and deterministic', () => {
      const rng = new Random(17);
      const graphs = [randomGraph(rng, { nodes: 6, edges: 10, features: F, edgeFeatures: D }), randomGraph(rng, { nodes: 2, edges: 1, features: F, edgeFeatures: D })].map((g) => strip(g, entry));
      const layer = entry.make(5);
      const batch = batchGraphs(graphs, { padTo: paddingBudget(graphs) });
      expectNoLeak(() => layer.apply(batch).nodes);
      expectNoLeak(() => tf.tidy(() => globalPool(layer.apply(batch), 'sum')));
      const y1 = layer.apply(batch).nodes;
      const y2 = layer.apply(batch).nodes;
      const a1 = y1.dataSync();
      // bit-identical on the same backend
      expect(Array.from(y2.dataSync())).toEqual(Array.from(a1));
      for (const v of a1) expect(Number.isFinite(v)).toBe(true);
      tf.dispose([y1, y2]);
      disposeBatch(batch);
      layer.dispose();
    });
  });
});
