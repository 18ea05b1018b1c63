import { NnphysError, type Random, assertMatrix, assertPositiveInteger, resolveRandom } from '@nnphys/core';
import { inputState, type KernelState, toFloat64 } from './kernel_state.js';
import { fusedKernel, fusedRules, toRows } from './fused_kernel.js';
import type { Layer } from './layer.js';
import { Network, type Stage } from './network.js';

/** Analytic infinite-width kernels, float64. */
export interface KernelMatrices {
  /** NNGP kernel Sigma^{L+1}(x1_i, x2_j) of the output (the prior covariance of the output at initialisation). */
  nngp: number[][];
  /** Neural tangent kernel Theta^{L+1}(x1_i, x2_j) of the output. */
  ntk: number[][];
}

/** Options of `kernel(x1, x2?, options)`. */
export interface KernelOptions {
  /**
   * 'rows' (default): `number[][]` rows (`KernelMatrices`). 'float64': row-major `Float64Array`s with their
   * shape (`Float64KernelMatrices`), the same values without building 2 n1 arrays of n2 numbers (for
   * 2000 x 2000 that saves ~50 ms and half the memory); entry (i, j) is at i * n2 + j.
   */
  format?: 'rows' | 'float64';
}

/** Analytic kernels as row-major float64 matrices (`kernel(x1, x2, { format: 'float64' })`). */
export interface Float64KernelMatrices {
  /** NNGP kernel, row-major: Sigma(x1_i, x2_j) = nngp[i * shape[1] + j]. */
  nngp: Float64Array;
  /** Neural tangent kernel, row-major like `nngp`. */
  ntk: Float64Array;
  /** [rows of x1, rows of x2]. */
  shape: [number, number];
}

/**
 * One description of a network giving both the finite network and its
 * infinite-width kernels (neural-tangents' stax triple).
 */
export interface Architecture extends Layer {
  /** The layers in order (nested `serial`s are flattened). */
  readonly layers: readonly Layer[];
  /** The finite network in NTK parameterisation, seeded (core's `Random`). */
  init(inputDim: number, seed?: number | Random): Network;
  /**
   * Analytic NNGP and NTK kernels between the rows of x1 and x2 (x2 = x1 when
   * omitted; then only the upper triangle is computed and mirrored). Dense /
   * identity / ReLU-family stacks run fused, on @nnphys/native's threads when
   * that addon is installed and enabled (Node), else in JavaScript.
   */
  kernel(x1: number[][], x2?: number[][], options?: KernelOptions & { format?: 'rows' }): KernelMatrices;
  kernel(x1: number[][], options: KernelOptions & { format?: 'rows' }): KernelMatrices;
  /** The same kernels as row-major Float64Arrays (x2 may be omitted or undefined). */
  kernel(x1: number[][], options: KernelOptions & { format: 'float64' }): Float64KernelMatrices;
  kernel(x1: number[][], x2: number[][] | undefined, options: KernelOptions & { format: 'float64' }): Float64KernelMatrices;
  kernel(state: KernelState): KernelState;
  /** Only the diagonals K(x_i, x_i) and Theta(x_i, x_i), in O(n) instead of O(n^2). */
  kernelDiagonal(x: number[][]): { nngp: number[]; ntk: number[] };
}

/** Pair entries per block of rows in `kernel(x1, x2)` (2 x 8 bytes each: ~2 MiB of state). */
const BLOCK_ENTRIES = 1 << 17;

function isKernelState(v: unknown): v is KernelState {
  return v != null && typeof v === 'object' && (v as KernelState).nngp instanceof Float64Array;
}

/**
 * Composes layers in sequence: serial(dense(512, { sigmaW: 1.5 }), relu(), dense(1)).
 * A serial architecture is itself a layer, so serials nest.
 */
