// The training losses the page offers: squared error, and the Huber loss that stops an outlier's pull at |residual| > delta.
import * as tf from '@tensorflow/tfjs-core';

export const LOSSES = {
  mse: { label: 'squared error', fn: (y, prediction) => tf.losses.meanSquaredError(y, prediction) },
  huber: { label: 'Huber (δ = 0.1)', fn: (y, prediction) => tf.losses.huberLoss(y, prediction, undefined, 0.1) },
};
