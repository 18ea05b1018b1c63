import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernels } from '../engine/native.js';
import { type KernelArgs, readIndices, rowSize, withArrays } from './arrays.js';
import { checkGatherIndices } from './index_checks.js';

/** out[e, :] = x[indices[e], :] (rows with a negative index are 0 when `negative` is 'zero'). */
export const GatherRows = 'NnphysGatherRows';

export interface GatherRowsAttrs extends NamedAttrMap {
  negative: 'error' | 'zero';
  argName: string;
}

export function gatherRowsLoop(x: Float32Array | Int32Array, ids: Int32Array, out: Float32Array | Int32Array, f: number): void {
  const n = ids.length;
  if (f >= 8 && x.buffer === out.buffer && x.BYTES_PER_ELEMENT === 4) {
    // wasm: input and output live in the same heap, so each row is one native memmove.
    const heap = new Float32Array(x.buffer);
    const xo = x.byteOffset >> 2;
    const oo = out.byteOffset >> 2;
    for (let e = 0; e < n; e++) {
      const src = ids[e] as number;
      if (src < 0) {
        heap.fill(0, oo + e * f, oo + e * f + f);
        continue;
      }
      heap.copyWithin(oo + e * f, xo + src * f, xo + src * f + f);
    }
    return;
  }
  if (f >= 16) {
    for (let e = 0; e < n; e++) {
      const src = ids[e] as number;
      if (src < 0) out.fill(0, e * f, e * f + f);
      else out.set(x.subarray(src * f, src * f + f), e * f);
    }
    return;
  }
  for (let e = 0; e < n; e++) {
    const src = ids[e] as number;
    const oo = e * f;
    if (src < 0) {
      for (let j = 0; j < f; j++) out[oo + j] = 0;
      continue;
    }
    const so = src * f;
    for (let j = 0; j < f; j++) out[oo + j] = x[so + j] as number;
  }
}

export function gatherRowsKernel(backendName: string): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const { x, indices } = inputs as { x: TensorInfo; indices: TensorInfo };
    const { negative, argName } = attrs as unknown as GatherRowsAttrs;
    const numRows = x.shape[0] as number;
    checkGatherIndices(readIndices(backendName, backend, indices), numRows, argName, negative === 'zero');
    const f = rowSize(x.shape);
    const outShape = [indices.shape[0] as number, ...x.shape.slice(1)];
    const native = nativeKernels();
    const [out] = withArrays(backendName, backend, [x, indices], [{ shape: outShape, dtype: x.dtype, overwritten: true }], ([xa, ia], [oa]) => {
      if (native?.gatherRows && xa instanceof Float32Array && ia instanceof Int32Array && f > 0) native.gatherRows(xa, f, ia, oa as Float32Array);
      else gatherRowsLoop(xa as Float32Array, ia as Int32Array, oa as Float32Array, f);
    });
    return out as TensorInfo;
  };
  return { kernelName: GatherRows, backendName, kernelFunc: kernelFunc as unknown as KernelFunc };
}
