import { NnphysError, Random, nativeStatus, setNativeEnabled } from '@nnphys/core';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { abRelu, abs, cyclicShiftGroup, dense, elementwise, erf, fitPowerLaw, gaussHermite, identity, leakyRelu, muPScales, relu, serial, tanh } from '../src/index.js';
import { inputState } from '../src/kernel_state.js';
import { erfDual } from '../src/layers/erf.js';
import { abReluDual } from '../src/layers/relu.js';
import { erf64, gaussLegendre, maxAbs, maxAbsDiff, randomMatrix } from './helpers.js';

// The analytic kernels are plain float64 JavaScript (no tfjs), so they are backend-independent.

const deep = (phi: () => ReturnType<typeof relu>, sigmaW = 1.5, sigmaB = 0.3, width = 64) =>
  serial(dense(width, { sigmaW, sigmaB }), phi(), dense(width, { sigmaW, sigmaB }), phi(), dense(width, { sigmaW, sigmaB }), phi(), dense(1, { sigmaW, sigmaB }));

/**
 * Random covariance triples (s11, s22, s12) with variances in [lo, hi], including strongly
 * correlated pairs. Exactly rho = +-1 is left to the endpoint test: there d theta / d rho is
 * infinite, so a 1e-16 rounding of rho moves the ReLU duals by ~1e-8 (theta ~ sqrt(2 (1 - rho))).
 */
function covariances(rng: Random, n: number, lo = 0.05, hi = 3): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let k = 0; k < n; k++) {
    const s11 = lo + (hi - lo) * rng.uniform();
    const s22 = lo + (hi - lo) * rng.uniform();
    const rho = k === 0 ? 0.999999 : k === 1 ? -0.999999 : 2 * rng.uniform() - 1;
    out.push([s11, s22, rho * Math.sqrt(s11 * s22)]);
  }
  return out;
}

