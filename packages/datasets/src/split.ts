import type { Random } from '@nnphys/core';
import { checkInteger, fail, show } from './internal/checks.js';
import { randomFrom } from './internal/random.js';

/**
 * Deterministic seeded split into disjoint parts whose union is everything.
 * - `split(n, [0.8, 0.1, 0.1], seed)` -> index arrays;
 * - `split(items, [0.8, 0.2], seed)` -> arrays of items;
 * - `split(items, { train: 0.8, valid: 0.1, test: 0.1 }, seed)` -> { train, valid, test }.
 * Fractions must be >= 0 and sum to 1; part sizes are floor(f * n) plus the leftover items handed to
 * the largest remainders (ties to the earlier part), so they always add up to n. Items are shuffled
 * with the seed before cutting; each part keeps the shuffled order.
 */
export function split(n: number, fractions: number[], seed?: number | Random): number[][];
export function split<T>(items: readonly T[], fractions: number[], seed?: number | Random): T[][];
export function split<K extends string>(n: number, fractions: Record<K, number>, seed?: number | Random): Record<K, number[]>;
export function split<T, K extends string>(items: readonly T[], fractions: Record<K, number>, seed?: number | Random): Record<K, T[]>;
export function split(items: unknown, fractions: unknown, seed?: number | Random): unknown {
  let list: unknown[];
  if (typeof items === 'number') list = Array.from({ length: checkInteger(items, 'split: n', 0) }, (_, i) => i);
  else if (Array.isArray(items)) list = items;
  else fail(`split: first argument must be a count or an array, got ${show(items)}`);
  const named = fractions !== null && typeof fractions === 'object' && !Array.isArray(fractions);
  const names = named ? Object.keys(fractions as object) : [];
  const f = named ? names.map((k) => (fractions as Record<string, unknown>)[k]) : fractions;
  if (!Array.isArray(f) || f.length === 0) fail(`split: fractions must be a non-empty array or an object of fractions, got ${show(fractions)}`);
  f.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`split: fraction ${named ? names[i] : i} must be a finite number >= 0, got ${show(v)}`);
  });
  const total = (f as number[]).reduce((s, v) => s + v, 0);
  if (Math.abs(total - 1) > 1e-9) fail(`split: fractions must sum to 1, got ${total}`);
  const sizes = partSizes(list.length, f as number[]);
  const rng = randomFrom(seed, 'split: seed');
  const order = rng.permutation(list.length);
  const parts: unknown[][] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(order.slice(at, at + size).map((i) => list[i]));
    at += size;
  }
  if (!named) return parts;
  return Object.fromEntries(names.map((k, i) => [k, parts[i]]));
}

/** Largest-remainder apportionment of n items to fractions (sum exactly n). */
export function partSizes(n: number, fractions: number[]): number[] {
  const exact = fractions.map((f) => f * n);
  const sizes = exact.map((x) => Math.floor(x + 1e-9));
  let left = n - sizes.reduce((s, v) => s + v, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x + 1e-9), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (left <= 0) break;
    sizes[i] = (sizes[i] as number) + 1;
    left--;
  }
  return sizes;
}
