import { NnphysError } from '@nnphys/core';
import type { Tokenizer } from '../tokenizer.js';

/**
 * A tokenised text sequence of a question-answering task (the shape of
 * @nnphys/datasets' TokenSequence): the first `promptLength` tokens are the
 * prompt, the rest is the answer scored by exact match.
 */
export interface TextSequence {
  tokens: readonly string[];
  /** Leading tokens given as the prompt; equal to tokens.length for training text. */
  promptLength: number;
  /** [start, end) token spans of the entities (for entity reversal). */
  entities?: readonly (readonly [number, number])[];
  /** What the sequence is ('fact', 'forward', 'backward', ...); accuracies are reported per kind. */
  kind?: string;
  /** The answer a model applying a wrong (symmetric) heuristic would give (relationship task). */
  wrongAnswer?: readonly string[];
}

/** Sequences as equal-length id rows: optional BOS, the tokens, then padding. */
export interface EncodedSequences {
  ids: number[][];
  /** Unpadded length of each row (BOS included). */
  lengths: number[];
  /** Prompt length of each row (BOS included). */
  promptLengths: number[];
  /** Row length after padding. */
  length: number;
}

/** Encodes sequences with the tokenizer, prepends BOS (with `bos: true`) and pads every row to the longest (or `padTo`). */
export function encodeSequences(tokenizer: Tokenizer, sequences: readonly TextSequence[], options: { bos?: boolean; padTo?: number } = {}): EncodedSequences {
  if (!Array.isArray(sequences) || sequences.length === 0) throw new NnphysError('encodeSequences: sequences must be a non-empty array of { tokens, promptLength }');
  const bos = options.bos ?? false;
  const rows = sequences.map((s, i) => {
    if (s == null || !Array.isArray(s.tokens)) throw new NnphysError(`encodeSequences: sequences[${i}] must have a tokens array`);
    const ids = tokenizer.encode(s.tokens, { bos });
    return ids;
  });
  const longest = Math.max(...rows.map((r) => r.length));
  const length = options.padTo ?? longest;
  if (length < longest) throw new NnphysError(`encodeSequences: padTo ${length} is shorter than the longest sequence (${longest} tokens)`);
  const pad = tokenizer.pad;
  return {
    ids: rows.map((r) => [...r, ...new Array<number>(length - r.length).fill(pad)]),
    lengths: rows.map((r) => r.length),
    promptLengths: sequences.map((s) => s.promptLength + (bos ? 1 : 0)),
    length,
  };
}
