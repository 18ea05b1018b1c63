import { NnphysError, Random, initBackend, seed } from '@nnphys/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { atomBits, atomSum, atomValues002, encodeAtom, permutationAugment } from '../src/index.js';

describe('encodeAtom', () => {
  test('binary is 7 bits MSB first for 128 atoms; 14 -> 0001110 (002 §4.2)', () => {
    expect(encodeAtom(14)).toEqual([0, 0, 0, 1, 1, 1, 0]);
    expect(atomBits(14)).toBe('0001110');
    for (let i = 0; i < 128; i++) {
      const bits = encodeAtom(i, 'binary', 128);
      expect(bits.reduce((s, b) => 2 * s + b, 0)).toBe(i);
    }
  });
  test('onehot has a single 1 at the index', () => {
    const v = encodeAtom(34, 'onehot', 128);
    expect(v.length).toBe(128);
    expect(v.indexOf(1)).toBe(34);
    expect(v.reduce((s, x) => s + x, 0)).toBe(1);
  });
  test('bad input throws NnphysError naming the argument', () => {
    expect(() => encodeAtom(128)).toThrow(/index must be an integer in \[0, 127\], got 128/);
    expect(() => encodeAtom(1, 'ternary' as never)).toThrow(NnphysError);
  });
});

describe('atomSum', () => {
  test('targets equal the exact float64 sums of the exported hidden values', () => {
    const d = atomSum({ setSize: 5, samples: 500, seed: 3 });
    expect(d.values.length).toBe(128);
    for (let s = 0; s < 500; s++) {
      const tuple = d.atoms[s] as number[];
      expect(tuple.length).toBe(5);
      let sum = 0;
      for (const a of tuple) sum += d.values[a] as number;
      expect(d.targets[s]).toBe(sum);
      // inputs are the binary codes of the atoms
      expect(d.inputs[s]).toEqual(tuple.map((a) => encodeAtom(a)));
    }
  });

  test('mean, max and min labels follow their definitions', () => {
    for (const target of ['mean', 'max', 'min'] as const) {
      const d = atomSum({ setSize: 4, samples: 50, seed: 1, target });
      d.atoms.forEach((tuple, s) => {
        const v = tuple.map((a) => d.values[a] as number);
        const want = target === 'mean' ? v.reduce((x, y) => x + y, 0) / 4 : target === 'max' ? Math.max(...v) : Math.min(...v);
        expect(d.targets[s]).toBe(want);
      });
    }
  });

  test('hidden values are U[0, 10) by default, and a custom range is respected', () => {
    const d = atomSum({ setSize: 1, samples: 1, vocabulary: 4096, seed: 9 });
    expect(Math.min(...d.values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...d.values)).toBeLessThan(10);
    // mean of 4096 U(0,10) draws: 5 +- 3 sigma, sigma = 10/sqrt(12*4096) = 0.045
    const mean = d.values.reduce((s, v) => s + v, 0) / 4096;
    expect(Math.abs(mean - 5)).toBeLessThan(0.14);
    const e = atomSum({ setSize: 1, samples: 1, vocabulary: 64, seed: 9, valueRange: [1, 2] });
    expect(e.values.every((v) => v >= 1 && v < 2)).toBe(true);
  });

  test('deterministic per seed; different seeds differ; global seed() is used without a seed', () => {
    const a = atomSum({ setSize: 3, samples: 100, seed: 42 });
    const b = atomSum({ setSize: 3, samples: 100, seed: 42 });
    const c = atomSum({ setSize: 3, samples: 100, seed: 43 });
    expect(b).toEqual(a);
    expect(c.atoms).not.toEqual(a.atoms);
    expect(c.values).not.toEqual(a.values);
    seed(7);
    const g1 = atomSum({ setSize: 3, samples: 10 });
    seed(7);
    const g2 = atomSum({ setSize: 3, samples: 10 });
    expect(g2).toEqual(g1);
    expect(atomSum({ setSize: 3, samples: 10, seed: new Random(5) })).toEqual(atomSum({ setSize: 3, samples: 10, seed: 5 }));
  });

  test('user values do not change the tuples, and are used for the labels', () => {
    const values = atomValues002();
    const v = Array.from({ length: 128 }, (_, i) => i / 10);
    const a = atomSum({ setSize: 3, samples: 20, seed: 5 });
    const b = atomSum({ setSize: 3, samples: 20, seed: 5, values: v });
    expect(b.atoms).toEqual(a.atoms);
    b.atoms.forEach((t, s) => {
      expect(b.targets[s]).toBeCloseTo(t.reduce((x, y) => x + y / 10, 0), 12);
    });
    expect(values.length).toBeGreaterThan(0);
  });

  test('distinct tuples: no repeats, even when sampling the whole K=2 space of 16 atoms', () => {
    const d = atomSum({ setSize: 2, samples: 256, vocabulary: 16, seed: 1 });
    const keys = new Set(d.atoms.map((t) => t.join(',')));
    expect(keys.size).toBe(256);
    expect(() => atomSum({ setSize: 2, samples: 257, vocabulary: 16, seed: 1 })).toThrow(/at most the number of distinct tuples \(256\)/);
    // K = 60 (002 §6.3): huge space, rejection path
    const big = atomSum({ setSize: 60, samples: 300, seed: 2 });
    expect(new Set(big.atoms.map((t) => t.join(','))).size).toBe(300);
    expect(big.atoms.every((t) => t.length === 60)).toBe(true);
  });

  test('atoms are uniform over the vocabulary at every position (chi-square)', () => {
    const vocab = 16;
    const d = atomSum({ setSize: 3, samples: 3200, vocabulary: vocab, seed: 11, encoding: 'onehot' });
    for (let p = 0; p < 3; p++) {
      const counts = new Array(vocab).fill(0);
      for (const t of d.atoms) counts[t[p] as number]++;
      const expected = 3200 / vocab;
      const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
      // 15 degrees of freedom: P(chi2 > 37.7) = 0.001
      expect(chi2).toBeLessThan(37.7);
    }
    expect(d.inputs[0]?.[0]?.length).toBe(vocab);
  });

  test('restrictPositions confines atoms to their positions (002 ch. 5)', () => {
    const restrict = new Map([
      [5, [1]],
      [9, [0]],
      [12, [0, 4]],
    ]);
    const d = atomSum({ setSize: 5, samples: 4000, vocabulary: 16, seed: 4, restrictPositions: restrict });
    const seenAt = new Map<number, Set<number>>();
    for (const t of d.atoms) {
      t.forEach((a, p) => {
        if (!seenAt.has(a)) seenAt.set(a, new Set());
        seenAt.get(a)?.add(p);
      });
    }
    expect([...(seenAt.get(5) ?? [])]).toEqual([1]);
    expect([...(seenAt.get(9) ?? [])]).toEqual([0]);
    expect([...(seenAt.get(12) ?? [])].sort()).toEqual([0, 4]);
    expect(seenAt.get(3)?.size).toBe(5); // unrestricted atoms appear everywhere
    expect(() => atomSum({ setSize: 2, samples: 1, vocabulary: 4, restrictPositions: new Map([[1, [2]]]) })).toThrow(
      /restrictPositions.get\(1\) entry must be an integer in \[0, 1\], got 2/,
    );
    expect(() => atomSum({ setSize: 2, samples: 1, vocabulary: 2, restrictPositions: new Map([[0, [0]], [1, [0]]]) })).toThrow(
      /no atom allowed at position 1/,
    );
  });

  test('bad options throw NnphysError naming the option', () => {
    expect(() => atomSum({ setSize: 0, samples: 1 })).toThrow(/atomSum: setSize must be an integer >= 1, got 0/);
    expect(() => atomSum({ setSize: 2, samples: 1.5 })).toThrow(/samples/);
    expect(() => atomSum({ setSize: 2, samples: 1, encoding: 'bits' as never })).toThrow(/encoding must be one of/);
    expect(() => atomSum({ setSize: 2, samples: 1, values: [1, 2] })).toThrow(/values must have one entry per atom \(128\), got length 2/);
    expect(() => atomSum({ setSize: 2, samples: 1, vocabulary: 2, values: [1, Number.NaN] })).toThrow(/values\[1\] must be a finite number, got NaN/);
    expect(() => atomSum({ setSize: 2, samples: 1, seed: Number.NaN })).toThrow(NnphysError);
    expect(() => atomSum(undefined as never)).toThrow(/options object/);
  });
});

