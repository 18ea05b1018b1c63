import type * as tf from '@tensorflow/tfjs-core';
import { withArrays } from '../../kernels/arrays.js';
import { nativeKernels } from '../native.js';

/** The cpu backend may hold a tensor's values in another array type (e.g. empty tensors); the addon takes Float32Array. */
function asFloat32(x: ArrayLike<number>): Float32Array {
  return x instanceof Float32Array ? x : Float32Array.from(x);
}

type Args = { inputs: { a: tf.TensorInfo; b: tf.TensorInfo }; backend: tf.KernelBackend; attrs: { transposeA: boolean; transposeB: boolean } };

/**
 * BatchMatMul on @nnphys/native's SGEMM when it is available, in place on the
 * backend's arrays (on wasm: views into its heap, no copies). Transposes
 * become strides; a batch of 1 on either side broadcasts (stride 0). Other
 * cases, and calls while the accelerator is off, go to `fallback`.
 */
export function nativeBatchMatMul(backendName: 'cpu' | 'wasm', fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const native = nativeKernels();
    const { inputs, backend, attrs } = args as unknown as Args;
    const { a, b } = inputs;
    const ra = a.shape.length;
    const rb = b.shape.length;
    if (!native || a.dtype !== 'float32' || b.dtype !== 'float32' || ra < 2 || rb < 2) return fallback(args);
    const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    const sameBatchShape = ra === rb && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
    if (!(sameBatchShape || batchA === 1 || batchB === 1)) return fallback(args);
    const aRows = a.shape[ra - 2] as number;
    const aCols = a.shape[ra - 1] as number;
    const bRows = b.shape[rb - 2] as number;
    const bCols = b.shape[rb - 1] as number;
    const [m, k] = attrs.transposeA ? [aCols, aRows] : [aRows, aCols];
    const [kb, n] = attrs.transposeB ? [bCols, bRows] : [bRows, bCols];
    if (k !== kb) return fallback(args); // the stock kernel raises tfjs's usual error
    const batch = Math.max(batchA, batchB);
    const outer = (batchA >= batchB ? a.shape : b.shape).slice(0, -2);
    const [aRow, aCol] = attrs.transposeA ? [1, aCols] : [aCols, 1];
    const [bRow, bCol] = attrs.transposeB ? [1, bCols] : [bCols, 1];
    const [out] = withArrays(backendName, backend, [a, b], [{ shape: [...outer, m, n], dtype: 'float32', overwritten: true }], ([av, bv], [cv]) => {
      native.sgemm(
        batch, m, n, k,
        asFloat32(av), 0, batchA === 1 ? 0 : m * k, aRow, aCol,
        asFloat32(bv), 0, batchB === 1 ? 0 : k * n, bRow, bCol,
        cv as Float32Array, 0, m * n,
      );
    });
    return out as tf.TensorInfo;
  };
}
