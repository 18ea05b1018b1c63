import * as tf from '@tensorflow/tfjs-core';
import { Random, checkGradients, initBackend, nativeStatus, setNativeEnabled } from '@nnphys/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MPNNConv, batchGraphs, disposeBatch } from '../src/index.js';
import { backends, expectNoLeak, randomGraph } from './helpers.js';

// MPNNConv's fused kernels (src/layers/mpnn_fused.ts) run when @nnphys/native is available; with it switched off
// the same layer runs op by op. The two must agree in value and in every gradient. Without a C compiler the
// addon is not built and this file's comparisons do not run (listed as skipped); CI requires the addon.
describe.runIf(nativeStatus().available).each(backends)('fused MPNNConv on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  afterAll(() => setNativeEnabled(true));

  const configs = [
    { name: 'edges, ReLU tail, residual', edgeInputs: 3, options: { activation: 'relu' as const, residual: true } },
    { name: 'edges, no tail', edgeInputs: 3, options: {} },
    { name: 'no edge features, residual only', edgeInputs: 0, options: { residual: true } },
  ];

  test.each(configs)('$name: value and gradients (h, edges, every weight) equal the op-by-op layer', ({ edgeInputs, options }) => {
    const rng = new Random(5);
    const graphs = [randomGraph(rng, { nodes: 9, edges: 20, features: 6, edgeFeatures: edgeInputs || undefined }), randomGraph(rng, { nodes: 1, edges: 0, features: 6, edgeFeatures: edgeInputs || undefined }), randomGraph(rng, { nodes: 5, edges: 7, features: 6, edgeFeatures: edgeInputs || undefined })];
    const batch = batchGraphs(graphs);
    const layer = new MPNNConv({ nodeInputs: 6, edgeInputs, outputs: 6, hidden: 7, seed: 3, ...options });
    const weightsOut = tf.randomNormal([batch.nodes.shape[0], 6], 0, 1, 'float32', 11);
    const run = (fused: boolean) => {
      setNativeEnabled(fused);
      const inputs = [batch.nodes, ...(batch.edges ? [batch.edges] : [])];
      const f = () => tf.sum(tf.mul(layer.apply({ ...batch, nodes: inputs[0] as tf.Tensor2D, edges: (inputs[1] as tf.Tensor2D | undefined) ?? batch.edges }).nodes, weightsOut)) as tf.Scalar;
      const value = f();
      const { grads } = tf.variableGrads(f, layer.trainableVariables());
      const inputGrads = tf.grads((h: tf.Tensor, ...e: tf.Tensor[]) => tf.sum(tf.mul(layer.apply({ ...batch, nodes: h as tf.Tensor2D, edges: (e[0] as tf.Tensor2D | undefined) ?? batch.edges }).nodes, weightsOut)) as tf.Scalar)(inputs);
      const out = {
        value: value.dataSync()[0] as number,
        grads: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, Array.from(g.dataSync())])),
        inputs: inputGrads.map((g) => Array.from(g.dataSync())),
      };
      tf.dispose([value, ...Object.values(grads), ...inputGrads]);
      return out;
    };
    const fused = run(true);
    const plain = run(false);
    setNativeEnabled(true);
    // float32 products in a different order (composed Wo Um, fused sums): agreement to ~1e-5 relative.
    expect(Math.abs(fused.value - plain.value)).toBeLessThan(1e-4 * Math.max(1, Math.abs(plain.value)));
    expect(Object.keys(fused.grads).sort()).toEqual(Object.keys(plain.grads).sort());
    for (const [name, g] of Object.entries(plain.grads)) {
      const scale = Math.max(1, ...g.map(Math.abs));
      for (const [i, v] of (fused.grads[name] as number[]).entries()) expect(Math.abs(v - (g[i] as number)), `${name}[${i}]`).toBeLessThan(1e-4 * scale);
    }
    plain.inputs.forEach((g, k) => {
      const scale = Math.max(1, ...g.map(Math.abs));
      for (const [i, v] of (fused.inputs[k] as number[]).entries()) expect(Math.abs(v - (g[i] as number)), `input ${k} [${i}]`).toBeLessThan(1e-4 * scale);
    });
    weightsOut.dispose();
    layer.dispose();
    disposeBatch(batch);
  });

  test('finite differences agree with the fused gradients with respect to the node states and edge features', () => {
    const rng = new Random(6);
    const batch = batchGraphs([randomGraph(rng, { nodes: 7, edges: 15, features: 4, edgeFeatures: 2 })]);
    const layer = new MPNNConv({ nodeInputs: 4, edgeInputs: 2, outputs: 4, hidden: 5, activation: 'relu', residual: true, seed: 8 });
    const w = tf.randomNormal([7, 4], 0, 1, 'float32', 12);
    const result = checkGradients((h, e) => tf.sum(tf.mul(layer.apply({ ...batch, nodes: h as tf.Tensor2D, edges: e as tf.Tensor2D }).nodes, w)) as tf.Scalar, [batch.nodes, batch.edges as tf.Tensor]);
    // ReLU kinks: a central difference straddling one is off by O(1); eps 1e-2 on random data rarely does.
    expect(result.maxRelativeError).toBeLessThan(2e-2);
    w.dispose();
    layer.dispose();
    disposeBatch(batch);
  });

  test('leaks no tensors and rejects out-of-range node ids', () => {
    const rng = new Random(7);
    const batch = batchGraphs([randomGraph(rng, { nodes: 4, edges: 6, features: 3, edgeFeatures: 2 })]);
    const layer = new MPNNConv({ nodeInputs: 3, edgeInputs: 2, outputs: 3, seed: 9, residual: true });
    expectNoLeak(() => {
      const y = layer.apply(batch).nodes;
      const g = tf.grad((h: tf.Tensor) => tf.sum(layer.apply({ ...batch, nodes: h as tf.Tensor2D }).nodes))(batch.nodes);
      tf.dispose([y, g]);
    });
    const bad = { ...batch, receivers: tf.tensor1d([0, 1, 2, 3, 9, 0], 'int32') };
    expect(() => layer.apply(bad)).toThrow(/receivers\[4\] = 9 is out of range/);
    bad.receivers.dispose();
    layer.dispose();
    disposeBatch(batch);
  });
});
