import { describe, expect, test } from 'vitest';
import { loadNative } from '../src/index.js';
import { rng } from './rng.js';

const native = loadNative();

describe.runIf(native !== null)('rotary', () => {
  test('forward is the pairwise rotation, backward its transpose (<R x, y> = <x, R^T y>)', () => {
    const next = rng(9);
    const [b, h, t, d] = [2, 3, 4, 6];
    const half = d / 2;
    const x = Float32Array.from({ length: b * h * t * d }, next);
    const yv = Float32Array.from({ length: b * h * t * d }, next);
    const cos = Float32Array.from({ length: b * t * d }, next);
    const sin = Float32Array.from({ length: b * t * d }, next);
    const rx = new Float32Array(x.length);
    const rty = new Float32Array(x.length);
    native!.rotary(x, cos, sin, rx, b, h, t, d, false);
    native!.rotary(yv, cos, sin, rty, b, h, t, d, true);
    for (let bi = 0; bi < b; bi++) {
      for (let hi = 0; hi < h; hi++) {
        for (let ti = 0; ti < t; ti++) {
          const o = ((bi * h + hi) * t + ti) * d;
          const to = (bi * t + ti) * d;
          for (let i = 0; i < half; i++) {
            const want1 = Math.fround(Math.fround(x[o + i]! * cos[to + i]!) - Math.fround(x[o + i + half]! * sin[to + i]!));
            const want2 = Math.fround(Math.fround(x[o + i + half]! * cos[to + i + half]!) + Math.fround(x[o + i]! * sin[to + i + half]!));
            expect(rx[o + i]).toBe(want1);
            expect(rx[o + i + half]).toBe(want2);
          }
        }
      }
    }
    let lhs = 0;
    let rhs = 0;
    for (let i = 0; i < x.length; i++) {
      lhs += rx[i]! * yv[i]!;
      rhs += x[i]! * rty[i]!;
    }
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-5);
  });

  test('bad shapes are refused', () => {
    expect(() => native!.rotary(new Float32Array(12), new Float32Array(6), new Float32Array(6), new Float32Array(12), 1, 2, 2, 3, false)).toThrow(/rotary: d must be even/);
    expect(() => native!.rotary(new Float32Array(16), new Float32Array(8), new Float32Array(7), new Float32Array(16), 1, 2, 2, 4, false)).toThrow(/rotary: sin has 7 elements, expected 8/);
    expect(() => native!.rotary(new Float32Array(16), new Float32Array(8), new Float32Array(8), new Float32Array(16), 1, 2, 2, 4, 1 as unknown as boolean)).toThrow(/transpose must be a boolean/);
  });
});