describe('quadrature', () => {
  test('Gauss-Hermite integrates normal moments and e^{iz} exactly', () => {
    const { nodes, weights } = gaussHermite(40);
    const moment = (k: number) => nodes.reduce((s, z, i) => s + (weights[i] as number) * z ** k, 0);
    expect(moment(0)).toBeCloseTo(1, 14);
    expect(moment(2)).toBeCloseTo(1, 13);
    expect(moment(4)).toBeCloseTo(3, 12);
    expect(moment(6)).toBeCloseTo(15, 11);
    expect(Math.abs(moment(3))).toBeLessThan(1e-13);
    // E[cos z] = e^{-1/2}
    expect(nodes.reduce((s, z, i) => s + (weights[i] as number) * Math.cos(z), 0)).toBeCloseTo(Math.exp(-0.5), 14);
  });

  test('the erf reference helper matches tabulated values', () => {
    expect(erf64(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(erf64(1)).toBeCloseTo(0.8427007929497149, 14);
    expect(erf64(2)).toBeCloseTo(0.9953222650189527, 14);
    // 1 - erf64 is limited by the 1e-16 rounding of erf near 1
    expect(1 - erf64(3.5)).toBeCloseTo(7.430983723414128e-7, 15);
    expect(erf64(-1)).toBeCloseTo(-0.8427007929497149, 14);
  });
});

describe('closed-form duals', () => {
  test('ReLU-family duals equal an angular Gauss-Legendre integral (split at the kinks) to 1e-12', () => {
    // For positively homogeneous phi, (u, v) = r (sqrt(s11) cos a, sqrt(s22)(rho cos a + c sin a)) with
    // r ~ Rayleigh: E[phi(u)phi(v)] = (1/pi) int_0^2pi phi(.)phi(.) da, E[phi'phi'] = (1/2pi) int phi'(.)phi'(.) da.
    const { x: gx, w: gw } = gaussLegendre(40);
    const integrate = (f: (a: number) => number, breaks: number[]) => {
      const pts = [0, ...breaks.map((b) => ((b % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)).sort((p, q) => p - q), 2 * Math.PI];
      let s = 0;
      for (let k = 0; k + 1 < pts.length; k++) {
        const lo = pts[k] as number;
        const hi = pts[k + 1] as number;
        if (hi - lo < 1e-15) continue;
        for (let i = 0; i < gx.length; i++) s += ((hi - lo) / 2) * (gw[i] as number) * f(lo + ((hi - lo) / 2) * ((gx[i] as number) + 1));
      }
      return s;
    };
    const rng = new Random(11);
    const out = new Float64Array(2);
    for (const [a, b] of [[0, 1], [0.1, 1], [-1, 1], [0.3, -0.7], [1, 1]]) {
      const phi = (x: number) => (x > 0 ? b * x : a * x);
      const dphi = (x: number) => (x > 0 ? b : a);
      const dual = abReluDual(a, b);
      for (const [s11, s22, s12] of covariances(rng, 12)) {
        const r1 = Math.sqrt(s11);
        const r2 = Math.sqrt(s22);
        const rho = Math.max(-1, Math.min(1, s12 / (r1 * r2)));
        const c = Math.sqrt(1 - rho * rho);
        // kinks where u = 0 (a = pi/2, 3pi/2) and v = 0 (rho cos a + c sin a = 0)
        const av = Math.atan2(-rho, c);
        const breaks = [Math.PI / 2, (3 * Math.PI) / 2, av, av + Math.PI];
        const u = (t: number) => r1 * Math.cos(t);
        const v = (t: number) => r2 * (rho * Math.cos(t) + c * Math.sin(t));
        const ff = integrate((t) => phi(u(t)) * phi(v(t)), breaks) / Math.PI;
        const dd = integrate((t) => dphi(u(t)) * dphi(v(t)), breaks) / (2 * Math.PI);
        dual(s11, s22, s12, out);
        expect(Math.abs((out[0] as number) - ff)).toBeLessThan(1e-12 * Math.max(1, Math.abs(ff)));
        expect(Math.abs((out[1] as number) - dd)).toBeLessThan(1e-12);
      }
    }
  });

  test('erf duals equal 2-D Gauss-Hermite quadrature for variances below 1/2, to 1e-13', () => {
    // erf(a z) grows like e^{a^2 y^2} along the imaginary axis: against the N(0,1) weight, Gauss-Hermite
    // converges geometrically only for a^2 = s < 1/2 (larger variances: next test).
    const { nodes, weights } = gaussHermite(90);
    const rng = new Random(12);
    const out = new Float64Array(2);
    for (const [s11, s22, s12] of covariances(rng, 10, 0.05, 0.45)) {
      const a = Math.sqrt(s11);
      const b = Math.sqrt(s22);
      const rho = Math.max(-1, Math.min(1, s12 / (a * b)));
      const c = Math.sqrt(1 - rho * rho);
      let ff = 0;
      let dd = 0;
      for (let k = 0; k < nodes.length; k++) {
        for (let l = 0; l < nodes.length; l++) {
          const u = a * (nodes[k] as number);
          const v = b * (rho * (nodes[k] as number) + c * (nodes[l] as number));
          const w = (weights[k] as number) * (weights[l] as number);
          ff += w * erf64(u) * erf64(v);
          dd += (w * 4 * Math.exp(-u * u - v * v)) / Math.PI;
        }
      }
      erfDual(s11, s22, s12, out);
      expect(Math.abs((out[0] as number) - ff)).toBeLessThan(1e-13);
      expect(Math.abs((out[1] as number) - dd)).toBeLessThan(1e-13);
    }
  });

  test('erf duals equal a 1-D reduction integrated by composite Gauss-Legendre, any variance, to 1e-12', () => {
    // Integrating out z2 exactly: E[erf(m + s Z)] = erf(m / sqrt(1 + 2 s^2)) and
    // E[e^{-(m + s Z)^2}] = e^{-m^2 / (1 + 2 s^2)} / sqrt(1 + 2 s^2); the remaining smooth 1-D
    // Gaussian integral over z1 is done on [-14, 14] with 56 panels of 20 Gauss-Legendre points.
    const { x: gx, w: gw } = gaussLegendre(20);
    const integrate = (f: (z: number) => number) => {
      let sum = 0;
      const panels = 56;
      const h = 28 / panels;
      for (let p = 0; p < panels; p++) {
        const lo = -14 + p * h;
        for (let i = 0; i < gx.length; i++) {
          const z = lo + (h / 2) * ((gx[i] as number) + 1);
          sum += (h / 2) * (gw[i] as number) * f(z) * Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
        }
      }
      return sum;
    };
    const rng = new Random(14);
    const out = new Float64Array(2);
    for (const [s11, s22, s12] of covariances(rng, 12, 0.05, 6)) {
      const a = Math.sqrt(s11);
      const b = Math.sqrt(s22);
      const rho = s12 / (a * b);
      const sc = b * Math.sqrt(1 - rho * rho);
      const q = 1 + 2 * sc * sc;
      const ff = integrate((z) => erf64(a * z) * erf64((b * rho * z) / Math.sqrt(q)));
      const dd = integrate((z) => (4 / Math.PI) * Math.exp(-a * a * z * z) * Math.exp(-((b * rho * z) ** 2) / q) / Math.sqrt(q));
      erfDual(s11, s22, s12, out);
      expect(Math.abs((out[0] as number) - ff)).toBeLessThan(1e-12);
      expect(Math.abs((out[1] as number) - dd)).toBeLessThan(1e-12);
    }
  });

  test('elementwise() quadrature reproduces closed forms: sin exactly, relu approximately', () => {
    // E[sin u sin v] = e^{-(s11+s22)/2} sinh(s12), E[cos u cos v] = e^{-(s11+s22)/2} cosh(s12).
    const sinLayer = elementwise({ name: 'sin', apply: (x) => x, fn: Math.sin, derivative: Math.cos, quadraturePoints: 40 });
    const reluQ = elementwise({ name: 'reluQ', apply: (x) => x, fn: (x) => Math.max(x, 0), derivative: (x) => (x > 0 ? 1 : 0), quadraturePoints: 200 });
    const rng = new Random(13);
    const x = randomMatrix(rng, 5, 3);
    const ref = (phiLayer: ReturnType<typeof relu>) => phiLayer.kernel(inputState(Float64Array.from(x.flat()), 5, Float64Array.from(x.flat()), 5, 3, 'full'));
    const s0 = inputState(Float64Array.from(x.flat()), 5, Float64Array.from(x.flat()), 5, 3, 'full');
    const sinState = ref(sinLayer);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) {
        const p = i * 5 + j;
        const e = Math.exp(-((s0.var1[i] as number) + (s0.var2[j] as number)) / 2);
        expect(sinState.nngp[p]).toBeCloseTo(e * Math.sinh(s0.nngp[p] as number), 12);
      }
    }
    // The kink limits Gauss-Hermite to about 1e-4 with 200 points; this checks the plumbing, not the closed form.
    const q = ref(reluQ);
    const exact = ref(relu());
    expect(maxAbsDiff(q.nngp, exact.nngp)).toBeLessThan(2e-3 * maxAbs(Array.from(exact.nngp)));
  });
});

describe('architecture kernels', () => {
  const rng = new Random(21);
  const x = randomMatrix(rng, 9, 4);

  test.each([
    ['relu', relu],
    ['erf', erf],
    ['abs', abs],
    ['leakyRelu', () => leakyRelu(0.2)],
    ['identity', identity],
  ] as const)('%s: symmetric and positive semi-definite', (_name, phi) => {
    const { nngp, ntk } = deep(phi).kernel(x);
    for (const k of [nngp, ntk]) {
      for (let i = 0; i < k.length; i++) for (let j = 0; j < k.length; j++) expect(k[i]![j]).toBe(k[j]![i]);
      const ev = new EigenvalueDecomposition(new Matrix(k), { assumeSymmetric: true }).realEigenvalues;
      expect(Math.min(...ev)).toBeGreaterThan(-1e-12 * Math.max(...ev));
    }
  });

  test('kernel(x1, x2) is the off-diagonal block of kernel([x1; x2]); kernelDiagonal is its diagonal', () => {
    const arch = deep(relu);
    const x1 = x.slice(0, 4);
    const x2 = x.slice(4);
    const full = arch.kernel(x);
    const cross = arch.kernel(x1, x2);
    const block = (k: number[][]) => k.slice(0, 4).map((r) => r.slice(4));
    expect(maxAbsDiff(cross.ntk, block(full.ntk))).toBeLessThan(1e-14 * maxAbs(full.ntk));
    expect(maxAbsDiff(cross.nngp, block(full.nngp))).toBeLessThan(1e-14 * maxAbs(full.nngp));
    const diag = arch.kernelDiagonal(x);
    expect(diag.ntk).toEqual(full.ntk.map((r, i) => r[i]));
    expect(diag.nngp).toEqual(full.nngp.map((r, i) => r[i]));
  });

  test('ReLU without bias is positively homogeneous: K(cx, x\') = c K(x, x\')', () => {
    // Distinct x1 and x2: a pair with rho = 1 exactly would amplify rounding to ~1e-8 (see covariances()).
    const arch = deep(relu, 1.4, 0);
    const x1 = x.slice(0, 4);
    const x2 = x.slice(4);
    const k = arch.kernel(x1, x2);
    for (const c of [0.1, 3.7]) {
      const kc = arch.kernel(x1.map((r) => r.map((v) => c * v)), x2);
      for (const key of ['nngp', 'ntk'] as const) {
        expect(maxAbsDiff(kc[key], k[key].map((r) => r.map((v) => c * v)))).toBeLessThan(1e-13 * c * maxAbs(k[key]));
      }
    }
  });

  test('endpoints rho = +1 and rho = -1 (one hidden ReLU layer, no bias)', () => {
    const sw = 1.3;
    const arch = serial(dense(8, { sigmaW: sw }), relu(), dense(1, { sigmaW: sw }));
    const v = [0.3, -1.2, 0.8];
    const s1 = (sw * sw * v.reduce((s, a) => s + a * a, 0)) / 3;
    const same = arch.kernel([v], [v]);
    // rho = 1: E[relu(u)^2] = s/2, E[step^2] = 1/2; Sigma^2 = sw^2 s1 / 2, Theta^2 = s1 * sw^2/2 + Sigma^2.
    expect(same.nngp[0]![0]).toBeCloseTo((sw * sw * s1) / 2, 14);
    expect(same.ntk[0]![0]).toBeCloseTo((s1 * sw * sw) / 2 + (sw * sw * s1) / 2, 14);
    // rho = -1: relu(u) relu(-u) = 0 and step(u) step(-u) = 0
    const opposite = arch.kernel([v], [v.map((a) => -a)]);
    expect(opposite.nngp[0]![0]).toBe(0);
    expect(opposite.ntk[0]![0]).toBe(0);
  });

  test('deep linear network: identity layers give the linear recursions exactly', () => {
    const sw = 0.9;
    const sb = 0.4;
    const arch = serial(dense(5, { sigmaW: sw, sigmaB: sb }), identity(), dense(1, { sigmaW: sw, sigmaB: sb }));
    const a = [1, 2, -1, 0.5];
    const b = [0.2, -0.3, 0.7, 1.1];
    const s1 = (sw * sw * a.reduce((s, v, i) => s + v * (b[i] as number), 0)) / 4 + sb * sb;
    const s2 = sw * sw * s1 + sb * sb;
    const k = arch.kernel([a], [b]);
    expect(k.nngp[0]![0]).toBeCloseTo(s2, 14);
    expect(k.ntk[0]![0]).toBeCloseTo(sw * sw * s1 + s2, 14);
  });

  test('zero inputs without bias stay finite (no 0/0 in the arc-cosine)', () => {
    const k = deep(relu, 1.4, 0).kernel([[0, 0, 0, 0], [1, 2, 3, 4]]);
    for (const row of [...k.nngp, ...k.ntk]) for (const v of row) expect(Number.isFinite(v)).toBe(true);
    expect(k.ntk[0]![0]).toBe(0);
  });

  test('kernels are invariant under coordinate permutations of both inputs', () => {
    const g = cyclicShiftGroup(4);
    const arch = deep(erf);
    const k = arch.kernel(x);
    for (let e = 1; e < g.order; e++) {
      const kg = arch.kernel(x.map((r) => g.act(e, r)));
      expect(maxAbsDiff(kg.ntk, k.ntk)).toBeLessThan(1e-14 * maxAbs(k.ntk));
    }
  });

  test('abRelu(1, 1) is the identity and abRelu(0, 1) is relu', () => {
    expect(maxAbsDiff(deep(() => abRelu(1, 1)).kernel(x).ntk, deep(identity).kernel(x).ntk)).toBeLessThan(1e-13);
    expect(maxAbsDiff(deep(() => abRelu(0, 1)).kernel(x).ntk, deep(relu).kernel(x).ntk)).toBe(0);
  });
});

describe('fused kernel path in JavaScript (dense / identity / ReLU-family stacks)', () => {
  // kernel(x1, x2?) on such stacks runs the whole recursion per pair in one pass; layers copied with
  // a spread (or with a replaced kernel) are not recognised and take the layer-wise path.
  // The native accelerator is off here: this is the path of browsers and machines without a C compiler.
  beforeAll(() => setNativeEnabled(false));
  afterAll(() => setNativeEnabled(true));
  const layerWise = (arch: ReturnType<typeof serial>) => serial(...arch.layers.map((l) => ({ ...l })));
  const rng = new Random(5);
  // 150 rows: several 64-row tiles, a partial one; repeated and negated rows (rho = +-1) and a zero row
  const base = randomMatrix(rng, 146, 5);
  const x = [...base, base[3]!.slice(), base[7]!.map((v) => -v), [0, 0, 0, 0, 0], base[100]!.map((v) => 2.5 * v)];
  const archs: [string, ReturnType<typeof serial>][] = [
    ['relu', deep(relu)],
    ['relu, no bias', deep(relu, 1.4, 0)],
    ['leakyRelu', deep(() => leakyRelu(0.2))],
    ['abs', deep(abs)],
    ['abRelu(0.3, -0.7) with identity', serial(dense(8, { sigmaW: 1.2, sigmaB: 0.5 }), abRelu(0.3, -0.7), identity(), dense(8, { sigmaW: 0.8 }), relu(), dense(1))],
    ['nested serial', serial(serial(dense(8, { sigmaW: 1.5, sigmaB: 0.1 }), relu()), serial(dense(8, { sigmaW: 1.5, sigmaB: 0.1 }), relu()), dense(1))],
  ];

  test.each(archs)('%s: bit-identical to the layer-wise path (symmetric, cross and diagonal)', (_name, arch) => {
    const general = layerWise(arch);
    const fast = arch.kernel(x);
    const slow = general.kernel(x);
    expect(fast.nngp).toEqual(slow.nngp);
    expect(fast.ntk).toEqual(slow.ntk);
    const x1 = x.slice(0, 70);
    const x2 = x.slice(60);
    const fastCross = arch.kernel(x1, x2);
    expect(fastCross.nngp).toEqual(general.kernel(x1, x2).nngp);
    expect(fastCross.ntk).toEqual(general.kernel(x1, x2).ntk);
    // the cross block of the symmetric kernel, and the diagonal, to the last bit
    expect(fastCross.ntk).toEqual(fast.ntk.slice(0, 70).map((r) => r.slice(60)));
    const diag = arch.kernelDiagonal(x);
    expect(fast.ntk.map((r, i) => r[i])).toEqual(diag.ntk);
    expect(fast.nngp.map((r, i) => r[i])).toEqual(diag.nngp);
    for (const k of [fast.nngp, fast.ntk]) {
      for (const row of k) expect(row.every(Number.isFinite)).toBe(true);
      for (let i = 0; i < k.length; i++) for (let j = 0; j < i; j++) expect(k[i]![j]).toBe(k[j]![i]);
    }
  });

  test('the full float64 state through kernel(state) equals the fused result', () => {
    const arch = deep(relu);
    const n = x.length;
    const flat = Float64Array.from(x.flat());
    const s = arch.kernel(inputState(flat, n, flat, n, 5, 'full'));
    const k = arch.kernel(x);
    expect(Array.from(s.ntk)).toEqual(k.ntk.flat());
    expect(Array.from(s.nngp)).toEqual(k.nngp.flat());
  });

  test('a layer whose kernel was replaced is honoured (no fused path)', () => {
    const r = relu();
    let calls = 0;
    const spied = {
      ...r,
      kernel: (s: Parameters<typeof r.kernel>[0]) => {
        calls++;
        return r.kernel(s);
      },
    };
    const arch = serial(dense(8, { sigmaW: 1.5 }), spied, dense(1));
    const k = arch.kernel(x.slice(0, 10));
    expect(calls).toBeGreaterThan(0);
    expect(k.ntk).toEqual(serial(dense(8, { sigmaW: 1.5 }), relu(), dense(1)).kernel(x.slice(0, 10)).ntk);
    // patching the kernel of a registered layer in place also disables the fused path
    const patched = relu();
    (patched as { kernel: typeof r.kernel }).kernel = (s) => {
      calls = -1;
      return r.kernel(s);
    };
    serial(dense(4), patched, dense(1)).kernel(x.slice(0, 3));
    expect(calls).toBe(-1);
  });
});

// Without a C compiler the addon is not built and this block does not run (listed as skipped); CI requires it.
describe.runIf(nativeStatus().available || process.env.NNPHYS_REQUIRE_NATIVE === '1')('fused kernel path on @nnphys/native', () => {
  const rng = new Random(5);
  // 150 rows: two full 64-row tiles and a partial one; a repeated row (rho = +1 with row 3), a negated
  // row (rho = -1 with row 7), a zero row and a scaled row (rho = +1 with row 100, another norm)
  const base = randomMatrix(rng, 146, 5);
  const x = [...base, base[3]!.slice(), base[7]!.map((v) => -v), [0, 0, 0, 0, 0], base[100]!.map((v) => 2.5 * v)];
  const n = x.length;
  const archs: [string, ReturnType<typeof serial>][] = [
    ['relu', deep(relu)],
    ['relu, no bias', deep(relu, 1.4, 0)],
    ['leakyRelu', deep(() => leakyRelu(0.2))],
    ['abs', deep(abs)],
    ['abRelu(0.3, -0.7) with identity', serial(dense(8, { sigmaW: 1.2, sigmaB: 0.5 }), abRelu(0.3, -0.7), identity(), dense(8, { sigmaW: 0.8 }), relu(), dense(1))],
  ];
  const withNative = <T>(on: boolean, f: () => T): T => {
    setNativeEnabled(on);
    try {
      return f();
    } finally {
      setNativeEnabled(true);
    }
  };

  test('the addon is found in this workspace and offers ntkFused', () => {
    const status = nativeStatus();
    expect(status.available, status.reason ?? '').toBe(true);
    expect(status.enabled).toBe(true);
  });

  test.each(archs)('%s: agrees with the JavaScript path to a few ulps; rho = +-1 pairs and the diagonal exactly', (_name, arch) => {
    const fast = withNative(true, () => arch.kernel(x, { format: 'float64' }));
    const js = withNative(false, () => arch.kernel(x, { format: 'float64' }));
    expect(fast.shape).toEqual([n, n]);
    for (const key of ['nngp', 'ntk'] as const) {
      const a = fast[key];
      const b = js[key];
      // The two paths perform the same float64 operations in the same order except acos: libm's (C) and
      // V8's (fdlibm) are both faithfully rounded but differ in the last bit for some arguments. Through the
      // recursion (three ReLU layers, each a few ulps of amplification) that leaves a few ulps (measured
      // <= 1.5e-15) relative to the scale sqrt(K(x,x) K(x',x')), which bounds |K(x,x')| (Cauchy-Schwarz);
      // 1e-13 is ~450 ulps. Entries much smaller than their scale (cancellation in J1 near rho = -1, or
      // a leaky-ReLU NTK passing through zero) carry that absolute error, so only entries of at least 5% of
      // their scale (relative error <= 20x the scaled one; measured <= 2.7e-15) are also held to 1e-13 relative.
      let worstScaled = 0;
      let worstRelative = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const v = b[i * n + j] as number;
          const scale = Math.sqrt((b[i * n + i] as number) * (b[j * n + j] as number));
          const err = Math.abs((a[i * n + j] as number) - v);
          worstScaled = Math.max(worstScaled, err / (scale + 1e-300));
          if (v !== 0 && Math.abs(v) >= 0.05 * scale) worstRelative = Math.max(worstRelative, err / Math.abs(v));
        }
      }
      expect(worstScaled, key).toBeLessThan(1e-13);
      expect(worstRelative, key).toBeLessThan(1e-13);
      // rho = +1 (acos(1) = 0) and rho = -1 (acos(-1) = pi) are exact in both libraries: the same bits
      for (const [i, j] of [[146, 3], [147, 7], [149, 100], [148, 5], [5, 148]] as const) {
        expect(a[i * n + j], `${key} (${i}, ${j})`).toBe(b[i * n + j]);
      }
      for (let i = 0; i < n; i++) expect(a[i * n + i]).toBe(b[i * n + i]);
      // exactly symmetric and finite
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(a[i * n + j]).toBe(a[j * n + i]);
      expect(a.every(Number.isFinite)).toBe(true);
    }
    // the diagonal equals kernelDiagonal (the layer-wise rules in JavaScript) to the last bit
    const diag = arch.kernelDiagonal(x);
    expect(Array.from({ length: n }, (_, i) => fast.ntk[i * n + i])).toEqual(diag.ntk);
    expect(Array.from({ length: n }, (_, i) => fast.nngp[i * n + i])).toEqual(diag.nngp);
    // rows format and cross kernels: the same bits as the symmetric float64 result
    const rows = arch.kernel(x);
    expect(rows.ntk.flat()).toEqual(Array.from(fast.ntk));
    expect(rows.nngp.flat()).toEqual(Array.from(fast.nngp));
    const cross = arch.kernel(x.slice(0, 70), x.slice(60));
    expect(cross.ntk).toEqual(rows.ntk.slice(0, 70).map((r) => r.slice(60)));
    expect(cross.nngp).toEqual(rows.nngp.slice(0, 70).map((r) => r.slice(60)));
  });

  test('non-fused stacks (erf) ignore the addon', () => {
    const arch = deep(erf);
    expect(withNative(true, () => arch.kernel(x.slice(0, 20)))).toEqual(withNative(false, () => arch.kernel(x.slice(0, 20))));
  });
});

