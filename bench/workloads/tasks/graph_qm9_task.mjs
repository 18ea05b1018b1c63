// Data-parallel task for graph.qm9-training (core's train({ workers, task })): the GraphRegressor of that workload;
// the global batch of `molecules` QM9 molecules is split into `replicas` equal shards (two shards of 64 for the
// full-scale 'wasm-x2' config), one per replica, the same shard every step. Each replica's loss is the mean over
// its shard, so the averaged gradient is the gradient of the mean over the whole batch (up to float32 rounding).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GraphRegressor, batchGraphs, disposeBatch } from '@nnphys/graph';

const dataFile = fileURLToPath(new URL('../graph.qm9-batch.json', import.meta.url));
const batches = [];

/** Disposes the batches of the replicas built in this thread (the model is disposed by whoever trains it). */
export function disposeTasks() {
  for (const b of batches.splice(0)) disposeBatch(b);
}

export default function createTask({ replica, replicas, options }) {
  const { molecules, hidden, layers, steps = 1 } = options;
  if (molecules % replicas !== 0) throw new Error(`graph_qm9_task: ${molecules} molecules do not split evenly over ${replicas} replicas`);
  const data = JSON.parse(readFileSync(dataFile, 'utf8'));
  const shard = molecules / replicas;
  // Batched once: the timed loop measures training, not batching.
  const batch = batchGraphs(data.molecules.slice(replica * shard, (replica + 1) * shard));
  batches.push(batch);
  const model = new GraphRegressor({ nodeInputs: data.nodeFeatures, edgeInputs: data.edgeFeatures, hidden, layers, conv: 'mpnn', readout: 'sum', targetMean: [data.targetMean], targetStd: [data.targetStd], seed: 1 });
  const epoch = Array.from({ length: steps }, () => batch);
  return {
    model,
    loss: (b) => model.loss(b),
    data: () => epoch,
  };
}
