import { NnphysError, type Random, assertMatrix, assertPositiveInteger, resolveRandom } from '@nnphys/core';
import { inputState, type KernelState, toFloat64 } from './kernel_state.js';
import { fusedKernel, fusedRules } from './fused_kernel.js';
import type { Layer } from './layer.js';
import { Network, type Stage } from './network.js';

/** Analytic infinite-width kernels, float64. */
export interface KernelMatrices {
  /** NNGP kernel Sigma^{L+1}(x1_i, x2_j) of the output (the prior covariance of the output at initialisation). */
  nngp: number[][];
  /** Neural tangent kernel Theta^{L+1}(x1_i, x2_j) of the output. */
  ntk: number[][];
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
   * omitted; then only the upper triangle is computed and mirrored).
   */
  kernel(x1: number[][], x2?: number[][]): KernelMatrices;
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

  function kernel(x1: number[][], x2?: number[][]): KernelMatrices;
  function kernel(state: KernelState): KernelState;
  function kernel(x1: number[][] | KernelState, x2?: number[][]): KernelMatrices | KernelState {
    if (isKernelState(x1)) return runKernel(x1);
    const [n1, d] = assertMatrix(x1, 'kernel: x1');
    if (n1 === 0) throw new NnphysError('kernel: x1 must have at least one row, got 0');
    if (d === 0) throw new NnphysError('kernel: x1 must have at least one column, got 0');
    let n2 = n1;
    if (x2 !== undefined) {
      [n2] = assertMatrix(x2, 'kernel: x2', { cols: d });
      if (n2 === 0) throw new NnphysError('kernel: x2 must have at least one row, got 0');
    }
    const a = toFloat64(x1, d);
    if (fused !== null) return fusedKernel(fused, a, n1, x2 === undefined ? null : toFloat64(x2, d), n2, d);
    const b = x2 === undefined ? a : toFloat64(x2, d);
    const symmetric = x2 === undefined;
    // Blocks of rows so that the per-layer state stays cache-sized (the kernel rules act pair by pair,
    // given the per-input variances). For x2 = x1 each block only needs columns j >= its first row;
    // the lower triangle is mirrored afterwards, so the result is exactly symmetric.
    const nngp: number[][] = new Array(n1);
    const ntk: number[][] = new Array(n1);
    for (let i = 0; i < n1; i++) {
      // NaN (a double) makes V8 allocate unboxed double arrays at once (fill(0) would start as small
      // integers and be copied on the first double write); every entry is overwritten below.
      nngp[i] = new Array<number>(n2).fill(Number.NaN);
      ntk[i] = new Array<number>(n2).fill(Number.NaN);
    }
    const block = Math.max(1, Math.min(n1, Math.floor(BLOCK_ENTRIES / n2)));
    for (let i0 = 0; i0 < n1; i0 += block) {
      const i1 = Math.min(n1, i0 + block);
      const j0 = symmetric ? i0 : 0;
      const cols = n2 - j0;
      const s = runKernel(inputState(a.subarray(i0 * d, i1 * d), i1 - i0, b.subarray(j0 * d), cols, d, 'full'));
      for (let i = i0; i < i1; i++) {
        const rowK = nngp[i] as number[];
        const rowT = ntk[i] as number[];
        const o = (i - i0) * cols - j0;
        for (let j = symmetric ? i : 0; j < n2; j++) {
          rowK[j] = s.nngp[o + j] as number;
          rowT[j] = s.ntk[o + j] as number;
        }
      }
    }
    if (symmetric) {
      const tile = 64;
      for (let bi = 0; bi < n1; bi += tile) {
        for (let bj = 0; bj <= bi; bj += tile) {
          const iEnd = Math.min(bi + tile, n1);
          for (let i = bi; i < iEnd; i++) {
            const rowK = nngp[i] as number[];
            const rowT = ntk[i] as number[];
            const jEnd = Math.min(bj + tile, i);
            for (let j = bj; j < jEnd; j++) {
              rowK[j] = (nngp[j] as number[])[i] as number;
              rowT[j] = (ntk[j] as number[])[i] as number;
            }
          }
        }
      }
    }
    return { nngp, ntk };
  }

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
