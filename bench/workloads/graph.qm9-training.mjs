// QM9 training throughput: one Adam step of @nnphys/graph's GraphRegressor (3 edge-conditioned MPNNConv layers,
// hidden 64, sum readout, MLP head) on a batch of 128 real QM9 molecules (heavy atoms, 11 atom / 4 bond features).
// The molecules are in graph.qm9-batch.json (exported from @nnphys/datasets qm9Sample() by
// examples/graph-qm9/scripts/export-bench-batch.mjs); bench/torch/graph_qm9_training.py trains the same model,
// written in plain PyTorch with index_select + index_add_, on the same file.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createOptimizer } from '@nnphys/core';
import { GraphRegressor, batchGraphs, disposeBatch } from '@nnphys/graph';

const dataFile = fileURLToPath(new URL('./graph.qm9-batch.json', import.meta.url));
const sizes = { full: { molecules: 128, hidden: 64, layers: 3 }, smoke: { molecules: 16, hidden: 16, layers: 3 } };

export default {
  id: 'graph.qm9-training',
  title: 'QM9 GNN training step: 3 MPNN layers, hidden 64, batch 128 molecules, Adam',
  configs: ['wasm', 'cpu'],
  items: (scale) => sizes[scale].molecules,
  itemName: 'molecules',
  async setup({ scale }) {
    const { molecules, hidden, layers } = sizes[scale];
    const data = JSON.parse(readFileSync(dataFile, 'utf8'));
    const graphs = data.molecules.slice(0, molecules);
    const batch = batchGraphs(graphs);
    const model = new GraphRegressor({ nodeInputs: data.nodeFeatures, edgeInputs: data.edgeFeatures, hidden, layers, conv: 'mpnn', readout: 'sum', targetMean: [data.targetMean], targetStd: [data.targetStd], seed: 1 });
    // Core's optimizer for an adam spec: FusedAdam on cpu/wasm (one JS loop per variable; 410 instead of 960
    // kernels per step here), tf.train.adam elsewhere.
    const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3 });
    return {
      iterate: async () => {
        const cost = optimizer.minimize(() => model.loss(batch), true);
        await cost.data();
        cost.dispose();
      },
      dispose: () => {
        optimizer.dispose();
        model.dispose();
        disposeBatch(batch);
      },
    };
  },
  torch: { script: 'graph_qm9_training.py', args: (scale) => ({ ...sizes[scale], data: dataFile }) },
};
