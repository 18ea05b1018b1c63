import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { LipschitzNetwork, lipschitzUpperBound } from '../src/index.js';
import { backends } from './helpers.js';

const grid = Array.from({ length: 201 }, (_, i) => -1 + i / 100);

function maxAbsError(net: LipschitzNetwork): number {
  return tf.tidy(() => {
    const y = net.apply(tf.tensor2d(grid, [grid.length, 1])).dataSync();
    return Math.max(...grid.map((x, i) => Math.abs((y[i] as number) - Math.abs(x))));
  });
}

function train(net: LipschitzNetwork, steps: number): void {
  const x = tf.tensor2d(grid, [grid.length, 1]);
  const y = tf.tensor2d(grid.map(Math.abs), [grid.length, 1]);
  const opt = tf.train.adam(0.02);
  for (let s = 0; s < steps; s++) opt.minimize(() => tf.mean(tf.square(tf.sub(net.apply(x), y))) as tf.Scalar, false, net.trainableVariables());
  opt.dispose();
  tf.dispose([x, y]);
}

describe.each(backends)('gradient attenuation (004 §2.2.2) on %s', (backend) => {
  beforeAll(() => initBackend(backend));

  test('a hand-built GroupSort network is |x| under lambda = 1; ReLU one-hidden-layer networks provably are not', () => {
    // W1 = [1, -1] (|w| <= 1), GroupSort -> [-|x|, |x|], W2 = [0, 1] (row sum 1): exactly |x|.
    const gs = new LipschitzNetwork({ inputs: 1, hidden: [2], outputs: 1, lipschitz: 1, norm: 'inf', bias: false, seed: 1 });
    tf.tidy(() => {
      gs.layers[0]?.weight.assign(tf.tensor2d([[1, -1]]));
      gs.layers[1]?.weight.assign(tf.tensor2d([[0], [1]]));
    });
    // the normalisation keeps a float32 safety margin of (n + 4) 2^-23 relative, so |x| is matched to ~1e-6
    expect(maxAbsError(gs)).toBeLessThan(1e-5);
    expect(lipschitzUpperBound(gs)).toBeLessThanOrEqual(1);
    gs.dispose();
  });

  test('trained on |x|: GroupSort gets close; a ReLU network under the same norms stays >= 1/4 away (analytic bound)', () => {
    // Analytic bound for f(x) = sum_k v_k relu(w_k x + b_k) + c with |w_k| <= c1, sum |v_k| <= c2, c1 c2 <= 1:
    // every slope f'(x) = sum_{k active} v_k w_k lies in an interval of length <= sum |v_k w_k| <= 1, so
    // [f(1) - f(0)] - [f(0) - f(-1)] <= 1 while it is 2 for |x|; with e = f - |x|, e(1) - 2 e(0) + e(-1) <= -1,
    // hence max |e| >= 1/4 on [-1, 1].
    const gs = new LipschitzNetwork({ inputs: 1, hidden: [8, 8], outputs: 1, lipschitz: 1, norm: 'inf', seed: 2 });
    const relu = new LipschitzNetwork({ inputs: 1, hidden: [16], outputs: 1, lipschitz: 1, norm: 'inf', activation: 'relu', seed: 2 });
    train(gs, 300);
    train(relu, 300);
    const eGs = maxAbsError(gs);
    const eRelu = maxAbsError(relu);
    // measured (seed 2, 300 Adam steps): GroupSort well under 0.1; ReLU at or above the 0.25 floor
    expect(eGs).toBeLessThan(0.1);
    expect(eRelu).toBeGreaterThanOrEqual(0.25 - 1e-4);
    console.log(`[${backend}] |x| fit, max error: GroupSort ${eGs.toFixed(4)}, ReLU ${eRelu.toFixed(4)} (floor 0.25)`);
    gs.dispose();
    relu.dispose();
  });
});