describe("kernel(x1, x2?, { format: 'float64' })", () => {
  const rng = new Random(8);
  const x1 = randomMatrix(rng, 7, 3);
  const x2 = randomMatrix(rng, 5, 3);
  // erf: the layer-wise path; relu: the fused path (JavaScript and native)
  test.each([['erf', erf], ['relu', relu]] as const)('%s: the same values as the number[][] rows, symmetric and cross', (_name, phi) => {
    for (const native of [false, true]) {
      setNativeEnabled(native);
      const arch = deep(phi);
      const sym = arch.kernel(x1, { format: 'float64' });
      expect(sym.nngp).toBeInstanceOf(Float64Array);
      expect(sym.shape).toEqual([7, 7]);
      const rows = arch.kernel(x1);
      expect(Array.from(sym.nngp)).toEqual(rows.nngp.flat());
      expect(Array.from(sym.ntk)).toEqual(rows.ntk.flat());
      const cross = arch.kernel(x1, x2, { format: 'float64' });
      expect(cross.shape).toEqual([7, 5]);
      const crossRows = arch.kernel(x1, x2);
      expect(Array.from(cross.ntk)).toEqual(crossRows.ntk.flat());
      expect(Array.from(arch.kernel(x1, undefined, { format: 'float64' }).ntk)).toEqual(Array.from(sym.ntk));
      expect(arch.kernel(x1, x2, { format: 'rows' })).toEqual(crossRows);
      expect(arch.kernel(x1, {})).toEqual(rows);
    }
    setNativeEnabled(true);
  });

  test('bad options', () => {
    const arch = deep(relu);
    expect(() => arch.kernel(x1, { format: 'float32' as 'float64' })).toThrow(/kernel: options.format must be 'rows' or 'float64', got float32/);
    expect(() => arch.kernel(x1, x2, 'float64' as unknown as { format: 'float64' })).toThrow(NnphysError);
    expect(() => arch.kernel(x1, x2, 'float64' as unknown as { format: 'float64' })).toThrow(/kernel: options must be an object/);
    expect(() => (arch.kernel as (...a: unknown[]) => unknown)(x1, { format: 'float64' }, { format: 'float64' })).toThrow(/pass options once/);
  });
});

