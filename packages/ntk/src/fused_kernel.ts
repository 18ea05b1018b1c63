import { nativeKernels } from '@nnphys/core';
import type { Dual } from './kernel_state.js';
import type { Layer } from './layer.js';

/**
 * Internal fast path for `kernel(x1, x2?)` when every layer is dense, identity
 * or from the ReLU family (relu, abRelu, leakyRelu, abs): the Gram entries and
 * the whole recursion are computed for runs of at most 64 pairs at a time
 * (64 x 64 tiles of the upper triangle when x2 = x1), straight into the output
 * rows, with no sweeps over pair-sized float64 state.
 *
 * It performs exactly the floating-point operations of the layer-wise rules
 * (`dense`'s kernel and `abReluDual` through `applyDual`), in the same order,
 * so both paths give bit-identical kernels (tested); in particular the
 * diagonal equals `kernelDiagonal` exactly and rho = +-1 pairs stay exact.
 *
 * When the optional native accelerator (@nnphys/native, found at run time by
 * core's `nativeKernels()`, never imported here) offers `ntkFused`, the same
 * computation runs there in C over threads; it performs the same operations
 * except that libm's acos replaces V8's (they differ in the last bit now and
 * then), see `nativeFused`.
 */
export type FusedRule =
  | { readonly kind: 'affine'; readonly w2: number; readonly b2: number }
  /** `dual` is abReluDual(a, b), used for the O(n) per-input variances. */
  | { readonly kind: 'abRelu'; readonly a: number; readonly b: number; readonly dual: Dual }
  | { readonly kind: 'identity' };

// Keyed by the layer object, and valid only while its `kernel` is the one registered: a copied or
// patched layer ({ ...dense(8), kernel }) falls back to the general layer-wise path.
const registry = new WeakMap<Layer, { rule: FusedRule; kernel: Layer['kernel'] }>();

/** Marks a built-in layer as eligible for the fused path (internal; not exported from the package). */
export function withFusedRule<L extends Layer>(layer: L, rule: FusedRule): L {
  registry.set(layer, { rule, kernel: layer.kernel });
  return layer;
}

/** The fused rules of the layers (identities dropped: they are exact no-ops), or null when any layer has none. */
export function fusedRules(layers: readonly Layer[]): FusedRule[] | null {
  const out: FusedRule[] = [];
  for (const l of layers) {
    const r = registry.get(l);
    if (r === undefined || r.kernel !== l.kernel) return null;
    if (r.rule.kind !== 'identity') out.push(r.rule);
  }
  return out;
}

const AFFINE = 0;
const AB_RELU = 1;
/** Rows and columns per tile: the mirrored writes of a symmetric kernel stay within 64 rows at a time. */
const TILE = 64;

/** Per-input variances Sigma(x, x) entering each activation (the `var1` of the layer-wise state), layer-major. */
function activationVariances(rules: readonly FusedRule[], duals: readonly (Dual | null)[], x: Float64Array, n: number, d: number, activations: number): Float64Array {
  const table = new Float64Array(activations * n);
  const out = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    // as inputState's sqnorms
    let s = 0;
    for (let k = 0; k < d; k++) {
      const a = x[i * d + k] as number;
      s += a * a;
    }
    let v = s / d;
    let r = 0;
    for (let l = 0; l < rules.length; l++) {
      const rule = rules[l] as FusedRule;
      if (rule.kind === 'affine') v = rule.w2 * v + rule.b2;
      else if (rule.kind === 'abRelu') {
        table[r * n + i] = v;
        r++;
        (duals[l] as Dual)(v, v, v, out);
        v = out[0] as number;
      }
    }
  }
  return table;
}

/** A row of n doubles to slice() result rows from (a memcpy into a packed double array). */
function doubleRow(n: number): number[] {
  const row: number[] = [];
  for (let j = 0; j < n; j++) row.push(0.5);
  return row;
}

/** Row-major n1 x n2 kernels. */
export interface FlatKernels {
  nngp: Float64Array;
  ntk: Float64Array;
}

type NtkFusedFn = (n1: number, n2: number, d: number, x1: Float64Array, x2: Float64Array | null, rules: Float64Array, nngp: Float64Array, ntk: Float64Array) => void;

/**
 * @nnphys/native's `ntkFused` when core found the addon and it is enabled (`setNativeEnabled`, NNPHYS_NATIVE),
 * else null. Checked structurally: core's `NativeKernels` type lists only what core itself calls, and an
 * older addon build may lack the function.
 */
function nativeFused(): NtkFusedFn | null {
  const k = nativeKernels() as unknown as { ntkFused?: unknown } | null;
  if (k === null || typeof k.ntkFused !== 'function') return null;
  return k.ntkFused as NtkFusedFn;
}

