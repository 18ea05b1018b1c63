import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { NormKind, Normalization } from '../norms/kinds.js';
import { type KernelArgs, withArrays } from '@nnphys/core';

/**
 * Weight normalisation Norm(w) of Algorithm 1 (004 §2.2.2) for an
 * [inputs, outputs] kernel, in one pass, with its gradient as a second kernel.
 * Every normalisation has the form  w' = alpha w / max(1, s / beta)  on a
 * group of entries, where s is the group's norm:
 * - vectorwise: a group per slice of the kind, alpha = 1, beta = c (eq. 2.8 generalised);
 * - matrix:     one group, s = max slice norm = ||W||, alpha = 1, beta = c (eq. 2.7 b);
 * - matrix-scaled: one group, alpha = c, beta = 1 (eq. 2.7 a).
 * Norms are accumulated in float64.
 */
export const NormalizeKernel = 'NnphysLipschitzNormalize';
export const NormalizeGradKernel = 'NnphysLipschitzNormalizeGrad';

export interface NormalizeAttrs {
  kind: NormKind;
  normalization: Normalization;
  /** The (already safety-shrunk) budget c. */
  budget: number;
}

/** Norm of every slice of the kind, float64. Slices: rows of K for 'one', columns for 'inf'/'two-inf', elements for 'one-inf'. */
export function sliceNorms(w: Float32Array, inputs: number, outputs: number, kind: NormKind): Float64Array {
  if (kind === 'one') {
    const s = new Float64Array(inputs);
    for (let k = 0; k < inputs; k++) {
      let acc = 0;
      const o = k * outputs;
      for (let j = 0; j < outputs; j++) acc += Math.abs(w[o + j] as number);
      s[k] = acc;
    }
    return s;
  }
  if (kind === 'one-inf') {
    const s = new Float64Array(w.length);
    for (let i = 0; i < w.length; i++) s[i] = Math.abs(w[i] as number);
    return s;
  }
  const s = new Float64Array(outputs);
  for (let k = 0; k < inputs; k++) {
    const o = k * outputs;
    for (let j = 0; j < outputs; j++) {
      const v = w[o + j] as number;
      s[j] = (s[j] as number) + (kind === 'inf' ? Math.abs(v) : v * v);
    }
  }
  if (kind === 'two-inf') for (let j = 0; j < outputs; j++) s[j] = Math.sqrt(s[j] as number);
  return s;
}

/** Which slice entry (row k, column j) belongs to. */
function sliceOf(kind: NormKind, k: number, j: number, outputs: number): number {
  return kind === 'one' ? k : kind === 'one-inf' ? k * outputs + j : j;
}

