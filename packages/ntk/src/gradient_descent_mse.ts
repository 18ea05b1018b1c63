import { NnphysError, assertFiniteNumber, assertNonNegativeInteger } from '@nnphys/core';
import { matTVec, matVec, rectangular, squareSymmetric, symmetricEigen, vector } from './linalg.js';
import { effectiveRate, type LossReduction } from './loss_reduction.js';

export interface GradientDescentMSEOptions {
  /** eta > 0. */
  learningRate: number;
  /** 'mean' (default): L = (1/N) sum (f - y)^2 / 2, eta~ = eta/N. 'sum': eta~ = eta (001's slide formula). */
  lossReduction?: LossReduction;
  /** Added to the diagonal of kTrainTrain (ridge; default 0). */
  diagReg?: number;
  /** Outputs of the network at initialisation on the training inputs (default 0: the mean prediction mu_t). */
  f0Train?: number[];
  /**
   * Eigenvalues below cutoff * max eigenvalue count as zero for t = Infinity (pseudo-inverse)
   * and are clipped to 0 everywhere (default N * 2.2e-16). Eigenvalues below -1e-6 * max are an error.
   */
  eigenvalueCutoff?: number;
}

export interface NNGPForVariance {
  /** K(X, X), the NNGP kernel of the training inputs. */
  trainTrain: number[][];
  /** K(x, X) for the test inputs. */
  testTrain: number[][];
  /** K(x, x) for each test input (the diagonal, e.g. from `kernelDiagonal`). */
  testDiagonal: number[];
}

export interface MSEPredictor {
  /** Eigenvalues of Theta(X, X) + diagReg I, ascending. */
  readonly eigenvalues: number[];
  /** eta~ (eta / N for 'mean', eta for 'sum'). */
  readonly effectiveLearningRate: number;
  /** Largest learning rate for which discrete gradient descent converges (eta~ lambda_max < 2), in the units of `learningRate`. */
  readonly maxStableLearningRate: number;
  /** f_t(X) = Y + e^{-eta~ Theta t} (f0(X) - Y); t = Infinity gives the converged training outputs. */
  predictTrain(t: number): number[];
  /**
   * f_t(x) = f0(x) + Theta(x, X) Theta^{-1} (I - e^{-eta~ Theta t}) (Y - f0(X)); with f0 = 0 this is
   * the mean prediction mu_t of 001 ("Mean prediction from NTK"); t = Infinity is kernel regression.
   */
  predictTest(t: number, kTestTrain: number[][], f0Test?: number[]): number[];
  /** Discrete full-batch gradient descent on the linearised model after k steps: f_k(X) = Y + (I - eta~ Theta)^k (f0 - Y). */
  predictTrainSteps(steps: number): number[];
  /** f_k(x) = f0(x) + Theta(x, X) Theta^{-1} (I - (I - eta~ Theta)^k) (Y - f0(X)). */
  predictTestSteps(steps: number, kTestTrain: number[][], f0Test?: number[]): number[];
  /**
   * Variance over initialisations of f_t(x) at infinite width (Lee et al. 2019, with
   * A_t = Theta^{-1}(I - e^{-eta~ Theta t})):
   *   Sigma_t(x) = K(x, x) + Theta(x, X) A_t K(X, X) A_t Theta(X, x) - 2 Theta(x, X) A_t K(X, x).
   */
  predictTestVariance(t: number, kTestTrain: number[][], nngp: NNGPForVariance): number[];
}

/**
 * Closed-form MSE gradient-flow dynamics with a constant kernel (001, "Mean
 * prediction from NTK"; Jacot et al. 2018; Lee et al. 2019; spec ntk §2.4),
 * neural-tangents' `predict.gradient_descent_mse`. Uses Theta = U Lambda U^T
 * and Theta^{-1}(I - e^{-eta~ Theta t}) = U diag(-expm1(-eta~ lambda t) / lambda) U^T,
 * which tends to eta~ t as lambda -> 0, so no inverse is formed and singular
 * kernels (duplicated inputs) stay finite. Float64 throughout.
 */