export function serial(...layers: Layer[]): Architecture {
  if (layers.length === 0) throw new NnphysError('serial: expected at least one layer, got none');
  const flat: Layer[] = [];
  layers.forEach((l, i) => {
    if (l == null || typeof l !== 'object' || typeof l.kernel !== 'function' || typeof l.apply !== 'function' || typeof l.init !== 'function') {
      throw new NnphysError(`serial: argument ${i} must be a layer such as dense(16), relu() or serial(...), got ${l === null ? 'null' : typeof l}`);
    }
    const nested = (l as Partial<Architecture>).layers;
    if (Array.isArray(nested)) flat.push(...nested);
    else flat.push(l);
  });
  const name = `serial(${flat.map((l) => l.name).join(', ')})`;
  const rowwise = flat.every((l) => l.rowwise);
  // dense / identity / ReLU-family stacks: the whole recursion per pair in one pass (bit-identical to the layer rules)
  const fused = fusedRules(flat);

  const outputDim = (inputDim: number) => flat.reduce((d, l) => l.outputDim(d), inputDim);

  const runKernel = (state: KernelState): KernelState => {
    let s = state;
    for (const l of flat) s = l.kernel(s);
    return s;
  };

  function kernel(x1: number[][], x2?: number[][], options?: KernelOptions): KernelMatrices;
  function kernel(x1: number[][], options: KernelOptions): Float64KernelMatrices;
  function kernel(x1: number[][], x2: number[][] | undefined, options: KernelOptions): Float64KernelMatrices;
  function kernel(state: KernelState): KernelState;
  function kernel(x1: number[][] | KernelState, x2OrOptions?: number[][] | KernelOptions, maybeOptions?: KernelOptions): KernelMatrices | Float64KernelMatrices | KernelState {
    if (isKernelState(x1)) return runKernel(x1);
    // kernel(x1, options): an options object where x2 would be
    const optionsInSecond = x2OrOptions != null && !Array.isArray(x2OrOptions) && typeof x2OrOptions === 'object';
    if (optionsInSecond && maybeOptions !== undefined) throw new NnphysError('kernel: pass options once, as kernel(x1, options) or kernel(x1, x2, options)');
    const x2 = optionsInSecond ? undefined : (x2OrOptions as number[][] | undefined);
    const options = optionsInSecond ? (x2OrOptions as KernelOptions) : maybeOptions;
    if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
      throw new NnphysError(`kernel: options must be an object such as { format: 'float64' }, got ${options === null ? 'null' : typeof options}`);
    }
    const format = options?.format ?? 'rows';
    if (format !== 'rows' && format !== 'float64') throw new NnphysError(`kernel: options.format must be 'rows' or 'float64', got ${String(format)}`);
    const [n1, d] = assertMatrix(x1, 'kernel: x1');
    if (n1 === 0) throw new NnphysError('kernel: x1 must have at least one row, got 0');
    if (d === 0) throw new NnphysError('kernel: x1 must have at least one column, got 0');
    let n2 = n1;
    if (x2 !== undefined) {
      [n2] = assertMatrix(x2, 'kernel: x2', { cols: d });
      if (n2 === 0) throw new NnphysError('kernel: x2 must have at least one row, got 0');
    }
    const a = toFloat64(x1, d);
    const b2 = x2 === undefined ? null : toFloat64(x2, d);
    if (fused !== null) {
      if (format === 'float64') return { ...fusedKernel(fused, a, n1, b2, n2, d, 'float64'), shape: [n1, n2] };
      return fusedKernel(fused, a, n1, b2, n2, d, 'rows');
    }
    const flat = layerWiseKernel(a, n1, b2, n2, d);
    if (format === 'float64') return { ...flat, shape: [n1, n2] };
    return { nngp: toRows(flat.nngp, n1, n2), ntk: toRows(flat.ntk, n1, n2) };
  }

  /**
   * The layer-wise path (any layers), row-major: blocks of rows so that the per-layer state stays cache-sized
   * (the kernel rules act pair by pair, given the per-input variances). For x2 = x1 each block only needs
   * columns j >= its first row; the lower triangle is mirrored afterwards, so the result is exactly symmetric.
   */
  const layerWiseKernel = (a: Float64Array, n1: number, b2: Float64Array | null, n2: number, d: number): { nngp: Float64Array; ntk: Float64Array } => {
    const b = b2 ?? a;
    const symmetric = b2 === null;
    const nngp = new Float64Array(n1 * n2);
    const ntk = new Float64Array(n1 * n2);
    const block = Math.max(1, Math.min(n1, Math.floor(BLOCK_ENTRIES / n2)));
    for (let i0 = 0; i0 < n1; i0 += block) {
      const i1 = Math.min(n1, i0 + block);
      const j0 = symmetric ? i0 : 0;
      const cols = n2 - j0;
      const s = runKernel(inputState(a.subarray(i0 * d, i1 * d), i1 - i0, b.subarray(j0 * d), cols, d, 'full'));
      for (let i = i0; i < i1; i++) {
        const from = (i - i0) * cols + (symmetric ? i - j0 : 0);
        const count = symmetric ? n2 - i : n2;
        const to = i * n2 + (symmetric ? i : 0);
        nngp.set(s.nngp.subarray(from, from + count), to);
        ntk.set(s.ntk.subarray(from, from + count), to);
      }
    }
    if (symmetric) {
      const tile = 64;
      for (let bi = 0; bi < n1; bi += tile) {
        for (let bj = 0; bj <= bi; bj += tile) {
          const iEnd = Math.min(bi + tile, n1);
          for (let i = bi; i < iEnd; i++) {
            const jEnd = Math.min(bj + tile, i);
            for (let j = bj; j < jEnd; j++) {
              nngp[i * n2 + j] = nngp[j * n2 + i] as number;
              ntk[i * n2 + j] = ntk[j * n2 + i] as number;
            }
          }
        }
      }
    }
    return { nngp, ntk };
  };

  return {
    name,
    rowwise,
    layers: flat,
    outputDim,
    kernel,
    kernelDiagonal(x: number[][]) {
      const [n, d] = assertMatrix(x, 'kernelDiagonal: x');
      if (n === 0 || d === 0) throw new NnphysError(`kernelDiagonal: x must be a non-empty matrix, got ${n} x ${d}`);
      const s = runKernel(inputState(toFloat64(x, d), n, null, n, d, 'diagonal'));
      return { nngp: Array.from(s.nngp), ntk: Array.from(s.ntk) };
    },
    init(inputDim: number, seed?: number | Random): Network {
      assertPositiveInteger(inputDim, 'init: inputDim');
      const rng = resolveRandom(seed);
      const stages: Stage[] = [];
      let d = inputDim;
      try {
        for (const l of flat) {
          stages.push({ layer: l, params: l.init(d, rng) });
          d = l.outputDim(d);
        }
      } catch (e) {
        for (const s of stages) s.params?.dispose();
        throw e;
      }
      return new Network(stages, inputDim, d);
    },
    apply(x, params) {
      return (params as Network).apply(x);
    },
  } as Architecture;
}
