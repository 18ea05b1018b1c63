import * as tf from '@tensorflow/tfjs-core';
import type { Dual } from '../kernel_state.js';
import type { Layer } from '../layer.js';
import { activationLayer } from './elementwise.js';

/**
 * Erf duals (Williams 1997; spec ntk §2.3, Erf):
 *   E[erf(u) erf(v)]   = (2/pi) arcsin(2 s12 / sqrt((1 + 2 s11)(1 + 2 s22))),
 *   E[erf'(u) erf'(v)] = (4/pi) det(I + 2 Sigma)^(-1/2),
 * with erf'(x) = (2 / sqrt(pi)) e^{-x^2}.
 */
export const erfDual: Dual = (s11, s22, s12, out) => {
  const d1 = 1 + 2 * s11;
  const d2 = 1 + 2 * s22;
  let r = (2 * s12) / Math.sqrt(d1 * d2);
  if (r > 1) r = 1;
  else if (r < -1) r = -1;
  out[0] = (2 / Math.PI) * Math.asin(r);
  out[1] = (4 / Math.PI) / Math.sqrt(Math.max(d1 * d2 - 4 * s12 * s12, Number.MIN_VALUE));
};

/** The error function as activation (a tanh-like sigmoid with closed-form kernels). */
export function erf(): Layer {
  return activationLayer('erf', tf.erf, erfDual);
}
