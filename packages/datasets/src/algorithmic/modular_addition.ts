import type { Random } from '@nnphys/core';
import { checkChoice, checkInteger, checkNumber, checkOptions } from '../internal/checks.js';
import { randomFrom } from '../internal/random.js';
import { type TokenSequence, buildSequence, vocabularyOf } from '../tokens/token_sequence.js';

export interface ModularAdditionOptions {
  /** p: operands and results are in 0..p-1 (p = 53 for the transformer, 11 for Fig. 6.2 in 004). */
  modulus: number;
  /**
   * 'ordered': all p^2 pairs (a, b), as in Power et al.'s transformer setup; 'unordered': the
   * p(p+1)/2 pairs with a <= b, since a + b and b + a are the same sample (004 §6.2). Default 'ordered'.
   */
  pairs?: 'ordered' | 'unordered';
  /** Fraction of the samples in the training set (|D| / |D0| in 004 §6.2). Default 0.5. */
  trainFraction?: number;
  seed?: number | Random;
}

export interface ModularAdditionData {
  /** [a, b] for every sample. */
  inputs: [number, number][];
  /** (a + b) mod p. */
  targets: number[];
  /** Indices of the training and validation samples: disjoint, together all samples. */
  train: number[];
  test: number[];
  /** "a + b = c" token sequences (prompt "a + b =", answer "c") for sequence models. */
  sequences: TokenSequence[];
  vocabulary: string[];
}

/** The binary-operation dataset of 004 §6.2 for modular addition: every pair (a, b) with label (a + b) mod p, split at random. */
export function modularAddition(opts: ModularAdditionOptions): ModularAdditionData {
  const o = checkOptions<ModularAdditionOptions>(opts, 'modularAddition: options');
  const p = checkInteger(o.modulus, 'modularAddition: modulus', 1, 4096);
  const mode = checkChoice(o.pairs ?? 'ordered', 'modularAddition: pairs', ['ordered', 'unordered'] as const);
  const fraction = checkNumber(o.trainFraction ?? 0.5, 'modularAddition: trainFraction', 0, 1);
  const rng = randomFrom(o.seed, 'modularAddition: seed');
  const inputs: [number, number][] = [];
  for (let a = 0; a < p; a++) for (let b = mode === 'ordered' ? 0 : a; b < p; b++) inputs.push([a, b]);
  const targets = inputs.map(([a, b]) => (a + b) % p);
  const order = rng.permutation(inputs.length);
  const nTrain = Math.round(fraction * inputs.length);
  const train = order.slice(0, nTrain).sort((x, y) => x - y);
  const test = order.slice(nTrain).sort((x, y) => x - y);
  const sequences = inputs.map(([a, b], i) => buildSequence([String(a), '+', String(b), '=', String(targets[i])], 'equation', i, 4));
  const vocabulary = vocabularyOf(sequences, [...Array.from({ length: p }, (_, i) => String(i)), '+', '=']);
  return { inputs, targets, train, test, sequences, vocabulary };
}
