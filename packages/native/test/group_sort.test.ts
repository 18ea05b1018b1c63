import { describe, expect, test } from 'vitest';
import { loadNative } from '../src/index.js';

const native = loadNative();

/** The stable order: numbers ascending, NaN last, ties by position. */
function reference(x: Float32Array, width: number, group: number): { values: number[]; perm: number[] } {
  const values: number[] = [];
  const perm: number[] = [];
  for (let o = 0; o < x.length; o += group) {
    const g = o % width;
    const idx = Array.from({ length: group }, (_, i) => i).sort((a, b) => {
      const xa = x[o + a] as number;
      const xb = x[o + b] as number;
      const na = Number.isNaN(xa);
      const nb = Number.isNaN(xb);
      if (na || nb) return na === nb ? a - b : na ? 1 : -1;
      return xa < xb ? -1 : xa > xb ? 1 : a - b;
    });
    for (const i of idx) {
      values.push(x[o + i] as number);
      perm.push(g + i);
    }
  }
  return { values, perm };
}

describe.runIf(native !== null)('groupSort', () => {
  test('equals a stable sort per group (ties, signed zeros, infinities and NaN included) for several group sizes', () => {
    let s = 17;
    const next = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
    for (const [width, group] of [[20, 20], [20, 2], [12, 4], [64, 64], [6, 3]] as const) {
      const rows = 130;
      const x = Float32Array.from({ length: rows * width }, () => Math.round((next() - 0.5) * 6) / 2); // many ties
      x[3] = Number.NaN;
      x[7] = Number.POSITIVE_INFINITY;
      x[8] = Number.NEGATIVE_INFINITY;
      x[width + 1] = -0;
      x[width + 2] = 0;
      const values = new Float32Array(x.length);
      const perm = new Int32Array(x.length);
      native!.groupSort(x, values, perm, width, group);
      const want = reference(x, width, group);
      expect(Array.from(perm)).toEqual(want.perm);
      for (const [i, v] of want.values.entries()) expect(Object.is(values[i], Math.fround(v)) || (Number.isNaN(v) && Number.isNaN(values[i] as number))).toBe(true);
    }
  });

  test('bad sizes are refused', () => {
    const x = new Float32Array(6);
    expect(() => native!.groupSort(x, new Float32Array(6), new Int32Array(6), 6, 4)).toThrow(/groupSize must be in \[1, 64\] and divide width/);
    expect(() => native!.groupSort(x, new Float32Array(6), new Int32Array(5), 6, 3)).toThrow(/values and perm must have x's length/);
    expect(() => native!.groupSort(new Float32Array(130), new Float32Array(130), new Int32Array(130), 130, 65)).toThrow(/groupSize must be in \[1, 64\]/);
  });
});
