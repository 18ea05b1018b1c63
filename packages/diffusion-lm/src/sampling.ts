import { NnphysError, type Random } from '@nnphys/core';

export interface CategoricalOptions {
  /** Softmax temperature; 0 picks the most likely id (default 1). */
  temperature?: number;
  /** Ids that are never drawn (e.g. the mask and padding tokens). */
  exclude?: ReadonlySet<number>;
}

/**
 * softmax(logits / temperature) in float64 over the ids not excluded. The
 * logits come from float32 tensors but every later step (shift, exp,
 * normalisation, cumulative sum) is float64, so the probability of a rare
 * token is kept to ~1e-16 relative instead of being lost to float32 rounding
 * (Zheng et al. 2024, arXiv 2409.02908: 32-bit Gumbel-max lowers the effective
 * temperature). Non-finite logits throw instead of sampling garbage.
 */
export function categoricalProbabilities(logits: ArrayLike<number>, options: CategoricalOptions = {}): Float64Array {
  const temperature = options.temperature ?? 1;
  if (typeof temperature !== 'number' || !(temperature > 0) || !Number.isFinite(temperature)) {
    throw new NnphysError(`categoricalProbabilities: temperature must be a finite number > 0, got ${String(temperature)} (use temperature 0 only for greedy sampling)`);
  }
  const n = logits.length;
  const probs = new Float64Array(n);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const l = logits[i] as number;
    if (!Number.isFinite(l)) throw new NnphysError(`categorical: logits[${i}] is ${l}; the model produced a non-finite value`);
    if (options.exclude?.has(i)) continue;
    if (l > max) max = l;
  }
  if (max === Number.NEGATIVE_INFINITY) throw new NnphysError(`categorical: every one of the ${n} ids is excluded`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (options.exclude?.has(i)) continue;
    const p = Math.exp(((logits[i] as number) - max) / temperature);
    probs[i] = p;
    sum += p;
  }
  for (let i = 0; i < n; i++) probs[i] = (probs[i] as number) / sum;
  return probs;
}

/** The most likely id among those not excluded (lowest id on ties). */
export function argmaxLogit(logits: ArrayLike<number>, exclude?: ReadonlySet<number>): number {
  let best = -1;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) {
    const l = logits[i] as number;
    if (Number.isNaN(l)) throw new NnphysError(`categorical: logits[${i}] is NaN; the model produced a non-finite value`);
    if (exclude?.has(i)) continue;
    if (l > max || best < 0) {
      max = l;
      best = i;
    }
  }
  if (best < 0) throw new NnphysError(`categorical: every one of the ${logits.length} ids is excluded`);
  return best;
}

/**
 * One draw from softmax(logits / temperature) by inverse CDF with a 53-bit
 * uniform, all in float64; temperature 0 returns the argmax.
 */
export function sampleCategorical(logits: ArrayLike<number>, rng: Random, options: CategoricalOptions = {}): number {
  if ((options.temperature ?? 1) === 0) return argmaxLogit(logits, options.exclude);
  const probs = categoricalProbabilities(logits, options);
  const u = rng.uniform();
  let cumulative = 0;
  let last = -1;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    if (p <= 0) continue;
    cumulative += p;
    last = i;
    if (u < cumulative) return i;
  }
  return last; // u within float64 rounding of 1
}
