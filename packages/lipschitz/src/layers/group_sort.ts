import * as tf from '@tensorflow/tfjs-core';
import { Module, NnphysError, assertOneOf, assertPositiveInteger, assertTensor } from '@nnphys/core';
import { GroupSortKernel, UnpermuteKernel, groupSortKernel, unpermuteKernel } from '../kernels/group_sort_kernels.js';
import { runPackageKernel } from '../kernels/registry.js';
import { oddEvenMergeSortStages } from './sorting_network.js';

/**
 * How GroupSort is computed:
 * - 'kernel' (default): one fused kernel sorts every group and records the
 *   permutation; the gradient applies the transposed permutation (one op each way);
 * - 'compare-exchange': Batcher's sorting network built from tfjs ops, each
 *   pair as min = x - relu(x - y), max = y + relu(x - y) (004 spec pitfall:
 *   relu'(0) = 0 keeps the Jacobian a permutation at ties). Portable to any
 *   backend without reading data back, but many more ops.
 */
export type GroupSortMethod = 'kernel' | 'compare-exchange';
export const groupSortMethods: readonly GroupSortMethod[] = ['kernel', 'compare-exchange'];

/**
 * Exactly one of `groupSize` (deel-lip's meaning of the integer) or
 * `numGroups` (MonotonicNetworks' meaning). groupSize 2 is MaxMin; numGroups 1
 * is a full sort.
 */
export type GroupSortOptions = ({ groupSize: number; numGroups?: undefined } | { numGroups: number; groupSize?: undefined }) & {
  method?: GroupSortMethod;
};

export interface GroupSortSpec {
  groupSize?: number;
  numGroups?: number;
}

/** Checks that exactly one of groupSize / numGroups is given; returns it normalised. */
export function checkGroupSortSpec(options: GroupSortSpec, fn: string): GroupSortSpec {
  if (options == null || typeof options !== 'object') throw new NnphysError(`${fn}: options must be { groupSize } or { numGroups }, got ${String(options)}`);
  const hasSize = options.groupSize !== undefined;
  const hasGroups = options.numGroups !== undefined;
  if (hasSize === hasGroups) {
    throw new NnphysError(
      `${fn}: give exactly one of groupSize (elements per group; 2 = MaxMin) or numGroups (number of groups; 1 = full sort), got ${hasSize ? 'both' : 'neither'}`,
    );
  }
  if (hasSize) {
    assertPositiveInteger(options.groupSize, `${fn}: groupSize`);
    return { groupSize: options.groupSize };
  }
  assertPositiveInteger(options.numGroups, `${fn}: numGroups`);
  return { numGroups: options.numGroups };
}

/** The group size for a layer of the given width, or an error naming both numbers. */
export function resolveGroupSize(spec: GroupSortSpec, width: number, fn: string): number {
  if (spec.groupSize !== undefined) {
    if (width % spec.groupSize !== 0) throw new NnphysError(`${fn}: width ${width} is not divisible by groupSize ${spec.groupSize}`);
    return spec.groupSize;
  }
  const numGroups = spec.numGroups as number;
  if (width % numGroups !== 0) throw new NnphysError(`${fn}: width ${width} is not divisible by numGroups ${numGroups}`);
  return width / numGroups;
}

/**
 * Sorts the last axis of x in contiguous groups of `groupSize`, ascending
 * (004 eq. 2.9). Unvalidated: callers check the width.
 */
export function groupSortUnchecked(x: tf.Tensor, groupSize: number, method: GroupSortMethod = 'kernel'): tf.Tensor {
  if (groupSize === 1) return tf.clone(x);
  if (method === 'compare-exchange') return sortByCompareExchange(x as tf.Tensor2D, groupSize);
  const op = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const [values, perm] = runPackageKernel(GroupSortKernel, groupSortKernel, { x: input }, { groupSize }) as [tf.Tensor, tf.Tensor];
    save([perm]);
    return {
      value: values,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => runPackageKernel(UnpermuteKernel, unpermuteKernel, { dy, perm: saved[0] as tf.Tensor }) as tf.Tensor,
    };
  }) as unknown as Parameters<typeof tf.customGrad<tf.Tensor>>[0]);
  return op(x);
}

/** Each stage: d = relu(x M), x <- x - d M^T, where column c of M is e_lo - e_hi for pair c. */
function sortByCompareExchange(x: tf.Tensor2D, groupSize: number): tf.Tensor2D {
  const width = x.shape[1];
  const stages = oddEvenMergeSortStages(groupSize);
  return tf.tidy(() => {
    let h: tf.Tensor2D = x;
    for (const stage of stages) {
      const pairs = stage.length * (width / groupSize);
      const m = new Float32Array(width * pairs);
      const mt = new Float32Array(width * pairs);
      let c = 0;
      for (let g = 0; g < width; g += groupSize) {
        for (const [lo, hi] of stage) {
          m[(g + lo) * pairs + c] = 1;
          m[(g + hi) * pairs + c] = -1;
          mt[c * width + g + lo] = 1;
          mt[c * width + g + hi] = -1;
          c++;
        }
      }
      const d = tf.relu(tf.matMul(h, tf.tensor2d(m, [width, pairs])));
      h = tf.sub(h, tf.matMul(d, tf.tensor2d(mt, [pairs, width])));
    }
    return h;
  });
}

/**
 * GroupSort activation (Anil et al. 2019; 004 eq. 2.9): 1-Lipschitz in every
 * l_p norm, with a permutation Jacobian, so norm-constrained networks keep
 * their gradient norm (no gradient attenuation, §2.2.2).
 */
export class GroupSort extends Module {
  readonly spec: GroupSortSpec;
  readonly method: GroupSortMethod;

  constructor(options: GroupSortOptions) {
    super();
    this.spec = checkGroupSortSpec(options, 'GroupSort');
    this.method = options.method ?? 'kernel';
    assertOneOf(this.method, 'GroupSort: method', groupSortMethods);
  }

  /** The group size used for an input of this width (throws if the width does not divide). */
  groupSizeFor(width: number): number {
    return resolveGroupSize(this.spec, width, 'GroupSort');
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    assertTensor(x, 'GroupSort.apply: x', { rank: 2, dtype: 'float32' });
    return groupSortUnchecked(x, this.groupSizeFor(x.shape[1]), this.method) as tf.Tensor2D;
  }
}
