import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, Random, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { type MonotoneConstraint, MonotonicNetwork, lipschitzCertificate, lipschitzLowerBound, monotonicityViolations } from '../src/index.js';
import { backends } from './helpers.js';

function inflate(net: MonotonicNetwork, factor: number): void {
  tf.tidy(() => {
    for (const layer of net.g.layers) layer.weight.assign(tf.mul(layer.weight, factor));
  });
}

/** Adam on the MSE, full batch. */
function fit(model: { apply(x: tf.Tensor2D): tf.Tensor2D; trainableVariables(): tf.Variable[] }, x: tf.Tensor2D, y: tf.Tensor2D, steps: number, lr: number): number {
  const opt = tf.train.adam(lr);
  let loss = 0;
  for (let s = 0; s < steps; s++) {
    const c = opt.minimize(() => tf.mean(tf.square(tf.sub(model.apply(x), y))) as tf.Scalar, true, model.trainableVariables());
    loss = c?.dataSync()[0] as number;
    c?.dispose();
  }
  opt.dispose();
  return loss;
}

describe.each(backends)('MonotonicNetwork on %s', (backend) => {
  beforeAll(() => initBackend(backend));

  test('random (inflated) networks: certified derivative ranges have the required signs; the fuzzer finds no violation', () => {
    const rng = new Random(21);
    for (const scheme of ['chapter4', 'chapter2'] as const) {
      const monotone: MonotoneConstraint[] = [1, -1, 0, 1];
      const net = new MonotonicNetwork({ inputs: 4, hidden: [8, 8], lipschitz: 1.5, monotone, scheme, seed: rng });
      inflate(net, 20);
      const cert = lipschitzCertificate(net);
      expect(cert.certifiedMonotone).toEqual(monotone);
      // eq. 2.4: d f / d x_i in [0, 2 lambda] (increasing), [-2 lambda, 0] (decreasing)
      for (const [i, c] of monotone.entries()) {
        const [lo, hi] = (cert.partialDerivativeRange ?? [])[i] as [number, number];
        if (c === 1) {
          expect(lo).toBeGreaterThanOrEqual(0);
          expect(hi).toBeLessThanOrEqual(3);
        }
        if (c === -1) {
          expect(hi).toBeLessThanOrEqual(0);
          expect(lo).toBeGreaterThanOrEqual(-3);
        }
      }
      for (const precision of ['float32', 'float64'] as const) {
        const rep = monotonicityViolations(net, { samples: 64, adversarialSteps: 20, precision, seed: rng });
        expect(rep.violations).toHaveLength(0);
        expect(rep.minSlope[0]).toBeGreaterThanOrEqual(-1e-3);
        expect(rep.minSlope[1]).toBeGreaterThanOrEqual(-1e-3);
        expect(rep.minPartial[0]).toBeGreaterThanOrEqual(0);
      }
      // the Lip^1 certificate of f = g + r.x is <= lambda + ||r||_inf = 2 lambda, and the search stays below it
      const lb = lipschitzLowerBound(net, { steps: 20, pairs: 16, seed: 3 });
      expect(lb.lowerBound).toBeLessThanOrEqual(cert.bound * (1 + 1e-5));
      expect(cert.bound).toBeLessThanOrEqual(3);
      net.dispose();
    }
  });

  test('after training on data with the opposite trend: zero violations, while an unconstrained fit decreases', () => {
    // y = -x0 + sin(3 x1): feature 0 is constrained increasing, the data say decreasing.
    const rng = new Random(22);
    const n = 128;
    const xs = Array.from({ length: n }, () => [2 * rng.uniform() - 1, 2 * rng.uniform() - 1]);
    const x = tf.tensor2d(xs);
    const y = tf.tensor2d(xs.map(([a, b]) => [-(a as number) + Math.sin(3 * (b as number))]));
    const net = new MonotonicNetwork({ inputs: 2, hidden: [16, 16], lipschitz: 2, monotone: [1, 0], seed: 1 });
    const loss = fit(net, x, y, 150, 0.01);
    const rep = monotonicityViolations(net, { samples: 128, points: xs, adversarialSteps: 30, seed: 2 });
    expect(rep.violations).toHaveLength(0);
    // the best monotone fit of -x0 is flat in x0: the trained slope stays >= 0 (within float32 round-off)
    expect(rep.minSlope[0]).toBeGreaterThanOrEqual(-1e-3);
    expect(Number.isFinite(loss)).toBe(true);
    // control: an unconstrained MLP on the same data learns a negative slope in x0
    const w1 = tf.variable(tf.randomNormal([2, 16], 0, 0.5, 'float32', 1));
    const w2 = tf.variable(tf.randomNormal([16, 1], 0, 0.5, 'float32', 2));
    const mlp = { apply: (z: tf.Tensor2D) => tf.matMul(tf.tanh(tf.matMul(z, w1)), w2) as tf.Tensor2D, trainableVariables: () => [w1, w2] };
    fit(mlp, x, y, 150, 0.02);
    const slope = tf.tidy(() => tf.sum(tf.sub(mlp.apply(tf.tensor2d([[0.5, 0]])), mlp.apply(tf.tensor2d([[-0.5, 0]])))).dataSync()[0] as number);
    expect(slope).toBeLessThan(-0.3);
    tf.dispose([x, y, w1, w2]);
    net.dispose();
  });

  test('large lambda and width (lambda = 100, width 512; MonotonicNetworks #11): no violation beyond float32 round-off', () => {
    const net = new MonotonicNetwork({ inputs: 3, hidden: [512], lipschitz: 100, monotone: [1, -1, 0], seed: 4 });
    inflate(net, 50);
    const rep = monotonicityViolations(net, { samples: 64, adversarialSteps: 10, seed: 5 });
    expect(rep.violations).toHaveLength(0);
    const rep64 = monotonicityViolations(net, { samples: 64, adversarialSteps: 0, precision: 'float64', seed: 5 });
    expect(rep64.violations).toHaveLength(0);
    expect(rep64.minSlope[0]).toBeGreaterThanOrEqual(0);
    net.dispose();
  });

  test('no tensor leaks in apply, the fuzzer and the certificate', () => {
    const net = new MonotonicNetwork({ inputs: 2, hidden: [4], lipschitz: 1, monotone: [1, 0], outputActivation: 'sigmoid', seed: 4 });
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([[0.1, 0.2]]);
    net.apply(x).dispose();
    x.dispose();
    monotonicityViolations(net, { samples: 4, adversarialSteps: 2, seed: 1 });
    lipschitzCertificate(net);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});

describe('MonotonicNetwork errors', () => {
  beforeAll(() => initBackend('cpu'));
  test('wrong monotone length, bad entries, lambda <= 0, non-Lip^1 norm', () => {
    expect(() => new MonotonicNetwork({ inputs: 3, hidden: [4], lipschitz: 1, monotone: [1, 0] })).toThrow(/one entry per input \(3\), got length 2/);
    expect(() => new MonotonicNetwork({ inputs: 2, hidden: [4], lipschitz: 1, monotone: [1, 2 as MonotoneConstraint] })).toThrow(/monotone\[1\]/);
    expect(() => new MonotonicNetwork({ inputs: 2, hidden: [4], lipschitz: 0, monotone: [1, 0] })).toThrow(NnphysError);
    expect(() => new MonotonicNetwork({ inputs: 2, hidden: [4], lipschitz: 1, monotone: [1, 0], norm: 2 } as never)).toThrow(/Lip\^1/);
  });
});
