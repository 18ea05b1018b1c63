import type { TensorInfo } from '@tensorflow/tfjs-core';
import { type KernelArgs, type NumericArray, withArrays } from '@nnphys/core';
import type { NormKind, Normalization } from '../norms/kinds.js';
import { gemm } from './dense.js';
import { sortGroups } from './group_sort_kernels.js';
import { normalizeBackward, normalizeForward } from './normalize_kernels.js';

/**
 * A whole LipschitzNetwork (or MonotonicNetwork) as one forward kernel and one
 * backward kernel, so a training step costs a handful of engine calls instead
 * of ~100:
 *   W'_l = Norm(w_l) (Algorithm 1 of 004, reparam mode) or w_l (project mode),
 *   z_l = h_l W'_l + b_l,  h_{l+1} = GroupSort(z_l) or relu(z_l)  (eqs. 2.5, 2.9),
 *   y = z_{m-1} + x r   (the monotonic residual lambda sum_i c_i x_i of eq. 2.3, when given).
 * The forward kernel also returns a float32 "tape" holding what the backward
 * needs (a copy of x, the raw and normalised weights, every hidden activation
 * and GroupSort permutation, r), so the backward never depends on tensors the
 * caller may have disposed. Products run on @nnphys/native's SGEMM when
 * available (see dense.ts), otherwise in JavaScript.
 */
export const NetworkForwardKernel = 'NnphysLipschitzNetworkForward';
export const NetworkBackwardKernel = 'NnphysLipschitzNetworkBackward';

export interface NetworkAttrs {
  /** n_0 (inputs), hidden widths, n_m (outputs). */
  widths: number[];
  kinds: NormKind[];
  normalizations: Normalization[];
  /** Effective (float32-safe) budget per layer. */
  budgets: number[];
  /** Reparameterised weights (Norm applied and differentiated) vs used as they are (project mode). */
  reparam: boolean;
  activation: 'groupsort' | 'relu';
  /** GroupSort group size per hidden layer. */
  groupSizes: number[];
  bias: boolean;
  residual: boolean;
}

export interface TapeLayout {
  x: number;
  /** Raw weights (same offsets as `weight` in project mode). */
  raw: number[];
  weight: number[];
  /** Post-activation h_l of hidden layer l = 1..m-1 (index l - 1). */
  hidden: number[];
  /** Permutations (int32 bit patterns) of hidden layer l = 1..m-1; -1 for relu. */
  perm: number[];
  residual: number;
  size: number;
}

export function tapeLayout(a: NetworkAttrs, batch: number): TapeLayout {
  const { widths } = a;
  const m = widths.length - 1;
  let off = 0;
  const x = off;
  off += batch * (widths[0] as number);
  const raw: number[] = [];
  const weight: number[] = [];
  for (let l = 0; l < m; l++) {
    weight.push(off);
    off += (widths[l] as number) * (widths[l + 1] as number);
  }
  for (let l = 0; l < m; l++) {
    if (a.reparam) {
      raw.push(off);
      off += (widths[l] as number) * (widths[l + 1] as number);
    } else {
      raw.push(weight[l] as number);
    }
  }
  const hidden: number[] = [];
  const perm: number[] = [];
  for (let l = 1; l < m; l++) {
    hidden.push(off);
    off += batch * (widths[l] as number);
    if (a.activation === 'groupsort') {
      perm.push(off);
      off += batch * (widths[l] as number);
    } else {
      perm.push(-1);
    }
  }
  const residual = off;
  if (a.residual) off += (widths[0] as number) * (widths[m] as number);
  return { x, raw, weight, hidden, perm, residual, size: off };
}

/** Reusable JS-heap work arrays (kernels are synchronous and never nested, so one set suffices). */
const scratch: Float32Array[] = [];
function work(slot: number, size: number): Float32Array {
  let s = scratch[slot];
  if (s === undefined || s.length < size) {
    s = new Float32Array(Math.max(size, 2 * (s?.length ?? 0)));
    scratch[slot] = s;
  }
  return s;
}

function intView(a: Float32Array, offset: number, length: number): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset + 4 * offset, length);
}

let colAcc = new Float64Array(64);
function colAccumulator(n: number): Float64Array {
  if (colAcc.length < n) colAcc = new Float64Array(n);
  colAcc.fill(0, 0, n);
  return colAcc;
}

