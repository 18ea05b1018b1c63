import * as tf from '@tensorflow/tfjs-core';
import { NnphysError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { Barrier } from './barrier.js';
import { createOptimizer, type OptimizerSpec } from './optimizer_spec.js';
import type { BatchSource } from './train.js';

/** What a data-parallel task module builds in every replica (the main thread is replica 0). */
export interface ParallelTask<B = unknown> {
  /** Built identically in every replica; replica 0's initial weights are copied to the others anyway. */
  model: Module;
  loss: (batch: B) => tf.Scalar;
  /** This replica's shard of each global batch of the epoch; every replica must yield the same number of batches. */
  data: (epoch: number) => BatchSource<B>;
  /** Validation score after each epoch (lower is better); called on replica 0 only. */
  validate?: (epoch: number) => number | Promise<number>;
  /** Releases what the task holds besides the model (e.g. data tensors); called in every replica when training ends. */
  dispose?: () => void;
}

export interface ReplicaContext {
  replica: number;
  replicas: number;
  backend: string;
  /** `taskOptions` given to train(), passed through unchanged (structured-cloned to workers). */
  options: unknown;
}

export type ParallelTaskFactory<B = unknown> = (ctx: ReplicaContext) => ParallelTask<B> | Promise<ParallelTask<B>>;

/** Offsets into the shared buffer: control ints, per-replica flags and losses (double-buffered), gradients (double-buffered), weights. */
export function sharedLayout(replicas: number, params: number) {
  const controlInts = Barrier.INTS + 2; // + [stop, epoch-done]
  const flagsOffset = controlInts * 4;
  const lossesOffset = Math.ceil((flagsOffset + 2 * replicas * 4) / 8) * 8;
  const gradsOffset = lossesOffset + 2 * replicas * 8;
  const weightsOffset = gradsOffset + 2 * replicas * params * 4;
  const bytes = weightsOffset + params * 4;
  return { controlInts, flagsOffset, lossesOffset, gradsOffset, weightsOffset, bytes };
}

export interface ReplicaRun {
  replica: number;
  replicas: number;
  sab: SharedArrayBuffer;
  epochs: number;
  optimizer: OptimizerSpec;
  /** Replica 0 only: called after every epoch with the mean loss; returns true to stop. */
  onEpoch?: (epoch: number, loss: number, steps: number) => Promise<boolean>;
}

/**
 * One replica's training loop. Each step: compute this shard's gradients, publish them, meet at the barrier,
 * sum all replicas' gradients in replica order (float64, so every replica gets bitwise the same average) and
 * apply them with a local optimizer. Identical starting weights + identical updates keep replicas identical.
 */
export async function runReplica<B>(task: ParallelTask<B>, run: ReplicaRun): Promise<{ steps: number }> {
  const { replica, replicas, sab, epochs } = run;
  const vars = task.model.trainableVariables();
  const sizes = vars.map((v) => v.size);
  const params = sizes.reduce((a, b) => a + b, 0);
  const layout = sharedLayout(replicas, params);
  if (sab.byteLength !== layout.bytes) {
    throw new NnphysError(`train (workers): replica ${replica} built a model with ${params} parameters, which does not match replica 0; the task must build the same model in every replica`);
  }
  const control = new Int32Array(sab, 0, layout.controlInts);
  const barrier = new Barrier(control, replicas);
  const flags = new Int32Array(sab, layout.flagsOffset, 2 * replicas);
  const losses = new Float64Array(sab, layout.lossesOffset, 2 * replicas);
  const grads = new Float32Array(sab, layout.gradsOffset, 2 * replicas * params);
  const weights = new Float32Array(sab, layout.weightsOffset, params);
  const fail = (why: string): never => {
    barrier.abort();
    throw new NnphysError(why);
  };

  // Replica 0's initial weights become everyone's.
  if (replica === 0) {
    let o = 0;
    for (const v of vars) {
      weights.set(v.dataSync() as Float32Array, o);
      o += v.size;
    }
  }
  if (!barrier.wait()) fail('train (workers): aborted while sharing the initial weights');
  if (replica !== 0) {
    let o = 0;
    for (const v of vars) {
      const t = tf.tensor(weights.slice(o, o + v.size), v.shape, 'float32');
      v.assign(t);
      t.dispose();
      o += v.size;
    }
  }

  const optimizer = createOptimizer(run.optimizer);
  const avg = new Float64Array(params);
  let step = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const source = task.data(epoch) as AsyncIterable<B> & Iterable<B>;
      const it = (typeof source[Symbol.asyncIterator] === 'function' ? source[Symbol.asyncIterator]() : source[Symbol.iterator]()) as AsyncIterator<B> | Iterator<B>;
      let epochLoss = 0;
      let epochSteps = 0;
      for (;;) {
        const buf = step % 2;
        const next = await it.next();
        if (!next.done) {
          const { value, grads: g } = tf.variableGrads(() => task.loss(next.value as B), vars);
          let o = (buf * replicas + replica) * params;
          for (const v of vars) {
            grads.set((g[v.name] as tf.Tensor).dataSync() as Float32Array, o);
            o += v.size;
          }
          losses[buf * replicas + replica] = value.dataSync()[0] as number;
          value.dispose();
          tf.dispose(g);
        }
        flags[buf * replicas + replica] = next.done ? 0 : 1;
        if (!barrier.wait()) fail(`train (workers): replica ${replica} stopped because another replica failed`);
        let active = 0;
        for (let r = 0; r < replicas; r++) active += flags[buf * replicas + r] as number;
        if (active === 0) break;
        if (active !== replicas) {
          fail(`train (workers): in epoch ${epoch}, ${replicas - active} of ${replicas} replicas ran out of batches before the others; every replica's data(epoch) must yield the same number of batches`);
        }
        avg.fill(0);
        let loss = 0;
        for (let r = 0; r < replicas; r++) {
          const base = (buf * replicas + r) * params;
          for (let i = 0; i < params; i++) avg[i] += grads[base + i] as number;
          loss += losses[buf * replicas + r] as number;
        }
        const named: tf.NamedTensorMap = {};
        let o = 0;
        for (const v of vars) {
          const slice = new Float32Array(v.size);
          for (let i = 0; i < v.size; i++) slice[i] = (avg[o + i] as number) / replicas;
          named[v.name] = tf.tensor(slice, v.shape, 'float32');
          o += v.size;
        }
        optimizer.applyGradients(named);
        tf.dispose(Object.values(named));
        epochLoss += loss / replicas;
        epochSteps++;
        step++;
      }
      if (epochSteps === 0) fail(`train (workers): epoch ${epoch} produced no batches`);
      if (!Number.isFinite(epochLoss)) fail(`train (workers): the loss became ${epochLoss} in epoch ${epoch}`);
      // Replica 0 decides whether to stop; the others learn it at the barrier.
      if (replica === 0 && run.onEpoch) {
        const stop = await run.onEpoch(epoch, epochLoss / epochSteps, epochSteps);
        Atomics.store(control, Barrier.INTS, stop ? 1 : 0);
      }
      if (!barrier.wait()) fail('train (workers): aborted at the end of an epoch');
      if (Atomics.load(control, Barrier.INTS) === 1) break;
    }
  } catch (error) {
    barrier.abort();
    throw error;
  } finally {
    optimizer.dispose();
  }
  return { steps: step };
}
