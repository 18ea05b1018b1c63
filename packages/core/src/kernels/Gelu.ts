import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernels } from '../engine/native.js';
import { type KernelArgs, withArrays } from './arrays.js';

/**
 * GELU (exact, erf form) in one pass, and its derivative in one pass:
 *   gelu(x) = x Phi(x),  gelu'(x) = Phi(x) + x phi(x).
 * The tfjs composition (mul, erf, add, mul; exp, mul, ... backward) runs
 * about ten elementwise kernels; @nnphys/native runs these two vectorised
 * and threaded. Without it, a JS loop with the same formula (erf from
 * Abramowitz & Stegun 7.1.26, as tfjs's Erf kernel) keeps the kernels usable.
 */
export const Gelu = 'NnphysGelu';
export const GeluGrad = 'NnphysGeluGrad';

/** Phi(x) and phi(x) in float64 (A&S 7.1.26 for erf). */
function normal(x: number): [number, number] {
  const z = Math.abs(x) * Math.SQRT1_2;
  const t = 1 / (1 + 0.3275911 * z);
  const e = Math.exp(-z * z);
  const poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  const erfAbs = 1 - poly * e;
  return [0.5 * (1 + (x < 0 ? -erfAbs : erfAbs)), 0.3989422804014327 * e];
}

export function geluKernel(backendName: string): KernelConfig {
  const kernelFunc = ({ inputs, backend }: KernelArgs): TensorInfo => {
    const { x } = inputs as { x: TensorInfo };
    const native = nativeKernels();
    const [out] = withArrays(backendName, backend, [x], [{ shape: x.shape, dtype: 'float32', overwritten: true }], ([xa], [ya]) => {
      const xs = xa as Float32Array;
      const ys = ya as Float32Array;
      if (native?.geluForward && xs instanceof Float32Array) return native.geluForward(xs, ys);
      for (let i = 0; i < xs.length; i++) ys[i] = (xs[i] as number) * (normal(xs[i] as number)[0] as number);
    });
    return out as TensorInfo;
  };
  return { kernelName: Gelu, backendName, kernelFunc: kernelFunc as unknown as KernelFunc };
}

export function geluGradKernel(backendName: string): KernelConfig {
  const kernelFunc = ({ inputs, backend }: KernelArgs): TensorInfo => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const native = nativeKernels();
    const [out] = withArrays(backendName, backend, [x, dy], [{ shape: x.shape, dtype: 'float32', overwritten: true }], ([xa, dya], [dxa]) => {
      const xs = xa as Float32Array;
      const dys = dya as Float32Array;
      const dxs = dxa as Float32Array;
      if (native?.geluBackward && xs instanceof Float32Array && dys instanceof Float32Array) return native.geluBackward(xs, dys, dxs);
      for (let i = 0; i < xs.length; i++) {
        const v = xs[i] as number;
        const [cdf, pdf] = normal(v);
        dxs[i] = (dys[i] as number) * (cdf + v * pdf);
      }
    });
    return out as TensorInfo;
  };
  return { kernelName: GeluGrad, backendName, kernelFunc: kernelFunc as unknown as KernelFunc };
}
