import type * as tf from '@tensorflow/tfjs-core';

/**
 * wasm's Identity copies the whole tensor; the engine calls it for every
 * clone and in many gradients (200+ calls per Transformer
 * training step, ~7 ms). Share the data instead, with a reference count, as
 * the cpu backend does: kernels never write their inputs, so a shared buffer
 * is never changed under another tensor.
 */
export function sharedIdentity(original: tf.KernelConfig | undefined): tf.KernelFunc {
  return (args) => {
    const { inputs, backend } = args as unknown as { inputs: { x: tf.TensorInfo }; backend: tf.KernelBackend & { incRef(dataId: object): void } };
    const { x } = inputs;
    if (x.dtype === 'string' || typeof backend.incRef !== 'function') {
      if (!original) throw new Error('Identity: no stock kernel to fall back to');
      return original.kernelFunc(args);
    }
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
