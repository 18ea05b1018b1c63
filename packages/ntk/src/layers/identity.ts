import type * as tf from '@tensorflow/tfjs-core';
import type { Dual } from '../kernel_state.js';
import type { Layer } from '../layer.js';
import { activationLayer } from './elementwise.js';
import { withFusedRule } from '../fused_kernel.js';

/** Identity dual: E[uv] = s12, E[1 * 1] = 1. */
export const identityDual: Dual = (_s11, _s22, s12, out) => {
  out[0] = s12;
  out[1] = 1;
};

/** The identity activation (a deep linear network when composed with dense layers). */
export function identity(): Layer {
  return withFusedRule(activationLayer('identity', (x: tf.Tensor) => x, identityDual), { kind: 'identity' });
}
