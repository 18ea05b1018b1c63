import { NnphysError, assertFiniteNumber } from '@nnphys/core';
import { backSolveTransposed, cholesky, forwardSolve, rectangular, squareSymmetric, vector } from './linalg.js';

export interface GPInferenceOptions {
  /** Observation noise variance added to the diagonal (default 0). */
  noise?: number;
  /** Extra diagonal jitter: 'auto' (default) adds the smallest that makes Cholesky succeed, or a fixed number. */
  jitter?: 'auto' | number;
}

export interface GPPrediction {
  /** Posterior mean K(x, X) (K + s^2 I)^{-1} Y. */
  mean: number[];
  /** Posterior variance K(x, x) - K(x, X) (K + s^2 I)^{-1} K(X, x) (when kTestTest is given). */
  variance?: number[];
  /** Full posterior covariance (when kTestTest is a matrix). */
  covariance?: number[][];
}

export interface GPPosterior {
  /** Diagonal jitter that was added (0 when the kernel was positive definite). */
  readonly jitter: number;
  /** log p(Y | X) = -Y^T a / 2 - sum log L_ii - N log(2 pi) / 2. */
  readonly logMarginalLikelihood: number;
  /** kTestTest: omit for the mean only, a vector for the variances K(x_i, x_i), a matrix for the covariance. */
  predict(kTestTrain: number[][], kTestTest?: number[] | number[][]): GPPrediction;
}

/**
 * Exact Bayesian inference with the NNGP kernel: the posterior of an
 * infinitely wide network whose readout alone is trained to convergence, or
 * of Bayesian inference over all parameters (neural-tangents'
 * `predict.gp_inference`; Rasmussen & Williams 2006, Alg. 2.1). Cholesky from
 * ml-matrix, float64.
 */
export function gpInference(kTrainTrain: number[][], yTrain: number[], options: GPInferenceOptions = {}): GPPosterior {
  const label = 'gpInference';
  if (options === null || typeof options !== 'object') throw new NnphysError(`${label}: options must be an object, got ${String(options)}`);
  const { a: k, n } = squareSymmetric(kTrainTrain, `${label}: kTrainTrain`);
  const y = vector(yTrain, `${label}: yTrain`, n);
  const noise = options.noise ?? 0;
  assertFiniteNumber(noise, `${label}: noise`);
  if (noise < 0) throw new NnphysError(`${label}: noise must be >= 0, got ${noise}`);
  const jitterOpt = options.jitter ?? 'auto';
  if (jitterOpt !== 'auto') {
    assertFiniteNumber(jitterOpt, `${label}: jitter`);
    if (jitterOpt < 0) throw new NnphysError(`${label}: jitter must be >= 0 or 'auto', got ${jitterOpt}`);
  }
  for (let i = 0; i < n; i++) k[i * n + i] += noise;
  const { l, jitter } = cholesky(k, n, jitterOpt, `${label}: kTrainTrain + noise I`);
  const alpha = backSolveTransposed(l, n, forwardSolve(l, n, y));
  let logDet = 0;
  let fit = 0;
  for (let i = 0; i < n; i++) {
    logDet += Math.log(l[i * n + i]);
    fit += y[i] * alpha[i];
  }
  const logMarginalLikelihood = -0.5 * fit - logDet - 0.5 * n * Math.log(2 * Math.PI);

  return {
    jitter,
    logMarginalLikelihood,
    predict(kTestTrain, kTestTest) {
      const { a: kt, rows } = rectangular(kTestTrain, `${label}: kTestTrain`, n);
      const mean: number[] = [];
      const v: Float64Array[] = [];
      for (let r = 0; r < rows; r++) {
        const kx = kt.subarray(r * n, (r + 1) * n);
        let m = 0;
        for (let i = 0; i < n; i++) m += kx[i] * alpha[i];
        mean.push(m);
        if (kTestTest !== undefined) v.push(forwardSolve(l, n, kx));
      }
      if (kTestTest === undefined) return { mean };
      const full = Array.isArray(kTestTest) && kTestTest.length > 0 && Array.isArray(kTestTest[0]);
      const dot = (a: Float64Array, b: Float64Array) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += a[i] * b[i];
        return s;
      };
      if (!full) {
        const d = vector(kTestTest, `${label}: kTestTest`, rows);
        return { mean, variance: Array.from(d, (x, r) => x - dot(v[r]!, v[r]!)) };
      }
      const { a: kss } = squareSymmetric(kTestTest, `${label}: kTestTest`);
      if (kss.length !== rows * rows) throw new NnphysError(`${label}: kTestTest must be ${rows} x ${rows} like kTestTrain's rows, got ${Math.sqrt(kss.length)} rows`);
      const covariance: number[][] = [];
      for (let i = 0; i < rows; i++) {
        const row: number[] = [];
        for (let j = 0; j < rows; j++) row.push(kss[i * rows + j] - dot(v[i]!, v[j]!));
        covariance.push(row);
      }
      return { mean, variance: covariance.map((r, i) => r[i]!), covariance };
    },
  };
}