describe('atomValues002 (printed fixture)', () => {
  test('merges both listings, flags exactly the two inconsistent entries', () => {
    const entries = atomValues002();
    const flagged = entries.filter((e) => e.value === null);
    expect(flagged.map((e) => e.bits)).toEqual(['0000110', '0001100']);
    for (const f of flagged) expect(new Set(f.printed.map((p) => p.value)).size).toBe(2);
    expect(entries.find((e) => e.bits === '0001110')?.index).toBe(14);
    expect(entries.length).toBe(16 + 10 + 3);
  });
  test("the worked example (0000000, 0000001, 0000010) sums to 8.83 (002 §4.2)", () => {
    const v = new Map(atomValues002().map((e) => [e.bits, e.value]));
    const sum = (v.get('0000000') as number) + (v.get('0000001') as number) + (v.get('0000010') as number);
    expect(sum.toFixed(2)).toBe('8.83');
  });
  test('printed values are below 1 for some atoms (why the default range is [0, 10))', () => {
    const low = atomValues002().filter((e) => e.printed.some((p) => p.value < 1));
    expect(low.map((e) => e.bits)).toContain('0001110');
  });
});

describe('permutationAugment', () => {
  test("'all' adds every distinct ordering with the same label", () => {
    const d = atomSum({ setSize: 3, samples: 20, vocabulary: 8, seed: 2, distinct: false });
    const aug = permutationAugment(d, 'all');
    for (let s = 0; s < 20; s++) {
      const rows = aug.atoms.filter((_, i) => aug.source[i] === s);
      const keys = new Set(rows.map((t) => t.join(',')));
      expect(keys.size).toBe(rows.length); // no duplicates
      const distinct = new Set((d.atoms[s] as number[])).size;
      const expected = distinct === 3 ? 6 : distinct === 2 ? 3 : 1;
      expect(rows.length).toBe(expected);
      aug.atoms.forEach((t, i) => {
        if (aug.source[i] !== s) return;
        expect([...t].sort()).toEqual([...(d.atoms[s] as number[])].sort());
        expect(aug.targets[i]).toBe(d.targets[s]);
        expect(aug.inputs[i]).toEqual(t.map((a) => encodeAtom(a, 'binary', 8)));
      });
    }
    expect(aug.values).toBe(d.values);
    // originals first
    expect(aug.atoms[0]).toEqual(d.atoms[0]);
  });

  test("'random' adds `copies` shuffles per sample, deterministic per seed", () => {
    const d = atomSum({ setSize: 10, samples: 5, seed: 2 });
    const a = permutationAugment(d, 'random', { copies: 3, seed: 1 });
    const b = permutationAugment(d, 'random', { copies: 3, seed: 1 });
    expect(a).toEqual(b);
    expect(a.atoms.length).toBe(20);
    expect(permutationAugment(d, 'random', { copies: 2, includeOriginal: false, seed: 1 }).atoms.length).toBe(10);
    expect(() => permutationAugment(d, 'all')).toThrow(/up to 8/);
    expect(() => permutationAugment({ inputs: [], targets: [1], atoms: [] }, 'all')).toThrow(/same length/);
  });
});

describe.each(['cpu', 'wasm'] as const)('on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  test('plain data: no tensors created, same numbers on every backend', () => {
    const before = tf.memory().numTensors;
    const d = atomSum({ setSize: 5, samples: 100, seed: 123 });
    permutationAugment(d, 'random', { seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    // reference sums computed independently on this backend in float32 agree to float32 precision
    const t = tf.tidy(() => tf.sum(tf.tensor2d(d.atoms.map((row) => row.map((a) => d.values[a] as number))), 1).arraySync() as number[]);
    // float32 sum of 5 values below 10: |error| <= 5 * 2^-24 * 50, use 1e-5 * 50 for margin
    t.forEach((x, s) => {
      expect(Math.abs(x - (d.targets[s] as number))).toBeLessThan(1e-5 * 50);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
