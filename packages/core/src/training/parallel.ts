import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type BackendPreference, initBackend } from '../engine/backend.js';
import { nativeKernels } from '../engine/native.js';
import { describe, NnphysError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { assertPositiveInteger } from '../validate.js';
import type { OptimizerSpec } from './optimizer_spec.js';
import { ProgressBar, type ProgressStream } from './progress.js';
import { type ParallelTaskFactory, runReplica, sharedLayout } from './replica.js';
import type { EarlyStopping, EpochLogs, TrainHistory } from './train.js';

export interface ParallelTrainOptions {
  /**
   * A module (path or URL) whose default export (or `createTask`) builds `{ model, loss, data, validate? }` for
   * one replica, given `{ replica, replicas, backend, options }`. It runs in the main thread (replica 0) and in
   * each worker thread.
   */
  task: string | URL;
  /** Number of replicas, the main thread included (2 uses both cores of a 2-core machine). */
  workers: number;
  epochs: number;
  /** The optimizer as plain data, built in every replica (default Adam, learning rate 1e-3). */
  optimizer?: OptimizerSpec;
  /** Backend of every replica (default 'wasm'). */
  backend?: BackendPreference;
  /** Passed to the task factory as `options` (must be structured-cloneable). */
  taskOptions?: unknown;
  earlyStopping?: Omit<EarlyStopping, 'restoreBest'>;
  onEpochEnd?: (epoch: number, logs: EpochLogs) => unknown;
  progress?: boolean | { label?: string; stream?: ProgressStream };
}

export interface ParallelTrainResult extends TrainHistory {
  /** Replica 0's trained model. */
  model: Module;
  replicas: number;
  /** Whether every replica ended with bitwise the same weights as replica 0 (they should). */
  replicasIdentical: boolean;
}

function toHref(task: string | URL): string {
  if (task instanceof URL) return task.href;
  if (/^[a-z]+:/i.test(task)) return task;
  return pathToFileURL(task).href;
}

/**
 * Data-parallel training over worker threads (Node): `workers` replicas, each with its own backend, compute
 * gradients on their shards of every batch; the gradients are averaged every step through a SharedArrayBuffer
 * and every replica applies the same update, so the result equals one worker training on the union of the
 * shards (up to float32 summation order). tfjs-wasm is single-threaded in Node; this is how to use more cores.
 */
export async function trainParallel(options: ParallelTrainOptions): Promise<ParallelTrainResult> {
  // The native accelerator is one library per process whose threads the replicas share: each replica's
  // products get cores / replicas threads while training runs, and the replicas follow the main thread's
  // choice of using it at all.
  const native = nativeKernels();
  const threads = native?.info().threads ?? 1;
  const replicas = options.workers;
  if (native && Number.isInteger(replicas) && replicas > 1) native.setNumThreads(Math.max(1, Math.floor(threads / replicas)));
  try {
    return await runReplicas(options, native !== null);
  } finally {
    native?.setNumThreads(threads);
  }
}

async function runReplicas(options: ParallelTrainOptions, useNative: boolean): Promise<ParallelTrainResult> {
  const { workers, epochs } = options;
  assertPositiveInteger(workers, 'train: workers');
  assertPositiveInteger(epochs, 'train: epochs');
  if (typeof options.task !== 'string' && !(options.task instanceof URL)) {
    throw new NnphysError(`train: with workers, task must be a module path or URL exporting a task factory, got ${describe(options.task)}`);
  }
  if (typeof SharedArrayBuffer === 'undefined') throw new NnphysError('train: workers need SharedArrayBuffer (Node, or a cross-origin-isolated page)');
  const href = toHref(options.task);
  const backendPref = options.backend ?? 'wasm';
  const backend = await initBackend(backendPref);
  const mod = (await import(/* @vite-ignore */ href)) as { default?: ParallelTaskFactory; createTask?: ParallelTaskFactory };
  const factory = mod.default ?? mod.createTask;
  if (typeof factory !== 'function') throw new NnphysError(`train: task module ${href} must export a default function (or createTask) that builds { model, loss, data }`);
  const task = await factory({ replica: 0, replicas: workers, backend, options: options.taskOptions });
  const params = task.model.trainableVariables().reduce((n, v) => n + v.size, 0);
  const sab = new SharedArrayBuffer(sharedLayout(workers, params).bytes);
  const optimizer: OptimizerSpec = options.optimizer ?? { name: 'adam', learningRate: 1e-3 };

  const workerUrl = new URL('./parallel_worker.js', import.meta.url);
  const errors: string[] = [];
  const finalWeights: Float32Array[][] = [];
  const threads: Worker[] = [];
  const finished: Promise<void>[] = [];
  for (let r = 1; r < workers; r++) {
    const w = new Worker(workerUrl, { workerData: { task: href, replica: r, replicas: workers, sab, epochs, optimizer, backend: backendPref, taskOptions: options.taskOptions, native: useNative } });
    threads.push(w);
    finished.push(
      new Promise<void>((resolve) => {
        w.on('message', (m: { type: string; message?: string; weights?: Float32Array[] }) => {
          if (m.type === 'error') errors.push(`replica ${r}: ${m.message}`);
          if (m.type === 'done' && m.weights) finalWeights.push(m.weights);
        });
        w.on('error', (e) => {
          errors.push(`replica ${r}: ${e.message}`);
          resolve();
        });
        w.on('exit', () => resolve());
      }),
    );
  }

  const progressOpt = options.progress ?? true;
  const bar =
    progressOpt === false
      ? null
      : new ProgressBar(epochs, (typeof progressOpt === 'object' ? progressOpt.label : undefined) ?? `train x${workers}`, typeof progressOpt === 'object' ? progressOpt.stream : undefined);
  const history: TrainHistory = { loss: [], validation: [], epochs: 0, steps: 0, stoppedEarly: false, bestEpoch: -1, seconds: 0 };
  const es = options.earlyStopping;
  const monitor = es?.monitor ?? (task.validate ? 'validation' : 'loss');
  let best = Number.POSITIVE_INFINITY;
  let sinceBest = 0;
  const t0 = Date.now();
  try {
    const { steps } = await runReplica(task, {
      replica: 0,
      replicas: workers,
      sab,
      epochs,
      optimizer,
      onEpoch: async (epoch, loss, epochSteps) => {
        const logs: EpochLogs = { epoch, loss, steps: epochSteps, seconds: (Date.now() - t0) / 1000 };
        history.loss.push(loss);
        if (task.validate) {
          logs.validation = await task.validate(epoch);
          history.validation.push(logs.validation);
        }
        history.epochs = epoch + 1;
        const score = monitor === 'validation' ? (logs.validation as number) : loss;
        if (score < best - (es?.minDelta ?? 0)) {
          best = score;
          history.bestEpoch = epoch;
          sinceBest = 0;
        } else sinceBest++;
        bar?.update(epoch + 1, `loss ${loss.toPrecision(4)}`);
        const verdict = await options.onEpochEnd?.(epoch, logs);
        if (es && sinceBest >= es.patience) history.stoppedEarly = true;
        return verdict === false || history.stoppedEarly;
      },
    });
    history.steps = steps;
  } catch (error) {
    // Give healthy workers a moment to report, but never keep the process alive for it.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(finished), new Promise((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
    for (const w of threads) await w.terminate();
    task.model.dispose();
    task.dispose?.();
    const detail = errors.length > 0 ? ` (${errors.join('; ')})` : '';
    throw error instanceof NnphysError ? new NnphysError(`${error.message}${detail}`) : error;
  } finally {
    bar?.done();
  }
  await Promise.all(finished);
  task.dispose?.();
  if (errors.length > 0) {
    task.model.dispose();
    throw new NnphysError(`train (workers): ${errors.join('; ')}`);
  }
  history.seconds = (Date.now() - t0) / 1000;
  const mine = task.model.trainableVariables().map((v) => v.dataSync() as Float32Array);
  const replicasIdentical =
    finalWeights.length === workers - 1 && finalWeights.every((ws) => ws.every((w, i) => w.length === mine[i]?.length && w.every((x, j) => Object.is(x, mine[i]?.[j]))));
  return { ...history, model: task.model, replicas: workers, replicasIdentical };
}
