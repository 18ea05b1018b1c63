import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { type KernelArgs, readIndices, rowSize, withArrays } from './arrays.js';
import { checkSegmentIds } from './index_checks.js';

/**
 * Elementwise maximum per segment, and the row that attains it (the lowest
 * row on ties, -1 for an empty segment, whose maximum is 0). The argmax
 * output lets the gradient route to exactly one row, deterministically.
 */
export const SegmentMax = 'NnphysSegmentMax';

export interface SegmentMaxAttrs extends NamedAttrMap {
  numSegments: number;
  argName: string;
}

export function segmentMaxLoop(data: Float32Array, ids: Int32Array, out: Float32Array, arg: Int32Array, f: number): void {
  arg.fill(-1);
  const n = ids.length;
  for (let e = 0; e < n; e++) {
    const s = ids[e] as number;
    if (s < 0) continue;
    const so = s * f;
    const eo = e * f;
    for (let j = 0; j < f; j++) {
      const v = data[eo + j] as number;
      const k = so + j;
      // strict '>' keeps the lowest row on ties; NaN, once in, stays (as Math.max).
      if (arg[k] === -1 || v > (out[k] as number) || (Number.isNaN(v) && !Number.isNaN(out[k] as number))) {
        out[k] = v;
        arg[k] = e;
      }
    }
  }
}

export function segmentMaxKernel(backendName: string): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo[] => {
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments, argName } = attrs as unknown as SegmentMaxAttrs;
    checkSegmentIds(readIndices(backendName, backend, segmentIds), numSegments, argName);
    const f = rowSize(x.shape);
    const outShape = [numSegments, ...x.shape.slice(1)];
    return withArrays(
      backendName,
      backend,
      [x, segmentIds],
      [
        { shape: outShape, dtype: 'float32' },
        { shape: outShape, dtype: 'int32', overwritten: true },
      ],
      ([xa, ia], [oa, aa]) => segmentMaxLoop(xa as Float32Array, ia as Int32Array, oa as Float32Array, aa as Int32Array, f),
    );
  };
  return { kernelName: SegmentMax, backendName, kernelFunc: kernelFunc as unknown as KernelFunc };
}
