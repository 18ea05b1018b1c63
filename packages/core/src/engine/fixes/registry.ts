import type * as tf from '@tensorflow/tfjs-core';
import { fastCpuBatchMatMul } from './cpu_matmul.js';
import { fastGatherV2 } from './fast_gather.js';
import { fastLeadingSum } from './fast_leading_sum.js';
import { fastSplitV } from './fast_split.js';
import { fastTranspose } from './fast_transpose.js';
import { fastUnsortedSegmentSum } from './fast_unsorted_segment_sum.js';
import { nativeBatchMatMul } from './native_matmul.js';
import { isOverridden, overrideKernel, restoreKernel } from './override.js';
import { sharedIdentity } from './shared_identity.js';
import { transposingMatMul } from './wasm_matmul_transpose.js';

/**
 * The stock-kernel fixes per backend (platform.md, "Known defects"). Each
 * entry replaces one stock kernel; `uninstallKernelFixes` restores them so a
 * benchmark can measure stock and fixed kernels in one run.
 */
type Fix = { kernelName: string; make: (original: tf.KernelConfig | undefined) => tf.KernelFunc };


function fixesFor(backendName: string): Fix[] {
  if (backendName === 'wasm') {
    return [
      { kernelName: 'BatchMatMul', make: (original) => nativeBatchMatMul('wasm', transposingMatMul(original)) },
      { kernelName: '_FusedMatMul', make: transposingMatMul },
      { kernelName: 'UnsortedSegmentSum', make: fastUnsortedSegmentSum('wasm') },
      { kernelName: 'GatherV2', make: fastGatherV2('wasm') },
      { kernelName: 'Transpose', make: fastTranspose('wasm') },
      { kernelName: 'Sum', make: fastLeadingSum('wasm') },
      { kernelName: 'SplitV', make: fastSplitV('wasm') },
      { kernelName: 'Identity', make: sharedIdentity },
    ];
  }
  if (backendName === 'cpu') {
    return [
      { kernelName: 'BatchMatMul', make: (original) => nativeBatchMatMul('cpu', fastCpuBatchMatMul(original)) },
      { kernelName: 'UnsortedSegmentSum', make: fastUnsortedSegmentSum('cpu') },
      { kernelName: 'GatherV2', make: fastGatherV2('cpu') },
    ];
  }
  return [];
}

/** Installs the fixes for a backend that is already initialised (its stock kernels' setup has run). */
export function installKernelFixes(backendName: string): void {
  for (const fix of fixesFor(backendName)) overrideKernel(fix.kernelName, backendName, fix.make);
}

/** Restores the stock kernels. */
export function uninstallKernelFixes(backendName: string): void {
  for (const fix of fixesFor(backendName)) restoreKernel(fix.kernelName, backendName);
}

export function kernelFixesInstalled(backendName: string): boolean {
  const fixes = fixesFor(backendName);
  return fixes.length > 0 && fixes.every((f) => isOverridden(f.kernelName, backendName));
}
