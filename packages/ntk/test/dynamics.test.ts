import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, Random, initBackend } from '@nnphys/core';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { beforeAll, describe, expect, test } from 'vitest';
import { dense, ensemble, fitPowerLaw, gpInference, gradientDescent, gradientDescentMSE, relu, serial, trainFullBatchMSE } from '../src/index.js';
import { backends, maxAbs, maxAbsDiff, noLeak, randomMatrix } from './helpers.js';

/** The linear perceptron f(x) = (sw / sqrt(d)) w.x + sb b (002 Ch. 3): Theta = sw^2 x.x' / d + sb^2 exactly (spec N7). */
function linearKernel(a: number[][], b: number[][], sw: number, sb: number): number[][] {
  const d = (a[0] as number[]).length;
  return a.map((x) => b.map((y) => (sw * sw * x.reduce((s, v, i) => s + v * (y[i] as number), 0)) / d + sb * sb));
}

describe('linear model: closed form vs discrete gradient descent (float64)', () => {
  const rng = new Random(21);
  const n = 9;
  const d = 4;
  const sw = 1.3;
  const sb = 0.7;
  const x = randomMatrix(rng, n, d);
  const xt = randomMatrix(rng, 5, d);
  const y = Array.from({ length: n }, () => rng.normal());
  const w0 = Array.from({ length: d }, () => rng.normal());
  const b0 = rng.normal();
  const f = (w: number[], b: number, p: number[]) => (sw / Math.sqrt(d)) * p.reduce((s, v, i) => s + v * (w[i] as number), 0) + sb * b;
  const theta = linearKernel(x, x, sw, sb);
  const thetaTest = linearKernel(xt, x, sw, sb);

  test.each(['mean', 'sum'] as const)('k steps of parameter-space GD equal f_k = Y + (I - eta~ Theta)^k (f0 - Y) to ~1e-13 (%s)', (lossReduction) => {
    const pred0 = gradientDescentMSE(theta, y, { learningRate: 1, lossReduction });
    const lr = 0.9 * pred0.maxStableLearningRate;
    const eta = lossReduction === 'mean' ? lr / n : lr;
    const f0Train = x.map((p) => f(w0, b0, p));
    const f0Test = xt.map((p) => f(w0, b0, p));
    const pred = gradientDescentMSE(theta, y, { learningRate: lr, lossReduction, f0Train });
    let w = [...w0];
    let b = b0;
    for (let k = 1; k <= 60; k++) {
      // dL/dw = (sw / sqrt d) sum_i r_i x_i * (1/N for 'mean'); dL/db = sb sum_i r_i (same factor)
      const r = x.map((p, i) => f(w, b, p) - (y[i] as number));
      const gw = w.map((_, j) => (sw / Math.sqrt(d)) * r.reduce((s, ri, i) => s + ri * ((x[i] as number[])[j] as number), 0));
      const gb = sb * r.reduce((s, ri) => s + ri, 0);
      const scale = lossReduction === 'mean' ? lr / n : lr;
      w = w.map((wj, j) => wj - scale * (gw[j] as number));
      b -= scale * gb;
      if (k % 15 === 0) {
        const trainGD = x.map((p) => f(w, b, p));
        const testGD = xt.map((p) => f(w, b, p));
        // Same algebra in two orders: the differences are pure float64 round-off (O(1e-15) x condition).
        expect(maxAbsDiff(pred.predictTrainSteps(k), trainGD)).toBeLessThan(1e-12);
        expect(maxAbsDiff(pred.predictTestSteps(k, thetaTest, f0Test), testGD)).toBeLessThan(1e-12);
      }
    }
    expect(pred.effectiveLearningRate).toBeCloseTo(eta, 15);
  });

  test('the analytic kernel of serial(dense(1)) is the linear-model kernel', () => {
    const k = serial(dense(1, { sigmaW: sw, sigmaB: sb })).kernel(xt, x);
    expect(maxAbsDiff(k.ntk, thetaTest)).toBeLessThan(1e-14);
    expect(maxAbsDiff(k.nngp, thetaTest)).toBeLessThan(1e-14);
  });

  test('closed form equals RK4 integration of the linearised ODE', () => {
    const pred = gradientDescentMSE(theta, y, { learningRate: 0.5 });
    const ode = gradientDescent(theta, y, (fv, yv) => fv.map((v, i) => v - (yv[i] as number)), { learningRate: 0.5 });
    for (const t of [0.3, 2, 10]) {
      // RK4 with the default step (0.05 / (eta~ ||Theta||_inf)) has local error O(h^5): ~1e-10 here.
      expect(maxAbsDiff(pred.predictTrain(t), ode.predictTrain(t))).toBeLessThan(1e-8);
      expect(maxAbsDiff(pred.predictTest(t, thetaTest), ode.predictTest(t, thetaTest))).toBeLessThan(1e-8);
    }
  });

  test('t = Infinity is Cholesky kernel regression with a vanishing training residual', () => {
    const k = serial(dense(16, { sigmaW: 1.4, sigmaB: 0.2 }), relu(), dense(1)).kernel(x);
    const kt = serial(dense(16, { sigmaW: 1.4, sigmaB: 0.2 }), relu(), dense(1)).kernel(xt, x);
    const pred = gradientDescentMSE(k.ntk, y, { learningRate: 1 });
    const alpha = new CholeskyDecomposition(new Matrix(k.ntk)).solve(Matrix.columnVector(y)).to1DArray();
    const reference = kt.ntk.map((row) => row.reduce((s, v, j) => s + v * (alpha[j] as number), 0));
    expect(maxAbsDiff(pred.predictTest(Number.POSITIVE_INFINITY, kt.ntk), reference)).toBeLessThan(1e-9 * maxAbs(reference));
    expect(maxAbsDiff(pred.predictTrain(Number.POSITIVE_INFINITY), y)).toBeLessThan(1e-9);
    // long finite times approach the limit
    expect(maxAbsDiff(pred.predictTest(1e7, kt.ntk), reference)).toBeLessThan(1e-6 * maxAbs(reference));
    // the NNGP posterior mean with zero noise is the same kernel regression with K instead of Theta
    const gp = gpInference(k.nngp, y).predict(kt.nngp);
    const alphaK = new CholeskyDecomposition(new Matrix(k.nngp)).solve(Matrix.columnVector(y)).to1DArray();
    const refK = kt.nngp.map((row) => row.reduce((s, v, j) => s + v * (alphaK[j] as number), 0));
    expect(maxAbsDiff(gp.mean, refK)).toBeLessThan(1e-8 * maxAbs(refK));
  });

  test('predictive variance: prior NNGP at t = 0, the GP posterior variance at t = Infinity when Theta = K', () => {
    // For the linear model the NNGP and the NTK coincide, so Sigma_inf(x) = K(x,x) - K(x,X) K^{-1} K(X,x) (Lee et al. 2019).
    const a = serial(dense(1, { sigmaW: sw, sigmaB: sb }));
    const kd = a.kernelDiagonal(xt).nngp;
    const k = a.kernel(x.slice(0, 4));
    const kq = a.kernel(xt, x.slice(0, 4));
    const pred = gradientDescentMSE(k.ntk, y.slice(0, 4), { learningRate: 1 });
    const nngp = { trainTrain: k.nngp, testTrain: kq.nngp, testDiagonal: kd };
    expect(maxAbsDiff(pred.predictTestVariance(0, kq.ntk, nngp), kd)).toBeLessThan(1e-14);
    const gp = gpInference(k.nngp, y.slice(0, 4)).predict(kq.nngp, kd);
    expect(maxAbsDiff(pred.predictTestVariance(Number.POSITIVE_INFINITY, kq.ntk, nngp), gp.variance as number[])).toBeLessThan(1e-10);
    // the variance shrinks monotonically along the flow here (the train points are fitted progressively)
    const v = [0, 0.5, 5, 50].map((t) => pred.predictTestVariance(t, kq.ntk, nngp));
    for (let i = 1; i < v.length; i++) for (let j = 0; j < kd.length; j++) expect((v[i] as number[])[j]).toBeLessThanOrEqual(((v[i - 1] as number[])[j] as number) + 1e-12);
  });

  test('singular Theta (duplicated inputs) stays finite; t = Infinity is the pseudo-inverse solution', () => {
    const xd = [...x, x[0] as number[], x[3] as number[]];
    const yd = [...y, y[0] as number, y[3] as number];
    const kd = linearKernel(xd, xd, sw, sb); // rank <= d + 1 = 5 < 11
    const pred = gradientDescentMSE(kd, yd, { learningRate: 1 });
    for (const t of [0, 1, 1e3, 1e9, Number.POSITIVE_INFINITY]) {
      for (const v of pred.predictTest(t, linearKernel(xt, xd, sw, sb))) expect(Number.isFinite(v)).toBe(true);
    }
    // Gradient flow from f0 = 0 converges to the minimum-norm least-squares fit: the projection of Y
    // onto the range of Theta. Reference: ordinary least squares of y on [x sw/sqrt(d), sb].
    const design = new Matrix(xd.map((p) => [...p.map((v) => (v * sw) / Math.sqrt(d)), sb]));
    const gram = design.transpose().mmul(design);
    const coef = new CholeskyDecomposition(gram).solve(design.transpose().mmul(Matrix.columnVector(yd)));
    const fit = design.mmul(coef).to1DArray();
    expect(maxAbsDiff(pred.predictTrain(Number.POSITIVE_INFINITY), fit)).toBeLessThan(1e-9);
    expect(maxAbsDiff(pred.predictTrain(1e9), fit)).toBeLessThan(1e-6);
  });

  test('bad inputs throw NnphysError naming the argument', () => {
    expect(() => gradientDescentMSE(theta, y, { learningRate: 0 })).toThrow(/learningRate/);
    expect(() => gradientDescentMSE(theta, y, { learningRate: -1 })).toThrow(NnphysError);
    expect(() => gradientDescentMSE([[1, 2], [3]], [1, 2], { learningRate: 1 })).toThrow(/kTrainTrain/);
    expect(() => gradientDescentMSE([[1, 0.5], [0.5, 1]], [1, 2, 3], { learningRate: 1 })).toThrow(/yTrain/);
    expect(() => gradientDescentMSE([[1, 0.2], [0.5, 1]], [1, 2], { learningRate: 1 })).toThrow(/symmetric/);
    expect(() => gradientDescentMSE([[1, 2], [2, 1]], [1, 2], { learningRate: 1 })).toThrow(/positive semi-definite/);
    expect(() => gradientDescentMSE(theta, y, { learningRate: 1, lossReduction: 'avg' as never })).toThrow(/lossReduction/);
    const pred = gradientDescentMSE(theta, y, { learningRate: 1 });
    expect(() => pred.predictTest(1, [[1, 2]])).toThrow(/kTestTrain/);
    expect(() => pred.predictTest(-1, thetaTest)).toThrow(/t must be/);
    expect(() => pred.predictTest(Number.NaN, thetaTest)).toThrow(/t must be/);
    expect(() => pred.predictTrainSteps(1.5)).toThrow(/steps/);
    expect(() => gradientDescent(theta, y, (fv) => fv, { learningRate: 0 })).toThrow(/learningRate/);
  });
});