describe('errors', () => {
  const arch = serial(dense(4), relu(), dense(1));
  test('an activation without a closed form throws and suggests erf and Monte Carlo', () => {
    const a = serial(dense(4), tanh(), dense(1));
    expect(() => a.kernel([[1, 2]])).toThrow(NnphysError);
    expect(() => a.kernel([[1, 2]])).toThrow(/erf\(\).*monteCarloKernel/s);
  });
  test('ragged, mismatched, empty and non-finite inputs', () => {
    expect(() => arch.kernel([[1, 2], [3]])).toThrow(/rectangular/);
    expect(() => arch.kernel([[1, 2]], [[1, 2, 3]])).toThrow(/x2 must have 2 columns/);
    expect(() => arch.kernel([])).toThrow(/at least one row/);
    expect(() => arch.kernel([[1, Number.NaN]])).toThrow(/finite/);
    expect(() => arch.kernelDiagonal([[1], [2, 3]])).toThrow(NnphysError);
  });
  test('bad layer options', () => {
    expect(() => dense(0)).toThrow(/width must be a positive integer/);
    expect(() => dense(3, { sigmaW: -1 })).toThrow(/sigmaW/);
    expect(() => dense(3, { sigmaB: -0.1 })).toThrow(/sigmaB/);
    expect(() => serial()).toThrow(/at least one layer/);
    expect(() => serial(dense(2), {} as never)).toThrow(/argument 1 must be a layer/);
    expect(() => elementwise({ name: 'x', apply: (t: unknown) => t, fn: Math.sin } as never)).toThrow(/derivative must be a function/);
  });
});

