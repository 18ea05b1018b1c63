import type * as tf from '@tensorflow/tfjs-core';
import { type NumericArray, withArrays } from '../../kernels/arrays.js';
import { nativeKernels } from '../native.js';

/**
 * out = transpose(x, perm) as one strided copy. The stock wasm Transpose takes 40-400 ms for 0.8M elements at
 * rank 5 (a multi-head attention's [b, t, 3, heads, d] -> [3, b, heads, t, d]) and ~60 ms at rank 4; this loop
 * takes a few ms. Walks the output in order; the input offset advances by a per-axis stride (an odometer).
 */
export function transposeLoop(x: NumericArray, shape: number[], perm: number[], out: NumericArray): void {
  const rank = shape.length;
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let a = rank - 1; a >= 0; a--) {
    inStrides[a] = s;
    s *= shape[a] as number;
  }
  if (s === 0) return;
  const outShape = perm.map((p) => shape[p] as number);
  const step = perm.map((p) => inStrides[p] as number);
  const inner = outShape[rank - 1] as number;
  const innerStep = step[rank - 1] as number;
  const idx = new Int32Array(rank);
  const outer = s / inner;
  let base = 0;
  let o = 0;
  for (let k = 0; k < outer; k++) {
    if (innerStep === 1) {
      for (let j = 0; j < inner; j++) out[o + j] = x[base + j] as number;
    } else {
      let i = base;
      for (let j = 0; j < inner; j++, i += innerStep) out[o + j] = x[i] as number;
    }
    o += inner;
    for (let a = rank - 2; a >= 0; a--) {
      idx[a] = (idx[a] as number) + 1;
      base += step[a] as number;
      if ((idx[a] as number) < (outShape[a] as number)) break;
      base -= (step[a] as number) * (outShape[a] as number);
      idx[a] = 0;
    }
  }
}

/** Transpose of rank >= 3 through `transposeLoop`; rank <= 2 (fast in the stock kernel) and complex fall back. */
export function fastTranspose(backendName: string) {
  return (original: tf.KernelConfig | undefined): tf.KernelFunc =>
    (args) => {
      const { inputs, backend, attrs } = args as unknown as { inputs: { x: tf.TensorInfo }; backend: tf.KernelBackend; attrs: { perm: number[] } };
      const { x } = inputs;
      if (x.shape.length < 3 || (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool')) {
        if (!original) throw new Error('Transpose: no stock kernel to fall back to');
        return original.kernelFunc(args);
      }
      const perm = attrs.perm;
      const outShape = perm.map((p) => x.shape[p] as number);
      const native = nativeKernels();
      const [out] = withArrays(backendName, backend, [x], [{ shape: outShape, dtype: x.dtype, overwritten: true }], ([xa], [oa]) => {
        // The same walk in native code, threaded over blocks of output rows (~10x on a Transformer's head split).
        const same = (xa instanceof Float32Array && oa instanceof Float32Array) || (xa instanceof Int32Array && oa instanceof Int32Array);
        if (native?.transpose && same && x.shape.length <= 8) native.transpose(xa as Float32Array, oa as Float32Array, x.shape, perm);
        else transposeLoop(xa as NumericArray, x.shape, perm, oa as NumericArray);
      });
      return out as tf.TensorInfo;
    };
}
