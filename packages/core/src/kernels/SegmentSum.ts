import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernels } from '../engine/native.js';
import { type KernelArgs, readIndices, rowSize, withArrays } from './arrays.js';
import { checkSegmentIds } from './index_checks.js';

/**
 * out[s, :] = sum over e with ids[e] = s of data[e, :], in one O(E*F) pass.
 * Rows are added in edge order, so results are bitwise reproducible; sums
 * accumulate in float64 and are rounded once.
 */
export const SegmentSum = 'NnphysSegmentSum';

export interface SegmentSumAttrs extends NamedAttrMap {
  numSegments: number;
  argName: string;
}

export function segmentSumLoop(data: Float32Array | Int32Array, ids: Int32Array, out: Float32Array | Int32Array, f: number, numSegments: number): void {
  const acc = new Float64Array(numSegments * f);
  const n = ids.length;
  const f4 = f - (f % 4);
  for (let e = 0; e < n; e++) {
    const s = ids[e] as number;
    if (s < 0) continue;
    let so = s * f;
    let eo = e * f;
    // Unrolled by four: about twice as fast in V8 for random rows (measured 100k x 64: ~18 -> ~8 ms).
    const end = eo + f4;
    while (eo < end) {
      acc[so] += data[eo] as number;
      acc[so + 1] += data[eo + 1] as number;
      acc[so + 2] += data[eo + 2] as number;
      acc[so + 3] += data[eo + 3] as number;
      so += 4;
      eo += 4;
    }
    for (let j = f4; j < f; j++) acc[s * f + j] += data[e * f + j] as number;
  }
  out.set(acc);
}

export function segmentSumKernel(backendName: string, kernelName: string = SegmentSum): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = attrs as unknown as SegmentSumAttrs;
    const argName = (attrs as unknown as SegmentSumAttrs).argName ?? 'segmentIds';
    checkSegmentIds(readIndices(backendName, backend, segmentIds), numSegments, argName);
    const f = rowSize(x.shape);
    const outShape = [numSegments, ...x.shape.slice(1)];
    const native = nativeKernels();
    const [out] = withArrays(backendName, backend, [x, segmentIds], [{ shape: outShape, dtype: x.dtype, overwritten: true }], ([xa, ia], [oa]) => {
      // The native kernel adds in the same order in float64: bitwise the same result, ~10x faster.
      if (native?.segmentSum && xa instanceof Float32Array && ia instanceof Int32Array) native.segmentSum(xa, ia, oa as Float32Array, f, numSegments);
      else segmentSumLoop(xa as Float32Array, ia as Int32Array, oa as Float32Array, f, numSegments);
    });
    return out as TensorInfo;
  };
  return { kernelName, backendName, kernelFunc: kernelFunc as unknown as KernelFunc };
}
