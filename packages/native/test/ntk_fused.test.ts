import { describe, expect, test } from 'vitest';
import { loadNative, nativeUnavailableReason } from '../src/index.js';
import { rng } from './rng.js';

// Runs when the addon is built (always in CI: NNPHYS_REQUIRE_NATIVE=1; see sgemm.test.ts).
const native = loadNative();

type Rule = [kind: 0 | 1, p: number, q: number];

/**
 * Independent per-pair reference (spec ntk §2.3): Sigma^0 = x.x'/d, Theta^0 = 0; dense: Sigma' = w2 Sigma + b2,
 * Theta' = w2 Theta + Sigma'; abRelu(a, b) through the arc-cosine kernels J0, J1 of Cho & Saul (2009).
 */
function reference(rules: Rule[], x1: Float64Array, n1: number, x2: Float64Array, n2: number, d: number) {
  const nngp = new Float64Array(n1 * n2);
  const ntk = new Float64Array(n1 * n2);
  const dot = (a: Float64Array, i: number, b: Float64Array, j: number) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += (a[i * d + k] as number) * (b[j * d + k] as number);
    return s / d;
  };
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      let s11 = dot(x1, i, x1, i);
      let s22 = dot(x2, j, x2, j);
      let s12 = dot(x1, i, x2, j);
      let t = 0;
      for (const [kind, p, q] of rules) {
        if (kind === 0) {
          s11 = p * s11 + q;
          s22 = p * s22 + q;
          s12 = p * s12 + q;
          t = p * t + s12;
        } else {
          const c2 = (q - p) * (q - p);
          const dual = (u: number, v: number, w: number): [number, number] => {
            const s = Math.sqrt(u * v);
            if (!(s > 0)) return [0, p * p + p * (q - p) * ((u > 0 ? 0.5 : 0) + (v > 0 ? 0.5 : 0))];
            const rho = Math.min(1, Math.max(-1, w / s));
            const th = Math.acos(rho);
            const j1 = (s / (2 * Math.PI)) * (Math.sin(th) + (Math.PI - th) * Math.cos(th));
            return [p * q * w + c2 * j1, p * p + p * (q - p) + (c2 * (Math.PI - th)) / (2 * Math.PI)];
          };
          const [k12, dphi] = dual(s11, s22, s12);
          s11 = dual(s11, s11, s11)[0];
          s22 = dual(s22, s22, s22)[0];
          s12 = k12;
          t *= dphi;
        }
      }
      nngp[i * n2 + j] = s12;
      ntk[i * n2 + j] = t;
    }
  }
  return { nngp, ntk };
}

/** Largest |a - b| relative to the scale sqrt(K(x, x) K(x', x')) of each entry (Cauchy-Schwarz bound of |K(x, x')|). */
function worstScaled(a: Float64Array, b: Float64Array, diag1: Float64Array, diag2: Float64Array, n1: number, n2: number): number {
  let worst = 0;
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      const scale = Math.sqrt((diag1[i] as number) * (diag2[j] as number)) + 1e-300;
      worst = Math.max(worst, Math.abs((a[i * n2 + j] as number) - (b[i * n2 + j] as number)) / scale);
    }
  }
  return worst;
}

const relu3: Rule[] = [[0, 2.25, 0.01], [1, 0, 1], [0, 2.25, 0.01], [1, 0, 1], [0, 2.25, 0.01], [1, 0, 1], [0, 2.25, 0.01]];
const mixed: Rule[] = [[0, 1.44, 0.25], [1, 0.3, -0.7], [0, 0.64, 0], [1, -1, 1], [0, 1, 0], [1, 0.2, 1], [0, 1, 0]];

