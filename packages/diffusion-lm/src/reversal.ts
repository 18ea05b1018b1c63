import { NnphysError } from '@nnphys/core';

export interface ReverseTokensOptions {
  /** First position of the reversed part (default 0; e.g. 1 keeps a leading BOS in place). */
  start?: number;
  /** End (exclusive) of the reversed part (default: the first padToken, or the sequence length). */
  end?: number;
  /** Trailing padding stays at the end. */
  padToken?: number;
}

function range(sequence: readonly number[], options: ReverseTokensOptions, fn: string): [number, number] {
  if (!Array.isArray(sequence)) throw new NnphysError(`${fn}: sequence must be an array of token ids, got ${typeof sequence}`);
  let end = sequence.length;
  if (options.padToken !== undefined) {
    const p = sequence.indexOf(options.padToken);
    if (p >= 0) end = p;
  }
  if (options.end !== undefined) end = options.end;
  const start = options.start ?? 0;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > sequence.length || start > end) {
    throw new NnphysError(`${fn}: need 0 <= start <= end <= ${sequence.length}, got start ${start} and end ${end}`);
  }
  return [start, end];
}

/**
 * Token-level reversal ("AR w/reverse", 004 §7.3): the tokens in [start, end)
 * in reverse order, everything else in place. Training an AR model on each
 * sequence and its reversal only fixes single-token lookups (004 App. D.1).
 */
export function reverseTokens(sequence: readonly number[], options: ReverseTokensOptions = {}): number[] {
  const [start, end] = range(sequence, options, 'reverseTokens');
  return [...sequence.slice(0, start), ...sequence.slice(start, end).reverse(), ...sequence.slice(end)];
}

export interface ReverseEntitiesOptions extends ReverseTokensOptions {
  /** Token written before each entity in the reversed sequence (with `close`; 004's "AR w/reverse (entity)"). */
  open?: number;
  /** Token written after each entity. Without delimiters the result is the "*" variant of 004 Table 7.1. */
  close?: number;
}

/**
 * Entity-level reversal (004 §7.3, Golovneva et al. 2024): the part [start, end)
 * is cut into chunks (each entity span [s, e) is one chunk, every other token
 * its own chunk); the chunks are reversed while each entity keeps its internal
 * token order, and entities are wrapped in open/close delimiters when given.
 */
export function reverseEntities(sequence: readonly number[], entities: ReadonlyArray<readonly [number, number]>, options: ReverseEntitiesOptions = {}): number[] {
  const [start, end] = range(sequence, options, 'reverseEntities');
  if (!Array.isArray(entities)) throw new NnphysError('reverseEntities: entities must be an array of [start, end) spans');
  if ((options.open === undefined) !== (options.close === undefined)) throw new NnphysError('reverseEntities: give both open and close delimiters, or neither');
  const spans = [...entities].map((s, i) => {
    if (!Array.isArray(s) || s.length !== 2) throw new NnphysError(`reverseEntities: entities[${i}] must be a [start, end) pair`);
    const [a, b] = s as [number, number];
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < start || b > end || a >= b) {
      throw new NnphysError(`reverseEntities: entities[${i}] = [${a}, ${b}) must be a non-empty span inside [${start}, ${end})`);
    }
    return [a, b] as [number, number];
  });
  spans.sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < spans.length; i++) {
    if ((spans[i] as [number, number])[0] < (spans[i - 1] as [number, number])[1]) throw new NnphysError('reverseEntities: entity spans overlap');
  }
  const chunks: number[][] = [];
  let t = start;
  for (const [a, b] of spans) {
    for (; t < a; t++) chunks.push([sequence[t] as number]);
    const entity = sequence.slice(a, b) as number[];
    chunks.push(options.open !== undefined ? [options.open, ...entity, options.close as number] : entity);
    t = b;
  }
  for (; t < end; t++) chunks.push([sequence[t] as number]);
  return [...sequence.slice(0, start), ...chunks.reverse().flat(), ...sequence.slice(end)];
}
