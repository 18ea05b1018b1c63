import type * as tf from '@tensorflow/tfjs-core';
import { type NumericArray, withArrays } from '../../kernels/arrays.js';

/**
 * tf.split as one block copy per output row-block (the stock wasm SplitV slices each output through a strided
 * kernel: 2.3 ms per call for a Transformer's [2048, 384] -> 3 x [2048, 128]).
 */
export function fastSplitV(backendName: string) {
  return (original: tf.KernelConfig | undefined): tf.KernelFunc =>
    (args) => {
      const { inputs, backend, attrs } = args as unknown as {
        inputs: { x: tf.TensorInfo };
        backend: tf.KernelBackend;
        attrs: { numOrSizeSplits: number | number[]; axis: number };
      };
      const { x } = inputs;
      const rank = x.shape.length;
      const axis = attrs.axis < 0 ? attrs.axis + rank : attrs.axis;
      const len = x.shape[axis] as number;
      let sizes: number[];
      if (Array.isArray(attrs.numOrSizeSplits)) {
        const given = attrs.numOrSizeSplits;
        const known = given.filter((s) => s >= 0).reduce((a, b) => a + b, 0);
        sizes = given.map((s) => (s < 0 ? len - known : s)); // one -1 entry takes the rest, as tf.split allows
      } else {
        sizes = new Array<number>(attrs.numOrSizeSplits).fill(len / attrs.numOrSizeSplits);
      }
      if ((x.dtype !== 'float32' && x.dtype !== 'int32') || !sizes.every((s) => Number.isInteger(s) && s >= 0) || sizes.reduce((a, b) => a + b, 0) !== len) {
        if (!original) throw new Error('SplitV: no stock kernel to fall back to');
        return original.kernelFunc(args);
      }
      let outer = 1;
      for (let a = 0; a < axis; a++) outer *= x.shape[a] as number;
      let inner = 1;
      for (let a = axis + 1; a < rank; a++) inner *= x.shape[a] as number;
      const outputs = sizes.map((s) => ({ shape: x.shape.map((d, a) => (a === axis ? s : d)), dtype: x.dtype, overwritten: true }));
      return withArrays(backendName, backend, [x], outputs, ([xa], outs) => {
        const src = xa as NumericArray;
        let offset = 0;
        for (const [k, s] of sizes.entries()) {
          const dst = outs[k] as NumericArray;
          const block = s * inner;
          for (let r = 0; r < outer; r++) {
            const from = (r * len + offset) * inner;
            (dst as Float32Array).set((src as Float32Array).subarray(from, from + block), r * block);
          }
          offset += s;
        }
      });
    };
}
