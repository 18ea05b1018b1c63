import type { Random } from '@nnphys/core';
import { checkChoice, checkInteger, checkNumber, checkOptions, fail } from '../internal/checks.js';
import { randomFrom } from '../internal/random.js';
import { type TokenSequence, type TokenTask, buildSequence, querySplit, vocabularyOf } from './token_sequence.js';

export interface RetrievalTaskOptions {
  /** Number of key-value pairs. Default 100 (004 gives no sizes). */
  pairs?: number;
  /** Tokens per key. Default 2 ("t0t1 : t2t3", 004 §7.3.1). */
  keyLength?: number;
  /** Tokens per value. Default 2. */
  valueLength?: number;
  /**
   * Size of the token pools. Default undefined: every key and every value gets tokens of its own,
   * used nowhere else. With a number P, keys draw distinct token sets from k0..k{P-1} and values from
   * v0..v{P-1} (key and value pools stay disjoint).
   */
  tokenPool?: number;
  /** Fraction of the pairs whose queries are in the training set. Default 0.5. */
  trainQueryFraction?: number;
  /** 'sameSeed': the same pairs are held out in both directions; 'perDirectionSeed': independent choices. Default 'sameSeed'. */
  splitProtocol?: 'sameSeed' | 'perDirectionSeed';
  seed?: number | Random;
}

export interface RetrievalTask extends TokenTask {
  /** The key and value tokens of each pair. */
  keys: string[][];
  values: string[][];
}

export const VALUE_OF = '[value-of]';
export const KEY_OF = '[key-of]';

/**
 * The retrieval task of 004 §7.3.1 (adapted from its ref. [231]): unique key-value pairs "key : value"
 * built from disjoint token sets, forward queries "[value of] key : value" and backward queries
 * "[key of] value : key". Training holds every pair and the queries of `trainQueryFraction` of the pairs;
 * the test set holds the other queries, answered after the colon.
 */
export function retrievalTask(opts?: RetrievalTaskOptions): RetrievalTask {
  const o = checkOptions<RetrievalTaskOptions>(opts, 'retrievalTask: options', true);
  const pairs = checkInteger(o.pairs ?? 100, 'retrievalTask: pairs', 1);
  const keyLength = checkInteger(o.keyLength ?? 2, 'retrievalTask: keyLength', 1);
  const valueLength = checkInteger(o.valueLength ?? 2, 'retrievalTask: valueLength', 1);
  const fraction = checkNumber(o.trainQueryFraction ?? 0.5, 'retrievalTask: trainQueryFraction', 0, 1);
  const protocol = checkChoice(o.splitProtocol ?? 'sameSeed', 'retrievalTask: splitProtocol', ['sameSeed', 'perDirectionSeed'] as const);
  const rng = randomFrom(o.seed, 'retrievalTask: seed');
  let keys: string[][];
  let values: string[][];
  if (o.tokenPool === undefined) {
    keys = ownTokens(rng, 'k', pairs, keyLength);
    values = ownTokens(rng, 'v', pairs, valueLength);
  } else {
    const pool = checkInteger(o.tokenPool, 'retrievalTask: tokenPool', Math.max(keyLength, valueLength));
    keys = distinctSets(rng, 'k', pool, pairs, keyLength, 'retrievalTask');
    values = distinctSets(rng, 'v', pool, pairs, valueLength, 'retrievalTask');
  }
  const split = querySplit(pairs, fraction, protocol, rng);
  const train: TokenSequence[] = [];
  const test: TokenSequence[] = [];
  for (let i = 0; i < pairs; i++) {
    const key = { entity: keys[i] as string[] };
    const value = { entity: values[i] as string[] };
    train.push(buildSequence([key, ':', value], 'fact', i));
    const forward = buildSequence([VALUE_OF, key, ':', value], 'forward', i, 3);
    const backward = buildSequence([KEY_OF, value, ':', key], 'backward', i, 3);
    (split.forward.has(i) ? train : test).push(forward);
    (split.backward.has(i) ? train : test).push(backward);
  }
  const vocabulary = vocabularyOf([...train, ...test], [VALUE_OF, KEY_OF, ':']);
  return { train, test, vocabulary, keys, values };
}

/** Fresh tokens `${prefix}0..` for each entity, in random order so token names carry no pair index. */
export function ownTokens(rng: Random, prefix: string, count: number, length: number): string[][] {
  const ids = rng.permutation(count * length);
  return Array.from({ length: count }, (_, i) => ids.slice(i * length, (i + 1) * length).map((t) => `${prefix}${t}`));
}

/** `count` entities of `length` distinct tokens from a pool of `pool`, no two with the same token set. */
export function distinctSets(rng: Random, prefix: string, pool: number, count: number, length: number, where: string): string[][] {
  let combos = 1;
  for (let i = 0; i < length; i++) combos = (combos * (pool - i)) / (i + 1);
  if (combos < count) fail(`${where}: tokenPool ${pool} gives only ${Math.round(combos)} distinct sets of ${length} tokens, need ${count}`);
  const seen = new Set<string>();
  const out: string[][] = [];
  let attempts = 0;
  while (out.length < count) {
    if (++attempts > 100 * count + 1000) fail(`${where}: could not draw ${count} distinct token sets from a pool of ${pool}; use a larger tokenPool`);
    const ids = rng.permutation(pool).slice(0, length);
    const key = [...ids].sort((a, b) => a - b).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ids.map((t) => `${prefix}${t}`));
  }
  return out;
}
