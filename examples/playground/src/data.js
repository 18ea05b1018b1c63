// The points the page starts with: an increasing trend with a little noise, on x in [0, 1].
import { Random } from '@nnphys/core';

export const X_DOMAIN = [0, 1];
export const Y_DOMAIN = [-1.5, 1.5];

export function initialPoints(n = 16, seed = 7) {
  const rng = new Random(seed);
  return Array.from({ length: n }, (_, i) => {
    const x = (i + 0.5) / n;
    return { x, y: 1.1 * Math.tanh(3 * (x - 0.5)) + 0.06 * rng.normal() };
  });
}

/** n + 1 evenly spaced x values over the domain, where the curve is drawn and monotonicity is counted. */
export function grid(n = 200) {
  return Array.from({ length: n + 1 }, (_, i) => X_DOMAIN[0] + ((X_DOMAIN[1] - X_DOMAIN[0]) * i) / n);
}