/** The rules as the addon's (kind, p, q) triples: 0 = affine (w2, b2), 1 = abRelu (a, b). */
function encodeRules(rules: readonly FusedRule[]): Float64Array {
  const out = new Float64Array(3 * rules.length);
  rules.forEach((r, l) => {
    if (r.kind === 'affine') out.set([AFFINE, r.w2, r.b2], 3 * l);
    else if (r.kind === 'abRelu') out.set([AB_RELU, r.a, r.b], 3 * l);
    else throw new Error(`fusedKernel: unexpected rule ${r.kind}`);
  });
  return out;
}

/** number[][] rows of a row-major matrix (a packed-double template sliced per row, then filled). */
export function toRows(flat: Float64Array, n1: number, n2: number): number[][] {
  const template = doubleRow(n2);
  const out: number[][] = new Array(n1);
  for (let i = 0; i < n1; i++) {
    const row = template.slice();
    const o = i * n2;
    for (let j = 0; j < n2; j++) row[j] = flat[o + j] as number;
    out[i] = row;
  }
  return out;
}

/**
 * NNGP and NTK between the rows of x1 (n1 x d, row-major) and x2 (n2 x d), or of x1 with itself when x2 is
 * null (the upper triangle is computed and mirrored, so the result is exactly symmetric).
 * 'rows' gives number[][] (the documented `kernel` result), 'float64' row-major Float64Arrays.
 */
export function fusedKernel(rules: readonly FusedRule[], x1: Float64Array, n1: number, x2: Float64Array | null, n2: number, d: number, format: 'rows'): { nngp: number[][]; ntk: number[][] };
export function fusedKernel(rules: readonly FusedRule[], x1: Float64Array, n1: number, x2: Float64Array | null, n2: number, d: number, format: 'float64'): FlatKernels;
export function fusedKernel(rules: readonly FusedRule[], x1: Float64Array, n1: number, x2: Float64Array | null, n2: number, d: number, format: 'rows' | 'float64'): { nngp: number[][]; ntk: number[][] } | FlatKernels {
  const native = nativeFused();
  if (native !== null) {
    const nngp = new Float64Array(n1 * n2);
    const ntk = new Float64Array(n1 * n2);
    native(n1, n2, d, x1, x2, encodeRules(rules), nngp, ntk);
    return format === 'float64' ? { nngp, ntk } : { nngp: toRows(nngp, n1, n2), ntk: toRows(ntk, n1, n2) };
  }
  return format === 'float64' ? fusedKernelJS(rules, x1, n1, x2, n2, d, true) : fusedKernelJS(rules, x1, n1, x2, n2, d, false);
}

