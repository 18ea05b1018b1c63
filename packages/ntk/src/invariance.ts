import { NnphysError, assertMatrix } from '@nnphys/core';
import type { FiniteGroup } from './groups.js';

export interface InvarianceError {
  /** max over points and g of |f(rho(g) x) - rho_out(g) f(x)|. */
  max: number;
  /** Root mean square of the same over points and non-identity elements. */
  rms: number;
  /** rms / root mean square of f(x): a scale-free measure. */
  relative: number;
  /** Per point, the max over g. */
  perPoint: number[];
}

/**
 * How far a predictor is from invariance (or equivariance, with
 * `outputAction`) under a finite group, on given points: compares
 * f(rho(g) x) with rho_out(g) f(x) for every g (spec ntk §2.5). `predict`
 * maps a list of inputs to one number each (a closure over an NTK predictor,
 * an ensemble mean, a single network...); it is called once on all orbits.
 */
export function invarianceError(
  predict: (x: number[][]) => ArrayLike<number>,
  x: number[][],
  group: FiniteGroup,
  options: { outputAction?: (g: number, y: number) => number } = {},
): InvarianceError {
  const [n, d] = assertMatrix(x, 'invarianceError: x');
  if (n === 0) throw new NnphysError('invarianceError: x must contain at least one point');
  if (typeof predict !== 'function') throw new NnphysError(`invarianceError: predict must be a function, got ${typeof predict}`);
  if (group == null || typeof group.act !== 'function') throw new NnphysError('invarianceError: group must be a FiniteGroup');
  if (d !== group.dim) throw new NnphysError(`invarianceError: x must have ${group.dim} columns, got ${d}`);
  if (group.order < 2) throw new NnphysError('invarianceError: the group has only the identity');
  const act = options.outputAction ?? ((_g: number, y: number) => y);
  const all: number[][] = [];
  for (const xi of x) for (let g = 0; g < group.order; g++) all.push(group.act(g, xi));
  const f = predict(all);
  if (f == null || f.length !== all.length) throw new NnphysError(`invarianceError: predict must return ${all.length} numbers, got ${f == null ? String(f) : f.length}`);
  let max = 0;
  let sq = 0;
  let fsq = 0;
  const perPoint: number[] = [];
  for (let i = 0; i < n; i++) {
    const base = f[i * group.order] as number;
    if (!Number.isFinite(base)) throw new NnphysError(`invarianceError: predict returned ${base} for point ${i}`);
    fsq += base * base;
    let pm = 0;
    for (let g = 1; g < group.order; g++) {
      const v = f[i * group.order + g] as number;
      if (!Number.isFinite(v)) throw new NnphysError(`invarianceError: predict returned ${v} for point ${i}, element ${g}`);
      const e = Math.abs(v - act(g, base));
      pm = Math.max(pm, e);
      sq += e * e;
    }
    perPoint.push(pm);
    max = Math.max(max, pm);
  }
  const rms = Math.sqrt(sq / (n * (group.order - 1)));
  const scale = Math.sqrt(fsq / n);
  return { max, rms, relative: scale > 0 ? rms / scale : rms === 0 ? 0 : Number.POSITIVE_INFINITY, perPoint };
}
