import type { InputNorm } from '../norms/kinds.js';

/** ||a - b||_p, float64: the ground cost of the transport problem. */
export function groundDistance(a: ArrayLike<number>, b: ArrayLike<number>, p: InputNorm): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    if (p === 'inf') acc = Math.max(acc, d);
    else acc += p === 1 ? d : d * d;
  }
  return p === 2 ? Math.sqrt(acc) : acc;
}

/** Cost matrix C[i][j] = ||x_i - y_j||_p. */
export function costMatrix(x: number[][], y: number[][], p: InputNorm): Float64Array[] {
  return x.map((xi) => Float64Array.from(y, (yj) => groundDistance(xi, yj, p)));
}
