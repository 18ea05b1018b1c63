import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, type Random, assertNumberArray, assertOneOf, assertPositiveInteger, assertPositiveNumber, resolveRandom } from '@nnphys/core';
import { evaluateRow } from '../export/plain_network.js';
import { type InputNorm, inputNorms } from '../norms/kinds.js';
import { dualNorm, vectorNorm } from '../norms/operator_norms.js';
import type { ProbedModel } from './model_types.js';

export interface LowerBoundOptions {
  /** Input norm (default: the model's). */
  p?: InputNorm;
  /** Number of input features (default: model.inputs). */
  inputs?: number;
  /** Centre of the search box (default 0). */
  center?: number[];
  /** Half-width of the search box (default 1). */
  radius?: number;
  /** Pairs searched in parallel (default 64). */
  pairs?: number;
  /** Gradient-ascent steps (default 100). */
  steps?: number;
  /** Adam learning rate (default 0.02 radius). */
  learningRate?: number;
  seed?: number | Random;
}

export interface LowerBoundResult {
  /** max(pairRatio, gradientNorm): an empirical lower bound on the Lipschitz constant. */
  lowerBound: number;
  /** Largest |f_o(x) - f_o(y)| / ||x - y||_p found (float32 forward passes). */
  pairRatio: number;
  /** The same pair re-evaluated in float64 from the baked weights (null when the model cannot bake). */
  pairRatio64: number | null;
  x: number[];
  y: number[];
  /** Largest ||grad_x f_o(x)||_{p*} seen at the search points (equals the local slope of a piecewise-linear network). */
  gradientNorm: number;
}

function pnorm(d: tf.Tensor2D, p: InputNorm): tf.Tensor1D {
  if (p === 1) return tf.sum(tf.abs(d), 1) as tf.Tensor1D;
  if (p === 'inf') return tf.max(tf.abs(d), 1) as tf.Tensor1D;
  return tf.sqrt(tf.add(tf.sum(tf.square(d), 1), 1e-30)) as tf.Tensor1D;
}

/**
 * Adversarial search for a large slope |f(x) - f(y)| / ||x - y||_p (pairs
 * moved by gradient ascent with Adam), plus the dual norm of the input
 * gradient at the points visited. Both are lower bounds of the true Lipschitz
 * constant; the certificate must never be below them. Pairs closer than
 * 1e-3 radius are not counted (their float32 ratio is dominated by round-off).
 */
export function lipschitzLowerBound(model: ProbedModel, options: LowerBoundOptions = {}): LowerBoundResult {
  const fn = 'lipschitzLowerBound';
  if (model == null || typeof model.apply !== 'function') throw new NnphysError(`${fn}: model must be a module with apply(x)`);
  const p = options.p ?? model.norm ?? 1;
  assertOneOf(p, `${fn}: p`, inputNorms);
  const d = options.inputs ?? model.inputs;
  assertPositiveInteger(d, `${fn}: inputs`);
  const radius = options.radius ?? 1;
  assertPositiveNumber(radius, `${fn}: radius`);
  const center = options.center ?? new Array<number>(d).fill(0);
  assertNumberArray(center, `${fn}: center`, d);
  const pairs = options.pairs ?? 64;
  assertPositiveInteger(pairs, `${fn}: pairs`);
  const steps = options.steps ?? 100;
  if (!Number.isInteger(steps) || steps < 0) throw new NnphysError(`${fn}: steps must be a non-negative integer, got ${steps}`);
  const lr = options.learningRate ?? 0.02 * radius;
  assertPositiveNumber(lr, `${fn}: learningRate`);
  const rng = resolveRandom(options.seed);
  const init = () => Float32Array.from({ length: pairs * d }, (_, i) => (center[i % d] as number) + radius * (2 * rng.uniform() - 1));
  // tf.variable(t) keeps t alive: build the variables inside tidy so the initial values are released.
  const xs = tf.tidy(() => tf.variable(tf.tensor2d(init(), [pairs, d])));
  const ys = tf.tidy(() => tf.variable(tf.tensor2d(init(), [pairs, d])));
  const optimizer = tf.train.adam(lr);
  const minSeparation = 1e-3 * radius;
  let best = { ratio: 0, x: [] as number[], y: [] as number[] };
  let gradientNorm = 0;
  const pairRatios = (): tf.Tensor1D =>
    tf.tidy(() => {
      const diff = tf.max(tf.abs(tf.sub(model.apply(xs as tf.Tensor2D), model.apply(ys as tf.Tensor2D))), 1);
      return tf.div(diff, pnorm(tf.sub(xs, ys) as tf.Tensor2D, p)) as tf.Tensor1D;
    });
  const track = () => {
    const [r, sep, xv, yv] = tf.tidy(() => [pairRatios(), pnorm(tf.sub(xs, ys) as tf.Tensor2D, p), xs, ys].map((t) => t.dataSync()));
    for (let i = 0; i < pairs; i++) {
      const ri = r?.[i] as number;
      if ((sep?.[i] as number) >= minSeparation && Number.isFinite(ri) && ri > best.ratio) {
        best = { ratio: ri, x: Array.from(xv?.subarray(i * d, (i + 1) * d) ?? []), y: Array.from(yv?.subarray(i * d, (i + 1) * d) ?? []) };
      }
    }
  };
  const trackGradient = (points: tf.Variable) => {
    const outputs = tf.tidy(() => model.apply(tf.slice(points, [0, 0], [1, d]) as tf.Tensor2D).shape[1]);
    for (let o = 0; o < outputs; o++) {
      const g = tf.tidy(() => tf.grad((z: tf.Tensor) => tf.sum(tf.slice(model.apply(z as tf.Tensor2D), [0, o], [-1, 1])))(points).dataSync());
      for (let i = 0; i < pairs; i++) gradientNorm = Math.max(gradientNorm, vectorNorm(g.subarray(i * d, (i + 1) * d), dualNorm(p === 'inf' ? Number.POSITIVE_INFINITY : p)));
    }
  };
  try {
    track();
    trackGradient(xs);
    for (let s = 0; s < steps; s++) {
      optimizer.minimize(() => tf.neg(tf.mean(pairRatios())) as tf.Scalar, false, [xs, ys]);
      track();
    }
    trackGradient(xs);
    trackGradient(ys);
  } finally {
    xs.dispose();
    ys.dispose();
    optimizer.dispose();
  }
  let pairRatio64: number | null = null;
  if (typeof model.toPlain === 'function' && best.x.length > 0) {
    const plain = model.toPlain();
    const fx = evaluateRow(plain, best.x);
    const fy = evaluateRow(plain, best.y);
    let diff = 0;
    for (let o = 0; o < fx.length; o++) diff = Math.max(diff, Math.abs((fx[o] as number) - (fy[o] as number)));
    const sep = best.x.map((v, i) => v - (best.y[i] as number));
    pairRatio64 = diff / vectorNorm(sep, p === 'inf' ? Number.POSITIVE_INFINITY : p);
  }
  return { lowerBound: Math.max(best.ratio, gradientNorm), pairRatio: best.ratio, pairRatio64, x: best.x, y: best.y, gradientNorm };
}
