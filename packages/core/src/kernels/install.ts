import * as tf from '@tensorflow/tfjs-core';
import { geluGradConfig } from '../gradients/Gelu_grad.js';
import { gatherRowsGradConfig } from '../gradients/GatherRows_grad.js';
import { segmentMaxGradConfig } from '../gradients/SegmentMax_grad.js';
import { segmentSoftmaxGradConfig } from '../gradients/SegmentSoftmax_grad.js';
import { segmentSumGradConfig } from '../gradients/SegmentSum_grad.js';
import { gatherRowsKernel } from './GatherRows.js';
import { geluGradKernel, geluKernel } from './Gelu.js';
import { scatterArgRowsKernel } from './ScatterArgRows.js';
import { segmentCountKernel } from './SegmentCount.js';
import { segmentMaxKernel } from './SegmentMax.js';
import { segmentSoftmaxKernel } from './SegmentSoftmax.js';
import { segmentSumKernel } from './SegmentSum.js';

/**
 * Registers nnphys's own kernels (gather rows, segment reductions) for a
 * backend, once. cpu and wasm get typed-array kernels in place; any other
 * backend gets the same kernels through a read-back adapter, so the ops and
 * their gradients work everywhere.
 */
const kernelFactories = [gatherRowsKernel, segmentSumKernel, segmentMaxKernel, scatterArgRowsKernel, segmentSoftmaxKernel, segmentCountKernel, geluKernel, geluGradKernel];
const gradients = [gatherRowsGradConfig, segmentSumGradConfig, segmentMaxGradConfig, segmentSoftmaxGradConfig, geluGradConfig];
const installed = new Set<string>();

for (const g of gradients) {
  // Another copy of @nnphys/core may have registered it already (shared global registry).
  if (tf.getGradient(g.kernelName) === undefined) tf.registerGradient(g);
}

export function ensureKernels(backendName: string = tf.getBackend()): void {
  if (installed.has(backendName)) return;
  for (const make of kernelFactories) {
    const config = make(backendName);
    if (tf.getKernel(config.kernelName, backendName) === undefined) tf.registerKernel(config);
  }
  installed.add(backendName);
}
