import * as tf from '@tensorflow/tfjs-core';
import { MLP, Random, checkGradients, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { AttentionPool, DeepSets, GraphRegressor, batchGraphs, disposeBatch, globalPool } from '../src/index.js';
import { backends, checkVariableGradients, randomGraph } from './helpers.js';
import { D, F, zoo } from './layer_zoo.js';

// Central differences in float32. Input probes are random normal directions
// over ~50-100 entries (norm ~10), so ε = 1e-3 is a step of ~1e-2; parameter
// probes are unit directions with ε = 1e-2. Truncation error O(step²·f''')
// is ~1e-4 relative for these smooth (tanh) layers, rounding ~1e-6/ε; a wrong
// or missing gradient term gives errors of order 1. Max/min aggregation is
// piecewise smooth; with these random inputs no probe crosses a switch.
const TOL = 2e-2;

/**
 * A padded batch of two random graphs. The padding slots get random values
 * too: zero padding would sit exactly on ReLU kinks and make the identical
 * padding edges tie in max aggregation, where finite differences are
 * meaningless.
 */
function batchFor(edges: boolean, seed: number) {
  const rng = new Random(seed);
  const graphs = [randomGraph(rng, { nodes: 5, edges: 9, features: F, edgeFeatures: D }), randomGraph(rng, { nodes: 3, edges: 4, features: F, edgeFeatures: D })];
  if (!edges) for (const g of graphs) delete g.edges;
  const batch = batchGraphs(graphs, { padTo: { nodes: 10, edges: 15, graphs: 3 } });
  const random = (t: tf.Tensor2D) => {
    const r = tf.tensor2d(Float32Array.from({ length: t.size }, () => rng.normal()), t.shape);
    t.dispose();
    return r;
  };
  batch.nodes = random(batch.nodes);
  if (batch.edges) batch.edges = random(batch.edges);
  return batch;
}

describe.each(backends)('finite-difference gradient checks on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  describe.each(zoo.map((z) => [z.name, z] as const))('%s', (_, entry) => {

    test('with respect to node (and edge) features', () => {
      const batch = batchFor(entry.edges, 21);
      const layer = entry.make(31);
      const out0 = layer.apply(batch).nodes;
      const w = tf.tensor2d(Float32Array.from({ length: out0.size }, (_, i) => Math.sin(1 + i)), out0.shape);
      out0.dispose();
      const xs = entry.edges ? [batch.nodes, batch.edges as tf.Tensor2D] : [batch.nodes];
      const before = tf.memory().numTensors;
      const res = checkGradients(
        (nodes, edges) => tf.sum(tf.mul(layer.apply({ ...batch, nodes: nodes as tf.Tensor2D, edges: (edges as tf.Tensor2D | undefined) ?? batch.edges }).nodes, w)) as tf.Scalar,
        xs,
        { epsilon: 1e-3, directions: 6, seed: 3 },
      );
      expect(tf.memory().numTensors).toBe(before);
      expect(res.maxRelativeError).toBeLessThan(TOL);
      w.dispose();
      disposeBatch(batch);
      layer.dispose();
    });

    test('with respect to every parameter', () => {
      const batch = batchFor(entry.edges, 22);
      const layer = entry.make(32);
      const out0 = layer.apply(batch).nodes;
      const w = tf.tensor2d(Float32Array.from({ length: out0.size }, (_, i) => Math.cos(1 + 2 * i)), out0.shape);
      out0.dispose();
      const err = checkVariableGradients(layer, () => tf.sum(tf.mul(layer.apply(batch).nodes, w)) as tf.Scalar, { epsilon: 1e-2, directions: 4 });
      expect(err).toBeLessThan(TOL);
      w.dispose();
      disposeBatch(batch);
      layer.dispose();
    });
  });

  test('readouts: globalPool (sum, mean, max) and AttentionPool', () => {
    const batch = batchFor(false, 23);
    for (const mode of ['sum', 'mean', 'max'] as const) {
      const res = checkGradients((nodes) => tf.sum(tf.mul(globalPool({ ...batch, nodes: nodes as tf.Tensor2D }, mode), tf.reshape(tf.range(1, 1 + 3 * F), [3, F]))) as tf.Scalar, [batch.nodes], {
        epsilon: 1e-3,
      });
      expect(res.maxRelativeError).toBeLessThan(TOL);
    }
    const pool = new AttentionPool({ inputs: F, outputs: 3, seed: 4 });
    const w = tf.tensor2d([[1, -2, 3], [0.5, 1, -1], [2, 2, 2]]);
    const res = checkGradients((nodes) => tf.sum(tf.mul(pool.apply({ ...batch, nodes: nodes as tf.Tensor2D }), w)) as tf.Scalar, [batch.nodes], { epsilon: 1e-3 });
    expect(res.maxRelativeError).toBeLessThan(TOL);
    expect(checkVariableGradients(pool, () => tf.sum(tf.mul(pool.apply(batch), w)) as tf.Scalar)).toBeLessThan(TOL);
    w.dispose();
    pool.dispose();
    disposeBatch(batch);
  });

  test('DeepSets on dense masked sets and GraphRegressor end to end', () => {
    const rng = new Random(24);
    const x = tf.tensor3d(Float32Array.from({ length: 3 * 4 * F }, () => rng.normal()), [3, 4, F]);
    const mask = tf.tensor2d([[1, 1, 0, 1], [1, 0, 0, 0], [1, 1, 1, 1]]);
    const ds = new DeepSets({ phi: new MLP({ inputs: F, hidden: [6], outputs: 4, activation: 'tanh', seed: 1 }), rho: new MLP({ inputs: 4, hidden: [5], outputs: 2, activation: 'tanh', seed: 2 }) });
    const res = checkGradients((xx) => tf.sum(tf.mul(ds.apply(xx as tf.Tensor3D, mask), tf.tensor2d([[1, 2], [3, -1], [0.5, 0.25]]))) as tf.Scalar, [x], { epsilon: 1e-3 });
    expect(res.maxRelativeError).toBeLessThan(TOL);
    expect(checkVariableGradients(ds, () => tf.sum(ds.apply(x, mask)) as tf.Scalar)).toBeLessThan(TOL);
    tf.dispose([x, mask]);
    ds.dispose();

    const batch = batchFor(true, 25);
    const model = new GraphRegressor({ nodeInputs: F, edgeInputs: D, hidden: 8, layers: 2, activation: 'tanh', readout: 'attention', outputs: 2, seed: 5 });
    const t = tf.tensor2d([[1, 0], [-1, 2], [0, 0]]);
    expect(checkVariableGradients(model, () => model.loss(batch, { targets: t }))).toBeLessThan(TOL);
    t.dispose();
    model.dispose();
    disposeBatch(batch);
  });
});
