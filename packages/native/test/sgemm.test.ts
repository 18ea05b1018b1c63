import { describe, expect, test } from 'vitest';
import { loadNative, matMul, nativeUnavailableReason } from '../src/index.js';
import { rng } from './rng.js';

// The build step compiles the addon when a C compiler is present; CI sets NNPHYS_REQUIRE_NATIVE=1 so that a
// missing addon fails there. On a machine without a compiler the kernel tests below do not run (vitest lists them
// as skipped) and nnphys runs on its JS kernels, which the other packages' tests cover.
const native = loadNative();

test('the addon is built, or the machine has no compiler and it is not required', () => {
  if (native === null) expect(process.env.NNPHYS_REQUIRE_NATIVE, nativeUnavailableReason() ?? '').not.toBe('1');
  else expect(nativeUnavailableReason()).toBeNull();
});

function filled(n: number, next: () => number): Float32Array {
  return Float32Array.from({ length: n }, next);
}

/** float64 reference for one strided product. */
function reference(m: number, n: number, k: number, a: Float32Array, aOff: number, aRow: number, aCol: number, b: Float32Array, bOff: number, bRow: number, bCol: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (a[aOff + i * aRow + p * aCol] as number) * (b[bOff + p * bRow + j * bCol] as number);
      c[i * n + j] = s;
    }
  }
  return c;
}

describe.runIf(native !== null)('native addon', () => {
  test('loads, with a known micro-kernel', () => {
    const info = native!.info();
    expect(['avx2-fma', 'generic']).toContain(info.kernel);
    expect(info.threads).toBeGreaterThanOrEqual(1);
  });
});

