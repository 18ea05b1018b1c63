import type * as tf from '@tensorflow/tfjs-core';
import { segmentSumKernel } from '../../kernels/SegmentSum.js';

/**
 * UnsortedSegmentSum in one O(E*F) pass. The stock cpu kernel is
 * O(numSegments*E*F) (about 1 s per segment at 100k x 64) and wasm has none,
 * which breaks tf.gather's gradient there.
 */
export function fastUnsortedSegmentSum(backendName: string) {
  return (_original: tf.KernelConfig | undefined): tf.KernelFunc => {
    const { kernelFunc } = segmentSumKernel(backendName, 'UnsortedSegmentSum');
    return (args) => {
      const segmentIds = (args.inputs as { segmentIds: tf.TensorInfo }).segmentIds;
      // tfjs allows segmentIds of the same rank as x; we support the common 1-D case and fall back otherwise.
      if (segmentIds.shape.length !== 1 && _original) return _original.kernelFunc(args);
      return kernelFunc(args);
    };
  };
}
