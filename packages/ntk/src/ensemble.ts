import * as tf from '@tensorflow/tfjs-core';
import { Module, NnphysError, type Random, assertPositiveInteger, assertTensor, resolveRandom } from '@nnphys/core';

export interface EnsemblePrediction {
  /** (1/M) sum_m N_m(x): the Monte-Carlo estimate of mu_t(x) (001, "Mean prediction"). */
  mean: number[];
  /** Standard error of the mean, std_m / sqrt(M) (0 for M = 1). */
  standardError: number[];
  /** Each member's outputs, [M][n]. */
  members: number[][];
}

/** Mean and standard error over members of per-member predictions [M][n] (float64). */
export function ensembleMean(values: number[][]): { mean: number[]; standardError: number[] } {
  if (!Array.isArray(values) || values.length === 0) throw new NnphysError('ensembleMean: values must be a non-empty array of per-member predictions');
  const m = values.length;
  const n = (values[0] as number[]).length;
  const mean = new Array<number>(n).fill(0);
  for (const [k, row] of values.entries()) {
    if (!row || row.length !== n) throw new NnphysError(`ensembleMean: member ${k} has ${row ? row.length : 0} predictions, expected ${n}`);
    for (let i = 0; i < n; i++) mean[i] = (mean[i] as number) + (row[i] as number) / m;
  }
  const standardError = mean.map((mu, i) => {
    if (m < 2) return 0;
    let s = 0;
    for (const row of values) s += ((row[i] as number) - mu) ** 2;
    return Math.sqrt(s / (m - 1) / m);
  });
  return { mean, standardError };
}

/**
 * M networks from independent, deterministic initialisations: member m is
 * `factory(seeds[m], m)`, with seeds drawn from `seed` (spec ntk §2.5,
 * "Ensembles"). Train the members with any loop (e.g. `trainFullBatchMSE`),
 * then `predict` gives the ensemble mean, the finite-M estimate of mu_t.
 */
export class Ensemble<M extends Module = Module> {
  readonly members: M[];
  readonly seeds: number[];

  constructor(members: M[], seeds: number[]) {
    this.members = members;
    this.seeds = seeds;
  }

  get size(): number {
    return this.members.length;
  }

  /**
   * Outputs of the first `count` members (default all) on x; each member must
   * map [n, d] to [n, 1] or [n].
   */
  predict(x: tf.Tensor2D, count = this.members.length): EnsemblePrediction {
    assertTensor(x, 'Ensemble.predict: x', { rank: 2, dtype: 'float32' });
    assertPositiveInteger(count, 'Ensemble.predict: count');
    if (count > this.members.length) throw new NnphysError(`Ensemble.predict: count must be <= ${this.members.length} (the ensemble size), got ${count}`);
    const members: number[][] = [];
    for (let k = 0; k < count; k++) {
      const out = tf.tidy(() => {
        const y = (this.members[k] as M).apply(x) as tf.Tensor;
        if (!(y instanceof tf.Tensor) || y.size !== x.shape[0]) {
          throw new NnphysError(`Ensemble.predict: member ${k} must return one number per row ([${x.shape[0]}, 1]), got ${y instanceof tf.Tensor ? `shape [${y.shape.join(', ')}]` : typeof y}`);
        }
        return y.dataSync();
      });
      members.push(Array.from(out));
    }
    return { ...ensembleMean(members), members };
  }

  dispose(): void {
    for (const m of this.members) m.dispose();
  }
}

/** Builds an ensemble of `size` members with deterministic seeds derived from `options.seed`. */
export function ensemble<M extends Module>(factory: (seed: number, index: number) => M, size: number, options: { seed?: number | Random } = {}): Ensemble<M> {
  if (typeof factory !== 'function') throw new NnphysError(`ensemble: factory must be a function (seed, index) => Module, got ${typeof factory}`);
  assertPositiveInteger(size, 'ensemble: size');
  const rng = resolveRandom(options.seed);
  const seeds = Array.from({ length: size }, () => rng.nextSeed());
  const members: M[] = [];
  try {
    for (const [i, s] of seeds.entries()) {
      const m = factory(s, i);
      if (!(m instanceof Module)) throw new NnphysError(`ensemble: factory must return a Module, got ${m === null ? 'null' : typeof m} for member ${i}`);
      members.push(m);
    }
  } catch (e) {
    for (const m of members) m.dispose();
    throw e;
  }
  return new Ensemble(members, seeds);
}
