import { describe, expect, test } from 'vitest';
import { loadNative } from '../src/index.js';

const native = loadNative();

// float64 erf: power series below 2.5, continued fraction for erfc above.
function erf(z: number): number {
  const a = Math.abs(z);
  if (a < 2.5) {
    let s = 0;
    let term = a;
    for (let n = 0; n < 200; n++) {
      s += term / (2 * n + 1);
      term *= (-a * a) / (n + 1);
    }
    return Math.sign(z) * (2 / Math.sqrt(Math.PI)) * s;
  }
  let f = a;
  for (let k = 200; k >= 1; k--) f = a + k / 2 / f;
  return Math.sign(z) * (1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f);
}

describe.runIf(native !== null)('gelu kernels', () => {
  test('forward and backward equal the float64 definition over [-12, 12], across task boundaries', () => {
    const n = 50_000; // several 16k-element tasks, and a partial one
    const x = Float32Array.from({ length: n }, (_, i) => -12 + (24 * i) / (n - 1));
    const dy = Float32Array.from({ length: n }, (_, i) => 1 + (i % 5));
    const y = new Float32Array(n);
    const dx = new Float32Array(n);
    native!.geluForward(x, y);
    native!.geluBackward(x, dy, dx);
    let worstY = 0;
    let worstDx = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      const cdf = 0.5 * (1 + erf(v / Math.SQRT2));
      const pdf = Math.exp((-v * v) / 2) / Math.sqrt(2 * Math.PI);
      worstY = Math.max(worstY, Math.abs((y[i] as number) - v * cdf) / Math.max(1, Math.abs(v)));
      worstDx = Math.max(worstDx, Math.abs((dx[i] as number) - (dy[i] as number) * (cdf + v * pdf)) / (dy[i] as number));
    }
    // A&S 7.1.26: |erf error| <= 1.5e-7, plus float32 rounding of a few operations.
    expect(worstY).toBeLessThan(5e-7);
    expect(worstDx).toBeLessThan(5e-7);
  });

  test('NaN stays NaN', () => {
    const y = new Float32Array(1);
    const dx = new Float32Array(1);
    native!.geluForward(Float32Array.of(Number.NaN), y);
    native!.geluBackward(Float32Array.of(Number.NaN), Float32Array.of(1), dx);
    expect(y[0]).toBeNaN();
    expect(dx[0]).toBeNaN();
  });

  test('mismatched lengths and types are refused', () => {
    expect(() => native!.geluForward(new Float32Array(3), new Float32Array(2))).toThrow(/geluForward: x and y must have the same length/);
    expect(() => native!.geluBackward(new Float32Array(3), new Float32Array(3), new Float32Array(4))).toThrow(/geluBackward: x, dy and dx must have the same length/);
    expect(() => native!.geluForward([1, 2] as unknown as Float32Array, new Float32Array(2))).toThrow(/geluForward: x must be a Float32Array/);
  });

  test('adamStep: one step equals the formula in float64, and mismatched lengths are refused', () => {
    const theta = Float32Array.of(1, -2, 0.5);
    const g = Float32Array.of(0.1, -0.3, 2);
    const m = Float32Array.of(0.01, 0, -0.2);
    const v = Float32Array.of(0.001, 0.002, 0.5);
    const next = new Float32Array(3);
    const [lr, b1, b2, eps, c1, c2] = [0.01, 0.9, 0.999, 1e-7, 1 / (1 - 0.9 ** 3), 1 / (1 - 0.999 ** 3)];
    const want = Array.from(theta, (t, i) => {
      const mi = b1 * (m[i] as number) + (1 - b1) * (g[i] as number);
      const vi = b2 * (v[i] as number) + (1 - b2) * (g[i] as number) * (g[i] as number);
      return [Math.fround(mi), Math.fround(vi), Math.fround(t - (lr * (mi * c1)) / (Math.sqrt(vi * c2) + eps))];
    });
    native!.adamStep(theta, g, m, v, next, lr, b1, b2, eps, c1, c2);
    want.forEach(([mi, vi, ti], i) => {
      expect(m[i]).toBe(mi);
      expect(v[i]).toBe(vi);
      expect(next[i]).toBe(ti);
    });
    expect(() => native!.adamStep(theta, g, m, new Float32Array(2), next, lr, b1, b2, eps, c1, c2)).toThrow(/adamStep: v has 2 elements, theta has 3/);
    expect(() => (native!.adamStep as unknown as (...a: unknown[]) => void)(theta, g, m, v, next, 'x', b1, b2, eps, c1, c2)).toThrow(/adamStep: lr must be a number/);
  });
});
