import type { Random } from '@nnphys/core';
import { checkBoolean, checkInteger, checkOptions, fail, show } from './internal/checks.js';
import { randomFrom } from './internal/random.js';

export interface BatchOptions {
  /** Shuffle the order once, with the seed. Default false. */
  shuffle?: boolean;
  /** Drop a last batch smaller than batchSize. Default false. */
  dropLast?: boolean;
  seed?: number | Random;
}

/**
 * Iterates over items (or the indices 0..n-1) in batches of plain arrays; nothing is copied
 * but the batch arrays and no tensor is created, so callers build tensors per batch and dispose them.
 *   for (const batch of batches(set.molecules, 32, { shuffle: true, seed: epoch })) { ... }
 */
export function batches(n: number, batchSize: number, opts?: BatchOptions): Generator<number[]>;
export function batches<T>(items: readonly T[], batchSize: number, opts?: BatchOptions): Generator<T[]>;
export function batches(items: unknown, batchSize: number, opts?: BatchOptions): Generator<unknown[]> {
  // validate eagerly (a generator function would only throw on the first next())
  let list: readonly unknown[];
  if (typeof items === 'number') list = Array.from({ length: checkInteger(items, 'batches: n', 0) }, (_, i) => i);
  else if (Array.isArray(items)) list = items;
  else fail(`batches: first argument must be a count or an array, got ${show(items)}`);
  const size = checkInteger(batchSize, 'batches: batchSize', 1);
  const o = checkOptions<BatchOptions>(opts, 'batches: options', true);
  const shuffle = checkBoolean(o.shuffle ?? false, 'batches: shuffle');
  const dropLast = checkBoolean(o.dropLast ?? false, 'batches: dropLast');
  const order = shuffle ? randomFrom(o.seed, 'batches: seed').permutation(list.length) : null;
  return iterate(list, size, dropLast, order);
}

function* iterate(list: readonly unknown[], size: number, dropLast: boolean, order: number[] | null): Generator<unknown[]> {
  for (let start = 0; start < list.length; start += size) {
    const end = Math.min(start + size, list.length);
    if (dropLast && end - start < size) return;
    const batch = new Array(end - start);
    for (let i = start; i < end; i++) batch[i - start] = list[order ? (order[i] as number) : i];
    yield batch;
  }
}
