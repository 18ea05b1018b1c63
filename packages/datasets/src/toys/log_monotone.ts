import type { Random } from '@nnphys/core';
import { checkChoice, checkInteger, checkInterval, checkOptions, fail, show } from '../internal/checks.js';
import { linspace } from '../internal/grid.js';
import { randomFrom } from '../internal/random.js';
import type { RegressionToy } from './sin_with_outlier.js';

export interface LogMonotoneOptions {
  /** Number of training points. Default 30 (the public example). */
  samples?: number;
  /**
   * 'extrapolation': data on [1, 3], none on (3, 6]; 'interpolation': half the points on [1, 3] and
   * half on [4.5, 6], none in between (004 Fig. 2.2; ranges from the public MonotonicNetworks notebook).
   */
  variant?: 'extrapolation' | 'interpolation';
  /** Override the ranges that hold data (points are split evenly between them). */
  trainRanges?: [number, number][];
  /** Noise standard deviation at the smallest and at the largest x. Default [0.01, 0.3]. */
  sigmaRange?: [number, number];
  /**
   * 'variance' (004: "variance is linearly increasing in x") or 'std' (the public notebook: standard
   * deviation linear). Default 'variance'.
   */
  noiseGrowth?: 'variance' | 'std';
  /** The x range to evaluate fits on. Default [1, 6] (the public notebook). */
  domain?: [number, number];
  seed?: number | Random;
}

/**
 * The monotone toy of 004 eq. 2.11: y = log(x) + eps(x), eps Gaussian with variance increasing
 * linearly in x, with a region without data to extrapolate or interpolate into.
 */
export function logMonotone(opts?: LogMonotoneOptions): RegressionToy & { gap: [number, number]; domain: [number, number] } {
  const o = checkOptions<LogMonotoneOptions>(opts, 'logMonotone: options', true);
  const samples = checkInteger(o.samples ?? 30, 'logMonotone: samples', 2);
  const variant = checkChoice(o.variant ?? 'extrapolation', 'logMonotone: variant', ['extrapolation', 'interpolation'] as const);
  const [s0, s1] = o.sigmaRange === undefined ? [0.01, 0.3] : checkInterval(o.sigmaRange, 'logMonotone: sigmaRange');
  if (!(s0 >= 0)) fail(`logMonotone: sigmaRange must be non-negative, got ${show(o.sigmaRange)}`);
  const growth = checkChoice(o.noiseGrowth ?? 'variance', 'logMonotone: noiseGrowth', ['variance', 'std'] as const);
  const [domainLo, domainHi] = checkInterval(o.domain ?? [1, 6], 'logMonotone: domain');
  if (domainLo <= 0) fail(`logMonotone: domain must lie in x > 0 (log x), got ${show(o.domain)}`);
  const rng = randomFrom(o.seed, 'logMonotone: seed');

  let ranges: [number, number][];
  if (o.trainRanges !== undefined) {
    if (!Array.isArray(o.trainRanges) || o.trainRanges.length === 0) fail(`logMonotone: trainRanges must be a non-empty array of [lo, hi], got ${show(o.trainRanges)}`);
    ranges = o.trainRanges.map((r, i) => checkInterval(r, `logMonotone: trainRanges[${i}]`));
    ranges.sort((a, b) => a[0] - b[0]);
    if (ranges[0]![0] <= 0) fail(`logMonotone: trainRanges must lie in x > 0 (log x), got ${show(o.trainRanges)}`);
  } else {
    ranges = variant === 'extrapolation' ? [[1, 3]] : [[1, 3], [4.5, 6]];
  }
  const xs: number[] = [];
  ranges.forEach(([lo, hi], i) => {
    const n = Math.floor(samples / ranges.length) + (i < samples % ranges.length ? 1 : 0);
    xs.push(...linspace(lo, hi, n));
  });
  const xMin = xs[0] as number;
  const xMax = xs[xs.length - 1] as number;
  const sigma = xs.map((v) => {
    const f = xMax > xMin ? (v - xMin) / (xMax - xMin) : 0;
    return growth === 'variance' ? Math.sqrt(s0 * s0 + (s1 * s1 - s0 * s0) * f) : s0 + (s1 - s0) * f;
  });
  const yTrue = xs.map((v) => Math.log(v)); // eq. 2.11
  const y = yTrue.map((v, i) => v + rng.normal(0, sigma[i] as number));
  // the region without data: between the ranges (the widest gap), or beyond the data up to domain[1]
  let gap: [number, number] = [xMax, domainHi];
  for (let i = 0; i + 1 < ranges.length; i++) {
    const g: [number, number] = [ranges[i]![1], ranges[i + 1]![0]];
    if (i === 0 || g[1] - g[0] > gap[1] - gap[0]) gap = g;
  }
  const domain: [number, number] = [Math.min(xMin, domainLo), Math.max(xMax, domainHi)];
  return { x: xs.map((v) => [v]), y, yTrue, sigma, gap, domain };
}
