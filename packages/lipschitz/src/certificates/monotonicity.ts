import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, type Random, assertMatrix, assertOneOf, assertPositiveInteger, resolveRandom } from '@nnphys/core';
import { evaluateRow } from '../export/plain_network.js';
import type { MonotoneConstraint } from '../networks/monotonic_network.js';
import type { ProbedModel } from './model_types.js';

export interface MonotonicityOptions {
  /** Per input [low, high] box to sample base points from (default [-1, 1] each). */
  bounds?: Array<[number, number]>;
  /** Extra base points (e.g. the training inputs). */
  points?: number[][];
  /** Random base points (default 256). */
  samples?: number;
  /** Step sizes as fractions of each feature's box width (default 1e-4, 1e-3, 1e-2, 1e-1, 1). */
  steps?: number[];
  /** Gradient steps of the adversarial pair search per constrained feature (default 50; 0 disables it). */
  adversarialSteps?: number;
  /** 'float32': the tfjs model as it runs; 'float64': the baked weights evaluated in float64 (needs toPlain). */
  precision?: 'float32' | 'float64';
  /** Absolute slack per pair; default: relative round-off allowance times the scale of the terms (see README). */
  tolerance?: number;
  seed?: number | Random;
}

export interface MonotonicityViolation {
  feature: number;
  x: number[];
  /** Signed step along the feature (the direction in which f must not decrease). */
  h: number;
  /** How much f went the wrong way (> tolerance). */
  decrease: number;
}

export interface MonotonicityReport {
  violations: MonotonicityViolation[];
  /** Number of (point, feature, step) pairs compared. */
  checked: number;
  /** Per input: the smallest c_i (f(x + h e_i) - f(x)) / |h| seen (NaN for free features). */
  minSlope: number[];
  /** Per input: the smallest c_i d f / d x_i from autodiff at the base points (NaN for free features). */
  minPartial: number[];
  /** Relative round-off allowance used for the default tolerance. */
  relativeTolerance: number;
}

/** float32: 2^-16 (about 256 units of round-off); float64: 2^-40. */
const RELATIVE_TOLERANCE = { float32: 2 ** -16, float64: 2 ** -40 } as const;

interface Pair {
  feature: number;
  x: Float32Array;
  h: number;
}

/**
 * Searches for violations of the monotonicity constraints c_i: pairs x,
 * x + h c_i e_i where f decreased by more than the round-off tolerance.
 * Base points: random points in the box, the given points, and points found
 * by gradient ascent on the decrease (adversarial pairs). Default tolerance
 * per pair: rel * (1 + |f(x)| + |f(x')| + lambda (||x||_1 + ||x'||_1)),
 * i.e. relative to the size of the terms f is summed from (float32 cannot
 * resolve differences below that; see README "float32 limits").
 */
export function monotonicityViolations(model: ProbedModel & { monotone: MonotoneConstraint[]; lipschitz: number }, options: MonotonicityOptions = {}): MonotonicityReport {
  const fn = 'monotonicityViolations';
  if (model == null || typeof model.apply !== 'function' || !Array.isArray(model.monotone)) throw new NnphysError(`${fn}: model must be a MonotonicNetwork`);
  const d = model.monotone.length;
  const precision = options.precision ?? 'float32';
  assertOneOf(precision, `${fn}: precision`, ['float32', 'float64']);
  if (precision === 'float64' && typeof model.toPlain !== 'function') throw new NnphysError(`${fn}: precision 'float64' needs a model with toPlain()`);
  const bounds = options.bounds ?? Array.from({ length: d }, () => [-1, 1] as [number, number]);
  if (!Array.isArray(bounds) || bounds.length !== d) throw new NnphysError(`${fn}: bounds must have one [low, high] per input (${d}), got ${Array.isArray(bounds) ? `length ${bounds.length}` : String(bounds)}`);
  for (const [i, b] of bounds.entries()) {
    if (!Array.isArray(b) || b.length !== 2 || !(Number.isFinite(b[0]) && Number.isFinite(b[1]) && b[0] < b[1])) throw new NnphysError(`${fn}: bounds[${i}] must be [low, high] with low < high, got ${JSON.stringify(b)}`);
  }
  const samples = options.samples ?? 256;
  assertPositiveInteger(samples, `${fn}: samples`);
  const steps = options.steps ?? [1e-4, 1e-3, 1e-2, 1e-1, 1];
  for (const [i, h] of steps.entries()) if (!(typeof h === 'number' && h > 0 && Number.isFinite(h))) throw new NnphysError(`${fn}: steps[${i}] must be a positive number, got ${h}`);
  const adversarialSteps = options.adversarialSteps ?? 50;
  if (!Number.isInteger(adversarialSteps) || adversarialSteps < 0) throw new NnphysError(`${fn}: adversarialSteps must be a non-negative integer, got ${adversarialSteps}`);
  if (options.points !== undefined) assertMatrix(options.points, `${fn}: points`, { cols: d });
  const rng = resolveRandom(options.seed);
  const rel = RELATIVE_TOLERANCE[precision];
  const constrained = model.monotone.map((c, i) => (c !== 0 ? i : -1)).filter((i) => i >= 0);

  const base: Float32Array[] = [];
  for (let s = 0; s < samples; s++) base.push(Float32Array.from(bounds, ([lo, hi]) => lo + (hi - lo) * rng.uniform()));
  for (const pt of options.points ?? []) base.push(Float32Array.from(pt));

  // Adversarial base points: maximise c_i (f(x) - f(x + h c_i e_i)) over x for a few step sizes.
  if (adversarialSteps > 0) {
    for (const i of constrained) {
      for (const frac of [1e-2, 1e-1]) {
        base.push(...adversarialPoints(model, bounds, i, frac, adversarialSteps, rng));
      }
    }
  }

  const pairs: Pair[] = [];
  for (const x of base) {
    for (const i of constrained) {
      const width = (bounds[i] as [number, number])[1] - (bounds[i] as [number, number])[0];
      for (const frac of steps) pairs.push({ feature: i, x, h: (model.monotone[i] as number) * frac * width });
    }
  }
  const f0 = evaluate(model, pairs.map((q) => q.x), precision);
  const moved = pairs.map((q) => {
    const y = Float32Array.from(q.x);
    y[q.feature] = (y[q.feature] as number) + q.h;
    return y;
  });
  const f1 = evaluate(model, moved, precision);
  const violations: MonotonicityViolation[] = [];
  const minSlope = model.monotone.map((c) => (c === 0 ? Number.NaN : Number.POSITIVE_INFINITY));
  for (const [k, q] of pairs.entries()) {
    const a = f0[k] as number;
    const b = f1[k] as number;
    const change = b - a; // must be >= 0: the step already points in the constrained direction
    const scale = 1 + Math.abs(a) + Math.abs(b) + model.lipschitz * (l1(q.x) + l1(moved[k] as Float32Array));
    const tol = options.tolerance ?? rel * scale;
    minSlope[q.feature] = Math.min(minSlope[q.feature] as number, change / Math.abs(q.h));
    if (!(change >= -tol)) violations.push({ feature: q.feature, x: Array.from(q.x), h: q.h, decrease: -change });
  }
  const minPartial = partials(model, base, constrained);
  return { violations, checked: pairs.length, minSlope, minPartial, relativeTolerance: rel };
}

