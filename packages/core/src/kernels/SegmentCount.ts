import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { type KernelArgs, readIndices, withArrays } from './arrays.js';
import { checkSegmentIds } from './index_checks.js';

/** count[s] = number of rows with ids = s (float32, so it can divide directly). */
export const SegmentCount = 'NnphysSegmentCount';

export interface SegmentCountAttrs extends NamedAttrMap {
  numSegments: number;
  argName: string;
}

export function segmentCountKernel(backendName: string): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const { segmentIds } = inputs as { segmentIds: TensorInfo };
    const { numSegments, argName } = attrs as unknown as SegmentCountAttrs;
    checkSegmentIds(readIndices(backendName, backend, segmentIds), numSegments, argName);
    const [out] = withArrays(backendName, backend, [segmentIds], [{ shape: [numSegments], dtype: 'float32' }], ([ia], [oa]) => {
      const ids = ia as Int32Array;
      for (let e = 0; e < ids.length; e++) {
        const s = ids[e] as number;
        if (s >= 0) (oa as Float32Array)[s] += 1;
      }
    });
    return out as TensorInfo;
  };
  return { kernelName: SegmentCount, backendName, kernelFunc: kernelFunc as unknown as KernelFunc };
}
