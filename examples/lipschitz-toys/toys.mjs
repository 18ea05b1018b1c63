// The qualitative toys of 004 §2.3 (L1-L3) and the loss study of §2.5 (L4), each as a function of a size
// option so that run.mjs (full size) and test/toys.test.mjs (reduced size) share the code.
import * as tf from '@tensorflow/tfjs-core';
import { MLP } from '@nnphys/core';
import { logMonotone, oscillatingCircle, sinWithOutlier, twoMoons } from '@nnphys/datasets';
import {
  LipschitzNetwork,
  MonotonicNetwork,
  bceWithTemperature,
  dynamicHingeLoss,
  dynamicMargins,
  hingeLoss,
  lipschitzCertificate,
  monotonicityViolations,
} from '@nnphys/lipschitz';

/** Full-batch Adam on loss(model(x)); returns the final loss. */
function fit(model, x, lossOf, { steps, lr }) {
  const opt = tf.train.adam(lr);
  const vars = model.trainableVariables();
  let last = Number.NaN;
  for (let s = 0; s < steps; s++) {
    const cost = opt.minimize(() => lossOf(model.apply(x)), true, vars);
    if (s === steps - 1) last = cost.dataSync()[0];
    cost.dispose();
  }
  opt.dispose();
  return last;
}

const mse = (y) => (out) => tf.losses.meanSquaredError(y, out);

function predict(model, xs) {
  return tf.tidy(() => Array.from(model.apply(tf.tensor2d(xs)).dataSync()));
}

/**
 * L1 (eq. 2.10, Fig. 2.1): y = sin x + eps with one unit-variance outlier. Lambda = 1 Lipschitz net vs an
 * unconstrained MLP of the same widths, both trained to convergence with MSE.
 * Reports how far each fit is pulled towards the outlier at the outlier's x, and the largest slope of the fit.
 */
export function outlierStudy({ steps = 2000, hidden = [32, 32], seed = 31 } = {}) {
  const data = sinWithOutlier({ seed });
  const x = tf.tensor2d(data.x);
  const y = tf.tensor2d(data.y, [data.y.length, 1]);
  const i = data.outlier;
  const xo = data.x[i][0];
  const models = {
    lipschitz: new LipschitzNetwork({ inputs: 1, hidden, outputs: 1, lipschitz: 1, norm: 1, seed: seed + 1 }),
    mlp: new MLP({ inputs: 1, hidden, outputs: 1, seed: seed + 1 }),
  };
  const grid = Array.from({ length: 601 }, (_, k) => [-3 + (6 * k) / 600]);
  const out = { outlierResidual: data.y[i] - data.yTrue[i], sigma: data.sigma[0] };
  for (const [name, model] of Object.entries(models)) {
    const loss = fit(model, x, mse(y), { steps, lr: 1e-2 });
    const f = predict(model, grid);
    const [fo] = predict(model, [[xo]]);
    let slope = 0;
    for (let k = 1; k < f.length; k++) slope = Math.max(slope, Math.abs(f[k] - f[k - 1]) / (grid[k][0] - grid[k - 1][0]));
    // how much of the outlier's residual the fit follows: 0 = ignores it, 1 = passes through it
    out[name] = { loss, pull: (fo - data.yTrue[i]) / (data.y[i] - data.yTrue[i]), maxSlope: slope };
    model.dispose();
  }
  x.dispose();
  y.dispose();
  return out;
}

/**
 * L2 (eq. 2.11, Fig. 2.2): y = log x + eps, data missing on (3, 6] (extrapolation) or (3, 4.5) (interpolation).
 * MonotonicNetwork (lambda = 1, monotone increasing) vs an unconstrained MLP: number of decreasing steps of the
 * fit on a 501-point grid over [1, 6], largest decrease, RMSE to log x on the grid, and the fuzzer's verdict.
 */