function fusedKernelJS(rules: readonly FusedRule[], x1: Float64Array, n1: number, x2: Float64Array | null, n2: number, d: number, flat: true): FlatKernels;
function fusedKernelJS(rules: readonly FusedRule[], x1: Float64Array, n1: number, x2: Float64Array | null, n2: number, d: number, flat: false): { nngp: number[][]; ntk: number[][] };
function fusedKernelJS(rules: readonly FusedRule[], x1: Float64Array, n1: number, x2: Float64Array | null, n2: number, d: number, flat: boolean): { nngp: number[][]; ntk: number[][] } | FlatKernels {
  const symmetric = x2 === null;
  const xb = x2 ?? x1;
  const nOps = rules.length;
  const kind = new Int32Array(nOps);
  // affine: p0 = w2, p1 = b2. abRelu: p0 = a b, p1 = (b - a)^2, p2 = a^2, p3 = a (b - a), p4 = a^2 + a (b - a).
  const p0 = new Float64Array(nOps);
  const p1 = new Float64Array(nOps);
  const p2 = new Float64Array(nOps);
  const p3 = new Float64Array(nOps);
  const p4 = new Float64Array(nOps);
  const duals: (Dual | null)[] = [];
  let activations = 0;
  for (let l = 0; l < nOps; l++) {
    const rule = rules[l] as FusedRule;
    if (rule.kind === 'affine') {
      kind[l] = AFFINE;
      p0[l] = rule.w2;
      p1[l] = rule.b2;
      duals.push(null);
    } else if (rule.kind === 'abRelu') {
      const { a, b } = rule;
      kind[l] = AB_RELU;
      // the constants of abReluDual, computed the same way
      p0[l] = a * b;
      p1[l] = (b - a) * (b - a);
      p2[l] = a * a;
      p3[l] = a * (b - a);
      p4[l] = a * a + a * (b - a);
      duals.push(rule.dual);
      activations++;
    } else {
      throw new Error(`fusedKernel: unexpected rule ${rule.kind}`);
    }
  }
  const var1 = activationVariances(rules, duals, x1, n1, d, activations);
  const var2 = symmetric ? var1 : activationVariances(rules, duals, xb, n2, d, activations);

  // exactly one of the two output forms
  const flatK = flat ? new Float64Array(n1 * n2) : null;
  const flatT = flat ? new Float64Array(n1 * n2) : null;
  const nngp: number[][] = flat ? [] : new Array(n1);
  const ntk: number[][] = flat ? [] : new Array(n1);
  if (!flat) {
    const template = doubleRow(n2);
    for (let i = 0; i < n1; i++) {
      nngp[i] = template.slice();
      ntk[i] = template.slice();
    }
  }

  // x2 transposed (d x n2): the Gram entries of a row against a run of columns accumulate column-wise,
  // each over k = 0..d-1 in order as in inputState, without a serial dependency between columns.
  const xt = new Float64Array(d * n2);
  for (let j = 0; j < n2; j++) for (let k = 0; k < d; k++) xt[k * n2 + j] = xb[j * d + k] as number;
  const bufK = new Float64Array(TILE);
  const bufT = new Float64Array(TILE);
  const pi = Math.PI;
  const inv2pi = 1 / (2 * Math.PI);
  for (let bi = 0; bi < n1; bi += TILE) {
    const iEnd = Math.min(bi + TILE, n1);
    for (let bj = symmetric ? bi : 0; bj < n2; bj += TILE) {
      const jEnd = Math.min(bj + TILE, n2);
      for (let i = bi; i < iEnd; i++) {
        // columns c0 <= j < jEnd of row i (the upper triangle only when symmetric)
        const c0 = symmetric && i > bj ? i : bj;
        const m = jEnd - c0;
        if (m <= 0) continue;
        // Gram entries, four columns at a time in registers (four independent addition chains)
        const oi = i * d;
        let t = 0;
        for (; t + 4 <= m; t += 4) {
          let g0 = 0;
          let g1 = 0;
          let g2 = 0;
          let g3 = 0;
          for (let k = 0, o = c0 + t; k < d; k++, o += n2) {
            const a = x1[oi + k] as number;
            g0 += a * (xt[o] as number);
            g1 += a * (xt[o + 1] as number);
            g2 += a * (xt[o + 2] as number);
            g3 += a * (xt[o + 3] as number);
          }
          bufK[t] = g0 / d;
          bufK[t + 1] = g1 / d;
          bufK[t + 2] = g2 / d;
          bufK[t + 3] = g3 / d;
        }
        for (; t < m; t++) {
          let g = 0;
          for (let k = 0, o = c0 + t; k < d; k++, o += n2) g += (x1[oi + k] as number) * (xt[o] as number);
          bufK[t] = g / d;
        }
        bufT.fill(0, 0, m);
        let r = 0;
        for (let l = 0; l < nOps; l++) {
          if (kind[l] === AFFINE) {
            // dense: Sigma' = w2 Sigma + b2, Theta' = w2 Theta + Sigma'
            const w2 = p0[l] as number;
            const b2 = p1[l] as number;
            for (let t = 0; t < m; t++) {
              const s12 = w2 * (bufK[t] as number) + b2;
              bufK[t] = s12;
              bufT[t] = w2 * (bufT[t] as number) + s12;
            }
          } else {
            // abReluDual(a, b)(s11, s22, s12), then Theta <- Theta E[phi' phi']
            const ab = p0[l] as number;
            const c2 = p1[l] as number;
            const a2 = p2[l] as number;
            const cross = p3[l] as number;
            const a2cross = p4[l] as number;
            const s11 = var1[r * n1 + i] as number;
            const v2 = r * n2 + c0;
            r++;
            for (let t = 0; t < m; t++) {
              const s12 = bufK[t] as number;
              const s22 = var2[v2 + t] as number;
              const s = Math.sqrt(s11 * s22);
              if (!(s > 0)) {
                bufK[t] = 0;
                bufT[t] = (bufT[t] as number) * (a2 + cross * ((s11 > 0 ? 0.5 : 0) + (s22 > 0 ? 0.5 : 0)));
                continue;
              }
              let rho = s12 / s;
              if (rho > 1) rho = 1;
              else if (rho < -1) rho = -1;
              const theta = Math.acos(rho);
              const j0 = (pi - theta) * inv2pi;
              const j1 = s * inv2pi * (Math.sqrt(1 - rho * rho) + (pi - theta) * rho);
              bufK[t] = ab * s12 + c2 * j1;
              bufT[t] = (bufT[t] as number) * (a2cross + c2 * j0);
            }
          }
        }
        if (flatK !== null && flatT !== null) {
          flatK.set(bufK.subarray(0, m), i * n2 + c0);
          flatT.set(bufT.subarray(0, m), i * n2 + c0);
          if (symmetric) {
            for (let t = 0, o = (c0 * n2) + i; t < m; t++, o += n2) {
              flatK[o] = bufK[t] as number;
              flatT[o] = bufT[t] as number;
            }
          }
          continue;
        }
        const rowK = nngp[i] as number[];
        const rowT = ntk[i] as number[];
        for (let t = 0; t < m; t++) {
          rowK[c0 + t] = bufK[t] as number;
          rowT[c0 + t] = bufT[t] as number;
        }
        if (symmetric) {
          for (let t = 0; t < m; t++) {
            (nngp[c0 + t] as number[])[i] = bufK[t] as number;
            (ntk[c0 + t] as number[])[i] = bufT[t] as number;
          }
        }
      }
    }
  }
  return flatK !== null && flatT !== null ? { nngp: flatK, ntk: flatT } : { nngp, ntk };
}