function addBias(z: Float32Array, b: Float32Array, rows: number, width: number): void {
  for (let i = 0; i < rows; i++) {
    const o = i * width;
    for (let j = 0; j < width; j++) z[o + j] = (z[o + j] as number) + (b[j] as number);
  }
}

/** h = GroupSort(z + b) with the permutation (eq. 2.9): bias in place, then sortGroups (native or JS). */
function biasSortGroups(z: Float32Array, b: Float32Array | null, h: Float32Array, perm: Int32Array, width: number, groupSize: number): void {
  if (b) addBias(z, b, z.length / width, width);
  sortGroups(z, h, perm, width, groupSize);
}

function biasRelu(z: Float32Array, b: Float32Array | null, h: Float32Array, width: number): void {
  if (b) addBias(z, b, z.length / width, width);
  for (let i = 0; i < z.length; i++) h[i] = Math.max(z[i] as number, 0);
}

function columnSums(d: Float32Array, out: Float32Array, rows: number, width: number): void {
  const acc = colAccumulator(width);
  for (let i = 0; i < rows; i++) {
    const o = i * width;
    for (let j = 0; j < width; j++) acc[j] = (acc[j] as number) + (d[o + j] as number);
  }
  for (let j = 0; j < width; j++) out[j] = acc[j] as number;
}

/** dz[row, perm[row, k]] = dh[row, k] (the transposed permutation) and, when asked, db = column sums of dz. */
function unpermuteSum(dh: Float32Array, perm: Int32Array, dz: Float32Array, db: Float32Array | null, rows: number, width: number): void {
  if (db) {
    const acc = colAccumulator(width);
    for (let r = 0; r < rows; r++) {
      const o = r * width;
      for (let k = 0; k < width; k++) {
        const p = perm[o + k] as number;
        const v = dh[o + k] as number;
        dz[o + p] = v;
        acc[p] = (acc[p] as number) + v;
      }
    }
    for (let j = 0; j < width; j++) db[j] = acc[j] as number;
    return;
  }
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    for (let k = 0; k < width; k++) dz[o + (perm[o + k] as number)] = dh[o + k] as number;
  }
}

/** dz = dh where h > 0 (relu'(0) = 0, as tfjs), and db = column sums of dz when asked. */
function reluMaskSum(dh: Float32Array, tape: Float32Array, hidden: number, dz: Float32Array, db: Float32Array | null, rows: number, width: number): void {
  const acc = db ? colAccumulator(width) : null;
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    for (let k = 0; k < width; k++) {
      const v = (tape[hidden + o + k] as number) > 0 ? (dh[o + k] as number) : 0;
      dz[o + k] = v;
      if (acc) acc[k] = (acc[k] as number) + v;
    }
  }
  if (db && acc) for (let j = 0; j < width; j++) db[j] = acc[j] as number;
}

export interface ForwardInputs {
  x: Float32Array;
  weights: Float32Array[];
  biases: Float32Array[];
  residual: Float32Array | null;
}

/**
 * The forward pass into `y` ([batch, n_m]); fills `tape` (laid out by
 * tapeLayout) when given, else works in scratch memory.
 */
