import { NnphysError, assertNumberArray } from '@nnphys/core';

/**
 * Least-squares fit of y = prefactor * x^exponent in log-log space, e.g. the
 * width exponent of the empirical-vs-analytic NTK error (spec ntk §3, N1/N2).
 */
export function fitPowerLaw(x: number[], y: number[]): { exponent: number; prefactor: number; r2: number } {
  const n = assertNumberArray(x, 'fitPowerLaw: x');
  assertNumberArray(y, 'fitPowerLaw: y', n);
  if (n < 2) throw new NnphysError(`fitPowerLaw: need at least 2 points, got ${n}`);
  for (let i = 0; i < n; i++) {
    if (!((x[i] as number) > 0) || !((y[i] as number) > 0)) throw new NnphysError(`fitPowerLaw: x and y must be > 0, got x[${i}] = ${x[i]}, y[${i}] = ${y[i]}`);
  }
  const lx = x.map(Math.log);
  const ly = y.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / n;
  const my = ly.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (lx[i] as number) - mx;
    const dy = (ly[i] as number) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new NnphysError('fitPowerLaw: x must contain at least two distinct values');
  const exponent = sxy / sxx;
  return { exponent, prefactor: Math.exp(my - exponent * mx), r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}
