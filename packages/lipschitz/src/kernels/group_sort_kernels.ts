import type { TensorInfo } from '@tensorflow/tfjs-core';
import { type KernelArgs, nativeKernels, withArrays } from '@nnphys/core';

/**
 * Sorts the last axis in contiguous groups of `groupSize`, ascending (004
 * eq. 2.9). Outputs the sorted values and, for every output position, the
 * index (along the last axis) of the input element that landed there. Ties
 * keep their input order and NaN sorts last, so `perm` is always a
 * permutation and the Jacobian is the corresponding permutation matrix.
 */
export const GroupSortKernel = 'NnphysLipschitzGroupSort';
/** dx[row, perm[row, k]] = dy[row, k]: the transpose of the permutation. */
export const UnpermuteKernel = 'NnphysLipschitzUnpermute';

const INSERTION_SORT_MAX = 32;

/** Total order on (value, index): ascending values, NaN last, ties by index. */
function less(u: number, v: number): boolean {
  return u < v || (!Number.isNaN(u) && Number.isNaN(v));
}

/** Largest group @nnphys/native's GroupSort takes (its O(g^2) rank form). */
const NATIVE_MAX_GROUP = 64;

export function sortGroups(x: Float32Array, values: Float32Array, perm: Int32Array, width: number, groupSize: number): void {
  const native = nativeKernels();
  if (native?.groupSort && groupSize <= NATIVE_MAX_GROUP && x instanceof Float32Array && values instanceof Float32Array) {
    // Same stable order (ties by input position, NaN last), vectorised and threaded: ~4x faster on 1024 x 20.
    native.groupSort(x, values, perm, width, groupSize);
    return;
  }
  const rows = x.length / width;
  const idx = new Int32Array(groupSize);
  for (let r = 0; r < rows; r++) {
    const rowOffset = r * width;
    for (let g = 0; g < width; g += groupSize) {
      const o = rowOffset + g;
      if (groupSize === 2) {
        const a = x[o] as number;
        const b = x[o + 1] as number;
        if (less(b, a)) {
          values[o] = b;
          values[o + 1] = a;
          perm[o] = g + 1;
          perm[o + 1] = g;
        } else {
          values[o] = a;
          values[o + 1] = b;
          perm[o] = g;
          perm[o + 1] = g + 1;
        }
        continue;
      }
      if (groupSize <= INSERTION_SORT_MAX) {
        // Stable insertion sort directly into the outputs: an element moves left only past strictly larger ones.
        let finite = true;
        for (let i = 0; i < groupSize; i++) if (Number.isNaN(x[o + i])) finite = false;
        if (finite) {
          // Hot path without NaN: plain `>` (about 3x faster than the total-order comparator on 1024 x 20).
          for (let i = 0; i < groupSize; i++) {
            const v = x[o + i] as number;
            let j = o + i - 1;
            while (j >= o && (values[j] as number) > v) {
              values[j + 1] = values[j] as number;
              perm[j + 1] = perm[j] as number;
              j--;
            }
            values[j + 1] = v;
            perm[j + 1] = g + i;
          }
          continue;
        }
        for (let i = 0; i < groupSize; i++) {
          const v = x[o + i] as number;
          let j = i - 1;
          while (j >= 0 && less(v, values[o + j] as number)) {
            values[o + j + 1] = values[o + j] as number;
            perm[o + j + 1] = perm[o + j] as number;
            j--;
          }
          values[o + j + 1] = v;
          perm[o + j + 1] = g + i;
        }
        continue;
      }
      // Large groups: comparison sort of the indices, ties by index.
      for (let i = 0; i < groupSize; i++) idx[i] = i;
      idx.sort((i, j) => {
        const u = x[o + i] as number;
        const v = x[o + j] as number;
        if (less(u, v)) return -1;
        if (less(v, u)) return 1;
        return i - j;
      });
      for (let k = 0; k < groupSize; k++) {
        const src = idx[k] as number;
        values[o + k] = x[o + src] as number;
        perm[o + k] = g + src;
      }
    }
  }
}

export function unpermute(dy: Float32Array, perm: Int32Array, dx: Float32Array, width: number): void {
  const rows = dy.length / width;
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    for (let k = 0; k < width; k++) dx[o + (perm[o + k] as number)] = dy[o + k] as number;
  }
}

export function groupSortKernel(backendName: string) {
  return ({ inputs, backend, attrs }: KernelArgs): TensorInfo[] => {
    const { x } = inputs as { x: TensorInfo };
    const groupSize = attrs.groupSize as number;
    const width = x.shape[x.shape.length - 1] as number;
    return withArrays(
      backendName,
      backend,
      [x],
      [
        { shape: [...x.shape], dtype: 'float32' },
        { shape: [...x.shape], dtype: 'int32' },
      ],
      ([xa], [va, pa]) => sortGroups(xa as Float32Array, va as Float32Array, pa as Int32Array, width, groupSize),
    );
  };
}

export function unpermuteKernel(backendName: string) {
  return ({ inputs, backend }: KernelArgs): TensorInfo => {
    const { dy, perm } = inputs as { dy: TensorInfo; perm: TensorInfo };
    const width = dy.shape[dy.shape.length - 1] as number;
    const [out] = withArrays(backendName, backend, [dy, perm], [{ shape: [...dy.shape], dtype: 'float32' }], ([d, p], [o]) =>
      unpermute(d as Float32Array, p as Int32Array, o as Float32Array, width),
    );
    return out as TensorInfo;
  };
}
