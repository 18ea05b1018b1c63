import type { TensorInfo } from '@tensorflow/tfjs-core';
import { type KernelArgs, withArrays } from '@nnphys/core';

/**
 * BCE with temperature (004 eq. 2.13) in one kernel: the mean over the batch of
 *   max(u, 0) - u y + log(1 + exp(-|u|)),  u = tau z,
 * accumulated in float64, and (when recording a gradient) its derivative
 *   d loss / d z = tau (sigmoid(tau z) - y) / N,
 * so the backward is a single multiply by the incoming scalar gradient.
 * Labels may be float32, int32 or bool, of any shape with one entry per logit.
 */
export const BceKernel = 'NnphysLipschitzBce';

export function bceForward(z: Float32Array, y: ArrayLike<number>, loss: Float32Array, grad: Float32Array | null, temperature: number): void {
  const n = z.length;
  let acc = 0;
  const scale = temperature / n;
  for (let i = 0; i < n; i++) {
    const u = temperature * (z[i] as number);
    const yi = y[i] as number;
    const e = Math.exp(-Math.abs(u));
    acc += Math.max(u, 0) - u * yi + Math.log1p(e);
    if (grad) {
      // sigmoid(u) from e = exp(-|u|), without overflow
      const s = u >= 0 ? 1 / (1 + e) : e / (1 + e);
      grad[i] = scale * (s - yi);
    }
  }
  loss[0] = n > 0 ? acc / n : Number.NaN;
}

export function bceKernel(backendName: string) {
  return ({ inputs, backend, attrs }: KernelArgs): TensorInfo[] => {
    const { z, y } = inputs as { z: TensorInfo; y: TensorInfo };
    const record = attrs.record as boolean;
    const temperature = attrs.temperature as number;
    const outputs = [{ shape: [] as number[], dtype: 'float32' as const, overwritten: true }];
    if (record) outputs.push({ shape: [...z.shape], dtype: 'float32', overwritten: true });
    return withArrays(backendName, backend, [z, y], outputs, ([za, ya], [loss, grad]) =>
      bceForward(za as Float32Array, ya as ArrayLike<number>, loss as Float32Array, record ? (grad as Float32Array) : null, temperature),
    );
  };
}
