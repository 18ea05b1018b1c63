import * as tf from '@tensorflow/tfjs-core';
import { assertFiniteNumber } from '@nnphys/core';
import type { Dual } from '../kernel_state.js';
import type { Layer } from '../layer.js';
import { activationLayer } from './elementwise.js';
import { withFusedRule } from '../fused_kernel.js';

/**
 * Dual of phi(x) = a min(x, 0) + b max(x, 0) = a x + (b - a) relu(x), from the
 * arc-cosine kernels (Cho & Saul 2009; spec ntk §2.3, ReLU) with
 * theta = arccos(rho), rho clipped to [-1, 1]:
 *   J1 = sqrt(s11 s22) / (2 pi) (sin theta + (pi - theta) cos theta) = E[relu(u) relu(v)],
 *   J0 = (pi - theta) / (2 pi)                                       = E[step(u) step(v)],
 *   E[phi(u) phi(v)]   = a b s12 + (b - a)^2 J1,
 *   E[phi'(u) phi'(v)] = a^2 + a (b - a) (P(u > 0) + P(v > 0)) + (b - a)^2 J0,
 * using E[u relu(v)] = s12 / 2 (symmetry (u, v) -> (-u, -v)). A zero-variance
 * input (u = 0 almost surely) follows tfjs's convention phi'(0) = a.
 */
export function abReluDual(a: number, b: number): Dual {
  const ab = a * b;
  const c2 = (b - a) * (b - a);
  const a2 = a * a;
  const cross = a * (b - a);
  const inv2pi = 1 / (2 * Math.PI);
  return (s11, s22, s12, out) => {
    const s = Math.sqrt(s11 * s22);
    if (!(s > 0)) {
      // u or v is 0 almost surely: phi(0) = 0, phi'(0) = a, and P(w > 0) = 1/2 for the other if it varies.
      out[0] = 0;
      out[1] = a2 + cross * ((s11 > 0 ? 0.5 : 0) + (s22 > 0 ? 0.5 : 0));
      return;
    }
    let rho = s12 / s;
    if (rho > 1) rho = 1;
    else if (rho < -1) rho = -1;
    const theta = Math.acos(rho);
    const j0 = (Math.PI - theta) * inv2pi;
    // sin(arccos rho) = sqrt(1 - rho^2)
    const j1 = s * inv2pi * (Math.sqrt(1 - rho * rho) + (Math.PI - theta) * rho);
    out[0] = ab * s12 + c2 * j1;
    out[1] = a2 + cross + c2 * j0;
  };
}

/** ReLU, max(x, 0), with the closed-form arc-cosine kernels. */
export function relu(): Layer {
  const dual = abReluDual(0, 1);
  return withFusedRule(activationLayer('relu', tf.relu, dual), { kind: 'abRelu', a: 0, b: 1, dual });
}

/**
 * phi(x) = a min(x, 0) + b max(x, 0) (neural-tangents' ABRelu): leaky ReLU for
 * a = alpha, b = 1; |x| for a = -1, b = 1; identity for a = b = 1.
 */
export function abRelu(a: number, b: number): Layer {
  assertFiniteNumber(a, 'abRelu: a');
  assertFiniteNumber(b, 'abRelu: b');
  const fn = (x: tf.Tensor) => tf.tidy(() => tf.add(tf.mul(x, a), tf.mul(tf.relu(x), b - a)));
  const dual = abReluDual(a, b);
  return withFusedRule(activationLayer(`abRelu(${a}, ${b})`, fn, dual), { kind: 'abRelu', a, b, dual });
}

/** Leaky ReLU, max(x, 0) + alpha min(x, 0). */
export function leakyRelu(alpha = 0.01): Layer {
  assertFiniteNumber(alpha, 'leakyRelu: alpha');
  const fn = (x: tf.Tensor) => tf.tidy(() => tf.add(tf.mul(x, alpha), tf.mul(tf.relu(x), 1 - alpha)));
  const dual = abReluDual(alpha, 1);
  return withFusedRule(activationLayer(`leakyRelu(${alpha})`, fn, dual), { kind: 'abRelu', a: alpha, b: 1, dual });
}

/** |x| (abRelu(-1, 1)). */
export function abs(): Layer {
  const fn = (x: tf.Tensor) => tf.tidy(() => tf.sub(tf.mul(tf.relu(x), 2), x));
  const dual = abReluDual(-1, 1);
  return withFusedRule(activationLayer('abs', fn, dual), { kind: 'abRelu', a: -1, b: 1, dual });
}
