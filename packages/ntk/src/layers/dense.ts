import * as tf from '@tensorflow/tfjs-core';
import { Linear, type Module, type Random, assertFiniteNumber, assertPositiveInteger, assertPositiveNumber, NnphysError } from '@nnphys/core';
import type { KernelState } from '../kernel_state.js';
import type { Layer } from '../layer.js';
import { withFusedRule } from '../fused_kernel.js';

export interface DenseOptions {
  /** Weight scale sigma_w (default 1). */
  sigmaW?: number;
  /** Bias scale sigma_b (default 0: no bias variable). */
  sigmaB?: number;
}

/**
 * Fully connected layer in NTK parameterisation (Jacot et al. 2018; spec ntk §2.1):
 *   h' = (sigmaW / sqrt(n_in)) W h + sigmaB b,  W, b ~ N(0, 1),
 * built on core's `Linear` with init 'ntk'. Kernel rule (spec ntk §2.3):
 *   Sigma' = sigmaW^2 Sigma + sigmaB^2,  Theta' = sigmaW^2 Theta + Sigma'.
 * The kernel does not depend on `width` (NTK parameterisation).
 */
export function dense(width: number, options: DenseOptions = {}): Layer {
  assertPositiveInteger(width, 'dense: width');
  if (options === null || typeof options !== 'object') throw new NnphysError(`dense: options must be an object, got ${String(options)}`);
  const sigmaW = options.sigmaW ?? 1;
  const sigmaB = options.sigmaB ?? 0;
  assertPositiveNumber(sigmaW, 'dense: sigmaW');
  assertFiniteNumber(sigmaB, 'dense: sigmaB');
  if (sigmaB < 0) throw new NnphysError(`dense: sigmaB must be >= 0, got ${sigmaB}`);
  const w2 = sigmaW * sigmaW;
  const b2 = sigmaB * sigmaB;
  return withFusedRule({
    name: `dense(${width})`,
    rowwise: true,
    outputDim: () => width,
    init(inputDim: number, rng: Random): Module {
      // Workaround for core: Linear with init 'ntk' and sigmaB > 0 leaks the [1, outputs] tensor it reshapes
      // into the bias (packages/core/src/nn/linear.ts). The tidy frees it; variables survive tidy.
      let linear: Linear | undefined;
      tf.tidy(() => {
        linear = new Linear({ inputs: inputDim, outputs: width, init: 'ntk', sigmaW, sigmaB, bias: sigmaB > 0, seed: rng });
      });
      return linear as Linear;
    },
    apply(x: tf.Tensor2D, params: Module | null): tf.Tensor2D {
      return (params as Linear).apply(x);
    },
    kernel(state: KernelState): KernelState {
      const { nngp, ntk, var1, var2, layout, n1, n2 } = state;
      const update = (from: number, to: number) => {
        for (let p = from; p < to; p++) {
          const s = w2 * (nngp[p] as number) + b2;
          nngp[p] = s;
          ntk[p] = w2 * (ntk[p] as number) + s;
        }
      };
      // 'symmetric': only the upper triangle (j >= i) is meaningful
      if (layout === 'symmetric') for (let i = 0; i < n1; i++) update(i * n2 + i, (i + 1) * n2);
      else update(0, nngp.length);
      const v1 = var1.map((v) => w2 * v + b2);
      const v2 = var2 === var1 ? v1 : var2.map((v) => w2 * v + b2);
      return { ...state, nngp, ntk, var1: v1, var2: v2 };
    },
  }, { kind: 'affine', w2, b2 });
}