export function networkForward(ins: ForwardInputs, y: Float32Array, tape: Float32Array | null, batch: number, a: NetworkAttrs): void {
  const { widths } = a;
  const m = widths.length - 1;
  const n0 = widths[0] as number;
  const layout = tape ? tapeLayout(a, batch) : null;
  if (tape && layout) tape.set(ins.x.subarray(0, batch * n0), layout.x);
  let h = ins.x;
  let hOff = 0;
  for (let l = 0; l < m; l++) {
    const nIn = widths[l] as number;
    const nOut = widths[l + 1] as number;
    const w = ins.weights[l] as Float32Array;
    const size = nIn * nOut;
    // W'_l: in the tape, or in scratch slot 0 (inference)
    const wArr = tape ?? work(0, size);
    const wOff = layout ? (layout.weight[l] as number) : 0;
    const wView = wArr.subarray(wOff, wOff + size);
    if (a.reparam) {
      normalizeForward(w, wView, nIn, nOut, { kind: a.kinds[l] as NormKind, normalization: a.normalizations[l] as Normalization, budget: a.budgets[l] as number });
      if (tape && layout) tape.set(w.subarray(0, size), layout.raw[l] as number);
    } else {
      wView.set(w.subarray(0, size));
    }
    const last = l === m - 1;
    // z_l = h_l W'_l: straight into y for the last layer, else into scratch slot 1
    const z = last ? y : work(1, batch * nOut);
    gemm(batch, nOut, nIn, h, hOff, nIn, 1, wArr, wOff, nOut, 1, z, 0);
    const bias = a.bias ? (ins.biases[l] as Float32Array) : null;
    if (last) {
      if (bias) addBias(z, bias, batch, nOut);
      break;
    }
    const count = batch * nOut;
    // h_{l+1} into the tape (or scratch slots 2/3 alternating, so h_l is not overwritten while read)
    const hArr = tape ?? work(2 + (l % 2), count);
    const hNext = layout ? (layout.hidden[l] as number) : 0;
    const hView = hArr.subarray(hNext, hNext + count);
    const zView = z.subarray(0, count);
    if (a.activation === 'groupsort') {
      const permOff = layout ? (layout.perm[l] as number) : 0;
      const perm = tape ? intView(tape, permOff, count) : intView(work(4, count), 0, count);
      biasSortGroups(zView, bias, hView, perm, nOut, a.groupSizes[l] as number);
    } else {
      biasRelu(zView, bias, hView, nOut);
    }
    h = hArr;
    hOff = hNext;
  }
  if (a.residual && ins.residual) {
    // y += x r  (eq. 2.3), r: [n_0, n_m]
    const r = ins.residual;
    const nOut = widths[m] as number;
    const x = ins.x;
    for (let i = 0; i < batch; i++) {
      for (let o = 0; o < nOut; o++) {
        let s = 0;
        for (let k = 0; k < n0; k++) s += (x[i * n0 + k] as number) * (r[k * nOut + o] as number);
        y[i * nOut + o] = (y[i * nOut + o] as number) + s;
      }
    }
    if (tape && layout) tape.set(r.subarray(0, n0 * nOut), layout.residual);
  }
}

export interface BackwardOutputs {
  dx: Float32Array;
  dw: Float32Array[];
  db: Float32Array[];
}

/**
 * Reverse-mode pass from dy ([batch, n_m]) through the tape: the gradients
 * w.r.t. x, the raw weights (through Norm in reparam mode) and the biases.
 */
export function networkBackward(dy: Float32Array, tape: Float32Array, out: BackwardOutputs, batch: number, a: NetworkAttrs): void {
  const { widths } = a;
  const m = widths.length - 1;
  const n0 = widths[0] as number;
  const layout = tapeLayout(a, batch);
  let dz = dy;
  for (let l = m - 1; l >= 0; l--) {
    const nIn = widths[l] as number;
    const nOut = widths[l + 1] as number;
    const size = nIn * nOut;
    // h_l: x for the first layer, else the stored activation
    const hOff = l === 0 ? layout.x : (layout.hidden[l - 1] as number);
    const dw = out.dw[l] as Float32Array;
    // dW'_l = h_l^T dz_l
    const dWp = a.reparam ? work(0, size) : dw;
    gemm(nIn, nOut, batch, tape, hOff, 1, nIn, dz, 0, nOut, 1, dWp, 0);
    if (a.reparam) {
      const rawOff = layout.raw[l] as number;
      normalizeBackward(tape.subarray(rawOff, rawOff + size), dWp.subarray(0, size), dw, nIn, nOut, {
        kind: a.kinds[l] as NormKind,
        normalization: a.normalizations[l] as Normalization,
        budget: a.budgets[l] as number,
      });
    }
    if (a.bias && l === m - 1) columnSums(dz, out.db[l] as Float32Array, batch, nOut);
    // dh_l = dz_l W'_l^T
    const dh = l === 0 ? out.dx : work(1, batch * nIn);
    gemm(batch, nIn, nOut, dz, 0, nOut, 1, tape, layout.weight[l] as number, 1, nOut, dh, 0);
    if (l === 0) break;
    // through the activation of hidden layer l: the transposed permutation, or the relu mask
    const count = batch * nIn;
    const next = work(2 + (l % 2), count);
    const hidden = layout.hidden[l - 1] as number;
    const db = a.bias ? (out.db[l - 1] as Float32Array) : null;
    if (a.activation === 'groupsort') {
      unpermuteSum(dh, intView(tape, layout.perm[l - 1] as number, count), next, db, batch, nIn);
    } else {
      reluMaskSum(dh, tape, hidden, next, db, batch, nIn);
    }
    dz = next;
  }
  if (a.residual) {
    // dx += dy r^T
    const nOut = widths[m] as number;
    const r = layout.residual;
    const { dx } = out;
    for (let i = 0; i < batch; i++) {
      for (let k = 0; k < n0; k++) {
        let s = 0;
        for (let o = 0; o < nOut; o++) s += (dy[i * nOut + o] as number) * (tape[r + k * nOut + o] as number);
        dx[i * n0 + k] = (dx[i * n0 + k] as number) + s;
      }
    }
  }
}

