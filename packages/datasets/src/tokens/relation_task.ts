import type { Random } from '@nnphys/core';
import { checkChoice, checkInteger, checkNumber, checkOptions } from '../internal/checks.js';
import { randomFrom } from '../internal/random.js';
import { ownTokens } from './retrieval_task.js';
import { type TokenSequence, type TokenTask, buildSequence, querySplit, vocabularyOf } from './token_sequence.js';

export interface RelationTaskOptions {
  /** Number of statements "A => B => C". Default 100. */
  triples?: number;
  /** Tokens per entity. Default 2. */
  entityLength?: number;
  /** Fraction of the triples whose questions are in the training set. Default 0.5. */
  trainQueryFraction?: number;
  splitProtocol?: 'sameSeed' | 'perDirectionSeed';
  seed?: number | Random;
}

export interface RelationSequence extends TokenSequence {
  /**
   * For questions: the answer a model that treats the relation as symmetric would give (A for the
   * forward question, C for the backward one); used for the "incorrect inference" rate of Table 7.1.
   */
  wrongAnswer?: string[];
}

export interface RelationTask extends TokenTask<RelationSequence> {
  /** The entities [A, B, C] of each statement. */
  triples: [string[], string[], string[]][];
}

export const FORWARD_ARROW = '=>';
export const BACKWARD_ARROW = '<=';
export const QUESTION = '?';

/**
 * The non-reciprocal relationship task of 004 §7.3.1: statements "A => B => C" between entities with
 * their own tokens, questions "B => ?" (answer C) and "B <= ?" (answer A). A model assuming symmetry
 * cannot tell A from C. Training holds every statement and the questions of `trainQueryFraction` of
 * the triples; the test set holds the other questions.
 */
export function relationTask(opts?: RelationTaskOptions): RelationTask {
  const o = checkOptions<RelationTaskOptions>(opts, 'relationTask: options', true);
  const n = checkInteger(o.triples ?? 100, 'relationTask: triples', 1);
  const length = checkInteger(o.entityLength ?? 2, 'relationTask: entityLength', 1);
  const fraction = checkNumber(o.trainQueryFraction ?? 0.5, 'relationTask: trainQueryFraction', 0, 1);
  const protocol = checkChoice(o.splitProtocol ?? 'sameSeed', 'relationTask: splitProtocol', ['sameSeed', 'perDirectionSeed'] as const);
  const rng = randomFrom(o.seed, 'relationTask: seed');
  const entities = ownTokens(rng, 'e', 3 * n, length);
  const triples = Array.from({ length: n }, (_, i) => [entities[3 * i], entities[3 * i + 1], entities[3 * i + 2]] as [string[], string[], string[]]);
  const split = querySplit(n, fraction, protocol, rng);
  const train: RelationSequence[] = [];
  const test: RelationSequence[] = [];
  triples.forEach(([a, b, c], i) => {
    const [A, B, C] = [{ entity: a }, { entity: b }, { entity: c }];
    train.push(buildSequence([A, FORWARD_ARROW, B, FORWARD_ARROW, C], 'fact', i));
    const forward: RelationSequence = { ...buildSequence([B, FORWARD_ARROW, QUESTION, C], 'forward', i, 3), wrongAnswer: a.slice() };
    const backward: RelationSequence = { ...buildSequence([B, BACKWARD_ARROW, QUESTION, A], 'backward', i, 3), wrongAnswer: c.slice() };
    (split.forward.has(i) ? train : test).push(forward);
    (split.backward.has(i) ? train : test).push(backward);
  });
  return { train, test, vocabulary: vocabularyOf([...train, ...test], [FORWARD_ARROW, BACKWARD_ARROW, QUESTION]), triples };
}
