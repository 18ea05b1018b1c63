import type { Random } from '@nnphys/core';
import { checkBoolean, checkChoice, checkInteger, checkInterval, checkOptions, fail, show } from '../internal/checks.js';
import { randomFrom, sampleDistinct } from '../internal/random.js';
import { type AtomEncoding, encodeUnchecked } from './encode_atom.js';

export type AtomSumTarget = 'sum' | 'mean' | 'max' | 'min';

export interface AtomSumOptions {
  /** K, the number of atoms per sample (3, 5, 10 and 60 in 002). */
  setSize: number;
  /** Number of samples. */
  samples: number;
  /** Number of distinct atoms (128 in 002). */
  vocabulary?: number;
  /** 'binary' (7 bits for 128 atoms, MSB first, 002 §4.2) or 'onehot' (002 §4.7). Default 'binary'. */
  encoding?: AtomEncoding;
  seed?: number | Random;
  /**
   * atom -> the only positions (0-based) where that atom may appear; reproduces the
   * positional-bias data of 002 ch. 5 (e.g. "atom 6.60713 always in the second position").
   * Atoms not in the map may appear anywhere.
   */
  restrictPositions?: Map<number, number[]>;
  /** Hidden per-atom values. Default: drawn from U[valueRange) with the seed. */
  values?: ArrayLike<number>;
  /** Range of the drawn hidden values. Default [0, 10) (see README: 002's own listing has values below 1). */
  valueRange?: [number, number];
  /** Aggregate label: 'sum' (002), or 'mean' | 'max' | 'min' (002 §7.5). Default 'sum'. */
  target?: AtomSumTarget;
  /** No tuple twice (so a train/test split never leaks a tuple). Default true. */
  distinct?: boolean;
}

export interface AtomSumData {
  /** [sample][position][feature]: the encoded atoms. */
  inputs: number[][][];
  /** The aggregate label of each sample, computed in float64 from `values`. */
  targets: number[];
  /** [sample][position]: the atom indices. */
  atoms: number[][];
  /** The hidden value of each atom (ground truth for per-atom recovery metrics). */
  values: number[];
}

/**
 * The aggregate-label task of 002 ch. 4-6: each sample is K atoms drawn from a vocabulary,
 * each atom has a hidden value, and the label is the sum (or mean/max/min) of the hidden values.
 * Deterministic for a given seed. The hidden values and the tuples use independent streams
 * forked from the seed, so passing `values` does not change the tuples.
 */
export function atomSum(opts: AtomSumOptions): AtomSumData {
  const o = checkOptions<AtomSumOptions>(opts, 'atomSum: options');
  const setSize = checkInteger(o.setSize, 'atomSum: setSize', 1);
  const samples = checkInteger(o.samples, 'atomSum: samples', 1);
  const vocabulary = checkInteger(o.vocabulary ?? 128, 'atomSum: vocabulary', 1, 2 ** 24);
  const encoding = checkChoice(o.encoding ?? 'binary', 'atomSum: encoding', ['binary', 'onehot'] as const);
  const target = checkChoice(o.target ?? 'sum', 'atomSum: target', ['sum', 'mean', 'max', 'min'] as const);
  const distinct = checkBoolean(o.distinct ?? true, 'atomSum: distinct');
  const [lo, hi] = checkInterval(o.valueRange ?? [0, 10], 'atomSum: valueRange');
  const rng = randomFrom(o.seed, 'atomSum: seed');
  const valueRng = rng.fork();
  const tupleRng = rng.fork();

  let values: number[];
  if (o.values !== undefined) {
    const v = o.values as ArrayLike<unknown>;
    if (v === null || typeof v !== 'object' || typeof v.length !== 'number') fail(`atomSum: values must be an array of ${vocabulary} numbers, got ${show(o.values)}`);
    if (v.length !== vocabulary) fail(`atomSum: values must have one entry per atom (${vocabulary}), got length ${v.length}`);
    values = Array.from(v, (x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) fail(`atomSum: values[${i}] must be a finite number, got ${show(x)}`);
      return x;
    });
  } else {
    values = Array.from({ length: vocabulary }, () => valueRng.uniformIn(lo, hi));
  }

  const allowed = allowedAtoms(o.restrictPositions, setSize, vocabulary);
  const atoms = drawTuples(tupleRng, allowed, samples, distinct);

  const codes = new Map<number, number[]>();
  const code = (a: number) => {
    let c = codes.get(a);
    if (!c) codes.set(a, (c = encodeUnchecked(a, encoding, vocabulary)));
    return c;
  };
  // Each position gets its own copy so that callers may mutate inputs safely.
  const inputs = atoms.map((tuple) => tuple.map((a) => code(a).slice()));
  const targets = atoms.map((tuple) => aggregate(tuple.map((a) => values[a] as number), target));
  return { inputs, targets, atoms, values };
}

