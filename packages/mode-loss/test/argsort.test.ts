import { Random } from '@nnphys/core';
import { describe, expect, test } from 'vitest';
import { argsort } from '../src/argsort.js';

function checkSorted(values: ArrayLike<number>, order: Uint32Array): void {
  expect(order.length).toBe(values.length);
  const seen = new Uint8Array(values.length);
  for (const i of order) seen[i] = 1;
  expect(seen.every((v) => v === 1)).toBe(true); // a permutation
  for (let r = 1; r < order.length; r++) expect(values[order[r]!]! >= values[order[r - 1]!]!).toBe(true);
}

describe('argsort', () => {
  const rng = new Random(5);
  // Ties, negatives, both zeros and large magnitudes; values exactly representable in float32.
  const base = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? (i % 2 ? -0 : 0) : Math.fround(rng.normal() * 10 ** rng.int(6)) * (i % 5 === 0 ? 0 : 1) + Math.fround(rng.int(4))));
  test.each([
    ['Float32Array (radix)', Float32Array.from(base)],
    ['float32-representable Float64Array (radix)', Float64Array.from(base)],
    ['general Float64Array (comparison)', Float64Array.from(base, (v, i) => v + (i % 3) * 1e-12)],
    ['number[]', base],
  ] as const)('%s: a permutation into non-decreasing order; equal values adjacent', (_name, values) => {
    checkSorted(values, argsort(values));
  });

  test('the radix and comparison paths give the same sorted values', () => {
    const a = argsort(Float64Array.from(base));
    const b = Array.from(base.keys()).sort((i, j) => base[i]! - base[j]! || i - j);
    expect(Array.from(a, (i) => base[i]! + 0)).toEqual(b.map((i) => base[i]! + 0));
  });
});