export function monotoneStudy({ variant = 'extrapolation', steps = 2000, hidden = [32, 32], seed = 11, inits = 3 } = {}) {
  const data = logMonotone({ variant, seed });
  const x = tf.tensor2d(data.x);
  const y = tf.tensor2d(data.y, [data.y.length, 1]);
  const grid = Array.from({ length: 501 }, (_, k) => [1 + (5 * k) / 500]);
  const out = { variant, gap: data.gap, inits };
  for (const name of ['monotonic', 'mlp']) {
    const rec = { nonMonotoneFits: 0, maxDecrease: 0, meanRmse: 0, meanLoss: 0 };
    for (let s = 0; s < inits; s++) {
      const model =
        name === 'monotonic'
          ? new MonotonicNetwork({ inputs: 1, hidden, lipschitz: 1, monotone: [1], seed: seed + 1 + s })
          : new MLP({ inputs: 1, hidden, outputs: 1, seed: seed + 1 + s });
      rec.meanLoss += fit(model, x, mse(y), { steps, lr: 1e-2 }) / inits;
      const f = predict(model, grid);
      let decrease = 0;
      for (let k = 1; k < f.length; k++) decrease = Math.max(decrease, f[k - 1] - f[k]);
      if (decrease > 0) rec.nonMonotoneFits++;
      rec.maxDecrease = Math.max(rec.maxDecrease, decrease);
      rec.meanRmse += Math.sqrt(f.reduce((acc, v, k) => acc + (v - Math.log(grid[k][0])) ** 2, 0) / f.length) / inits;
      if (name === 'monotonic') rec.fuzzViolations = (rec.fuzzViolations ?? 0) + monotonicityViolations(model, { bounds: [[1, 6]], seed: s }).violations.length;
      model.dispose();
    }
    out[name] = rec;
  }
  x.dispose();
  y.dispose();
  return out;
}

/**
 * L3 (eq. 2.12, Fig. 2.3): three curves rho = r_k + alpha cos(omega theta), labels 0 / 0.5 / 1, regressed by a
 * Lipschitz (l2) network. Reports the MSE and the accuracy of assigning each point to its nearest label.
 */
export function circleStudy({ omega = 6, pointsPerCurve = 200, hidden = [64, 64, 64], lipschitz = 4, steps = 2000, seed = 5 } = {}) {
  const data = oscillatingCircle({ omega, pointsPerCurve, seed });
  const x = tf.tensor2d(data.x);
  const y = tf.tensor2d(data.y, [data.y.length, 1]);
  const model = new LipschitzNetwork({ inputs: 2, hidden, outputs: 1, lipschitz, norm: 2, groupSize: 2, seed: seed + 1 });
  const loss = fit(model, x, mse(y), { steps, lr: 5e-3 });
  const f = predict(model, data.x);
  const correct = f.filter((v, k) => Math.abs(v - data.y[k]) < 0.25).length;
  const cert = lipschitzCertificate(model);
  model.dispose();
  x.dispose();
  y.dispose();
  return { omega, alpha: data.alpha, lipschitz, mse: loss, accuracy: correct / f.length, certificate: cert.bound };
}

/**
 * L4 (Fig. 2.7): separable two moons, the same lambda = 1 (l2) GroupSort network trained with MSE (on +-1
 * targets), BCE, BCE tau = 16, hinge m = 1, hinge m = 0.1 and the dynamic hinge. Reports train/test accuracy and
 * the mean |output| (the margin in output units; with lambda = 1 it is a lower bound on the l2 distance to the
 * decision boundary).
 */
export function moonsStudy({ samples = 200, steps = 1500, hidden = [32, 32], seed = 3 } = {}) {
  const train = twoMoons({ samples, seed });
  const test = twoMoons({ samples: 1000, seed: seed + 100 });
  const x = tf.tensor2d(train.x);
  const y = tf.tensor2d(train.y, [samples, 1]);
  const signed = tf.tensor2d(train.y.map((v) => 2 * v - 1), [samples, 1]);
  const margins = tf.tensor2d(dynamicMargins(train.x, train.y, { p: 2, lipschitz: 1 }), [samples, 1]);
  const losses = {
    mse: (out) => tf.losses.meanSquaredError(signed, out),
    bce: (out) => bceWithTemperature({ temperature: 1 })(y, out),
    'bce tau=16': (out) => bceWithTemperature({ temperature: 16 })(y, out),
    'hinge m=1': (out) => hingeLoss({ margin: 1 })(y, out),
    'hinge m=0.1': (out) => hingeLoss({ margin: 0.1 })(y, out),
    'dynamic hinge': (out) => dynamicHingeLoss()(y, out, margins),
  };
  const accuracy = (f, labels) => f.filter((v, k) => (v > 0 ? 1 : 0) === labels[k]).length / f.length;
  const rows = {};
  for (const [name, lossOf] of Object.entries(losses)) {
    const model = new LipschitzNetwork({ inputs: 2, hidden, outputs: 1, lipschitz: 1, norm: 2, seed: seed + 1 });
    fit(model, x, lossOf, { steps, lr: 5e-3 });
    const ftr = predict(model, train.x);
    const fte = predict(model, test.x);
    rows[name] = { trainAccuracy: accuracy(ftr, train.y), testAccuracy: accuracy(fte, test.y), meanAbsOutput: fte.reduce((s, v) => s + Math.abs(v), 0) / fte.length };
    model.dispose();
  }
  tf.dispose([x, y, signed, margins]);
  return rows;
}