export function readNetworkAttrs(attrs: Record<string, unknown>): NetworkAttrs {
  return {
    widths: attrs.widths as number[],
    kinds: attrs.kinds as NormKind[],
    normalizations: attrs.normalizations as Normalization[],
    budgets: attrs.budgets as number[],
    reparam: attrs.reparam as boolean,
    activation: attrs.activation as 'groupsort' | 'relu',
    groupSizes: attrs.groupSizes as number[],
    bias: attrs.bias as boolean,
    residual: attrs.residual as boolean,
  };
}

/** Input names: x, w0..w{m-1}, b0..b{m-1} (with bias), r (with residual). */
export function networkInputNames(a: NetworkAttrs): string[] {
  const m = a.widths.length - 1;
  const names = ['x'];
  for (let l = 0; l < m; l++) names.push(`w${l}`);
  if (a.bias) for (let l = 0; l < m; l++) names.push(`b${l}`);
  if (a.residual) names.push('r');
  return names;
}

export function networkForwardKernel(backendName: string) {
  return ({ inputs, backend, attrs }: KernelArgs): TensorInfo[] => {
    const a = readNetworkAttrs(attrs);
    const record = attrs.record as boolean;
    const m = a.widths.length - 1;
    const infos = networkInputNames(a).map((name) => inputs[name] as TensorInfo);
    const batch = (infos[0] as TensorInfo).shape[0] as number;
    const outputs = [{ shape: [batch, a.widths[m] as number], dtype: 'float32' as const, overwritten: true }];
    if (record) outputs.push({ shape: [tapeLayout(a, batch).size], dtype: 'float32', overwritten: true });
    return withArrays(backendName, backend, infos, outputs, (ins, outs) => {
      const f = ins as Float32Array[];
      let i = 1;
      const weights = f.slice(i, i + m);
      i += m;
      const biases = a.bias ? f.slice(i, i + m) : [];
      if (a.bias) i += m;
      const residual = a.residual ? (f[i] as Float32Array) : null;
      networkForward({ x: f[0] as Float32Array, weights, biases, residual }, outs[0] as Float32Array, record ? (outs[1] as Float32Array) : null, batch, a);
    });
  };
}

export function networkBackwardKernel(backendName: string) {
  return ({ inputs, backend, attrs }: KernelArgs): TensorInfo[] => {
    const a = readNetworkAttrs(attrs);
    const m = a.widths.length - 1;
    const { dy, tape } = inputs as { dy: TensorInfo; tape: TensorInfo };
    const batch = dy.shape[0] as number;
    const outputs = [{ shape: [batch, a.widths[0] as number], dtype: 'float32' as const, overwritten: true }];
    for (let l = 0; l < m; l++) outputs.push({ shape: [a.widths[l] as number, a.widths[l + 1] as number], dtype: 'float32', overwritten: true });
    if (a.bias) for (let l = 0; l < m; l++) outputs.push({ shape: [a.widths[l + 1] as number], dtype: 'float32', overwritten: true });
    return withArrays(backendName, backend, [dy, tape], outputs, ([d, t], outs: NumericArray[]) => {
      const o = outs as Float32Array[];
      networkBackward(d as Float32Array, t as Float32Array, { dx: o[0] as Float32Array, dw: o.slice(1, 1 + m), db: a.bias ? o.slice(1 + m, 1 + 2 * m) : [] }, batch, a);
    });
  };
}
