import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { type KernelArgs, rowSize, withArrays } from './arrays.js';

/**
 * The adjoint of "pick row arg[s, j] for column j": out[arg[s, j], j] += dy[s, j].
 * Used by the gradient of segment max/min; arg = -1 contributes nothing.
 */
export const ScatterArgRows = 'NnphysScatterArgRows';

export interface ScatterArgRowsAttrs extends NamedAttrMap {
  numRows: number;
}

export function scatterArgRowsLoop(dy: Float32Array, arg: Int32Array, out: Float32Array, f: number): void {
  const n = arg.length;
  for (let k = 0; k < n; k++) {
    const row = arg[k] as number;
    if (row < 0) continue;
    out[row * f + (k % f)] += dy[k] as number;
  }
}

export function scatterArgRowsKernel(backendName: string): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const { dy, arg } = inputs as { dy: TensorInfo; arg: TensorInfo };
    const { numRows } = attrs as unknown as ScatterArgRowsAttrs;
    const f = rowSize(dy.shape);
    const outShape = [numRows, ...dy.shape.slice(1)];
    const [out] = withArrays(backendName, backend, [dy, arg], [{ shape: outShape, dtype: 'float32' }], ([da, aa], [oa]) =>
      scatterArgRowsLoop(da as Float32Array, aa as Int32Array, oa as Float32Array, f),
    );
    return out as TensorInfo;
  };
  return { kernelName: ScatterArgRows, backendName, kernelFunc: kernelFunc as unknown as KernelFunc };
}
