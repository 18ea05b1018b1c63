import * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs } from '@nnphys/core';

type KernelFactory = (backendName: string) => (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

const installed = new Set<string>();

/**
 * Registers one of this package's kernels for the active backend the first
 * time it is used (lazily, so the package stays free of import side effects),
 * then runs it. Another copy of the package may have registered it already:
 * the registry is global, so that one is kept.
 */
export function runPackageKernel(
  kernelName: string,
  factory: KernelFactory,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown> = {},
): tf.Tensor | tf.Tensor[] {
  const backendName = tf.getBackend();
  const key = `${kernelName}/${backendName}`;
  if (!installed.has(key)) {
    if (tf.getKernel(kernelName, backendName) === undefined) {
      tf.registerKernel({ kernelName, backendName, kernelFunc: factory(backendName) as unknown as tf.KernelFunc });
    }
    installed.add(key);
  }
  return tf.engine().runKernel(kernelName, inputs as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
}
