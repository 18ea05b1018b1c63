import * as tf from '@tensorflow/tfjs-core';
import { Module, NnphysError, assertPositiveNumber, assertTensor } from '@nnphys/core';
import { assembleKernel, type FeatureSource, planBlocks } from './empirical/blocks.js';
import { jacobianSource } from './empirical/jacobian.js';
import { layerwiseSource, layerwiseStages } from './empirical/layerwise.js';

export type EmpiricalNTKMethod = 'auto' | 'jacobian' | 'layerwise';

export interface EmpiricalNTKOptions<I = tf.Tensor2D> {
  /**
   * 'layerwise': one batched pass per block, for `Network` (serial(...).init) and core `MLP`;
   * 'jacobian': one reverse pass per input, for any model;
   * 'auto' (default): layerwise when it applies, else jacobian.
   */
  method?: EmpiricalNTKMethod;
  /**
   * The scalar output to differentiate. For tensor inputs it receives a [rows, d] slice and
   * must return one number per row; for a list of inputs it receives one item and must return
   * a single number. Default: `model.apply(input)`.
   */
  output?: (input: I) => tf.Tensor;
  /** Parameters theta to sum over (default: the model's trainable variables). */
  variables?: tf.Variable[];
  /** Bytes of per-input features held at once (default 256 MiB). */
  memoryBudget?: number;
}

const DEFAULT_BUDGET = 256 * 1024 * 1024;

type Inputs<I> = tf.Tensor2D | readonly I[];

function isTensor(x: unknown): x is tf.Tensor {
  return x instanceof tf.Tensor;
}

interface Resolved<I> {
  variables: tf.Variable[];
  source: (x: Inputs<I>) => FeatureSource<unknown>;
  method: 'jacobian' | 'layerwise';
  parameterCount: number;
}

function resolve<I>(label: string, model: Module | tf.Variable[], x1: Inputs<I>, x2: Inputs<I> | null | undefined, options: EmpiricalNTKOptions<I>): Resolved<I> {
  if (options === null || typeof options !== 'object') throw new NnphysError(`${label}: options must be an object, got ${String(options)}`);
  const method = options.method ?? 'auto';
  if (!['auto', 'jacobian', 'layerwise'].includes(method)) {
    throw new NnphysError(`${label}: options.method must be 'auto', 'jacobian' or 'layerwise', got ${JSON.stringify(method)}`);
  }
  const isModule = model instanceof Module;
  if (!isModule && !(Array.isArray(model) && model.every((v) => v instanceof tf.Variable))) {
    throw new NnphysError(`${label}: model must be a Module or an array of tf.Variables, got ${model === null ? 'null' : typeof model}`);
  }
  if (!isModule && typeof options.output !== 'function') {
    throw new NnphysError(`${label}: with an array of variables as model, options.output (input => scalar tensor) is required`);
  }
  if (options.output !== undefined && typeof options.output !== 'function') {
    throw new NnphysError(`${label}: options.output must be a function, got ${typeof options.output}`);
  }
  const variables = options.variables ?? (isModule ? (model as Module).trainableVariables() : (model as tf.Variable[]));
  if (!Array.isArray(variables) || variables.length === 0) throw new NnphysError(`${label}: there are no trainable variables to differentiate`);
  for (const [i, v] of variables.entries()) {
    if (!(v instanceof tf.Variable)) throw new NnphysError(`${label}: options.variables[${i}] must be a tf.Variable`);
    if (v.isDisposed) throw new NnphysError(`${label}: variable ${v.name} is disposed`);
  }
  const tensorInput = isTensor(x1);
  if (tensorInput) {
    assertTensor(x1, `${label}: x1`, { rank: 2, dtype: 'float32' });
    if (x1.shape[0] === 0) throw new NnphysError(`${label}: x1 must have at least one row, got shape [${x1.shape.join(', ')}]`);
    if (x2 != null) {
      assertTensor(x2, `${label}: x2`, { rank: 2, dtype: 'float32' });
      if ((x2 as tf.Tensor2D).shape[1] !== x1.shape[1]) {
        throw new NnphysError(`${label}: x2 must have ${x1.shape[1]} columns like x1, got shape [${(x2 as tf.Tensor2D).shape.join(', ')}]`);
      }
      if ((x2 as tf.Tensor2D).shape[0] === 0) throw new NnphysError(`${label}: x2 must have at least one row, got 0`);
    }
  } else {
    if (!Array.isArray(x1) || x1.length === 0) throw new NnphysError(`${label}: x1 must be a float32 Tensor2D or a non-empty array of inputs, got ${Array.isArray(x1) ? 'an empty array' : typeof x1}`);
    if (x2 != null && (!Array.isArray(x2) || x2.length === 0)) throw new NnphysError(`${label}: x2 must be a non-empty array of inputs like x1`);
  }
  if (options.memoryBudget !== undefined) assertPositiveNumber(options.memoryBudget, `${label}: options.memoryBudget`);
  const parameterCount = variables.reduce((n, v) => n + v.size, 0);

  if (method !== 'jacobian') {
    const why = !isModule
      ? 'the model is given as a list of variables'
      : !tensorInput
        ? 'the inputs are not a Tensor2D'
        : options.output !== undefined
          ? 'a custom output function is given'
          : options.variables !== undefined
            ? 'a custom variable list is given'
            : null;
    const stages = why === null ? layerwiseStages(model as Module) : why;
    if (typeof stages === 'string') {
      if (method === 'layerwise') throw new NnphysError(`${label}: method 'layerwise' does not apply: ${stages}; use method 'jacobian'`);
    } else {
      return { variables, method: 'layerwise', parameterCount, source: (x) => layerwiseSource(stages, x as tf.Tensor2D, label) as FeatureSource<unknown> };
    }
  }
  const output = options.output ?? ((input: I) => (model as Module).apply(input) as tf.Tensor);
  const source = (x: Inputs<I>): FeatureSource<unknown> => {
    if (isTensor(x)) {
      const d = x.shape[1];
      const f = (i: number) => output(tf.slice(x, [i, 0], [1, d]) as unknown as I);
      return jacobianSource(f, x.shape[0], variables, label) as FeatureSource<unknown>;
    }
    const items = x as readonly I[];
    return jacobianSource((i) => output(items[i] as I), items.length, variables, label) as FeatureSource<unknown>;
  };
  return { variables, method: 'jacobian', parameterCount, source };
}

