// QM9 training throughput: one Adam step of @nnphys/graph's GraphRegressor (3 edge-conditioned MPNNConv layers,
// hidden 64, sum readout, MLP head) on a batch of 128 real QM9 molecules (heavy atoms, 11 atom / 4 bond features).
// The molecules are in graph.qm9-batch.json (exported from @nnphys/datasets qm9Sample() by
// examples/graph-qm9/scripts/export-bench-batch.mjs); bench/torch/graph_qm9_training.py trains the same model,
// written in plain PyTorch with index_select + index_add_, on the same file.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createOptimizer, train } from '@nnphys/core';
import { GraphRegressor, batchGraphs, disposeBatch } from '@nnphys/graph';

const dataFile = fileURLToPath(new URL('./graph.qm9-batch.json', import.meta.url));
const task = new URL('./tasks/graph_qm9_task.mjs', import.meta.url);
const sizes = { full: { molecules: 128, hidden: 64, layers: 3 }, smoke: { molecules: 16, hidden: 16, layers: 3 } };

export default {
  id: 'graph.qm9-training',
  title: 'QM9 GNN training step: 3 MPNN layers, hidden 64, batch 128 molecules, Adam',
  // 'wasm-x2': two data-parallel replicas in worker threads (core's train({ workers: 2, task })), each computing
  // the gradient of one shard of 64 molecules; one iteration is still one Adam step on all 128 molecules.
  configs: ['wasm', 'wasm-x2', 'wasm-js', 'wasm-js-x2', 'cpu'],
  items: (scale) => sizes[scale].molecules,
  itemName: 'molecules',
  async setup({ backend, workers, scale }) {
    if (workers !== undefined) return backend === 'wasm' ? parallelSetup(workers, sizes[scale]) : { skip: 'replicas run the wasm backend' };
    const { molecules, hidden, layers } = sizes[scale];
    const data = JSON.parse(readFileSync(dataFile, 'utf8'));
    const graphs = data.molecules.slice(0, molecules);
    const batch = batchGraphs(graphs);
    const model = new GraphRegressor({ nodeInputs: data.nodeFeatures, edgeInputs: data.edgeFeatures, hidden, layers, conv: 'mpnn', readout: 'sum', targetMean: [data.targetMean], targetStd: [data.targetStd], seed: 1 });
    // Core's optimizer for an adam spec: FusedAdam on cpu/wasm (one JS loop per variable; 410 instead of 960
    // kernels per step here), tf.train.adam elsewhere.
    const optimizer = createOptimizer({ name: 'adam', learningRate: 1e-3 });
    const iterate = async () => {
      const cost = optimizer.minimize(() => model.loss(batch), true);
      await cost.data();
      cost.dispose();
    };
    await warmUp(iterate);
    return {
      iterate,
      dispose: () => {
        optimizer.dispose();
        model.dispose();
        disposeBatch(batch);
      },
    };
  },
  torch: { script: 'graph_qm9_training.py', args: (scale) => ({ ...sizes[scale], data: dataFile }) },
};

/**
 * Steps run before timing. The runner warms up with 3 iterations and sizes its timed loop from the first (cold)
 * one, which here leaves V8 and the wasm heap unsettled for the whole measurement (measured ~30 ms/step vs ~19
 * after warm-up). Twenty steps settle them.
 */
async function warmUp(iterate) {
  for (let i = 0; i < 20; i++) await iterate();
}

/** Training runs continuously over `workers` replicas, one step per epoch; each iteration waits for the next epoch's end. */
async function parallelSetup(workers, taskOptions) {
  let stop = false;
  let waiting = null;
  const epochEnded = () => {
    const w = waiting;
    waiting = null;
    w?.();
    return stop ? false : undefined;
  };
  const running = train({ task, workers, epochs: 1e9, taskOptions: { ...taskOptions, steps: 1 }, optimizer: { name: 'adam', learningRate: 1e-3 }, onEpochEnd: epochEnded, progress: false });
  running.catch(() => {});
  const iterate = () =>
    new Promise((resolve, reject) => {
      waiting = resolve;
      running.then(() => reject(new Error('training ended early')), reject);
    });
  await warmUp(iterate);
  return {
    iterate,
    dispose: async () => {
      stop = true;
      const result = await running;
      result.model.dispose();
      (await import(task.href)).disposeTasks(); // replica 0's batch (the workers' end with their threads)
    },
  };
}
