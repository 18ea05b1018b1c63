// The model trained in the page. One place to swap what the playground shows.
import * as tf from '@tensorflow/tfjs-core';
import { MLP } from '@nnphys/core';

export const description = 'A small MLP (1-32-32-1, tanh) from @nnphys/core fitted to the points by Adam, live in your browser.';

export function createModel() {
  return new MLP({ inputs: 1, hidden: [32, 32], outputs: 1, activation: 'tanh', seed: 1 });
}

export function lossFn(model, x, y) {
  return tf.losses.meanSquaredError(y, model.apply(x));
}

export function predict(model, xs) {
  return tf.tidy(() => Array.from(model.apply(tf.tensor2d(xs, [xs.length, 1])).dataSync()));
}
