import * as tf from '@tensorflow/tfjs-core';
import { GatherRows } from './GatherRows.js';
import { ensureKernels } from './install.js';
import { ScatterArgRows } from './ScatterArgRows.js';
import { SegmentCount } from './SegmentCount.js';
import { SegmentMax } from './SegmentMax.js';
import { SegmentSoftmax } from './SegmentSoftmax.js';
import { SegmentSum } from './SegmentSum.js';

/**
 * Thin, unvalidated entry points to our kernels, used by the public ops
 * (after validation) and by the gradients. They make sure the kernels exist
 * for the active backend first.
 */
type Attrs = Record<string, number | string | boolean>;

function run(name: string, inputs: Record<string, tf.Tensor>, attrs: Attrs): tf.Tensor | tf.Tensor[] {
  ensureKernels();
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs) as tf.Tensor | tf.Tensor[];
}

export function runGatherRows(x: tf.Tensor, indices: tf.Tensor, negative: 'error' | 'zero', argName = 'indices'): tf.Tensor {
  return run(GatherRows, { x, indices }, { negative, argName }) as tf.Tensor;
}

export function runSegmentSum(x: tf.Tensor, segmentIds: tf.Tensor, numSegments: number, argName = 'segmentIds'): tf.Tensor {
  return run(SegmentSum, { x, segmentIds }, { numSegments, argName }) as tf.Tensor;
}

export function runSegmentMax(x: tf.Tensor, segmentIds: tf.Tensor, numSegments: number, argName = 'segmentIds'): [tf.Tensor, tf.Tensor] {
  return run(SegmentMax, { x, segmentIds }, { numSegments, argName }) as [tf.Tensor, tf.Tensor];
}

export function runScatterArgRows(dy: tf.Tensor, arg: tf.Tensor, numRows: number): tf.Tensor {
  return run(ScatterArgRows, { dy, arg }, { numRows }) as tf.Tensor;
}

export function runSegmentSoftmax(x: tf.Tensor, segmentIds: tf.Tensor, numSegments: number, argName = 'segmentIds'): tf.Tensor {
  return run(SegmentSoftmax, { x, segmentIds }, { numSegments, argName }) as tf.Tensor;
}

export function runSegmentCount(segmentIds: tf.Tensor, numSegments: number, argName = 'segmentIds'): tf.Tensor {
  return run(SegmentCount, { segmentIds }, { numSegments, argName }) as tf.Tensor;
}