/** The label of one tuple of hidden values, in float64. */
export function aggregate(vals: number[], target: AtomSumTarget): number {
  switch (target) {
    case 'sum':
      return vals.reduce((s, v) => s + v, 0);
    case 'mean':
      return vals.reduce((s, v) => s + v, 0) / vals.length;
    case 'max':
      return Math.max(...vals);
    case 'min':
      return Math.min(...vals);
  }
}

/** For each position, the sorted list of atoms allowed there. */
function allowedAtoms(restrict: Map<number, number[]> | undefined, setSize: number, vocabulary: number): number[][] {
  if (restrict === undefined) return Array.from({ length: setSize }, () => Array.from({ length: vocabulary }, (_, i) => i));
  if (!(restrict instanceof Map)) fail(`atomSum: restrictPositions must be a Map<atom, positions[]>, got ${show(restrict)}`);
  const onlyAt = new Map<number, Set<number>>();
  for (const [atom, positions] of restrict) {
    checkInteger(atom, 'atomSum: restrictPositions key (atom)', 0, vocabulary - 1);
    if (!Array.isArray(positions) || positions.length === 0) {
      fail(`atomSum: restrictPositions.get(${atom}) must be a non-empty array of positions, got ${show(positions)}`);
    }
    onlyAt.set(atom, new Set(positions.map((p) => checkInteger(p, `atomSum: restrictPositions.get(${atom}) entry`, 0, setSize - 1))));
  }
  const allowed: number[][] = [];
  for (let p = 0; p < setSize; p++) {
    const list: number[] = [];
    for (let a = 0; a < vocabulary; a++) {
      const only = onlyAt.get(a);
      if (!only || only.has(p)) list.push(a);
    }
    if (list.length === 0) fail(`atomSum: restrictPositions leaves no atom allowed at position ${p}`);
    allowed.push(list);
  }
  return allowed;
}

function drawTuples(rng: Random, allowed: number[][], samples: number, distinct: boolean): number[][] {
  const K = allowed.length;
  if (!distinct) {
    return Array.from({ length: samples }, () => allowed.map((list) => list[rng.int(list.length)] as number));
  }
  let space = 1;
  for (const list of allowed) space *= list.length;
  if (samples > space) fail(`atomSum: samples must be at most the number of distinct tuples (${space}) when distinct is true, got ${samples}`);
  if (space <= 4294967296) {
    // Sample distinct tuple indices, then decode them in mixed radix (position 0 most significant).
    return sampleDistinct(rng, space, samples).map((index) => {
      const tuple = new Array<number>(K);
      let rest = index;
      for (let p = K - 1; p >= 0; p--) {
        const list = allowed[p] as number[];
        tuple[p] = list[rest % list.length] as number;
        rest = Math.floor(rest / list.length);
      }
      return tuple;
    });
  }
  // Huge spaces (e.g. 128^60): rejection of the rare repeat.
  const seen = new Set<string>();
  const out: number[][] = [];
  while (out.length < samples) {
    const tuple = allowed.map((list) => list[rng.int(list.length)] as number);
    const key = tuple.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(tuple);
  }
  return out;
}
