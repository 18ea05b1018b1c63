import * as tf from '@tensorflow/tfjs-core';
import { NnphysError } from '../errors.js';
import { ensureKernels } from '../kernels/install.js';
import { installKernelFixes } from './fixes/registry.js';
import './tfjs_setup.js';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface InitBackendOptions {
  /** Install nnphys's fixes for slow or missing stock kernels (default true). */
  kernelFixes?: boolean;
  /** Print which backend was chosen and why others were skipped (default false). */
  verbose?: boolean;
  /**
   * Where a browser should fetch tfjs-backend-wasm's .wasm files (not needed in Node): a URL prefix, or a map
   * from file name ('tfjs-backend-wasm.wasm', '-simd.wasm', '-threaded-simd.wasm') to URL, e.g. from a bundler's
   * `?url` imports.
   */
  wasmPaths?: string | Record<string, string>;
}

// A variable module name keeps bundlers from trying to resolve the optional accelerators.
async function importOptional(name: string): Promise<boolean> {
  try {
    await import(/* @vite-ignore */ name);
    return true;
  } catch (error) {
    lastImportErrors.set(name, error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error));
    return false;
  }
}
const lastImportErrors = new Map<string, string>();

function isNode(): boolean {
  return typeof process !== 'undefined' && process.versions?.node !== undefined;
}

async function tryTensorflow(): Promise<boolean> {
  if (!isNode()) return false;
  if (tf.findBackendFactory('tensorflow') === null) {
    const loaded = (await importOptional('@tensorflow/tfjs-node-gpu')) || (await importOptional('@tensorflow/tfjs-node'));
    if (!loaded) return false;
  }
  return tf.setBackend('tensorflow');
}

async function tryWasm(wasmPaths?: string | Record<string, string>): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (wasmPaths !== undefined) wasm.setWasmPaths(wasmPaths as Parameters<typeof wasm.setWasmPaths>[0]);
    return await tf.setBackend('wasm');
  } catch (error) {
    lastImportErrors.set('@tensorflow/tfjs-backend-wasm', error instanceof Error ? error.message : String(error));
    return false;
  }
}

let busy: Promise<string> | null = null;

/**
 * Selects and initialises a backend, installs nnphys's kernels and kernel
 * fixes for it, and returns its name. Idempotent.
 *
 * 'auto' tries @tensorflow/tfjs-node-gpu, then @tensorflow/tfjs-node (if
 * installed and loadable), then wasm, then cpu.
 */
export async function initBackend(preference: BackendPreference = 'auto', options: InitBackendOptions = {}): Promise<string> {
  const allowed: BackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];
  if (!allowed.includes(preference)) {
    throw new NnphysError(`initBackend: preference must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(preference)}`);
  }
  // Serialise concurrent calls: tf.setBackend is not re-entrant.
  while (busy) await busy.catch(() => undefined);
  busy = select(preference, options);
  try {
    return await busy;
  } finally {
    busy = null;
  }
}

async function select(preference: BackendPreference, options: InitBackendOptions): Promise<string> {
  const log = (msg: string) => {
    if (options.verbose) console.log(`[nnphys] ${msg}`);
  };
  let ok = false;
  if (preference === 'tensorflow') {
    ok = await tryTensorflow();
    if (!ok) {
      const why = [...lastImportErrors.entries()].filter(([k]) => k.includes('tfjs-node')).map(([k, v]) => `${k}: ${v}`).join('; ');
      throw new NnphysError(
        "initBackend('tensorflow'): could not load @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node. " +
          'Install one on a machine with internet access (its install script downloads libtensorflow): ' +
          '`npm i @tensorflow/tfjs-node` (CPU) or `npm i @tensorflow/tfjs-node-gpu` (CUDA 11.2, cuDNN 8.1).' +
          (why ? ` Import errors: ${why}` : ''),
      );
    }
  } else if (preference === 'wasm') {
    ok = await tryWasm(options.wasmPaths);
    if (!ok) {
      throw new NnphysError(
        "initBackend('wasm'): @tensorflow/tfjs-backend-wasm failed to load. It is a dependency of @nnphys/core; reinstall it " +
          '(`npm i @tensorflow/tfjs-backend-wasm`), and in a browser pass `wasmPaths` pointing at its .wasm files. ' +
          `Error: ${lastImportErrors.get('@tensorflow/tfjs-backend-wasm') ?? 'unknown'}`,
      );
    }
  } else if (preference === 'cpu') {
    ok = await tf.setBackend('cpu');
  } else {
    if (await tryTensorflow()) {
      log('using tensorflow (tfjs-node)');
      ok = true;
    } else if (await tryWasm(options.wasmPaths)) {
      log('tfjs-node not available; using wasm');
      ok = true;
    } else {
      log('wasm not available; using cpu');
      ok = await tf.setBackend('cpu');
    }
  }
  if (!ok) throw new NnphysError(`initBackend: backend for '${preference}' failed to initialise`);
  await tf.ready();
  const name = tf.getBackend();
  ensureKernels(name);
  if (options.kernelFixes !== false) installKernelFixes(name);
  return name;
}

/** The name of the active backend. */
export function currentBackend(): string {
  return tf.getBackend();
}
