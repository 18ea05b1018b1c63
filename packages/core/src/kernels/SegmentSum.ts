import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
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
  for (let e = 0; e < n; e++) {
    const s = ids[e] as number;
    if (s < 0) continue;
    const so = s * f;
    const eo = e * f;
    for (let j = 0; j < f; j++) acc[so + j] += data[eo + j] as number;
  }
  for (let i = 0; i < acc.length; i++) out[i] = acc[i] as number;
}

export function segmentSumKernel(backendName: string, kernelName: string = SegmentSum): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = attrs as unknown as SegmentSumAttrs;
    const argName = (attrs as unknown as SegmentSumAttrs).argName ?? 'segmentIds';
    checkSegmentIds(readIndices(backendName, backend, segmentIds), numSegments, argName);
    const f = rowSize(x.shape);
    const outShape = [numSegments, ...x.shape.slice(1)];
    const [out] = withArrays(backendName, backend, [x, segmentIds], [{ shape: outShape, dtype: x.dtype, overwritten: true }], ([xa, ia], [oa]) =>
      segmentSumLoop(xa as Float32Array, ia as Int32Array, oa as Float32Array, f, numSegments),
    );
    return out as TensorInfo;
  };
  return { kernelName, backendName, kernelFunc: kernelFunc as unknown as KernelFunc };
}
