import { describe, expect, test } from 'vitest';
import { globalRandom, NnphysError, Random, resolveRandom, seed } from '../src/index.js';

describe('Random', () => {
  test('same seed gives the same stream, different seeds differ', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({ length: 100 }, () => a.nextUint32());
    const sb = Array.from({ length: 100 }, () => b.nextUint32());
    const sc = Array.from({ length: 100 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  test('seeds above 2^32 are distinguished', () => {
    expect(new Random(1).nextUint32()).not.toBe(new Random(1 + 2 ** 32).nextUint32());
  });

  test('uniform moments match U(0,1) within 5 standard errors', () => {
    const r = new Random(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      s += u;
      s2 += u * u;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    // std of the mean is sqrt(1/12/n) ~ 6.5e-4
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  test('normal moments match N(0,1): mean, variance, kurtosis', () => {
    const r = new Random(11);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let s4 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
      s4 += z ** 4;
    }
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.1);
  });

  test('int(n) is unbiased: chi-square over 7 buckets', () => {
    const r = new Random(3);
    const counts = new Array(7).fill(0);
    const n = 70_000;
    for (let i = 0; i < n; i++) counts[r.int(7)]++;
    const expected = n / 7;
    const chi2 = counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
    // chi-square with 6 dof: P(chi2 > 22.46) = 0.001
    expect(chi2).toBeLessThan(22.46);
  });

  test('permutation is a permutation and shuffles', () => {
    const r = new Random(5);
    const p = r.permutation(50);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  test('fork gives an independent, reproducible child', () => {
    const a = new Random(9).fork();
    const b = new Random(9).fork();
    expect(a.nextUint32()).toBe(b.nextUint32());
    const parent = new Random(9);
    const child = parent.fork();
    expect(child.nextUint32()).not.toBe(parent.nextUint32());
  });

  test('global seed() makes resolveRandom() reproducible', () => {
    seed(123);
    const x = resolveRandom().uniform();
    seed(123);
    expect(globalRandom().uniform()).toBe(x);
    expect(resolveRandom(5).uniform()).toBe(new Random(5).uniform());
  });

  test('bad seeds are rejected with a clear error', () => {
    expect(() => seed(Number.NaN)).toThrow(NnphysError);
    expect(() => resolveRandom(Number.POSITIVE_INFINITY)).toThrow(/seed/);
    expect(() => new Random(1).int(0)).toThrow(/n must be/);
  });
});
