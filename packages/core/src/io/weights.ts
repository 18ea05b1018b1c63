import * as tf from '@tensorflow/tfjs-core';
import { describe, NnphysError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsDtype, type SafetensorsEntry } from './safetensors.js';

const TO_SAFETENSORS: Partial<Record<tf.DataType, SafetensorsDtype>> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };

function assertModule(model: unknown, fn: string): asserts model is Module {
  if (model == null || typeof (model as Module).variables !== 'function') throw new NnphysError(`${fn}: model must be a Module, got ${describe(model)}`);
}

/** The model's variables as safetensors bytes (names as in `variables()`). Works in browsers. */
export function weightsToBytes(model: Module, metadata: Record<string, string> = {}): Uint8Array {
  assertModule(model, 'weightsToBytes');
  const entries = new Map<string, SafetensorsEntry>();
  for (const [name, v] of model.variables()) {
    const dtype = TO_SAFETENSORS[v.dtype];
    if (!dtype) throw new NnphysError(`weightsToBytes: variable ${JSON.stringify(name)} has dtype ${v.dtype}, which safetensors export does not support`);
    const values = v.dataSync() as Float32Array | Int32Array | Uint8Array;
    const copy = new Uint8Array(values.byteLength);
    copy.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    entries.set(name, { dtype, shape: [...v.shape], data: copy });
  }
  return encodeSafetensors(entries, { format: 'nnphys', ...metadata });
}

export interface LoadWeightsOptions {
  /** Accept a file that lacks some of the model's variables (default false). */
  allowMissing?: boolean;
  /** Accept a file with tensors the model does not have (default false). */
  allowExtra?: boolean;
}

/**
 * Loads safetensors bytes into the model. Every problem (missing, extra,
 * mis-shaped or mistyped tensors) is collected and reported by name in one
 * error, and nothing is assigned unless everything checks out.
 */
export function loadWeightsFromBytes(model: Module, bytes: Uint8Array, options: LoadWeightsOptions = {}, source = 'buffer'): Record<string, string> {
  assertModule(model, 'loadWeights');
  const file = decodeSafetensors(bytes, source);
  const vars = model.variables();
  const problems: string[] = [];
  const missing = [...vars.keys()].filter((k) => !file.tensors.has(k));
  const extra = [...file.tensors.keys()].filter((k) => !vars.has(k));
  if (missing.length > 0 && !options.allowMissing) problems.push(`missing: ${missing.join(', ')}`);
  if (extra.length > 0 && !options.allowExtra) problems.push(`unexpected: ${extra.join(', ')}`);
  const updates: Array<[string, tf.Variable, SafetensorsEntry]> = [];
  for (const [name, v] of vars) {
    const entry = file.tensors.get(name);
    if (!entry) continue;
    const want = TO_SAFETENSORS[v.dtype];
    if (entry.dtype !== want) problems.push(`${name}: dtype ${entry.dtype} in file, model expects ${want}`);
    else if (entry.shape.length !== v.shape.length || entry.shape.some((d, i) => d !== v.shape[i])) {
      problems.push(`${name}: shape [${entry.shape}] in file, model expects [${v.shape}]`);
    } else updates.push([name, v, entry]);
  }
  if (problems.length > 0) throw new NnphysError(`loadWeights (${source}): weights do not match the model, nothing was changed. ${problems.join('; ')}`);
  // Decode and check everything before assigning anything.
  const decoded = updates.map(([name, v, entry]) => {
    const buf = entry.data.slice().buffer; // aligned copy
    const values = entry.dtype === 'F32' ? new Float32Array(buf) : entry.dtype === 'I32' ? new Int32Array(buf) : new Uint8Array(buf);
    if (entry.dtype === 'F32') {
      const bad = (values as Float32Array).findIndex((x) => !Number.isFinite(x));
      if (bad >= 0) throw new NnphysError(`loadWeights (${source}): tensor ${JSON.stringify(name)} has a non-finite value at flat index ${bad}; nothing was changed`);
    }
    return [v, values] as const;
  });
  for (const [v, values] of decoded) {
    const t = tf.tensor(values, v.shape, v.dtype);
    v.assign(t);
    t.dispose();
  }
  return file.metadata;
}

/** Saves the model's variables to a safetensors file (Node). Writes a temporary file and renames it, so a crash never leaves a half-written file. */
export async function saveWeights(model: Module, path: string, metadata: Record<string, string> = {}): Promise<void> {
  assertModule(model, 'saveWeights');
  if (typeof path !== 'string' || path.length === 0) throw new NnphysError(`saveWeights: path must be a non-empty string, got ${describe(path)}`);
  const bytes = weightsToBytes(model, metadata);
  const fs = await import('node:fs/promises');
  const tmp = `${path}.${process.pid}.${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}.tmp`;
  let handle: Awaited<ReturnType<typeof fs.open>> | null = null;
  try {
    handle = await fs.open(tmp, 'wx');
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = null;
    await fs.rename(tmp, path);
  } catch (error) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new NnphysError(`saveWeights: could not write ${path}: ${(error as Error).message}`);
  }
}

/** Loads a safetensors file into the model (Node); see `loadWeightsFromBytes`. Returns the file's metadata. */
export async function loadWeights(model: Module, path: string, options: LoadWeightsOptions = {}): Promise<Record<string, string>> {
  assertModule(model, 'loadWeights');
  if (typeof path !== 'string' || path.length === 0) throw new NnphysError(`loadWeights: path must be a non-empty string, got ${describe(path)}`);
  const fs = await import('node:fs/promises');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(path));
  } catch (error) {
    throw new NnphysError(`loadWeights: could not read ${path}: ${(error as Error).message}`);
  }
  return loadWeightsFromBytes(model, bytes, options, path);
}
