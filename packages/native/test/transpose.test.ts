import { describe, expect, test } from 'vitest';
import { loadNative } from '../src/index.js';

const native = loadNative();

/** out[i_0..] = x[j] with j_{perm[a]} = i_a, index by index. */
function reference(x: Int32Array, shape: number[], perm: number[]): number[] {
  const size = x.length;
  const outShape = perm.map((p) => shape[p] as number);
  const inStrides = shape.map((_, a) => shape.slice(a + 1).reduce((p, q) => p * q, 1));
  const out: number[] = [];
  for (let o = 0; o < size; o++) {
    let rest = o;
    let j = 0;
    for (let a = outShape.length - 1; a >= 0; a--) {
      const d = outShape[a] as number;
      j += (rest % d) * (inStrides[perm[a] as number] as number);
      rest = Math.floor(rest / d);
    }
    out.push(x[j] as number);
  }
  return out;
}

describe.runIf(native !== null)('transpose', () => {
  test('equals the index-by-index definition for ranks 1-6 and every kind of permutation', () => {
    const cases: [number[], number[]][] = [
      [[7], [0]],
      [[3, 5], [1, 0]],
      [[3, 64, 4, 5, 6], [1, 3, 0, 2, 4]],
      [[2, 3, 4, 5], [0, 2, 1, 3]],
      [[2, 1, 3, 2, 2, 3], [5, 4, 3, 2, 1, 0]],
      [[40, 33, 3], [2, 0, 1]],
    ];
    for (const [shape, perm] of cases) {
      const size = shape.reduce((p, q) => p * q, 1);
      const x = Int32Array.from({ length: size }, (_, i) => i * 7 - 3);
      const out = new Int32Array(size);
      native!.transpose(x, out, shape, perm);
      expect(Array.from(out), `${shape} ${perm}`).toEqual(reference(x, shape, perm));
      const xf = Float32Array.from(x);
      const of = new Float32Array(size);
      native!.transpose(xf, of, shape, perm);
      expect(Array.from(of)).toEqual(reference(x, shape, perm));
    }
  });

  test('bad arguments are refused', () => {
    const x = new Float32Array(6);
    expect(() => native!.transpose(x, new Float32Array(6), [2, 3], [0, 0])).toThrow(/perm must be a permutation of the axes/);
    expect(() => native!.transpose(x, new Float32Array(6), [2, 3], [0])).toThrow(/perm must have one entry per axis/);
    expect(() => native!.transpose(x, new Float32Array(5), [2, 3], [1, 0])).toThrow(/out has 5 elements, expected 6/);
    expect(() => native!.transpose(x, new Int32Array(6), [2, 3], [1, 0])).toThrow(/same type/);
    expect(() => native!.transpose(x, new Float32Array(6), [2, 3, 1, 1, 1, 1, 1, 1, 1], [0, 1, 2, 3, 4, 5, 6, 7, 8])).toThrow(/1 to 8 integers/);
  });
});
