import type { Random } from '@nnphys/core';
import { checkBoolean, checkChoice, checkInteger, checkOptions, fail, show } from '../internal/checks.js';
import { randomFrom } from '../internal/random.js';

/** Any set-valued data set: per-sample rows (one per position), labels and atom ids. */
export interface SetData {
  inputs: number[][][];
  targets: number[];
  atoms: number[][];
}

export interface PermutationAugmentOptions {
  /** With 'random': number of shuffled copies per sample. Default 1. */
  copies?: number;
  /** Keep the original samples (first, in order). Default true. */
  includeOriginal?: boolean;
  seed?: number | Random;
}

export type Augmented<T extends SetData> = Omit<T, 'inputs' | 'targets' | 'atoms'> &
  SetData & {
    /** For each output sample, the index of the sample it was made from. */
    source: number[];
  };

/** 'all' is limited to K <= 8 (8! = 40,320 orderings per sample). */
const MAX_ALL = 8;

/**
 * Adds position-permuted copies of each sample (002 §5.4: "shuffling the positions of atoms
 * in each tuple during training (adding these tuples to the dataset)"). Labels are invariant
 * under permutation, so each copy keeps its label.
 * - 'all': every distinct ordering of each tuple (repeated atoms give fewer orderings);
 * - 'random': `copies` random orderings per tuple (not deduplicated).
 * Other fields of `data` (e.g. `values`) are passed through unchanged.
 */
export function permutationAugment<T extends SetData>(data: T, mode: 'all' | 'random' = 'all', opts?: PermutationAugmentOptions): Augmented<T> {
  checkSetData(data);
  checkChoice(mode, 'permutationAugment: mode', ['all', 'random'] as const);
  const o = checkOptions<PermutationAugmentOptions>(opts, 'permutationAugment: options', true);
  const copies = checkInteger(o.copies ?? 1, 'permutationAugment: copies', 1);
  const includeOriginal = checkBoolean(o.includeOriginal ?? true, 'permutationAugment: includeOriginal');
  const rng = randomFrom(o.seed, 'permutationAugment: seed');

  const inputs: number[][][] = [];
  const targets: number[] = [];
  const atoms: number[][] = [];
  const source: number[] = [];
  const push = (s: number, order: number[]) => {
    const rows = data.inputs[s] as number[][];
    const tuple = data.atoms[s] as number[];
    inputs.push(order.map((p) => (rows[p] as number[]).slice()));
    atoms.push(order.map((p) => tuple[p] as number));
    targets.push(data.targets[s] as number);
    source.push(s);
  };

  for (let s = 0; s < data.atoms.length; s++) {
    const tuple = data.atoms[s] as number[];
    const K = tuple.length;
    const identity = Array.from({ length: K }, (_, i) => i);
    if (includeOriginal) push(s, identity);
    if (mode === 'random') {
      for (let c = 0; c < copies; c++) push(s, rng.permutation(K));
      continue;
    }
    if (K > MAX_ALL) fail(`permutationAugment: mode 'all' supports set sizes up to ${MAX_ALL} (K! orderings), got ${K}; use mode 'random'`);
    for (const order of distinctOrderings(tuple)) {
      if (order.every((p, i) => tuple[p] === tuple[i])) continue; // the original ordering
      push(s, order);
    }
  }
  return { ...data, inputs, targets, atoms, source };
}

/**
 * Position orders giving every distinct sequence of the multiset `tuple` exactly once
 * (lexicographic next-permutation over the sorted atoms; equal atoms are interchangeable).
 */
function* distinctOrderings(tuple: number[]): Generator<number[]> {
  const K = tuple.length;
  const seq = tuple.slice().sort((a, b) => a - b);
  for (;;) {
    // map the atom sequence back to positions of the original tuple (equal atoms in order)
    const used = new Array<boolean>(K).fill(false);
    yield seq.map((a) => {
      const p = tuple.findIndex((b, i) => b === a && !used[i]);
      used[p] = true;
      return p;
    });
    let i = K - 2;
    while (i >= 0 && (seq[i] as number) >= (seq[i + 1] as number)) i--;
    if (i < 0) return;
    let j = K - 1;
    while ((seq[j] as number) <= (seq[i] as number)) j--;
    [seq[i], seq[j]] = [seq[j] as number, seq[i] as number];
    for (let l = i + 1, r = K - 1; l < r; l++, r--) [seq[l], seq[r]] = [seq[r] as number, seq[l] as number];
  }
}

function checkSetData(data: unknown): asserts data is SetData {
  const d = data as SetData;
  if (d === null || typeof d !== 'object' || !Array.isArray(d.inputs) || !Array.isArray(d.targets) || !Array.isArray(d.atoms)) {
    fail(`permutationAugment: data must be { inputs, targets, atoms } (e.g. from atomSum), got ${show(data)}`);
  }
  const n = d.atoms.length;
  if (d.inputs.length !== n || d.targets.length !== n) {
    fail(`permutationAugment: data.inputs, data.targets and data.atoms must have the same length, got ${d.inputs.length}, ${d.targets.length}, ${n}`);
  }
  for (let s = 0; s < n; s++) {
    const rows = d.inputs[s];
    const tuple = d.atoms[s];
    if (!Array.isArray(tuple) || !Array.isArray(rows) || rows.length !== tuple.length) {
      fail(`permutationAugment: data.inputs[${s}] must have one row per atom of data.atoms[${s}], got ${show(rows)} for ${show(tuple)}`);
    }
  }
}
