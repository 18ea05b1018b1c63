import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { type KernelArgs, readIndices, rowSize, withArrays } from './arrays.js';
import { checkSegmentIds } from './index_checks.js';

/**
 * alpha[e, j] = exp(z[e, j] - M[s, j]) / sum_{e' in s} exp(z[e', j] - M[s, j]), s = ids[e],
 * with M the per-segment maximum (a global maximum could underflow whole
 * segments to 0/0). Rows with a negative id get 0.
 */
export const SegmentSoftmax = 'NnphysSegmentSoftmax';

export interface SegmentSoftmaxAttrs extends NamedAttrMap {
  numSegments: number;
  argName: string;
}

export function segmentSoftmaxLoop(z: Float32Array, ids: Int32Array, out: Float32Array, f: number, numSegments: number): void {
  const max = new Float64Array(numSegments * f).fill(Number.NEGATIVE_INFINITY);
  const sum = new Float64Array(numSegments * f);
  const n = ids.length;
  for (let e = 0; e < n; e++) {
    const s = ids[e] as number;
    if (s < 0) continue;
    for (let j = 0; j < f; j++) {
      const v = z[e * f + j] as number;
      if (v > (max[s * f + j] as number)) max[s * f + j] = v;
    }
  }
  const ex = new Float64Array(n * f);
  for (let e = 0; e < n; e++) {
    const s = ids[e] as number;
    if (s < 0) continue;
    for (let j = 0; j < f; j++) {
      const v = Math.exp((z[e * f + j] as number) - (max[s * f + j] as number));
      ex[e * f + j] = v;
      sum[s * f + j] += v;
    }
  }
  for (let e = 0; e < n; e++) {
    const s = ids[e] as number;
    if (s < 0) continue;
    for (let j = 0; j < f; j++) out[e * f + j] = (ex[e * f + j] as number) / (sum[s * f + j] as number);
  }
}

export function segmentSoftmaxKernel(backendName: string): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments, argName } = attrs as unknown as SegmentSoftmaxAttrs;
    checkSegmentIds(readIndices(backendName, backend, segmentIds), numSegments, argName);
    const f = rowSize(x.shape);
    const [out] = withArrays(backendName, backend, [x, segmentIds], [{ shape: x.shape, dtype: 'float32' }], ([xa, ia], [oa]) =>
      segmentSoftmaxLoop(xa as Float32Array, ia as Int32Array, oa as Float32Array, f, numSegments),
    );
    return out as TensorInfo;
  };
  return { kernelName: SegmentSoftmax, backendName, kernelFunc: kernelFunc as unknown as KernelFunc };
}