describe.each(backends)('%s: finite networks trained by full-batch gradient descent', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('init/dispose, training and ensembles leave no tensors behind', () => {
    const x = tf.tensor2d([[0.5, -1], [1, 2], [0, 1]]);
    noLeak(() => {
      const net = serial(dense(8, { sigmaB: 0.3 }), relu(), dense(4), relu(), dense(1, { sigmaB: 0.1 })).init(2, 1);
      trainFullBatchMSE(net, x, [1, 0, -1], { learningRate: 0.1, steps: 3, record: { every: 1 } });
      net.dispose();
      const ens = ensemble((s) => serial(dense(8, { sigmaB: 0.3 }), relu(), dense(1)).init(2, s), 3, { seed: 2 });
      ens.predict(x, 2);
      ens.dispose();
    });
    x.dispose();
  });

  test('a linear tfjs network follows the closed form (float32 training)', () => {
    const rng = new Random(3);
    const x = randomMatrix(rng, 6, 3);
    const y = Array.from({ length: 6 }, () => rng.normal());
    const net = serial(dense(1, { sigmaW: 1.1, sigmaB: 0.5 })).init(3, 4);
    const xt = tf.tensor2d(x);
    const f0 = Array.from(noLeak(() => tf.tidy(() => net.apply(xt).dataSync())));
    const pred = gradientDescentMSE(linearKernel(x, x, 1.1, 0.5), y, { learningRate: 0.5, f0Train: f0 });
    const history = noLeak(() => trainFullBatchMSE(net, xt, y, { learningRate: 0.5, steps: 40, record: { every: 10 } }));
    expect(history.steps).toEqual([0, 10, 20, 30, 40]);
    history.steps.forEach((k, i) => {
      // float32 parameters and sums: ~1e-6 relative per step
      expect(maxAbsDiff(history.outputs[i] as number[], pred.predictTrainSteps(k))).toBeLessThan(2e-5);
    });
    xt.dispose();
    net.dispose();
  });

  test('wide ReLU networks track the infinite-width prediction, the closer the wider', () => {
    // 1-D regression y = sin(3x) on 8 points; inputs (x, 1) so the first layer sees an offset.
    const n = 8;
    const xs = Array.from({ length: n }, (_, i) => [-1 + (2 * i) / (n - 1), 1]);
    const ys = xs.map(([v]) => Math.sin(3 * (v as number)));
    const xq = [[-0.8, 1], [-0.1, 1], [0.45, 1], [1.3, 1]];
    const arch = (w: number) => serial(dense(w, { sigmaW: 1.5, sigmaB: 0.1 }), relu(), dense(1, { sigmaW: 1.5, sigmaB: 0.1 }));
    const kTrain = arch(1).kernel(xs).ntk;
    const kTest = arch(1).kernel(xq, xs).ntk;
    const lr = 0.5 * gradientDescentMSE(kTrain, ys, { learningRate: 1 }).maxStableLearningRate;
    const steps = 150;
    const widths = [64, 256, 1024, 4096];
    const deviations: number[] = [];
    const x = tf.tensor2d(xs);
    const xqT = tf.tensor2d(xq);
    for (const w of widths) {
      let dev = 0;
      for (const seed of [1, 2]) {
        const net = arch(w).init(2, seed);
        const f0 = tf.tidy(() => [Array.from(net.apply(x).dataSync()), Array.from(net.apply(xqT).dataSync())]);
        // Infinite-width prediction conditioned on this network's initial outputs:
        // f_k(x) = f0(x) + Theta(x, X) Theta^{-1} (I - (I - eta~ Theta)^k) (Y - f0(X)); with f0 = 0 it is mu_k.
        const pred = gradientDescentMSE(kTrain, ys, { learningRate: lr, f0Train: f0[0] });
        const history = trainFullBatchMSE(net, x, ys, { learningRate: lr, steps, record: { every: 50, x: xqT } });
        history.steps.forEach((k, i) => {
          const ref = pred.predictTestSteps(k, kTest, f0[1]);
          dev = Math.max(dev, maxAbsDiff(history.outputs[i] as number[], ref) / maxAbs(ys));
        });
        net.dispose();
      }
      deviations.push(dev);
    }
    x.dispose();
    xqT.dispose();
    const fit = fitPowerLaw(widths, deviations);
    // NTK fluctuations and drift are O(width^-1/2) (spec N1-N3): accept [-0.8, -0.3] with 2 seeds.
    expect(fit.exponent).toBeLessThan(-0.3);
    expect(fit.exponent).toBeGreaterThan(-0.8);
    // measured 4.8e-2 at width 4096 (both backends)
    expect(deviations[widths.length - 1]).toBeLessThan(0.07);
    console.log(`[${backend}] max |f_net - f_lin| / max|y| by width ${widths.join('/')}: ${deviations.map((v) => v.toExponential(2)).join(', ')}; exponent ${fit.exponent.toFixed(2)}`);
  });
});
