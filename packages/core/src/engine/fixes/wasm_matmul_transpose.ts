import type * as tf from '@tensorflow/tfjs-core';
import { getKernel } from '@tensorflow/tfjs-core';

/**
 * The wasm BatchMatMul and _FusedMatMul are 10-25x slower with transposeA or
 * transposeB (platform.md), and every matmul gradient uses a transpose.
 * Transpose explicitly, then run the untransposed product.
 */
export function transposingMatMul(original: tf.KernelConfig | undefined): tf.KernelFunc {
  if (!original) throw new Error('wasm matmul kernel missing: is @tensorflow/tfjs-backend-wasm initialised?');
  const transpose = getKernel('Transpose', 'wasm');
  if (!transpose) throw new Error('wasm Transpose kernel missing');
  return (args) => {
    const { inputs, backend, attrs } = args as unknown as {
      inputs: Record<string, tf.TensorInfo>;
      backend: tf.KernelBackend;
      attrs: Record<string, unknown>;
    };
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original.kernelFunc(args);
    const swapLast = (t: tf.TensorInfo): tf.TensorInfo => {
      const r = t.shape.length;
      const perm = Array.from({ length: r }, (_, i) => i);
      perm[r - 2] = r - 1;
      perm[r - 1] = r - 2;
      return transpose.kernelFunc({ inputs: { x: t }, backend, attrs: { perm } }) as tf.TensorInfo;
    };
    const a = inputs.a as tf.TensorInfo;
    const b = inputs.b as tf.TensorInfo;
    const at = transposeA ? swapLast(a) : a;
    const bt = transposeB ? swapLast(b) : b;
    try {
      return original.kernelFunc({
        inputs: { ...inputs, a: at, b: bt },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      } as unknown as Parameters<tf.KernelFunc>[0]);
    } finally {
      if (at !== a) backend.disposeData(at.dataId);
      if (bt !== b) backend.disposeData(bt.dataId);
    }
  };
}
