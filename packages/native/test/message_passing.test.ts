import { describe, expect, test } from 'vitest';
import { loadNative } from '../src/index.js';
import { rng } from './rng.js';

const native = loadNative();

const relu = (v: number): number => Math.max(v, 0);

describe.runIf(native !== null)('message-passing steps', () => {
  const next = rng(31);
  const [E, N, f] = [700, 90, 13];
  const a = Float32Array.from({ length: N * f }, next);
  const b = Float32Array.from({ length: N * f }, next);
  const ia = Int32Array.from({ length: E }, () => Math.floor((next() + 0.5) * N));
  const ib = Int32Array.from({ length: E }, () => Math.floor((next() + 0.5) * N));

  test('gatherAddRelu equals its definition (float32 sums in the same order)', () => {
    const out = Float32Array.from({ length: E * f }, next);
    const want = Float32Array.from(out, (v, i) => {
      const e = Math.floor(i / f);
      const j = i % f;
      return relu(Math.fround(Math.fround(v + (a[(ia[e] as number) * f + j] as number)) + (b[(ib[e] as number) * f + j] as number)));
    });
    native!.gatherAddRelu(out, a, ia, b, ib, f);
    expect(Array.from(out)).toEqual(Array.from(want));
  });

  test('affineRelu, reluMask and reluAdd equal their definitions', () => {
    const x = Float32Array.from({ length: N * f }, next);
    const bias = Float32Array.from({ length: f }, next);
    const s = Float32Array.from({ length: N }, next);
    const c = Float32Array.from({ length: f }, next);
    const want = Float32Array.from(x, (v, i) => relu(Math.fround(Math.fround(v + (bias[i % f] as number)) + Math.fround((s[Math.floor(i / f)] as number) * (c[i % f] as number)))));
    native!.affineRelu(x, bias, s, c, f, true);
    expect(Array.from(x)).toEqual(Array.from(want));
    const noTerms = Float32Array.from({ length: 2 * f }, next);
    const copy = Float32Array.from(noTerms);
    native!.affineRelu(noTerms, null, null, null, f, false);
    expect(Array.from(noTerms)).toEqual(Array.from(copy));

    const dx = Float32Array.from({ length: 50 }, next);
    const ref = Float32Array.from({ length: 50 }, next);
    const masked = Array.from(dx, (v, i) => ((ref[i] as number) > 0 ? v : 0));
    native!.reluMask(dx, ref);
    expect(Array.from(dx)).toEqual(masked);

    const o = Float32Array.from({ length: 50 }, next);
    const h = Float32Array.from({ length: 50 }, next);
    const y = new Float32Array(50);
    native!.reluAdd(y, o, h, true);
    expect(Array.from(y)).toEqual(Array.from(o, (v, i) => Math.fround(relu(v) + (h[i] as number))));
    native!.reluAdd(y, o, null, false);
    expect(Array.from(y)).toEqual(Array.from(o));
  });

  test('relu keeps NaN; bad ids and shapes are refused before writing', () => {
    const y = new Float32Array(1);
    native!.reluAdd(y, Float32Array.of(Number.NaN), null, true);
    expect(y[0]).toBeNaN();
    const out = new Float32Array(2 * f).fill(3);
    expect(() => native!.gatherAddRelu(out, a, Int32Array.of(0, N), b, Int32Array.of(0, 1), f)).toThrow(/an id in ia is outside a's rows/);
    expect(out.every((v) => v === 3)).toBe(true);
    expect(() => native!.gatherAddRelu(out, a, Int32Array.of(0), b, Int32Array.of(0), f)).toThrow(/expected out \[E\*f\]/);
    expect(() => native!.affineRelu(new Float32Array(2 * f), null, new Float32Array(2), null, f, true)).toThrow(/s \[rows\] with c \[f\] together/);
    expect(() => native!.reluMask(new Float32Array(3), new Float32Array(2))).toThrow(/same length/);
  });

  test('sgemm accumulates into C when asked', () => {
    const A = Float32Array.of(1, 2, 3, 4);
    const B = Float32Array.of(5, 6, 7, 8);
    const C = Float32Array.of(1, 1, 1, 1);
    native!.sgemm(1, 2, 2, 2, A, 0, 0, 2, 1, B, 0, 0, 2, 1, C, 0, 0, true);
    expect(Array.from(C)).toEqual([20, 23, 44, 51]);
    expect(() => (native!.sgemm as unknown as (...x: unknown[]) => void)(1, 2, 2, 2, A, 0, 0, 2, 1, B, 0, 0, 2, 1, C, 0, 0, 1)).toThrow(/accumulate must be a boolean/);
  });
});