export function gradientDescentMSE(kTrainTrain: number[][], yTrain: number[], options: GradientDescentMSEOptions): MSEPredictor {
  const label = 'gradientDescentMSE';
  if (options === null || typeof options !== 'object') throw new NnphysError(`${label}: options { learningRate } are required, got ${String(options)}`);
  const { a: k, n } = squareSymmetric(kTrainTrain, `${label}: kTrainTrain`);
  const y = vector(yTrain, `${label}: yTrain`, n);
  const eta = effectiveRate(label, options.learningRate, options.lossReduction, n);
  const f0 = options.f0Train === undefined ? new Float64Array(n) : vector(options.f0Train, `${label}: f0Train`, n);
  const reg = options.diagReg ?? 0;
  assertFiniteNumber(reg, `${label}: diagReg`);
  if (reg < 0) throw new NnphysError(`${label}: diagReg must be >= 0, got ${reg}`);
  const cutoffRel = options.eigenvalueCutoff ?? n * 2.220446049250313e-16;
  assertFiniteNumber(cutoffRel, `${label}: eigenvalueCutoff`);
  for (let i = 0; i < n; i++) k[i * n + i] += reg;

  const { values, vectors: u } = symmetricEigen(k, n);
  const lmax = Math.max(...values.map(Math.abs));
  const lmin = Math.min(...values);
  if (lmin < -1e-6 * lmax) {
    throw new NnphysError(`${label}: kTrainTrain must be positive semi-definite, got smallest eigenvalue ${lmin} (largest ${lmax})`);
  }
  const cutoff = cutoffRel * lmax;
  const lam = values.map((l) => (l < cutoff ? Math.max(l, 0) : l));
  // U^T (Y - f0): the residual in the eigenbasis
  const r0 = new Float64Array(n);
  for (let i = 0; i < n; i++) r0[i] = y[i] - f0[i];
  const ur = matTVec(u, n, n, r0);

  const checkTime = (t: unknown, name: string) => {
    if (typeof t !== 'number' || Number.isNaN(t) || t < 0) throw new NnphysError(`${label}: ${name} must be a number >= 0 (Infinity allowed), got ${String(t)}`);
    return t;
  };
  // A_t in the eigenbasis: g_t(lambda) = -expm1(-eta~ lambda t) / lambda, -> eta~ t as lambda -> 0.
  const gContinuous = (t: number) =>
    lam.map((l, i) => {
      if (t === Number.POSITIVE_INFINITY) return values[i] < cutoff ? 0 : 1 / l;
      if (l === 0) return eta * t;
      return -Math.expm1(-eta * l * t) / l;
    });
  // Discrete: q_k(lambda) = (1 - (1 - eta~ lambda)^k) / lambda = -expm1(k log1p(-eta~ lambda)) / lambda, -> k eta~.
  const gDiscrete = (steps: number) =>
    lam.map((l) => {
      if (l === 0) return eta * steps;
      const x = eta * l;
      if (x < 0.5) return -Math.expm1(steps * Math.log1p(-x)) / l;
      return (1 - (1 - x) ** steps) / l;
    });
  const coefficients = (g: Float64Array) => {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = g[i] * ur[i];
    return matVec(u, n, n, w);
  };
  const trainFrom = (decay: Float64Array) => {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = decay[i] * ur[i];
    const back = matVec(u, n, n, w);
    return Array.from(y, (yi, i) => yi - back[i]);
  };
  const testFrom = (g: Float64Array, kTestTrain: number[][], f0Test: number[] | undefined) => {
    const { a: kt, rows } = rectangular(kTestTrain, `${label}: kTestTrain`, n);
    const base = f0Test === undefined ? new Float64Array(rows) : vector(f0Test, `${label}: f0Test`, rows);
    const pred = matVec(kt, rows, n, coefficients(g));
    return Array.from(pred, (p, i) => p + base[i]);
  };

  return {
    eigenvalues: Array.from(values),
    effectiveLearningRate: eta,
    maxStableLearningRate: (2 / lmax) * (options.learningRate / eta),
    predictTrain(t) {
      checkTime(t, 't');
      return trainFrom(
        lam.map((l, i) => {
          if (t === Number.POSITIVE_INFINITY) return values[i] < cutoff ? 1 : 0;
          return Math.exp(-eta * l * t);
        }),
      );
    },
    predictTest(t, kTestTrain, f0Test) {
      checkTime(t, 't');
      return testFrom(gContinuous(t), kTestTrain, f0Test);
    },
    predictTrainSteps(steps) {
      assertNonNegativeInteger(steps, `${label}: steps`);
      return trainFrom(lam.map((l) => (1 - eta * l) ** steps));
    },
    predictTestSteps(steps, kTestTrain, f0Test) {
      assertNonNegativeInteger(steps, `${label}: steps`);
      return testFrom(gDiscrete(steps), kTestTrain, f0Test);
    },
    predictTestVariance(t, kTestTrain, nngp) {
      checkTime(t, 't');
      if (nngp === null || typeof nngp !== 'object') throw new NnphysError(`${label}: predictTestVariance needs nngp { trainTrain, testTrain, testDiagonal }`);
      const { a: th, rows } = rectangular(kTestTrain, `${label}: kTestTrain`, n);
      const { a: kxx } = squareSymmetric(nngp.trainTrain, `${label}: nngp.trainTrain`);
      const { a: kx } = rectangular(nngp.testTrain, `${label}: nngp.testTrain`, n);
      if (kx.length !== rows * n) throw new NnphysError(`${label}: nngp.testTrain must have ${rows} rows like kTestTrain, got ${kx.length / n}`);
      const kd = vector(nngp.testDiagonal, `${label}: nngp.testDiagonal`, rows);
      const g = gContinuous(t);
      const out: number[] = [];
      for (let r = 0; r < rows; r++) {
        // b = A_t Theta(X, x) = U diag(g) U^T theta_x
        const thx = th.subarray(r * n, (r + 1) * n);
        const c = matTVec(u, n, n, thx);
        for (let i = 0; i < n; i++) c[i] *= g[i];
        const b = matVec(u, n, n, c);
        const kb = matVec(kxx, n, n, b);
        let quad = 0;
        let cross = 0;
        for (let i = 0; i < n; i++) {
          quad += b[i] * kb[i];
          cross += b[i] * kx[r * n + i];
        }
        out.push(kd[r] + quad - 2 * cross);
      }
      return out;
    },
  };
}