function l1(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += Math.abs(x);
  return s;
}

/** Scalar outputs of the model on rows, in float32 (tfjs) or float64 (baked weights). */
function evaluate(model: ProbedModel, rows: Float32Array[], precision: 'float32' | 'float64'): Float64Array {
  if (precision === 'float64') {
    const plain = (model.toPlain as NonNullable<ProbedModel['toPlain']>)();
    return Float64Array.from(rows, (r) => evaluateRow(plain, r)[0] as number);
  }
  const d = rows[0]?.length ?? 0;
  const flat = new Float32Array(rows.length * d);
  for (const [i, r] of rows.entries()) flat.set(r, i * d);
  const values = tf.tidy(() => model.apply(tf.tensor2d(flat, [rows.length, d])));
  try {
    return Float64Array.from(values.dataSync());
  } finally {
    values.dispose();
  }
}

function partials(model: ProbedModel & { monotone: MonotoneConstraint[] }, base: Float32Array[], constrained: number[]): number[] {
  const d = model.monotone.length;
  const out = model.monotone.map((c) => (c === 0 ? Number.NaN : Number.POSITIVE_INFINITY));
  const flat = new Float32Array(base.length * d);
  for (const [i, r] of base.entries()) flat.set(r, i * d);
  const g = tf.tidy(() => tf.grad((z: tf.Tensor) => tf.sum(model.apply(z as tf.Tensor2D)))(tf.tensor2d(flat, [base.length, d])).dataSync());
  for (let n = 0; n < base.length; n++) {
    for (const i of constrained) out[i] = Math.min(out[i] as number, (model.monotone[i] as number) * (g[n * d + i] as number));
  }
  return out;
}

function adversarialPoints(
  model: ProbedModel & { monotone: MonotoneConstraint[] },
  bounds: Array<[number, number]>,
  feature: number,
  frac: number,
  iterations: number,
  rng: Random,
): Float32Array[] {
  const d = bounds.length;
  const n = 32;
  const lo = tf.tensor1d(bounds.map((b) => b[0]));
  const hi = tf.tensor1d(bounds.map((b) => b[1]));
  const width = (bounds[feature] as [number, number])[1] - (bounds[feature] as [number, number])[0];
  const shift = new Float32Array(d);
  shift[feature] = (model.monotone[feature] as number) * frac * width;
  const shiftT = tf.tensor1d(shift);
  const init = Float32Array.from({ length: n * d }, (_, k) => {
    const [a, b] = bounds[k % d] as [number, number];
    return a + (b - a) * rng.uniform();
  });
  // tf.variable(t) keeps t alive: build inside tidy so the initial value is released.
  const x = tf.tidy(() => tf.variable(tf.tensor2d(init, [n, d])));
  const optimizer = tf.train.adam(0.05 * Math.min(...bounds.map((b) => b[1] - b[0])));
  try {
    for (let s = 0; s < iterations; s++) {
      // maximise the decrease f(x) - f(x + shift), i.e. minimise f(x + shift) - f(x)
      optimizer.minimize(() => tf.sum(tf.sub(model.apply(tf.add(x, shiftT) as tf.Tensor2D), model.apply(x as tf.Tensor2D))) as tf.Scalar, false, [x]);
      tf.tidy(() => x.assign(tf.minimum(tf.maximum(x, lo), hi)));
    }
    const values = x.dataSync() as Float32Array;
    return Array.from({ length: n }, (_, i) => Float32Array.from(values.subarray(i * d, (i + 1) * d)));
  } finally {
    x.dispose();
    lo.dispose();
    hi.dispose();
    shiftT.dispose();
    optimizer.dispose();
  }
}