describe.runIf(native !== null)('ntkFused', () => {
  test('is registered', () => {
    expect(native, nativeUnavailableReason() ?? '').not.toBeNull();
    expect(typeof native!.ntkFused).toBe('function');
  });

  // 150 rows: two full 64-row tiles and a partial one; a repeated row (rho = 1), a negated row (rho = -1) and a zero row.
  const d = 5;
  const next = rng(3);
  const rows = 150;
  const x = Float64Array.from({ length: rows * d }, next);
  x.copyWithin(146 * d, 3 * d, 4 * d);
  for (let k = 0; k < d; k++) x[147 * d + k] = -(x[7 * d + k] as number);
  x.fill(0, 148 * d, 149 * d);

  test.each([['relu depth 3', relu3], ['abRelu / abs / leaky mix', mixed]] as const)('%s: equals the per-pair reference, symmetric and cross, threads 1 and 2', (_name, rules) => {
    const r = Float64Array.from(rules.flat());
    const want = reference(rules as Rule[], x, rows, x, rows, d);
    const diag = (k: Float64Array) => Float64Array.from({ length: rows }, (_, i) => k[i * rows + i] as number);
    for (const threads of [1, 2]) {
      native!.setNumThreads(threads);
      const nngp = new Float64Array(rows * rows).fill(Number.NaN);
      const ntk = new Float64Array(rows * rows).fill(Number.NaN);
      native!.ntkFused(rows, rows, d, x, null, r, nngp, ntk);
      // The reference takes another (but mathematically equal) route: sin(theta) instead of sqrt(1 - rho^2),
      // per-pair variances instead of a table. Each differs by a few ulps per operation; with the
      // scale sqrt(K(x,x) K(x',x')) of an entry that stays far below 1e-12 (J1's cancellation near rho = -1
      // is relative to J1, not to the scale).
      expect(worstScaled(nngp, want.nngp, diag(want.nngp), diag(want.nngp), rows, rows)).toBeLessThan(1e-12);
      expect(worstScaled(ntk, want.ntk, diag(want.ntk), diag(want.ntk), rows, rows)).toBeLessThan(1e-12);
      // exactly symmetric (mirrored), finite, and the same bits as the cross call
      for (let i = 0; i < rows; i++) for (let j = 0; j < i; j++) expect(nngp[i * rows + j]).toBe(nngp[j * rows + i]);
      expect(nngp.every(Number.isFinite) && ntk.every(Number.isFinite)).toBe(true);
      const n1 = 70;
      const x1 = x.slice(0, n1 * d);
      const x2 = x.slice(60 * d);
      const n2 = rows - 60;
      const cn = new Float64Array(n1 * n2);
      const ct = new Float64Array(n1 * n2);
      native!.ntkFused(n1, n2, d, x1, x2, r, cn, ct);
      for (let i = 0; i < n1; i++) {
        for (let j = 0; j < n2; j++) {
          expect(cn[i * n2 + j]).toBe(nngp[i * rows + 60 + j]);
          expect(ct[i * n2 + j]).toBe(ntk[i * rows + 60 + j]);
        }
      }
    }
    native!.setNumThreads(2);
  });

  test('rho = -1 under relu gives exactly 0 after the first ReLU (no bias); the zero row gives Theta = 0', () => {
    const rules: Rule[] = [[0, 1.69, 0], [1, 0, 1], [0, 1.69, 0]];
    const v = Float64Array.of(0.3, -1.2, 0.8, -0.3, 1.2, -0.8, 0, 0, 0);
    const nngp = new Float64Array(9);
    const ntk = new Float64Array(9);
    native!.ntkFused(3, 3, 3, v, null, Float64Array.from(rules.flat()), nngp, ntk);
    const s1 = (1.69 * (0.09 + 1.44 + 0.64)) / 3;
    expect(nngp[1]).toBe(0);
    expect(ntk[1]).toBe(0);
    expect(nngp[0]).toBeCloseTo((1.69 * s1) / 2, 14);
    expect(ntk[8]).toBe(0);
    expect(nngp[8]).toBe(0);
  });

  test('writes nothing outside n1 x n2', () => {
    const out = new Float64Array(4 * 3 + 1).fill(7);
    const out2 = new Float64Array(4 * 3 + 1).fill(7);
    const next2 = rng(9);
    native!.ntkFused(4, 3, 2, Float64Array.from({ length: 8 }, next2), Float64Array.from({ length: 6 }, next2), Float64Array.from(relu3.flat()), out, out2);
    expect(out[12]).toBe(7);
    expect(out2[12]).toBe(7);
  });

  test('bad arguments are refused, naming them, before any work', () => {
    const r = Float64Array.from(relu3.flat());
    const x4 = new Float64Array(8);
    const o = () => new Float64Array(16);
    expect(() => native!.ntkFused(4, 4, 2, new Float64Array(7), null, r, o(), o())).toThrow(/ntkFused: x1 is too short: the product reads or writes element 7, the array has 7/);
    expect(() => native!.ntkFused(4, 4, 2, x4, new Float64Array(6), r, o(), o())).toThrow(/ntkFused: x2 is too short/);
    expect(() => native!.ntkFused(4, 4, 2, x4, null, r, new Float64Array(15), o())).toThrow(/ntkFused: nngp is too short/);
    expect(() => native!.ntkFused(4, 4, 2, x4, null, r, o(), new Float64Array(15))).toThrow(/ntkFused: ntk is too short/);
    expect(() => native!.ntkFused(4, 3, 2, x4, null, r, o(), o())).toThrow(/n2 must equal n1/);
    expect(() => native!.ntkFused(4, 4, 2, new Float32Array(8) as unknown as Float64Array, null, r, o(), o())).toThrow(/ntkFused: x1 must be a Float64Array/);
    expect(() => native!.ntkFused(4, 4, 2, x4, null, Float64Array.of(0, 1), o(), o())).toThrow(/rules must hold triples/);
    expect(() => native!.ntkFused(4, 4, 2, x4, null, Float64Array.of(2, 1, 1), o(), o())).toThrow(/ntkFused: rules\[0\] must be \(0 = affine \| 1 = abRelu/);
    expect(() => native!.ntkFused(4, 4, 2, x4, null, Float64Array.of(0, Number.NaN, 1), o(), o())).toThrow(/rules\[0\]/);
    expect(() => native!.ntkFused(-1, 4, 2, x4, null, r, o(), o())).toThrow(/ntkFused: n1 must be a non-negative integer/);
    const shared = new Float64Array(32);
    expect(() => native!.ntkFused(4, 4, 2, x4, null, r, shared.subarray(0, 16), shared.subarray(8, 24))).toThrow(/must not overlap/);
    expect(() => native!.ntkFused(4, 4, 2, shared.subarray(0, 8), null, r, shared.subarray(4, 20), o())).toThrow(/must not overlap/);
    expect(() => (native!.ntkFused as unknown as (...a: unknown[]) => void)(4, 4)).toThrow(/ntkFused: expected 8 arguments/);
  });
});
