import { NnphysError, assertPositiveInteger, assertPositiveNumber } from '@nnphys/core';

export interface MuPLayerScale {
  /** n_{l-1}. */
  fanIn: number;
  /** n_l. */
  fanOut: number;
  /** sigma_l = c_init (1 / sqrt(n_{l-1})) min{1, sqrt(n_l) / sqrt(n_{l-1})}: the standard deviation of W_l at initialisation. */
  initStd: number;
  /** eta_l = c_lr sqrt(n_l) / sqrt(n_{l-1}): the per-layer learning rate. */
  learningRate: number;
}

/**
 * Maximal-update (muP) scaling rules of 004 eq. 1.10 (Yang & Hu 2021) for a
 * stack of layers with dimensions widths = [n_0, n_1, ..., n_L]:
 *   sigma_l = c_init / sqrt(n_{l-1}) * min{1, sqrt(n_l / n_{l-1})},   eta_l = c_lr * sqrt(n_l / n_{l-1}).
 * 004 states these as Theta(.) scalings: each parameterised quantity is an
 * empirical constant times (dimension)^exponent, so the constants (found at
 * small scale) are supplied by the user and transferred to larger widths.
 * These are for the standard (not NTK) parameterisation of plain weights.
 */
export function muPScales(widths: number[], options: { initConstant?: number; learningRateConstant?: number } = {}): MuPLayerScale[] {
  if (!Array.isArray(widths) || widths.length < 2) {
    throw new NnphysError(`muPScales: widths must list at least the input and output dimensions [n_0, ..., n_L], got ${Array.isArray(widths) ? `${widths.length} entries` : typeof widths}`);
  }
  for (const [i, w] of widths.entries()) assertPositiveInteger(w, `muPScales: widths[${i}]`);
  if (options === null || typeof options !== 'object') throw new NnphysError(`muPScales: options must be an object, got ${String(options)}`);
  const cInit = options.initConstant ?? 1;
  const cLr = options.learningRateConstant ?? 1;
  assertPositiveNumber(cInit, 'muPScales: initConstant');
  assertPositiveNumber(cLr, 'muPScales: learningRateConstant');
  const out: MuPLayerScale[] = [];
  for (let l = 1; l < widths.length; l++) {
    const fanIn = widths[l - 1] as number;
    const fanOut = widths[l] as number;
    const ratio = Math.sqrt(fanOut / fanIn);
    out.push({ fanIn, fanOut, initStd: (cInit / Math.sqrt(fanIn)) * Math.min(1, ratio), learningRate: cLr * ratio });
  }
  return out;
}
