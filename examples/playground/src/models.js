// The two models the page can train: a monotonic Lipschitz network (@nnphys/lipschitz) or a plain MLP (@nnphys/core).
import * as tf from '@tensorflow/tfjs-core';
import { MLP } from '@nnphys/core';
import { MonotonicNetwork } from '@nnphys/lipschitz';

export const MODELS = {
  monotonic: {
    label: 'monotonic Lipschitz network',
    describe: ({ lambda, monotone }) =>
      `f(x) = g(x) + λ·c·x with g a GroupSort network (1-32-32-1) whose weights are normalised so that Lip(g) ≤ λ = ${lambda}` +
      (monotone === 1 ? '; c = 1, so f′ ∈ [0, 2λ]: f cannot decrease.' : '; c = 0 (no monotone constraint), so |f′| ≤ λ.'),
    steps: 1000,
    learningRate: 0.01,
    create: ({ lambda, monotone }) => new MonotonicNetwork({ inputs: 1, hidden: [32, 32], lipschitz: lambda, monotone: [monotone], seed: 1 }),
  },
  mlp: {
    label: 'plain MLP',
    describe: () => 'A plain MLP (1-64-64-1, ReLU) from @nnphys/core: no Lipschitz bound, no monotonicity; it chases outliers.',
    steps: 2000,
    learningRate: 0.02,
    create: () => new MLP({ inputs: 1, hidden: [64, 64], outputs: 1, activation: 'relu', seed: 1 }),
  },
};

export function predict(model, xs) {
  return tf.tidy(() => Array.from(model.apply(tf.tensor2d(xs, [xs.length, 1])).dataSync()));
}
