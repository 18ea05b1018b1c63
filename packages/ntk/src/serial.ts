import { NnphysError, type Random, assertMatrix, assertPositiveInteger, resolveRandom } from '@nnphys/core';
import { inputState, type KernelState, kernelMatrices, toFloat64 } from './kernel_state.js';
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
    const state =
      x2 === undefined ? inputState(a, n1, null, n1, d, 'symmetric') : inputState(a, n1, toFloat64(x2, d), n2, d, 'full');
    return kernelMatrices(runKernel(state));
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
