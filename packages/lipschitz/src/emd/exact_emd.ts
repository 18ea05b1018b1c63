import { NnphysError, assertOneOf } from '@nnphys/core';
import { type InputNorm, inputNorms } from '../norms/kinds.js';
import { costMatrix } from './ground_cost.js';
import { hungarian } from './hungarian.js';
import { transport } from './transportation.js';
import { type WeightedPoints, normalizePair } from './weighted_points.js';

export interface ExactEMDOptions {
  /** Ground metric ||x - y||_p (default 2, the Euclidean EMD of 004 eq. 4.4). */
  p?: InputNorm;
  /** 'auto' (default): Hungarian for equal sizes with equal weights, min-cost flow otherwise. */
  method?: 'auto' | 'hungarian' | 'min-cost-flow';
}

export interface ExactTransport {
  /** EMD between the normalised distributions (both weight vectors scaled to unit total). */
  emd: number;
  /** The raw total weights of p and q (unequal totals are not handled, only reported). */
  totals: { p: number; q: number };
  /** Non-zero entries of an optimal plan (masses of the normalised distributions). */
  plan: Array<{ from: number; to: number; mass: number }>;
  /** Optimal dual potentials: u_i + v_j <= ||x_i - y_j||_p, sum a u + sum b v = emd. */
  u: number[];
  v: number[];
  method: 'hungarian' | 'min-cost-flow';
}

/** Largest problem the exact solvers accept (n m entries of the cost matrix). */
const MAX_ENTRIES = 4_000_000;

function equalWeights(w: Float64Array): boolean {
  const target = 1 / w.length;
  for (const x of w) if (Math.abs(x - target) > 1e-12 * target) return false;
  return true;
}

/**
 * Exact optimal transport between two small weighted point sets (float64):
 * EMD(P, Q) = min_gamma E ||x - y||_p (004 eq. 4.4), with weights normalised
 * to unit total. Equal-size sets with equal weights are an assignment problem
 * (Hungarian algorithm); anything else is solved as a transportation problem
 * by successive shortest paths. Both return optimal duals as a certificate.
 */
export function exactTransport(p: WeightedPoints, q: WeightedPoints, options: ExactEMDOptions = {}): ExactTransport {
  const fn = 'exactEMD';
  const [a, b] = normalizePair(p, q, fn);
  const norm = options.p ?? 2;
  assertOneOf(norm, `${fn}: p`, inputNorms);
  const method = options.method ?? 'auto';
  assertOneOf(method, `${fn}: method`, ['auto', 'hungarian', 'min-cost-flow']);
  const n = a.points.length;
  const m = b.points.length;
  if (n * m > MAX_ENTRIES) throw new NnphysError(`${fn}: ${n} x ${m} points is too large for the exact solver (at most ${MAX_ENTRIES} pairs); use estimateEMD`);
  const assignment = n === m && equalWeights(a.weights) && equalWeights(b.weights);
  if (method === 'hungarian' && !assignment) throw new NnphysError(`${fn}: method 'hungarian' needs equal-size sets with equal weights, got ${n} and ${m} points`);
  const cost = costMatrix(a.points, b.points, norm);
  const totals = { p: a.total, q: b.total };
  if (assignment && method !== 'min-cost-flow') {
    const h = hungarian(cost);
    return {
      emd: h.cost / n,
      totals,
      plan: Array.from(h.assignment, (to, from) => ({ from, to, mass: 1 / n })),
      u: Array.from(h.u, (x) => x / n),
      v: Array.from(h.v, (x) => x / n),
      method: 'hungarian',
    };
  }
  const t = transport(a.weights, b.weights, cost);
  return { emd: t.cost, totals, plan: t.plan, u: Array.from(t.u), v: Array.from(t.v), method: 'min-cost-flow' };
}

/** The exact EMD between two small weighted point sets (see exactTransport). */
export function exactEMD(p: WeightedPoints, q: WeightedPoints, options: ExactEMDOptions = {}): number {
  return exactTransport(p, q, options).emd;
}

/**
 * EMD in one dimension by the CDF formula: integral of |F_P(t) - F_Q(t)| dt
 * (an independent check of the solvers).
 */
export function emd1d(p: WeightedPoints, q: WeightedPoints): number {
  const [a, b] = normalizePair(p, q, 'emd1d');
  if (a.dim !== 1) throw new NnphysError(`emd1d: points must be one-dimensional, got dimension ${a.dim}`);
  const events: Array<[number, number]> = [];
  for (const [i, pt] of a.points.entries()) events.push([pt[0] as number, a.weights[i] as number]);
  for (const [j, pt] of b.points.entries()) events.push([pt[0] as number, -(b.weights[j] as number)]);
  events.sort((x, y) => x[0] - y[0]);
  let cdfDiff = 0;
  let total = 0;
  for (let k = 0; k < events.length; k++) {
    const [t, w] = events[k] as [number, number];
    cdfDiff += w;
    const next = events[k + 1];
    if (next) total += Math.abs(cdfDiff) * (next[0] - t);
  }
  return total;
}
