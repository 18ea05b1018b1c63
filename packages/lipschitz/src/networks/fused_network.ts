import * as tf from '@tensorflow/tfjs-core';
import { NetworkBackwardKernel, NetworkForwardKernel, type NetworkAttrs, networkBackwardKernel, networkForwardKernel, networkInputNames } from '../kernels/network_kernels.js';
import { runPackageKernel } from '../kernels/registry.js';

/** Backends whose tensors the fused kernels read in place (elsewhere they would read back to the CPU: layer-wise path). */
export const fusedBackends: readonly string[] = ['cpu', 'wasm'];

/**
 * The whole network in one forward kernel, differentiated by one backward
 * kernel (network_kernels.ts): gradients w.r.t. x, every raw weight and
 * every bias. `residual` ([n_0, n_m], the monotonic lambda c) is a constant:
 * it gets no gradient. Outside a gradient computation the forward skips the
 * tape and the custom gradient altogether.
 */
export function fusedNetworkApply(x: tf.Tensor2D, weights: tf.Tensor[], biases: tf.Tensor[], residual: tf.Tensor | null, attrs: NetworkAttrs): tf.Tensor2D {
  const names = networkInputNames(attrs);
  const kernelInputs = (xs: tf.Tensor[]): Record<string, tf.Tensor> => {
    const map: Record<string, tf.Tensor> = {};
    const all = residual ? [...xs, residual] : xs;
    names.forEach((name, i) => {
      map[name] = all[i] as tf.Tensor;
    });
    return map;
  };
  const kernelAttrs = attrs as unknown as Record<string, unknown>;
  const differentiable = [x, ...weights, ...(attrs.bias ? biases : [])];
  if (!tf.engine().isTapeOn()) {
    const [y] = runPackageKernel(NetworkForwardKernel, networkForwardKernel, kernelInputs(differentiable), { ...kernelAttrs, record: false }) as tf.Tensor[];
    return y as tf.Tensor2D;
  }
  const op = tf.customGrad(((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [y, tape] = runPackageKernel(NetworkForwardKernel, networkForwardKernel, kernelInputs(args as tf.Tensor[]), { ...kernelAttrs, record: true }) as tf.Tensor[];
    save([tape as tf.Tensor]);
    return {
      value: y as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => runPackageKernel(NetworkBackwardKernel, networkBackwardKernel, { dy, tape: saved[0] as tf.Tensor }, kernelAttrs) as tf.Tensor[],
    };
  }) as unknown as Parameters<typeof tf.customGrad<tf.Tensor2D>>[0]);
  return op(...differentiable) as tf.Tensor2D;
}
