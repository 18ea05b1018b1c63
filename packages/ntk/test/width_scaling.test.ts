import * as tf from '@tensorflow/tfjs-core';
import { Random, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { dense, empiricalNTK, fitPowerLaw, gradientDescentMSE, relativeError, relu, serial, trainFullBatchMSE } from '../src/index.js';
import { backends, randomMatrix } from './helpers.js';

// Spec ntk §3 N1 and N2 at small sizes. Both quantities are O(width^-1/2) (Jacot et al. 2018;
// Lee et al. 2019): the empirical NTK is an average of `width` iid terms per layer, and the
// relative parameter change needed to fit O(1) targets is O(width^-1/2). The exponents are fitted
// over a factor 64 in width with a few seeds; the acceptance window [-0.8, -0.3] is wide enough for
// the seed noise measured here (see the console lines) and excludes both "no convergence" (0) and a
// wrong normalisation (which would give a constant offset, i.e. an exponent near 0 at large width).

const arch = (w: number) => serial(dense(w, { sigmaW: 1.5, sigmaB: 0.2 }), relu(), dense(w, { sigmaW: 1.5, sigmaB: 0.2 }), relu(), dense(1, { sigmaW: 1.5, sigmaB: 0.2 }));
// One hidden layer for the training test: O(width) parameters keep 100 steps at width 4096 cheap.
const shallow = (w: number) => serial(dense(w, { sigmaW: 1.5, sigmaB: 0.2 }), relu(), dense(1, { sigmaW: 1.5, sigmaB: 0.2 }));

describe.each(backends)('%s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('the empirical NTK approaches the analytic kernel like width^-1/2 (N1)', () => {
    const rng = new Random(8);
    const xs = randomMatrix(rng, 6, 3);
    const analytic = arch(1).kernel(xs).ntk;
    const x = tf.tensor2d(xs);
    const widths = [32, 128, 512, 2048];
    const seeds = [1, 2, 3];
    const errors = widths.map((w) => {
      let sum = 0;
      for (const s of seeds) {
        const net = arch(w).init(3, 100 * w + s);
        sum += relativeError(empiricalNTK(net, x), analytic);
        net.dispose();
      }
      return sum / seeds.length;
    });
    x.dispose();
    const fit = fitPowerLaw(widths, errors);
    console.log(`[${backend}] ||Theta_emp - Theta||_F / ||Theta||_F by width ${widths.join('/')}: ${errors.map((e) => e.toExponential(2)).join(', ')}; exponent ${fit.exponent.toFixed(2)} (r2 ${fit.r2.toFixed(3)})`);
    expect(fit.exponent).toBeLessThan(-0.3);
    expect(fit.exponent).toBeGreaterThan(-0.8);
    for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeLessThan(errors[i - 1] as number);
  });

  test('the NTK moves less during training the wider the network (lazy training, N2)', () => {
    const n = 8;
    const rng = new Random(9);
    const xs = randomMatrix(rng, n, 3);
    const ys = xs.map((p) => Math.sin(2 * (p[0] as number)) + (p[1] as number) * (p[2] as number));
    const lr = 0.5 * gradientDescentMSE(shallow(1).kernel(xs).ntk, ys, { learningRate: 1 }).maxStableLearningRate;
    const x = tf.tensor2d(xs);
    const widths = [64, 256, 1024, 4096];
    const seeds = [1, 2];
    const losses: number[] = [];
    const drift = widths.map((w) => {
      let sum = 0;
      for (const s of seeds) {
        const net = shallow(w).init(3, 7 * w + s);
        const before = empiricalNTK(net, x);
        const h = trainFullBatchMSE(net, x, ys, { learningRate: lr, steps: 100 });
        losses.push((h.loss[1] as number) / (h.loss[0] as number));
        sum += relativeError(empiricalNTK(net, x), before);
        net.dispose();
      }
      return sum / seeds.length;
    });
    x.dispose();
    const fit = fitPowerLaw(widths, drift);
    console.log(`[${backend}] ||Theta_T - Theta_0||_F / ||Theta_0||_F by width ${widths.join('/')}: ${drift.map((e) => e.toExponential(2)).join(', ')}; exponent ${fit.exponent.toFixed(2)}`);
    // every network actually trained (the loss fell by >= 5x), so small drift is not from not moving
    for (const r of losses) expect(r).toBeLessThan(0.2);
    expect(fit.exponent).toBeLessThan(-0.3);
    expect(fit.exponent).toBeGreaterThan(-1.2);
    for (let i = 1; i < drift.length; i++) expect(drift[i]).toBeLessThan(drift[i - 1] as number);
  });
});
