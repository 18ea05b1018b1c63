import { NnphysError, assertMatrix, assertNumberArray } from '@nnphys/core';

/** A discrete distribution: supports (rows of equal length) and non-negative weights (e.g. particle energies). */
export interface WeightedPoints {
  points: number[][];
  weights: number[];
}

export interface NormalizedPoints {
  points: number[][];
  /** Weights divided by their total (sum 1), float64. */
  weights: Float64Array;
  /** The raw total weight (returned alongside results; unequal totals are out of scope, 004 §4.2 / spec §2.7). */
  total: number;
  dim: number;
}

/** Validates a WeightedPoints and normalises its weights to unit total. */
export function normalizePoints(wp: WeightedPoints, name: string): NormalizedPoints {
  if (wp == null || typeof wp !== 'object') throw new NnphysError(`${name} must be { points, weights }, got ${String(wp)}`);
  const [n, dim] = assertMatrix(wp.points, `${name}.points`);
  if (n === 0) throw new NnphysError(`${name}.points must not be empty`);
  if (dim === 0) throw new NnphysError(`${name}.points must have at least one coordinate`);
  if (!Array.isArray(wp.weights) || wp.weights.length !== n) {
    throw new NnphysError(`${name}.weights must have one entry per point (${n}), got ${Array.isArray(wp.weights) ? `length ${wp.weights.length}` : String(wp.weights)}`);
  }
  assertNumberArray(wp.weights, `${name}.weights`, n);
  let total = 0;
  for (const [i, w] of wp.weights.entries()) {
    if (w < 0) throw new NnphysError(`${name}.weights[${i}] must be >= 0, got ${w}`);
    total += w;
  }
  if (!(total > 0)) throw new NnphysError(`${name}.weights must have a positive total, got ${total}`);
  return { points: wp.points, weights: Float64Array.from(wp.weights, (w) => w / total), total, dim };
}

/** Validates a pair of distributions over the same space. */
export function normalizePair(p: WeightedPoints, q: WeightedPoints, fn: string): [NormalizedPoints, NormalizedPoints] {
  const a = normalizePoints(p, `${fn}: p`);
  const b = normalizePoints(q, `${fn}: q`);
  if (a.dim !== b.dim) throw new NnphysError(`${fn}: p and q must live in the same space, got points of dimension ${a.dim} and ${b.dim}`);
  return [a, b];
}
