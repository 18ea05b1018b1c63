import { checkBoolean, checkOptions, fail, show } from '../internal/checks.js';

/** One tokenised sequence of a token task. */
export interface TokenSequence {
  /** The tokens (no whitespace inside a token). */
  tokens: string[];
  /** The tokens joined by single spaces, for whitespace tokenizers. */
  text: string;
  /**
   * Number of leading tokens given to the model as the prompt; `tokens.slice(promptLength)` is the
   * answer to score by exact match. Equal to `tokens.length` for training text (facts, biographies).
   */
  promptLength: number;
  /** The answer tokens (`tokens.slice(promptLength)`). */
  answer: string[];
  /** What the sequence is: 'fact', 'forward', 'backward', 'bio', 'path', 'equation', ... */
  kind: string;
  /** [start, end) token spans of the entities, in order of appearance. */
  entities: [number, number][];
  /** Index of the item (pair, triple, person, graph) the sequence is about. */
  item: number;
}

/** A token task: train and test sequences and the list of every token used (for a tokenizer). */
export interface TokenTask<S extends TokenSequence = TokenSequence> {
  train: S[];
  test: S[];
  /** Every token appearing in train or test, each once, including ENTITY_DELIMITERS. */
  vocabulary: string[];
}

/** Delimiter tokens that `reverseEntities` puts around each entity. */
export const ENTITY_DELIMITERS = ['<e>', '</e>'] as const;

/** A part of a sequence: a plain token or an entity (a list of tokens). */
export type Part = string | { entity: string[] };

/** Builds a sequence from parts; the prompt is the first `promptParts` parts (all parts by default). */
export function buildSequence(parts: Part[], kind: string, item: number, promptParts = parts.length): TokenSequence {
  const tokens: string[] = [];
  const entities: [number, number][] = [];
  let promptLength = 0;
  parts.forEach((p, i) => {
    if (typeof p === 'string') tokens.push(p);
    else {
      entities.push([tokens.length, tokens.length + p.entity.length]);
      tokens.push(...p.entity);
    }
    if (i + 1 === promptParts) promptLength = tokens.length;
  });
  if (promptParts === 0) promptLength = 0;
  return { tokens, text: tokens.join(' '), promptLength, answer: tokens.slice(promptLength), kind, entities, item };
}

/** The vocabulary of a list of sequences: tokens in order of first appearance, plus the entity delimiters. */
export function vocabularyOf(sequences: TokenSequence[], first: readonly string[] = []): string[] {
  const seen = new Set<string>(first);
  for (const s of sequences) for (const t of s.tokens) seen.add(t);
  for (const d of ENTITY_DELIMITERS) seen.add(d);
  return [...seen];
}

/**
 * Entity-level reversal (004 §7.2.1, "AR w/reverse (entity)"): the order of the entities and of the
 * tokens between them is reversed, while the tokens inside each entity keep their order. With
 * `delimiters: true` each entity is wrapped in ENTITY_DELIMITERS ('<e>' ... '</e>'); without them the
 * reversed text can look like a forward statement, the "*" variant of Table 7.1 that learns a wrong
 * symmetric heuristic. The result is training text (promptLength = its length).
 */
export function reverseEntities(sequence: TokenSequence, opts?: { delimiters?: boolean }): TokenSequence {
  const o = checkOptions<{ delimiters?: boolean }>(opts, 'reverseEntities: options', true);
  const delimiters = checkBoolean(o.delimiters ?? true, 'reverseEntities: delimiters');
  if (!sequence || !Array.isArray(sequence.tokens) || !Array.isArray(sequence.entities)) {
    fail(`reverseEntities: sequence must be a TokenSequence with tokens and entities, got ${show(sequence)}`);
  }
  const parts: Part[] = [];
  let i = 0;
  for (const [start, end] of [...sequence.entities].sort((a, b) => a[0] - b[0])) {
    if (!(start >= i && end > start && end <= sequence.tokens.length)) fail(`reverseEntities: entity span [${start}, ${end}) is invalid or overlaps`);
    for (; i < start; i++) parts.push(sequence.tokens[i] as string);
    parts.push({ entity: sequence.tokens.slice(start, end) });
    i = end;
  }
  for (; i < sequence.tokens.length; i++) parts.push(sequence.tokens[i] as string);
  parts.reverse();
  const wrapped: Part[] = delimiters
    ? parts.flatMap((p): Part[] => (typeof p === 'string' ? [p] : [ENTITY_DELIMITERS[0], p, ENTITY_DELIMITERS[1]]))
    : parts;
  return buildSequence(wrapped, `${sequence.kind}-reversed`, sequence.item);
}

/** Picks which items get their queries in training: one subset for both directions, or one per direction. */
export function querySplit(
  items: number,
  trainFraction: number,
  protocol: 'sameSeed' | 'perDirectionSeed',
  rng: { permutation(n: number): number[] },
): { forward: Set<number>; backward: Set<number> } {
  const nTrain = Math.round(trainFraction * items);
  const forward = new Set(rng.permutation(items).slice(0, nTrain));
  const backward = protocol === 'sameSeed' ? forward : new Set(rng.permutation(items).slice(0, nTrain));
  return { forward, backward };
}
