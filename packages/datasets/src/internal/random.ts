import { Random, resolveRandom } from '@nnphys/core';
import { fail, show } from './checks.js';

/**
 * The generator for an optional `seed` option: a fresh `Random(seed)` for a number,
 * the given `Random` itself, or core's global generator (set by `seed()`) when absent.
 * Throws NnphysError (core's resolveRandom throws a TypeError) for anything else.
 */
export function randomFrom(seed: unknown, name = 'seed'): Random {
  if (seed === undefined || seed instanceof Random) return resolveRandom(seed as Random | undefined);
  if (typeof seed !== 'number' || !Number.isFinite(seed)) fail(`${name} must be a finite number or a Random, got ${show(seed)}`);
  return resolveRandom(seed);
}

/** k distinct integers from [0, n), in random order (sparse Fisher-Yates, O(k) memory). Requires n <= 2^32. */
export function sampleDistinct(rng: Random, n: number, k: number): number[] {
  const swapped = new Map<number, number>();
  const out: number[] = new Array(k);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const vj = swapped.get(j) ?? j;
    const vi = swapped.get(i) ?? i;
    swapped.set(j, vi);
    out[i] = vj;
  }
  return out;
}
