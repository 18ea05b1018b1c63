// Data-parallel training (core's train({ workers, task })): the MLP of core.mlp-step, global batch 256 split
// across replicas, one iteration = one epoch of 16 Adam steps. 'wasm' is one replica, 'wasm-x2' two (one per core).
// Training runs continuously; each iteration waits for the next epoch's end, so worker start-up is not timed.
import { train } from '@nnphys/core';

const sizes = { full: { batch: 256, widths: [64, 256, 256, 1], steps: 16 }, smoke: { batch: 32, widths: [8, 16, 16, 1], steps: 4 } };
const task = new URL('./tasks/mlp_task.mjs', import.meta.url);

export default {
  id: 'core.mlp-train-workers',
  title: 'MLP 64-256-256-1 training, 16 Adam steps of batch 256, data-parallel replicas',
  configs: ['wasm', 'wasm-x2', 'wasm-js', 'wasm-js-x2'],
  items: (scale) => sizes[scale].batch * sizes[scale].steps,
  itemName: 'samples',
  flops: (scale) => {
    const { batch, widths, steps } = sizes[scale];
    let f = 0;
    for (let i = 0; i + 1 < widths.length; i++) f += 2 * batch * widths[i] * widths[i + 1];
    return 3 * f * steps;
  },
  async setup({ backend, workers, scale }) {
    if (backend !== 'wasm') return { skip: 'replicas run the wasm backend' };
    let stop = false;
    let waiting = null;
    const epochEnded = () => {
      const w = waiting;
      waiting = null;
      w?.();
      return stop ? false : undefined;
    };
    const running = train({ task, workers: workers ?? 1, epochs: 1e9, taskOptions: sizes[scale], optimizer: { name: 'adam', learningRate: 1e-3 }, onEpochEnd: epochEnded, progress: false });
    running.catch(() => {});
    return {
      iterate: () => new Promise((resolve, reject) => {
        waiting = resolve;
        running.then(() => reject(new Error('training ended early')), reject);
      }),
      dispose: async () => {
        stop = true;
        const result = await running;
        result.model.dispose();
      },
    };
  },
  torch: { script: 'mlp_step.py', args: (scale) => sizes[scale] },
};