/**
 * Empirical neural tangent kernel of a scalar-output model (001, "Empirical NTK"):
 *   Theta(x, x') = sum_mu dN(x)/dtheta_mu dN(x')/dtheta_mu,
 * summed over the trainable variables, returned as float64 number[][] of
 * shape [n1, n2] (x2 = x1 when omitted; the result is then exactly symmetric).
 *
 * Inputs are either a float32 Tensor2D (one input per row) or, for models
 * whose inputs are not rows of a matrix (graph batches, sets, ...), an array
 * of inputs with `options.output` mapping one input to a single-number tensor.
 * Memory is bounded by `options.memoryBudget`: per-input features are
 * computed a block of inputs at a time (see `empiricalNTKMemory`).
 * Gradients are float32 (tfjs); relative accuracy is about 1e-6.
 */
export function empiricalNTK(model: Module, x1: tf.Tensor2D, x2?: tf.Tensor2D | null, options?: EmpiricalNTKOptions<tf.Tensor2D>): number[][];
export function empiricalNTK<I>(model: Module | tf.Variable[], x1: readonly I[], x2?: readonly I[] | null, options?: EmpiricalNTKOptions<I>): number[][];
export function empiricalNTK<I>(model: Module | tf.Variable[], x1: Inputs<I>, x2?: Inputs<I> | null, options: EmpiricalNTKOptions<I> = {}): number[][] {
  const label = 'empiricalNTK';
  const r = resolve(label, model, x1, x2, options);
  const budget = options.memoryBudget ?? DEFAULT_BUDGET;
  const src1 = r.source(x1);
  const src2 = x2 == null ? null : r.source(x2);
  const k = assembleKernel(src1, src2, budget);
  const n1 = src1.rows;
  const n2 = src2 ? src2.rows : n1;
  const out: number[][] = [];
  for (let i = 0; i < n1; i++) out.push(Array.from(k.subarray(i * n2, (i + 1) * n2)));
  return out;
}

export interface EmpiricalNTKMemory {
  method: 'jacobian' | 'layerwise';
  parameterCount: number;
  /** Bytes of features per input (float32). */
  bytesPerRow: number;
  /** Inputs per block under the budget. */
  blockRows: number;
  /** Approximate peak bytes of features held at once. */
  peakBytes: number;
  /** Bytes of the float64 result. */
  resultBytes: number;
}

/** What `empiricalNTK` would use for these inputs and options, before computing anything. */
export function empiricalNTKMemory<I>(model: Module | tf.Variable[], x1: Inputs<I>, x2?: Inputs<I> | null, options: EmpiricalNTKOptions<I> = {}): EmpiricalNTKMemory {
  const r = resolve('empiricalNTKMemory', model, x1, x2, options);
  const budget = options.memoryBudget ?? DEFAULT_BUDGET;
  const src1 = r.source(x1);
  const n1 = src1.rows;
  const n2 = x2 == null ? n1 : r.source(x2).rows;
  const plan = planBlocks(src1.bytesPerRow, n2, budget);
  return {
    method: r.method,
    parameterCount: r.parameterCount,
    bytesPerRow: src1.bytesPerRow,
    blockRows: plan.blockRows,
    peakBytes: plan.peakBytes,
    resultBytes: 8 * n1 * n2,
  };
}