/** d s / d w for entry value v in a slice of norm s. */
function normDerivative(kind: NormKind, v: number, s: number): number {
  if (kind === 'two-inf') return s > 0 ? v / s : 0;
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function groupScalars(attrs: NormalizeAttrs): { alpha: number; beta: number } {
  return attrs.normalization === 'matrix-scaled' ? { alpha: attrs.budget, beta: 1 } : { alpha: 1, beta: attrs.budget };
}

function argmax(s: Float64Array): number {
  let best = 0;
  for (let i = 1; i < s.length; i++) if ((s[i] as number) > (s[best] as number)) best = i;
  return best;
}

export function normalizeForward(w: Float32Array, out: Float32Array, inputs: number, outputs: number, attrs: NormalizeAttrs): void {
  const { kind, normalization } = attrs;
  const { alpha, beta } = groupScalars(attrs);
  const s = sliceNorms(w, inputs, outputs, kind);
  if (normalization === 'vectorwise') {
    const factor = new Float64Array(s.length);
    for (let i = 0; i < s.length; i++) factor[i] = alpha / Math.max(1, (s[i] as number) / beta);
    for (let k = 0; k < inputs; k++) {
      for (let j = 0; j < outputs; j++) {
        const i = k * outputs + j;
        out[i] = (w[i] as number) * (factor[sliceOf(kind, k, j, outputs)] as number);
      }
    }
    return;
  }
  const norm = s.length > 0 ? (s[argmax(s)] as number) : 0;
  const factor = alpha / Math.max(1, norm / beta);
  for (let i = 0; i < w.length; i++) out[i] = (w[i] as number) * factor;
}

/**
 * Gradient of w' = alpha w / max(1, s / beta) per group:
 * inactive (s <= beta): dw = alpha dy;
 * active: w' = alpha beta w / s, so dw = (alpha beta / s) dy - (alpha beta / s^2) (sum_group dy . w) ds/dw,
 * where for the matrix forms s depends only on the slice attaining the maximum.
 */
export function normalizeBackward(w: Float32Array, dy: Float32Array, dw: Float32Array, inputs: number, outputs: number, attrs: NormalizeAttrs): void {
  const { kind, normalization } = attrs;
  const { alpha, beta } = groupScalars(attrs);
  const s = sliceNorms(w, inputs, outputs, kind);
  if (normalization === 'vectorwise') {
    const dot = new Float64Array(s.length);
    for (let k = 0; k < inputs; k++) {
      for (let j = 0; j < outputs; j++) {
        const i = k * outputs + j;
        const g = sliceOf(kind, k, j, outputs);
        dot[g] = (dot[g] as number) + (dy[i] as number) * (w[i] as number);
      }
    }
    for (let k = 0; k < inputs; k++) {
      for (let j = 0; j < outputs; j++) {
        const i = k * outputs + j;
        const g = sliceOf(kind, k, j, outputs);
        const sg = s[g] as number;
        if (sg <= beta) {
          dw[i] = alpha * (dy[i] as number);
        } else {
          const c = (alpha * beta) / sg;
          dw[i] = c * (dy[i] as number) - (c / sg) * (dot[g] as number) * normDerivative(kind, w[i] as number, sg);
        }
      }
    }
    return;
  }
  const top = s.length > 0 ? argmax(s) : 0;
  const norm = s.length > 0 ? (s[top] as number) : 0;
  if (norm <= beta) {
    for (let i = 0; i < w.length; i++) dw[i] = alpha * (dy[i] as number);
    return;
  }
  let dot = 0;
  for (let i = 0; i < w.length; i++) dot += (dy[i] as number) * (w[i] as number);
  const c = (alpha * beta) / norm;
  for (let k = 0; k < inputs; k++) {
    for (let j = 0; j < outputs; j++) {
      const i = k * outputs + j;
      const inTop = sliceOf(kind, k, j, outputs) === top;
      dw[i] = c * (dy[i] as number) - (inTop ? (c / norm) * dot * normDerivative(kind, w[i] as number, norm) : 0);
    }
  }
}

function readAttrs(attrs: Record<string, unknown>): NormalizeAttrs {
  return { kind: attrs.kind as NormKind, normalization: attrs.normalization as Normalization, budget: attrs.budget as number };
}

export function normalizeKernel(backendName: string) {
  return ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const { w } = inputs as { w: TensorInfo };
    const [nIn, nOut] = w.shape as [number, number];
    const a = readAttrs(attrs);
    const [out] = withArrays(backendName, backend, [w], [{ shape: [nIn, nOut], dtype: 'float32' }], ([wa], [oa]) =>
      normalizeForward(wa as Float32Array, oa as Float32Array, nIn, nOut, a),
    );
    return out as TensorInfo;
  };
}

export function normalizeGradKernel(backendName: string) {
  return ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const { w, dy } = inputs as { w: TensorInfo; dy: TensorInfo };
    const [nIn, nOut] = w.shape as [number, number];
    const a = readAttrs(attrs);
    const [out] = withArrays(backendName, backend, [w, dy], [{ shape: [nIn, nOut], dtype: 'float32' }], ([wa, da], [oa]) =>
      normalizeBackward(wa as Float32Array, da as Float32Array, oa as Float32Array, nIn, nOut, a),
    );
    return out as TensorInfo;
  };
}
