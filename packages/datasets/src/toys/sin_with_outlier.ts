import type { Random } from '@nnphys/core';
import { checkInteger, checkInterval, checkNumber, checkOptions } from '../internal/checks.js';
import { linspace } from '../internal/grid.js';
import { randomFrom } from '../internal/random.js';

export interface SinWithOutlierOptions {
  /** Number of points, evenly spaced over `xRange`. Default 31 (the public example). */
  samples?: number;
  /** Default [-3, 3] (the public example). */
  xRange?: [number, number];
  /**
   * Noise standard deviation of the ordinary points. Default 0.1, reading 004's "variance ... 0.01"
   * literally; the public MonotonicNetworks notebook uses a standard deviation of 0.01.
   */
  sigma?: number;
  /** Noise standard deviation of the outlier ("unit variance"). Default 1. */
  outlierSigma?: number;
  /** Which point is the outlier. Default the middle one, floor(samples / 2). */
  outlierIndex?: number;
  seed?: number | Random;
}

export interface RegressionToy {
  /** Inputs as rows [x] (n x 1), ready for tf.tensor2d. */
  x: number[][];
  /** Noisy targets. */
  y: number[];
  /** The noiseless function at each x. */
  yTrue: number[];
  /** The noise standard deviation used at each point. */
  sigma: number[];
}

/**
 * The outlier-robustness toy of 004 eq. 2.10: y = sin(x) + eps(x), eps Gaussian with unit variance
 * at one point and small variance elsewhere.
 */
export function sinWithOutlier(opts?: SinWithOutlierOptions): RegressionToy & { outlier: number } {
  const o = checkOptions<SinWithOutlierOptions>(opts, 'sinWithOutlier: options', true);
  const samples = checkInteger(o.samples ?? 31, 'sinWithOutlier: samples', 1);
  const [lo, hi] = checkInterval(o.xRange ?? [-3, 3], 'sinWithOutlier: xRange');
  const sigma = checkNumber(o.sigma ?? 0.1, 'sinWithOutlier: sigma', 0);
  const outlierSigma = checkNumber(o.outlierSigma ?? 1, 'sinWithOutlier: outlierSigma', 0);
  const outlier = checkInteger(o.outlierIndex ?? Math.floor(samples / 2), 'sinWithOutlier: outlierIndex', 0, samples - 1);
  const rng = randomFrom(o.seed, 'sinWithOutlier: seed');
  const xs = linspace(lo, hi, samples);
  const sig = xs.map((_, i) => (i === outlier ? outlierSigma : sigma));
  const yTrue = xs.map((v) => Math.sin(v)); // eq. 2.10
  const y = yTrue.map((v, i) => v + rng.normal(0, sig[i] as number));
  return { x: xs.map((v) => [v]), y, yTrue, sigma: sig, outlier };
}