describe('muP scaling rules (004 eq. 1.10)', () => {
  test('exponents: hidden init ~ n^-1/2, readout init ~ n^-1, hidden learning rate constant, readout ~ n^-1/2', () => {
    const widths = [64, 256, 1024, 4096];
    const layers = widths.map((n) => muPScales([10, n, n, 1], { initConstant: 2, learningRateConstant: 0.1 }));
    const exponent = (l: number, key: 'initStd' | 'learningRate') => fitPowerLaw(widths, layers.map((s) => (s[l] as (typeof s)[number])[key])).exponent;
    // input layer (10 -> n): sigma = c / sqrt(10) (min{1, sqrt(n/10)} = 1), eta ~ sqrt(n)
    expect(exponent(0, 'initStd')).toBeCloseTo(0, 12);
    expect(exponent(0, 'learningRate')).toBeCloseTo(0.5, 12);
    expect(exponent(1, 'initStd')).toBeCloseTo(-0.5, 12);
    expect(exponent(1, 'learningRate')).toBeCloseTo(0, 12);
    expect(exponent(2, 'initStd')).toBeCloseTo(-1, 12);
    expect(exponent(2, 'learningRate')).toBeCloseTo(-0.5, 12);
    const s = muPScales([4, 16], { initConstant: 2, learningRateConstant: 0.1 })[0];
    expect(s).toEqual({ fanIn: 4, fanOut: 16, initStd: 1, learningRate: 0.2 });
  });
  test('bad input', () => {
    expect(() => muPScales([3])).toThrow(/at least the input and output/);
    expect(() => muPScales([3, 0])).toThrow(/widths\[1\]/);
    expect(() => muPScales([3, 4], { initConstant: -1 })).toThrow(/initConstant/);
  });
});