describe.runIf(native !== null)('sgemm', () => {
  // Shapes around every block edge: micro-tile 6x16, kc = 256, row block 96, column chunk 256, and the
  // single/multi-thread switch. Float32 sums of k products of values in [-0.5, 0.5]: the error against
  // float64 grows like sqrt(k) * 2^-24 * |terms|; 1e-5 relative (+ absolute 1e-5) leaves a wide margin.
  const shapes: [number, number, number][] = [
    [1, 1, 1], [6, 16, 1], [7, 17, 5], [13, 33, 257], [100, 64, 64], [64, 64, 1075], [97, 5, 513], [200, 300, 40], [5, 600, 3], [2, 3, 0],
  ];
  test.each(shapes)('m=%i n=%i k=%i, every transpose combination, threads 1 and 2', (m, n, k) => {
    const next = rng(m * 7919 + n * 31 + k);
    for (const threads of [1, 2]) {
      native!.setNumThreads(threads);
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const a = filled(m * k + 3, next);
          const b = filled(k * n + 2, next);
          const [aRow, aCol] = ta ? [1, m] : [k, 1];
          const [bRow, bCol] = tb ? [1, k] : [n, 1];
          const c = new Float32Array(m * n + 2).fill(42);
          native!.sgemm(1, m, n, k, a, 3, 0, aRow, aCol, b, 2, 0, bRow, bCol, c, 1, 0);
          const want = reference(m, n, k, a, 3, aRow, aCol, b, 2, bRow, bCol);
          let worst = 0;
          for (let i = 0; i < m * n; i++) {
            const w = want[i] as number;
            worst = Math.max(worst, Math.abs((c[i + 1] as number) - w) / (1 + Math.abs(w)));
          }
          expect(worst, `threads ${threads} ta ${ta} tb ${tb}`).toBeLessThanOrEqual(1e-5);
          // Nothing outside the output range is written.
          expect(c[0]).toBe(42);
          expect(c[m * n + 1]).toBe(42);
        }
      }
    }
    native!.setNumThreads(2);
  });

  test('batches, with either operand broadcast', () => {
    const next = rng(5);
    const [batch, m, n, k] = [9, 10, 21, 12];
    for (const [aB, bB] of [[m * k, k * n], [0, k * n], [m * k, 0]] as const) {
      const a = filled(aB ? batch * m * k : m * k, next);
      const b = filled(bB ? batch * k * n : k * n, next);
      const c = new Float32Array(batch * m * n);
      native!.sgemm(batch, m, n, k, a, 0, aB, k, 1, b, 0, bB, n, 1, c, 0, m * n);
      for (let t = 0; t < batch; t++) {
        const want = reference(m, n, k, a, t * aB, k, 1, b, t * bB, n, 1);
        for (let i = 0; i < m * n; i++) expect(Math.abs((c[t * m * n + i] as number) - (want[i] as number))).toBeLessThan(1e-5);
      }
    }
  });

  test('k = 0 gives zeros', () => {
    const c = new Float32Array(6).fill(3);
    native!.sgemm(1, 2, 3, 0, new Float32Array(0), 0, 0, 0, 1, new Float32Array(0), 0, 0, 3, 1, c, 0, 0);
    expect([...c]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test('ranges outside an array, wrong types and bad counts are refused before any work', () => {
    const ok = new Float32Array(16);
    expect(() => native!.sgemm(1, 4, 4, 4, new Float32Array(15), 0, 0, 4, 1, ok, 0, 0, 4, 1, ok, 0, 0)).toThrow(/sgemm: a is too short: the product reads or writes element 15, the array has 15/);
    expect(() => native!.sgemm(1, 4, 4, 4, ok, 0, 0, 4, 1, ok, 1, 0, 4, 1, new Float32Array(16), 0, 0)).toThrow(/sgemm: b is too short/);
    expect(() => native!.sgemm(2, 4, 4, 4, ok, 0, 0, 4, 1, ok, 0, 0, 4, 1, new Float32Array(16), 0, 16)).toThrow(/sgemm: c is too short/);
    expect(() => native!.sgemm(1, 4, 4, 4, new Float64Array(16) as unknown as Float32Array, 0, 0, 4, 1, ok, 0, 0, 4, 1, ok, 0, 0)).toThrow(/sgemm: a must be a Float32Array/);
    expect(() => native!.sgemm(1, -1, 4, 4, ok, 0, 0, 4, 1, ok, 0, 0, 4, 1, ok, 0, 0)).toThrow(/sgemm: m must be a non-negative integer/);
    expect(() => native!.sgemm(1, 1.5, 4, 4, ok, 0, 0, 4, 1, ok, 0, 0, 4, 1, ok, 0, 0)).toThrow(/sgemm: m must be a non-negative integer/);
    expect(() => (native!.sgemm as unknown as (...a: unknown[]) => void)(1, 4, 4)).toThrow(/sgemm: expected 17 arguments/);
    expect(() => native!.setNumThreads(0)).toThrow(/threads must be an integer in \[1, 256\]/);
  });
});

describe.runIf(native !== null)('matMul', () => {
  test('equals the float64 product, with transposes', () => {
    const next = rng(11);
    const a = { data: filled(3 * 4, next), rows: 3, cols: 4 };
    const b = { data: filled(5 * 4, next), rows: 5, cols: 4, transpose: true };
    const c = matMul(a, b);
    const want = reference(3, 5, 4, a.data, 0, 4, 1, b.data, 0, 1, 4);
    for (let i = 0; i < 15; i++) expect(c[i]).toBeCloseTo(want[i] as number, 6);
  });

  test('bad operands name the argument', () => {
    const a = { data: new Float32Array(6), rows: 2, cols: 3 };
    expect(() => matMul(a, { data: new Float32Array(6), rows: 2, cols: 3 })).toThrow(/matMul: inner dimensions differ: op\(a\) is 2x3, op\(b\) is 2x3/);
    expect(() => matMul({ data: new Float32Array(5), rows: 2, cols: 3 }, a)).toThrow(/matMul: a.data has 5 elements, expected rows \* cols = 6/);
    expect(() => matMul(a, { data: new Float32Array(6), rows: 3, cols: 2 }, new Float32Array(3))).toThrow(/matMul: out has 3 elements, expected 4/);
  });
});
