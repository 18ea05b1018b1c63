import type * as tf from '@tensorflow/tfjs-core';
import type { PlainNetwork } from '../export/plain_network.js';
import type { InputNorm } from '../norms/kinds.js';

/** What the empirical searches need: a differentiable map from [batch, inputs] to [batch, outputs]. */
export interface ProbedModel {
  apply(x: tf.Tensor2D): tf.Tensor2D;
  toPlain?(): PlainNetwork;
  readonly inputs?: number;
  readonly norm?: InputNorm;
}
