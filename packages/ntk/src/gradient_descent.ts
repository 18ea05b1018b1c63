import { NnphysError, assertPositiveNumber } from '@nnphys/core';
import { matVec, rectangular, squareSymmetric, vector } from './linalg.js';
import { effectiveRate, type LossReduction } from './loss_reduction.js';

/** dl/df for every training output: (f, y) -> l'(f_i, y_i) per sample. */
export type LossGradient = (f: Float64Array, y: Float64Array) => ArrayLike<number>;

export interface GradientDescentOptions {
  learningRate: number;
  /** 'mean' (default): eta~ = eta/N; 'sum': eta~ = eta. */
  lossReduction?: LossReduction;
  f0Train?: number[];
  /** RK4 time step (default 0.05 / (eta~ * max row sum of |Theta|)). */
  dt?: number;
}

export interface ODEPredictor {
  /** Training outputs at time t (RK4). */
  predictTrain(t: number): number[];
  /** Test outputs at time t: f_t(x) = f0(x) - eta~ Theta(x, X) int_0^t l'(f_s(X), Y) ds. */
  predictTest(t: number, kTestTrain: number[][], f0Test?: number[]): number[];
}

/**
 * Function-space gradient flow with a constant kernel for any loss (spec ntk
 * §2.2 and §2.4 "other losses"; 001 "Empirical NTK"):
 *   df(X)/dt = -eta~ Theta(X, X) l'(f(X), Y),
 * integrated with classical fourth-order Runge-Kutta together with
 * c(t) = int_0^t l'(f_s, Y) ds, from which any test output follows as
 * f_t(x) = f0(x) - eta~ Theta(x, X) c(t). For MSE prefer the closed form
 * `gradientDescentMSE`.
 */
export function gradientDescent(kTrainTrain: number[][], yTrain: number[], lossGradient: LossGradient, options: GradientDescentOptions): ODEPredictor {
  const label = 'gradientDescent';
  if (typeof lossGradient !== 'function') throw new NnphysError(`${label}: lossGradient must be a function (f, y) => dl/df, got ${typeof lossGradient}`);
  if (options === null || typeof options !== 'object') throw new NnphysError(`${label}: options { learningRate } are required`);
  const { a: k, n } = squareSymmetric(kTrainTrain, `${label}: kTrainTrain`);
  const y = vector(yTrain, `${label}: yTrain`, n);
  const eta = effectiveRate(label, options.learningRate, options.lossReduction, n);
  const f0 = options.f0Train === undefined ? new Float64Array(n) : vector(options.f0Train, `${label}: f0Train`, n);
  let bound = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(k[i * n + j]);
    bound = Math.max(bound, s);
  }
  const dt = options.dt ?? 0.05 / (eta * Math.max(bound, 1e-300));
  assertPositiveNumber(dt, `${label}: dt`);

  const grad = (f: Float64Array): Float64Array => {
    const g = lossGradient(f, y);
    if (g == null || g.length !== n) throw new NnphysError(`${label}: lossGradient must return ${n} numbers, got ${g == null ? String(g) : g.length}`);
    const out = Float64Array.from(g);
    for (let i = 0; i < n; i++) if (!Number.isFinite(out[i])) throw new NnphysError(`${label}: lossGradient returned a non-finite value at ${i}: ${out[i]}`);
    return out;
  };
  // State (f, c): f' = -eta~ K l'(f), c' = l'(f).
  const deriv = (f: Float64Array): { df: Float64Array; dc: Float64Array } => {
    const dc = grad(f);
    const df = matVec(k, n, n, dc);
    for (let i = 0; i < n; i++) df[i] *= -eta;
    return { df, dc };
  };
  const integrate = (t: number): { f: Float64Array; c: Float64Array } => {
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw new NnphysError(`${label}: t must be a finite number >= 0, got ${String(t)}`);
    const steps = Math.ceil(t / dt - 1e-9);
    if (steps > 1e7) throw new NnphysError(`${label}: t = ${t} needs ${steps} RK4 steps of dt = ${dt}; pass a larger options.dt`);
    const h = steps > 0 ? t / steps : 0;
    let f = Float64Array.from(f0);
    const c = new Float64Array(n);
    const tmp = new Float64Array(n);
    for (let s = 0; s < steps; s++) {
      const k1 = deriv(f);
      for (let i = 0; i < n; i++) tmp[i] = f[i] + 0.5 * h * k1.df[i];
      const k2 = deriv(tmp);
      for (let i = 0; i < n; i++) tmp[i] = f[i] + 0.5 * h * k2.df[i];
      const k3 = deriv(tmp);
      for (let i = 0; i < n; i++) tmp[i] = f[i] + h * k3.df[i];
      const k4 = deriv(tmp);
      const next = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        next[i] = f[i] + (h / 6) * (k1.df[i] + 2 * k2.df[i] + 2 * k3.df[i] + k4.df[i]);
        c[i] += (h / 6) * (k1.dc[i] + 2 * k2.dc[i] + 2 * k3.dc[i] + k4.dc[i]);
      }
      f = next;
    }
    return { f, c };
  };
  return {
    predictTrain(t) {
      return Array.from(integrate(t).f);
    },
    predictTest(t, kTestTrain, f0Test) {
      const { a: kt, rows } = rectangular(kTestTrain, `${label}: kTestTrain`, n);
      const base = f0Test === undefined ? new Float64Array(rows) : vector(f0Test, `${label}: f0Test`, rows);
      const { c } = integrate(t);
      const p = matVec(kt, rows, n, c);
      return Array.from(p, (v, i) => base[i] - eta * v);
    },
  };
}
