import { NnphysError, assertOneOf } from '@nnphys/core';
import { type GenerationOrder, generateBatch } from '../generate.js';
import type { Tokenizer } from '../tokenizer.js';
import type { TokenModel } from '../token_model.js';
import type { TextSequence } from './text_sequence.js';

export interface KindAccuracy {
  /** Fraction of answers reproduced exactly (004 Tables 7.1-7.3). */
  exactMatch: number;
  /** Fraction of answer tokens right at their position (004 Table D.2). */
  perToken: number;
  /** Fraction of answers equal to the wrong (symmetric) answer, where the task gives one (Table 7.1, bottom). */
  wrongAnswer?: number;
  count: number;
}

export interface AnswerAccuracyOptions {
  /** Mask token for bidirectional models (default: the tokenizer's). */
  maskToken?: number;
  /** Prepend BOS to prompts; must match training (default false, as in trainOnTask). */
  bos?: boolean;
  /**
   * Order in which a bidirectional model fills the answer positions (default 'left-to-right', App. D.7);
   * 'confidence' fills the most probable position first. Causal models always decode left to right.
   */
  order?: 'left-to-right' | 'confidence';
  /** Prompts per model call (default 256). */
  batchSize?: number;
}

export interface AnswerAccuracy {
  byKind: Record<string, KindAccuracy>;
  overall: KindAccuracy;
  /** The decoded answer of each sequence, in order. */
  answers: string[][];
}

/**
 * Greedy left-to-right completion of each prompt, scored against its answer
 * (004 App. D.7: every objective is evaluated by left-to-right decoding; a
 * bidirectional model sees the answer positions as mask tokens). Bidirectional
 * models can instead fill the answer in order of confidence (`order`).
 */
export function answerAccuracy(model: TokenModel, tokenizer: Tokenizer, sequences: readonly TextSequence[], options: AnswerAccuracyOptions = {}): AnswerAccuracy {
  if (!Array.isArray(sequences) || sequences.length === 0) throw new NnphysError('answerAccuracy: sequences must be a non-empty array');
  const bos = options.bos ?? false;
  const maskToken = model.causal ? undefined : (options.maskToken ?? tokenizer.mask);
  const batchSize = options.batchSize ?? 256;
  const order: GenerationOrder = options.order ?? 'left-to-right';
  assertOneOf(order, 'answerAccuracy: order', ['left-to-right', 'confidence'] as const);
  if (model.causal && order !== 'left-to-right') throw new NnphysError(`answerAccuracy: a causal model decodes 'left-to-right' only, got order '${order}'`);
  // Group by (prompt length, answer length) so that each batch has one shape.
  const groups = new Map<string, number[]>();
  sequences.forEach((s, i) => {
    const answerLength = s.tokens.length - s.promptLength;
    if (!(s.promptLength >= 0 && answerLength > 0)) throw new NnphysError(`answerAccuracy: sequences[${i}] has no answer (promptLength ${s.promptLength} of ${s.tokens.length} tokens)`);
    const key = `${s.promptLength}:${answerLength}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const answers: number[][] = new Array(sequences.length);
  for (const members of groups.values()) {
    const first = sequences[members[0] as number] as TextSequence;
    const answerLength = first.tokens.length - first.promptLength;
    for (let start = 0; start < members.length; start += batchSize) {
      const chunk = members.slice(start, start + batchSize);
      const prompts = chunk.map((i) => tokenizer.encode((sequences[i] as TextSequence).tokens.slice(0, (sequences[i] as TextSequence).promptLength), { bos }));
      const out = generateBatch(model, { prompts, length: answerLength, temperature: 0, maskToken, order, exclude: tokenizer.specialIdList });
      chunk.forEach((i, r) => {
        answers[i] = (out[r] as number[]).slice(prompts[r]?.length);
      });
    }
  }
  const stats = new Map<string, { exact: number; tokens: number; right: number; wrong: number; withWrong: number; count: number }>();
  const overall = { exact: 0, tokens: 0, right: 0, wrong: 0, withWrong: 0, count: 0 };
  sequences.forEach((s, i) => {
    const kind = s.kind ?? 'all';
    const st = stats.get(kind) ?? { exact: 0, tokens: 0, right: 0, wrong: 0, withWrong: 0, count: 0 };
    stats.set(kind, st);
    const truth = tokenizer.encode(s.tokens.slice(s.promptLength));
    const got = answers[i] as number[];
    let right = 0;
    truth.forEach((t, j) => {
      if (got[j] === t) right++;
    });
    for (const acc of [st, overall]) {
      acc.count++;
      acc.tokens += truth.length;
      acc.right += right;
      if (right === truth.length) acc.exact++;
      if (s.wrongAnswer) {
        acc.withWrong++;
        const wrong = tokenizer.encode(s.wrongAnswer);
        if (wrong.length === got.length && wrong.every((t, j) => got[j] === t)) acc.wrong++;
      }
    }
  });
  const summary = (a: typeof overall): KindAccuracy => ({
    exactMatch: a.exact / a.count,
    perToken: a.right / a.tokens,
    ...(a.withWrong > 0 ? { wrongAnswer: a.wrong / a.withWrong } : {}),
    count: a.count,
  });
  return {
    byKind: Object.fromEntries([...stats.entries()].map(([k, a]) => [k, summary(a)])),
    overall: summary(overall),
    answers: answers.map((a) => a.map((id) => tokenizer.token(id))),
  };
}
