// The body of each worker thread in data-parallel training: its own backend, its own model replica.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../engine/backend.js';
import { setNativeEnabled } from '../engine/native.js';
import { Barrier } from './barrier.js';
import { type ParallelTaskFactory, runReplica } from './replica.js';

interface WorkerData {
  task: string;
  replica: number;
  replicas: number;
  sab: SharedArrayBuffer;
  epochs: number;
  optimizer: Parameters<typeof runReplica>[1]['optimizer'];
  backend: 'wasm' | 'cpu' | 'auto';
  taskOptions: unknown;
  /** Whether the main thread uses @nnphys/native (the replicas follow it). */
  native: boolean;
}

async function main(): Promise<void> {
  const data = workerData as WorkerData;
  try {
    setNativeEnabled(data.native);
    const backend = await initBackend(data.backend);
    const mod = (await import(data.task)) as { default?: ParallelTaskFactory; createTask?: ParallelTaskFactory };
    const factory = mod.default ?? mod.createTask;
    if (typeof factory !== 'function') throw new Error(`task module ${data.task} must export a default function (or createTask)`);
    const task = await factory({ replica: data.replica, replicas: data.replicas, backend, options: data.taskOptions });
    const { steps } = await runReplica(task, { replica: data.replica, replicas: data.replicas, sab: data.sab, epochs: data.epochs, optimizer: data.optimizer });
    // Final weights, so the main thread can confirm that the replicas stayed identical.
    const weights = task.model.trainableVariables().map((v) => v.dataSync() as Float32Array);
    task.model.dispose();
    task.dispose?.();
    parentPort?.postMessage({ type: 'done', steps, weights });
  } catch (error) {
    new Barrier(new Int32Array(data.sab, 0, Barrier.INTS), data.replicas).abort();
    parentPort?.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}

// Exit explicitly: a backend's handles must not keep a finished worker alive.
void main().finally(() => process.exit(0));
