import { NnphysError, Random } from '@nnphys/core';
import { describe, expect, test } from 'vitest';
import { legendre, mapMass, massBinning } from '../src/index.js';
import { legendreRef, uniform } from './reference.js';

describe('legendre', () => {
  test('Bonnet recurrence equals the closed forms up to P_4', () => {
    for (const x of [-1, -0.73, -0.2, 0, 0.31, 0.9, 1]) {
      const p = legendre(4, x);
      for (let l = 0; l <= 4; l++) expect(p[l]).toBeCloseTo(legendreRef(l, x), 14);
    }
  });

  test('high orders are orthogonal on [-1, 1] with norm 2/(2l+1) and P_l(1) = 1', () => {
    // Gauss-free check: composite Simpson rule with 20001 points, exact enough for degree <= 24 (error ~1e-9).
    const L = 12;
    const N = 20000;
    const gram = Array.from({ length: L + 1 }, () => new Array<number>(L + 1).fill(0));
    for (let k = 0; k <= N; k++) {
      const x = -1 + (2 * k) / N;
      const w = ((k === 0 || k === N ? 1 : k % 2 === 1 ? 4 : 2) * (2 / N)) / 3;
      const p = legendre(L, x);
      for (let a = 0; a <= L; a++) for (let b = 0; b <= L; b++) gram[a]![b]! += w * p[a]! * p[b]!;
    }
    for (let a = 0; a <= L; a++) {
      for (let b = 0; b <= L; b++) expect(gram[a]![b]!).toBeCloseTo(a === b ? 2 / (2 * a + 1) : 0, 8);
      expect(legendre(L, 1)[a]).toBeCloseTo(1, 12);
    }
  });
});

describe('massBinning', () => {
  const rng = new Random(7);

  test('ragged equal-occupancy bins keep every event; occupancies differ by at most one; ΣΔ = 2', () => {
    for (const [n, K] of [
      [103, 10],
      [64, 7],
      [33, 32],
      [1000, 32],
    ] as const) {
      const m = Float32Array.from(uniform(rng, n, 50, 300));
      const bins = massBinning(m, { bins: K, dynamicBins: true, map: 'batch' });
      expect(bins.bins).toBe(K);
      expect(bins.counts.reduce((a, b) => a + b, 0)).toBe(n);
      expect(Math.max(...bins.counts) - Math.min(...bins.counts)).toBeLessThanOrEqual(1);
      expect(bins.widths.reduce((a, b) => a + b, 0)).toBeCloseTo(2, 12);
      expect(bins.edges[0]).toBe(-1);
      expect(bins.edges[K]).toBe(1);
      // Bins are ordered in mass and the edges separate them.
      for (let i = 0; i < n; i++) {
        const b = bins.bin[i]!;
        expect(bins.mapped[i]!).toBeGreaterThanOrEqual(bins.edges[b]!);
        expect(bins.mapped[i]!).toBeLessThanOrEqual(bins.edges[b + 1]!);
      }
    }
  });

  test('interior edges sit midway between neighbouring bins; centres are edge midpoints', () => {
    const m = Float64Array.from([0.1, 0.5, 0.2, 0.9, 0.4, 0.7]);
    const b = massBinning(m, { bins: 3, dynamicBins: true, map: 'range', massRange: [0, 1] });
    // m̃ = 2m - 1: sorted -0.8 -0.6 | -0.2 0 | 0.4 0.8
    expect(Array.from(b.edges)).toEqual([-1, expect.closeTo(-0.4, 12), expect.closeTo(0.2, 12), 1]);
    expect(Array.from(b.centres)).toEqual([expect.closeTo(-0.7, 12), expect.closeTo(-0.1, 12), expect.closeTo(0.6, 12)]);
    expect(Array.from(b.bin)).toEqual([0, 1, 0, 2, 1, 2]);
  });

  test('tied masses stay in one bin; the resulting occupancy is unequal; nothing is lost', () => {
    const m = Float32Array.from([1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8]);
    const b = massBinning(m, { bins: 4, dynamicBins: true, map: 'batch' });
    const tiedBins = new Set(Array.from(b.bin.slice(0, 5)));
    expect(tiedBins.size).toBe(1);
    expect(b.counts.reduce((a, c) => a + c, 0)).toBe(12);
    // Discrete masses with fewer values than bins: bins merge.
    const d = Float32Array.from(Array.from({ length: 40 }, (_, i) => i % 3));
    const bd = massBinning(d, { bins: 8, dynamicBins: true, map: 'batch' });
    expect(bd.bins).toBe(3);
    expect(Array.from(bd.counts)).toEqual([14, 13, 13]);
    expect(bd.widths.reduce((a, c) => a + c, 0)).toBeCloseTo(2, 12);
  });

  test('fixed-width bins: empty bins merge into neighbours and the widths still sum to 2', () => {
    // Masses only in the 1st, 2nd and 5th of 5 bins over [0, 5].
    const m = Float64Array.from([0.5, 0.6, 1.5, 4.2, 4.9]);
    const b = massBinning(m, { bins: 5, dynamicBins: false, map: 'range', massRange: [0, 5] });
    expect(b.bins).toBe(3);
    // Fixed edges -1, -0.6, -0.2, 0.2, 0.6, 1; the gap [-0.2, 0.6] is split at 0.2.
    expect(Array.from(b.edges)).toEqual([-1, expect.closeTo(-0.6, 12), expect.closeTo(0.2, 12), 1]);
    expect(Array.from(b.bin)).toEqual([0, 0, 1, 2, 2]);
    expect(b.widths.reduce((a, c) => a + c, 0)).toBeCloseTo(2, 12);
  });

  test('quantile map gives equal-width equal-occupancy bins', () => {
    const m = Float32Array.from(uniform(rng, 120, 0, 1).map((v) => v ** 3));
    const b = massBinning(m, { bins: 6, dynamicBins: true, map: 'quantile' });
    for (const w of b.widths) expect(w).toBeCloseTo(2 / 6, 12);
    expect(Array.from(b.counts)).toEqual([20, 20, 20, 20, 20, 20]);
  });

  test('mass map errors name the argument', () => {
    expect(() => mapMass(Float64Array.from([0, 2]), 'range', [0, 1])).toThrow(/mass\[1\] must lie in massRange \[0, 1\], got 2/);
    expect(() => mapMass(Float64Array.from([3, 3]), 'batch')).toThrow(NnphysError);
    expect(() => mapMass(Float64Array.from([3, 3]), 'range')).toThrow(/massRange is required/);
  });
});
