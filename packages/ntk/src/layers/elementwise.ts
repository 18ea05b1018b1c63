import type * as tf from '@tensorflow/tfjs-core';
import { assertPositiveInteger, NnphysError } from '@nnphys/core';
import { applyDual, type Dual, type KernelState } from '../kernel_state.js';
import type { Layer } from '../layer.js';
import { gaussHermite } from '../quadrature.js';

/** A parameter-free, row-wise layer from a tfjs function and the dual of its activation. */
export function activationLayer(name: string, fn: (x: tf.Tensor) => tf.Tensor, dual: Dual): Layer {
  return {
    name,
    rowwise: true,
    outputDim: (inputDim) => inputDim,
    init: () => null,
    apply: (x) => fn(x) as tf.Tensor2D,
    kernel: (state: KernelState) => applyDual(state, dual),
  };
}

export interface ElementwiseOptions {
  /** Name used in messages. */
  name: string;
  /** The activation on tensors, for the finite network (e.g. tf.tanh). */
  apply: (x: tf.Tensor) => tf.Tensor;
  /** The same activation on numbers, for the kernel (e.g. Math.tanh). */
  fn: (x: number) => number;
  /** Its derivative on numbers (e.g. x => 1 - Math.tanh(x) ** 2). */
  derivative: (x: number) => number;
  /** Gauss-Hermite points per dimension (default 48; the kernel costs points^2 evaluations per pair). */
  quadraturePoints?: number;
}

/**
 * Any elementwise activation, with its NNGP/NTK duals computed by 2-D
 * Gauss-Hermite quadrature instead of a closed form (spec ntk §2.3, "other
 * activations"). This is an approximation: accurate to round-off for smooth
 * activations of moderate variance, slowly convergent for kinks; prefer the
 * closed-form layers (relu, erf, identity, abRelu) when they apply.
 * With u = sqrt(s11) z1 and v = sqrt(s22) (rho z1 + sqrt(1 - rho^2) z2):
 *   E[f(u) f(v)] ~ sum_kl w_k w_l f(u_k) f(v_kl).
 */
export function elementwise(options: ElementwiseOptions): Layer {
  if (options === null || typeof options !== 'object') throw new NnphysError(`elementwise: options must be an object, got ${String(options)}`);
  const { name, apply, fn, derivative } = options;
  if (typeof name !== 'string' || name.length === 0) throw new NnphysError(`elementwise: name must be a non-empty string, got ${String(name)}`);
  for (const [key, f] of [['apply', apply], ['fn', fn], ['derivative', derivative]] as const) {
    if (typeof f !== 'function') throw new NnphysError(`elementwise(${name}): ${key} must be a function, got ${typeof f}`);
  }
  const q = options.quadraturePoints ?? 48;
  assertPositiveInteger(q, `elementwise(${name}): quadraturePoints`);
  const { nodes, weights } = gaussHermite(q);
  const fu = new Float64Array(q);
  const du = new Float64Array(q);
  const dual: Dual = (s11, s22, s12, out) => {
    const a = Math.sqrt(Math.max(s11, 0));
    const b = Math.sqrt(Math.max(s22, 0));
    const rho = a > 0 && b > 0 ? Math.min(1, Math.max(-1, s12 / (a * b))) : 0;
    const c = Math.sqrt(Math.max(0, 1 - rho * rho));
    for (let k = 0; k < q; k++) {
      const u = a * (nodes[k] as number);
      fu[k] = fn(u);
      du[k] = derivative(u);
    }
    let ff = 0;
    let dd = 0;
    for (let k = 0; k < q; k++) {
      const zk = nodes[k] as number;
      let sf = 0;
      let sd = 0;
      for (let l = 0; l < q; l++) {
        const v = b * (rho * zk + c * (nodes[l] as number));
        const wl = weights[l] as number;
        sf += wl * fn(v);
        sd += wl * derivative(v);
      }
      const wk = weights[k] as number;
      ff += wk * (fu[k] as number) * sf;
      dd += wk * (du[k] as number) * sd;
    }
    out[0] = ff;
    out[1] = dd;
  };
  return activationLayer(name, apply, dual);
}
