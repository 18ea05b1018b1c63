import { describe, expect, test } from 'vitest';
import { loadNative } from '../src/index.js';
import { rng } from './rng.js';

const native = loadNative();

describe.runIf(native !== null)('row kernels', () => {
  test('segmentSum equals float64 accumulation in row order, rounded once (bitwise), for widths around the column blocks', () => {
    const next = rng(3);
    for (const f of [1, 15, 16, 17, 64]) {
      const [E, N] = [500, 40];
      const data = Float32Array.from({ length: E * f }, () => next());
      const ids = Int32Array.from({ length: E }, () => (next() + 0.5 < 0.1 ? -1 : Math.floor((next() + 0.5) * N)));
      const out = new Float32Array(N * f);
      native!.segmentSum(data, ids, out, f, N);
      const acc = new Float64Array(N * f);
      for (let e = 0; e < E; e++) {
        const s = ids[e] as number;
        if (s >= 0) for (let j = 0; j < f; j++) acc[s * f + j] += data[e * f + j] as number;
      }
      expect(Array.from(out)).toEqual(Array.from(Float32Array.from(acc)));
    }
  });

  test('columnSums and gatherRows equal their definitions', () => {
    const next = rng(4);
    const [R, C] = [333, 21];
    const data = Float32Array.from({ length: R * C }, () => next());
    const sums = new Float32Array(C);
    native!.columnSums(data, R, C, sums);
    const want = new Float64Array(C);
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) want[c] += data[r * C + c] as number;
    expect(Array.from(sums)).toEqual(Array.from(Float32Array.from(want)));
    const ids = Int32Array.from({ length: 1100 }, (_, e) => (e % 7 === 0 ? -1 : Math.floor((next() + 0.5) * R)));
    const out = new Float32Array(ids.length * C).fill(9);
    native!.gatherRows(data, C, ids, out);
    ids.forEach((s, e) => {
      for (let c = 0; c < C; c++) expect(out[e * C + c]).toBe(s < 0 ? 0 : data[s * C + c]);
    });
  });

  test('out-of-range ids and wrong lengths are refused before writing', () => {
    const out = new Float32Array(4).fill(7);
    expect(() => native!.segmentSum(new Float32Array(4), Int32Array.of(0, 2), out, 2, 2)).toThrow(/segmentSum: an id is >= numSegments/);
    expect(Array.from(out)).toEqual([7, 7, 7, 7]);
    expect(() => native!.segmentSum(new Float32Array(5), Int32Array.of(0, 1), out, 2, 2)).toThrow(/segmentSum: data has 5 elements, expected 4/);
    expect(() => native!.gatherRows(new Float32Array(4), 2, Int32Array.of(2), new Float32Array(2))).toThrow(/gatherRows: an id is >= the number of rows/);
    expect(() => native!.columnSums(new Float32Array(6), 2, 3, new Float32Array(2))).toThrow(/columnSums: out has 2 elements, expected 3/);
    expect(() => native!.segmentSum(new Float32Array(4), Float32Array.of(0, 1) as unknown as Int32Array, out, 2, 2)).toThrow(/segmentSum: ids must be a Int32Array/);
  });
});
