import type * as tf from '@tensorflow/tfjs-core';
import { withArrays } from '../../kernels/arrays.js';
import { matMulLoop, transposeBatch } from '../../kernels/matmul_loop.js';

/**
 * BatchMatMul for the cpu backend (stock: 0.71 GFLOP/s). Handles float32,
 * transposes and a batch dimension that is equal on both sides or 1 on one
 * side; anything else goes to the stock kernel.
 */
export function fastCpuBatchMatMul(original: tf.KernelConfig | undefined): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as unknown as {
      inputs: { a: tf.TensorInfo; b: tf.TensorInfo };
      backend: tf.KernelBackend;
      attrs: { transposeA: boolean; transposeB: boolean };
    };
    const { a, b } = inputs;
    const ra = a.shape.length;
    const rb = b.shape.length;
    const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    const sameBatchShape = ra === rb && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
    const simpleBroadcast = batchA === 1 || batchB === 1;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || ra < 2 || rb < 2 || !(sameBatchShape || simpleBroadcast)) {
      if (!original) throw new Error('BatchMatMul: no stock kernel to fall back to');
      return original.kernelFunc(args);
    }
    const m = attrs.transposeA ? (a.shape[ra - 1] as number) : (a.shape[ra - 2] as number);
    const k = attrs.transposeA ? (a.shape[ra - 2] as number) : (a.shape[ra - 1] as number);
    const kb = attrs.transposeB ? (b.shape[rb - 1] as number) : (b.shape[rb - 2] as number);
    const n = attrs.transposeB ? (b.shape[rb - 2] as number) : (b.shape[rb - 1] as number);
    if (k !== kb) {
      if (!original) throw new Error(`BatchMatMul: inner dimensions ${k} and ${kb} differ`);
      return original.kernelFunc(args); // the stock kernel raises tfjs's usual error
    }
    const batch = Math.max(batchA, batchB);
    const outer = (batchA >= batchB ? a.shape : b.shape).slice(0, -2);
    const [out] = withArrays('cpu', backend, [a, b], [{ shape: [...outer, m, n], dtype: 'float32' }], ([aa, ba], [oa]) => {
      const av = attrs.transposeA ? transposeBatch(aa as Float32Array, batchA, k, m) : (aa as Float32Array);
      const bv = attrs.transposeB ? transposeBatch(ba as Float32Array, batchB, n, k) : (ba as Float32Array);
      for (let bi = 0; bi < batch; bi++) {
        const ao = batchA === 1 ? 0 : bi * m * k;
        const bo = batchB === 1 ? 0 : bi * k * n;
        matMulLoop(av, ao, bv, bo, oa as Float32Array, bi * m * n, m, k, n);
      }
    });
    return out as tf.TensorInfo;
  };
}
