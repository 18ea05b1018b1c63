import { NnphysError, assertMatrix, assertOneOf, assertPositiveNumber } from '@nnphys/core';
import { type InputNorm, inputNorms } from '../norms/kinds.js';

export interface DynamicMarginOptions {
  /** Norm of the distance (default 2); use the norm of the network's certificate. */
  p?: InputNorm;
  /** lambda of the classifier (default 1): its output can change by at most lambda d, so the margin scales with it. */
  lipschitz?: number;
}

function distance(a: ArrayLike<number>, b: ArrayLike<number>, p: InputNorm): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    if (p === 'inf') acc = Math.max(acc, d);
    else acc += p === 1 ? d : d * d;
  }
  return p === 2 ? Math.sqrt(acc) : acc;
}

/**
 * Margins of the dynamic hinge loss (004 eq. 2.15): delta(x|y) = lambda d(C^{-y}, x) / 2,
 * the distance from each training point to the nearest point of the other
 * class, halved (scaled by lambda: decision in README). Brute force, O(n^2), float64.
 * Labels: any two distinct values (e.g. 0/1 or -1/+1).
 */
export function dynamicMargins(points: number[][], labels: number[], options: DynamicMarginOptions = {}): number[] {
  const fn = 'dynamicMargins';
  const [n] = assertMatrix(points, `${fn}: points`);
  if (!Array.isArray(labels) || labels.length !== n) throw new NnphysError(`${fn}: labels must have one entry per point (${n}), got ${Array.isArray(labels) ? `length ${labels.length}` : String(labels)}`);
  const p = options.p ?? 2;
  assertOneOf(p, `${fn}: p`, inputNorms);
  const lipschitz = options.lipschitz ?? 1;
  assertPositiveNumber(lipschitz, `${fn}: lipschitz`);
  const classes = [...new Set(labels)];
  if (classes.length !== 2) throw new NnphysError(`${fn}: labels must take exactly two values, got ${classes.length} (${classes.slice(0, 5).join(', ')})`);
  return points.map((x, i) => {
    let best = Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) if (labels[j] !== labels[i]) best = Math.min(best, distance(x, points[j] as number[], p));
    return (lipschitz * best) / 2;
  });
}
