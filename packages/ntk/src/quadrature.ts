import { assertPositiveInteger } from '@nnphys/core';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * Gauss-Hermite rule for expectations under the standard normal:
 * E[f(z)] ~ sum_k weights[k] f(nodes[k]), exact for polynomials of degree
 * < 2n. Golub-Welsch: the nodes are the eigenvalues of the Jacobi matrix of
 * the probabilists' Hermite polynomials (zero diagonal, off-diagonal sqrt(k)),
 * the weights the squared first components of its unit eigenvectors. Robust
 * for large n (Newton on the recurrence underflows beyond n ~ 150).
 */
export function gaussHermite(n: number): { nodes: Float64Array; weights: Float64Array } {
  assertPositiveInteger(n, 'gaussHermite: n');
  const j = Matrix.zeros(n, n);
  for (let k = 1; k < n; k++) {
    j.set(k - 1, k, Math.sqrt(k));
    j.set(k, k - 1, Math.sqrt(k));
  }
  const e = new EigenvalueDecomposition(j, { assumeSymmetric: true });
  const order = e.realEigenvalues.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const v = e.eigenvectorMatrix;
  order.forEach(([value, i], k) => {
    nodes[k] = value;
    weights[k] = v.get(0, i) ** 2;
  });
  // Symmetrise (the rule is exactly symmetric; this removes eigensolver round-off).
  for (let k = 0; k < Math.floor(n / 2); k++) {
    const z = 0.5 * (nodes[n - 1 - k] - nodes[k]);
    const w = 0.5 * (weights[k] + weights[n - 1 - k]);
    nodes[k] = -z;
    nodes[n - 1 - k] = z;
    weights[k] = w;
    weights[n - 1 - k] = w;
  }
  if (n % 2 === 1) nodes[(n - 1) / 2] = 0;
  return { nodes, weights };
}
