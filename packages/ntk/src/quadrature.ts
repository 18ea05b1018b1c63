import { assertPositiveInteger } from '@nnphys/core';

/**
 * Gauss-Hermite rule for expectations under the standard normal:
 * E[f(z)] ~ sum_k weights[k] f(nodes[k]), exact for polynomials of degree
 * < 2n. Nodes by Newton iteration on the orthonormal Hermite recurrence
 * (Golub-Welsch would need an eigensolver; this is the classic `gauher`
 * scheme, Press et al., Numerical Recipes §4.5), then rescaled from the
 * physicists' weight e^{-x^2} to N(0, 1): z = sqrt(2) x, w -> w / sqrt(pi).
 */
export function gaussHermite(n: number): { nodes: Float64Array; weights: Float64Array } {
  assertPositiveInteger(n, 'gaussHermite: n');
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const pim4 = 0.7511255444649425; // pi^(-1/4)
  const m = Math.floor((n + 1) / 2);
  let z = 0;
  for (let i = 0; i < m; i++) {
    // Initial guesses for the largest roots first (Numerical Recipes).
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * (2 * n + 1) ** -0.16667;
    else if (i === 1) z -= (1.14 * n ** 0.426) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * (x[0] as number);
    else if (i === 3) z = 1.91 * z - 0.91 * (x[1] as number);
    else z = 2 * z - (x[i - 2] as number);
    let pp = 1;
    for (let it = 0; it < 100; it++) {
      let p1 = pim4;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = 2 / (pp * pp);
    w[n - 1 - i] = w[i] as number;
  }
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    nodes[i] = Math.SQRT2 * (x[i] as number);
    weights[i] = (w[i] as number) / Math.sqrt(Math.PI);
  }
  return { nodes, weights };
}
