import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, type Random, assertOneOf, assertPositiveInteger, assertPositiveNumber, resolveRandom } from '@nnphys/core';
import { lipschitzUpperBound } from '../certificates/upper_bound.js';
import { evaluateRow } from '../export/plain_network.js';
import { LipschitzNetwork } from '../networks/lipschitz_network.js';
import { type InputNorm, inputNorms } from '../norms/kinds.js';
import { krObjective } from './kr_objective.js';
import { type NormalizedPoints, type WeightedPoints, normalizePair } from './weighted_points.js';

export interface CriticOptions {
  /** Ground metric ||x - y||_p, i.e. the critic's input norm (default 2: Lip^2 critic, 004 eq. 4.5). */
  p?: InputNorm;
  /** Hidden widths of the critic (default [64, 64]). */
  hidden?: number[];
  /** GroupSort group size of the critic (default 2). */
  groupSize?: number;
  seed?: number | Random;
}

export interface EstimateEMDOptions extends CriticOptions {
  /** Critic optimisation steps (default 1000). */
  steps?: number;
  /** Adam learning rate of the critic (default 5e-3). */
  learningRate?: number;
  /** Sample this many points from each distribution per step instead of exact expectations (004 §4.3 option). */
  batchSize?: number;
  /** Continue training this critic (must be a 1-Lipschitz LipschitzNetwork with one output; not disposed). */
  critic?: LipschitzNetwork;
}

export interface EMDEstimate {
  /** sup over the trained critic: sum a f(x) - sum b f(y) with exact expectations in float64, divided by max(1, certified bound): a lower bound of the EMD. */
  emd: number;
  /** The same objective from the float32 tfjs forward pass. */
  emdFloat32: number;
  /** The Kantorovich potential (the trained critic). The caller owns it. */
  potential: LipschitzNetwork;
  /** Certified Lipschitz bound of the potential (<= 1). */
  potentialBound: number;
  /** Raw total weights (unequal totals are reported, not handled). */
  totals: { p: number; q: number };
  /** The training objective per step. */
  history: number[];
}

/** A fresh 1-Lipschitz critic for points of dimension `inputs`. */
export function makeCritic(inputs: number, options: CriticOptions): LipschitzNetwork {
  const p = options.p ?? 2;
  assertOneOf(p, 'critic: p', inputNorms);
  return new LipschitzNetwork({ inputs, hidden: options.hidden ?? [64, 64], outputs: 1, lipschitz: 1, norm: p, groupSize: options.groupSize ?? 2, seed: options.seed });
}

export function checkCritic(critic: LipschitzNetwork, inputs: number, p: InputNorm, fn: string): void {
  if (!(critic instanceof LipschitzNetwork)) throw new NnphysError(`${fn}: critic must be a LipschitzNetwork`);
  if (critic.inputs !== inputs || critic.outputs !== 1) throw new NnphysError(`${fn}: critic must map ${inputs} inputs to 1 output, got ${critic.inputs} -> ${critic.outputs}`);
  if (critic.norm !== p || critic.lipschitz > 1) throw new NnphysError(`${fn}: critic must be 1-Lipschitz in l_${p}, got lipschitz ${critic.lipschitz} in l_${critic.norm}`);
}

/** Exact dual objective of a baked critic in float64, divided by max(1, its certified bound). */
export function certifiedDualValue(critic: LipschitzNetwork, a: NormalizedPoints, b: NormalizedPoints): { value: number; bound: number } {
  const plain = critic.toPlain();
  let value = 0;
  for (const [i, x] of a.points.entries()) value += (a.weights[i] as number) * (evaluateRow(plain, x)[0] as number);
  for (const [j, y] of b.points.entries()) value -= (b.weights[j] as number) * (evaluateRow(plain, y)[0] as number);
  const bound = lipschitzUpperBound(plain, critic.norm);
  return { value: value / Math.max(1, bound), bound };
}

function sampler(weights: Float64Array, rng: Random): () => number {
  const cdf = new Float64Array(weights.length);
  let acc = 0;
  for (const [i, w] of weights.entries()) {
    acc += w;
    cdf[i] = acc;
  }
  return () => {
    const u = rng.uniform() * acc;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/**
 * NEEMo's estimate of the EMD through the Kantorovich-Rubinstein dual
 * (004 eqs. 4.5-4.6): trains a 1-Lipschitz critic f (a LipschitzNetwork in
 * the ground-metric norm) to maximise sum_i a_i f(x_i) - sum_j b_j f(y_j).
 * Any 1-Lipschitz f gives a lower bound, so the reported value (exact
 * expectations, float64, from the stored weights) never exceeds the EMD; an
 * under-trained critic biases it low (report `steps`).
 */
export async function estimateEMD(p: WeightedPoints, q: WeightedPoints, options: EstimateEMDOptions = {}): Promise<EMDEstimate> {
  const fn = 'estimateEMD';
  const [a, b] = normalizePair(p, q, fn);
  const norm = options.p ?? 2;
  assertOneOf(norm, `${fn}: p`, inputNorms);
  const steps = options.steps ?? 1000;
  if (!Number.isInteger(steps) || steps < 0) throw new NnphysError(`${fn}: steps must be a non-negative integer, got ${steps}`);
  const lr = options.learningRate ?? 5e-3;
  assertPositiveNumber(lr, `${fn}: learningRate`);
  if (options.batchSize !== undefined) assertPositiveInteger(options.batchSize, `${fn}: batchSize`);
  const rng = resolveRandom(options.seed);
  if (options.critic) checkCritic(options.critic, a.dim, norm, fn);
  const critic = options.critic ?? makeCritic(a.dim, { ...options, p: norm, seed: rng });
  const history: number[] = [];
  const x = tf.tensor2d(a.points);
  const y = tf.tensor2d(b.points);
  const wa = tf.tensor1d(Float32Array.from(a.weights));
  const wb = tf.tensor1d(Float32Array.from(b.weights));
  const optimizer = tf.train.adam(lr);
  const vars = critic.trainableVariables();
  try {
    const drawA = sampler(a.weights, rng);
    const drawB = sampler(b.weights, rng);
    for (let s = 0; s < steps; s++) {
      let cost: tf.Scalar | null;
      if (options.batchSize === undefined) {
        cost = optimizer.minimize(() => tf.neg(krObjective(critic, x, wa, y, wb)), true, vars);
      } else {
        const k = options.batchSize;
        const bx = tf.tensor2d(Array.from({ length: k }, () => a.points[drawA()] as number[]));
        const by = tf.tensor2d(Array.from({ length: k }, () => b.points[drawB()] as number[]));
        const u = tf.fill([k], 1 / k) as tf.Tensor1D;
        cost = optimizer.minimize(() => tf.neg(krObjective(critic, bx, u, by, u)), true, vars);
        bx.dispose();
        by.dispose();
        u.dispose();
      }
      history.push(-((cost as tf.Scalar).dataSync()[0] as number));
      cost?.dispose();
    }
    const emdFloat32 = tf.tidy(() => krObjective(critic, x, wa, y, wb).dataSync()[0] as number);
    const { value, bound } = certifiedDualValue(critic, a, b);
    return { emd: value, emdFloat32, potential: critic, potentialBound: bound, totals: { p: a.total, q: b.total }, history };
  } catch (error) {
    if (!options.critic) critic.dispose();
    throw error;
  } finally {
    x.dispose();
    y.dispose();
    wa.dispose();
    wb.dispose();
    optimizer.dispose();
  }
}
