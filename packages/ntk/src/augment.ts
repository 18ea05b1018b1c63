import { NnphysError, assertMatrix, assertNumberArray } from '@nnphys/core';
import type { FiniteGroup } from './groups.js';

export interface AugmentOptions {
  /**
   * How labels transform: 'invariant' (default, y(rho(g) x) = y(x)) or a function
   * (g, y) -> rho_out(g) y for equivariant scalar targets (e.g. a sign representation).
   */
  labels?: 'invariant' | ((g: number, y: number) => number);
}

export interface AugmentedData {
  x: number[][];
  y: number[];
  /** Index of the original point of each augmented point. */
  source: number[];
  /** Group element applied to obtain it. */
  element: number[];
}

/**
 * Full-orbit data augmentation: every group element applied to every training
 * point, so that the augmented set is a union of complete orbits (spec ntk
 * §2.5 step 2; random augmentation per epoch does NOT give this). Points with
 * a non-trivial stabiliser appear with multiplicity |Stab|, which keeps
 * rho(g) a permutation of the augmented set.
 */
export function augment(x: number[][], y: number[], group: FiniteGroup, options: AugmentOptions = {}): AugmentedData {
  const [n, d] = assertMatrix(x, 'augment: x');
  assertNumberArray(y, 'augment: y', n);
  if (group == null || typeof group.act !== 'function' || !Number.isInteger(group.order)) {
    throw new NnphysError('augment: group must be a FiniteGroup (e.g. cyclicShiftGroup(d))');
  }
  if (n > 0 && d !== group.dim) throw new NnphysError(`augment: x must have ${group.dim} columns (the group's dimension), got ${d}`);
  const labels = options.labels ?? 'invariant';
  if (labels !== 'invariant' && typeof labels !== 'function') throw new NnphysError(`augment: options.labels must be 'invariant' or a function, got ${String(labels)}`);
  const out: AugmentedData = { x: [], y: [], source: [], element: [] };
  for (let i = 0; i < n; i++) {
    for (let g = 0; g < group.order; g++) {
      out.x.push(group.act(g, x[i] as number[]));
      out.y.push(labels === 'invariant' ? (y[i] as number) : labels(g, y[i] as number));
      out.source.push(i);
      out.element.push(g);
    }
  }
  return out;
}
