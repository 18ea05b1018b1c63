import { NnphysError, assertPositiveInteger } from '@nnphys/core';

/**
 * A finite group acting on input vectors by a representation rho
 * (001, "Data augmentation at infinite width"). Element 0 is the identity.
 */
export interface FiniteGroup {
  readonly name: string;
  /** |G|. */
  readonly order: number;
  /** Dimension of the vectors it acts on. */
  readonly dim: number;
  /** rho(g) x for the element with index g in [0, order). */
  act(g: number, x: readonly number[]): number[];
}

/** A group of coordinate permutations: (rho(g) x)_i = x_{perm_g[i]}. */
export interface PermutationGroup extends FiniteGroup {
  readonly permutations: readonly (readonly number[])[];
}

function compose(p: readonly number[], q: readonly number[]): number[] {
  // rho(p) rho(q) x: (rho(q) x)_i = x_{q[i]}, then (rho(p) y)_i = y_{p[i]} = x_{q[p[i]]}
  return p.map((pi) => q[pi] as number);
}

/**
 * A permutation group from its elements. Checks that each is a permutation
 * of 0..d-1, that there are no duplicates, that the identity is present and
 * that the set is closed under composition (so that augmenting with every
 * element gives complete orbits).
 */
export function permutationGroup(permutations: number[][], name = 'permutations'): PermutationGroup {
  if (!Array.isArray(permutations) || permutations.length === 0) {
    throw new NnphysError(`permutationGroup: permutations must be a non-empty array of index arrays, got ${Array.isArray(permutations) ? 'an empty array' : typeof permutations}`);
  }
  const d = Array.isArray(permutations[0]) ? permutations[0].length : 0;
  if (d === 0) throw new NnphysError('permutationGroup: permutations[0] must be a non-empty index array');
  const keys = new Map<string, number>();
  permutations.forEach((p, g) => {
    if (!Array.isArray(p) || p.length !== d) throw new NnphysError(`permutationGroup: permutations[${g}] must have length ${d}, got ${Array.isArray(p) ? p.length : typeof p}`);
    const seen = new Uint8Array(d);
    for (const [i, v] of p.entries()) {
      if (!Number.isInteger(v) || v < 0 || v >= d || seen[v]) {
        throw new NnphysError(`permutationGroup: permutations[${g}] must be a permutation of 0..${d - 1}, got ${JSON.stringify(v)} at position ${i}`);
      }
      seen[v] = 1;
    }
    const key = p.join(',');
    if (keys.has(key)) throw new NnphysError(`permutationGroup: permutations[${g}] duplicates permutations[${keys.get(key)}]`);
    keys.set(key, g);
  });
  const idKey = Array.from({ length: d }, (_, i) => i).join(',');
  const idIndex = keys.get(idKey);
  if (idIndex === undefined) throw new NnphysError('permutationGroup: the identity permutation must be one of the elements');
  for (const [a, p] of permutations.entries()) {
    for (const [b, q] of permutations.entries()) {
      if (!keys.has(compose(p, q).join(','))) {
        throw new NnphysError(`permutationGroup: not closed under composition: permutations[${a}] o permutations[${b}] is not in the set (incomplete orbits)`);
      }
    }
  }
  const ordered = [permutations[idIndex] as number[], ...permutations.filter((_, g) => g !== idIndex)].map((p) => Object.freeze([...p]));
  return {
    name,
    order: ordered.length,
    dim: d,
    permutations: ordered,
    act(g: number, x: readonly number[]): number[] {
      const p = ordered[g];
      if (p === undefined) throw new NnphysError(`${name}: element index must be an integer in [0, ${ordered.length}), got ${g}`);
      if (!x || x.length !== d) throw new NnphysError(`${name}: x must have length ${d}, got ${x ? x.length : String(x)}`);
      return p.map((i) => x[i] as number);
    },
  };
}

/** Z_d acting by cyclic shifts of d coordinates: (rho(g_k) x)_i = x_{(i - k) mod d}. */
export function cyclicShiftGroup(d: number): PermutationGroup {
  assertPositiveInteger(d, 'cyclicShiftGroup: d');
  const perms = Array.from({ length: d }, (_, k) => Array.from({ length: d }, (_, i) => (((i - k) % d) + d) % d));
  return permutationGroup(perms, `Z${d} shifts`);
}

function rotate90(side: number): number[] {
  // Row-major side x side image rotated by 90 degrees counterclockwise: new[r][c] = old[c][side - 1 - r].
  const p: number[] = [];
  for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) p.push(c * side + (side - 1 - r));
  return p;
}

/** C4: rotations of a side x side image (flattened row-major) by multiples of 90 degrees. */
export function rotationGroupC4(side: number): PermutationGroup {
  assertPositiveInteger(side, 'rotationGroupC4: side');
  if (side < 2) throw new NnphysError(`rotationGroupC4: side must be >= 2, got ${side}`);
  const r = rotate90(side);
  const perms = [Array.from({ length: side * side }, (_, i) => i)];
  for (let k = 1; k < 4; k++) perms.push(compose(r, perms[k - 1] as number[]));
  return permutationGroup(perms, `C4 on ${side}x${side}`);
}

/** D4: rotations and reflections of a side x side image (flattened row-major). */
export function dihedralGroupD4(side: number): PermutationGroup {
  const c4 = rotationGroupC4(side);
  const flip: number[] = [];
  for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) flip.push(r * side + (side - 1 - c));
  const perms = c4.permutations.map((p) => [...p]);
  for (const p of c4.permutations) perms.push(compose(flip, p));
  return permutationGroup(perms, `D4 on ${side}x${side}`);
}
