import * as tf from '@tensorflow/tfjs-core';

/**
 * Swapping a stock kernel for a fixed one, reversibly: the original config is
 * kept so the fix can wrap it (fall back for unusual attributes) and so the
 * benchmark can restore the stock kernel to measure both in one run.
 */
const originals = new Map<string, tf.KernelConfig | null>();

export function overrideKernel(kernelName: string, backendName: string, make: (original: tf.KernelConfig | undefined) => tf.KernelFunc): void {
  const key = `${backendName}_${kernelName}`;
  if (originals.has(key)) return; // already fixed
  const original = tf.getKernel(kernelName, backendName);
  originals.set(key, original ?? null);
  if (original !== undefined) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ kernelName, backendName, kernelFunc: make(original) });
}

export function restoreKernel(kernelName: string, backendName: string): void {
  const key = `${backendName}_${kernelName}`;
  if (!originals.has(key)) return;
  const original = originals.get(key);
  tf.unregisterKernel(kernelName, backendName);
  if (original) tf.registerKernel(original);
  originals.delete(key);
}

export function isOverridden(kernelName: string, backendName: string): boolean {
  return originals.has(`${backendName}_${kernelName}`);
}
