import { NnphysError } from '@nnphys/core';
import { describe, expect, test } from 'vitest';
import { Tokenizer } from '../src/index.js';

describe('Tokenizer', () => {
  test('word level: specials take ids 0..3, ordinary tokens follow, encode/decode round-trip', () => {
    const tok = Tokenizer.fromTokens(['the', 'cat', 'sat', 'the']);
    expect([tok.pad, tok.mask, tok.bos, tok.eos]).toEqual([0, 1, 2, 3]);
    expect(tok.size).toBe(7);
    expect(tok.ordinaryIds).toEqual([4, 5, 6]);
    const ids = tok.encode('the  cat sat', { bos: true, eos: true });
    expect(ids).toEqual([2, 4, 5, 6, 3]);
    expect(tok.decode(ids)).toBe('<bos> the cat sat <eos>');
    expect(tok.decode(ids, { skipSpecial: true })).toBe('the cat sat');
    expect(tok.encode('<mask> cat')).toEqual([1, 5]);
    expect(tok.encode(['sat', 'cat'])).toEqual([6, 5]);
    expect(tok.encode('')).toEqual([]);
  });

  test('character level: code points, concatenated on decode', () => {
    const tok = Tokenizer.fromTexts(['héllo', 'wörld'], { level: 'char' });
    expect(tok.size).toBe(4 + 8);
    const ids = tok.encode('dörhé');
    expect(tok.decode(ids)).toBe('dörhé');
    expect(ids).toHaveLength(5);
    expect(tok.decode(tok.encode('wörld'))).toBe('wörld');
    expect(tok.level).toBe('char');
  });

  test('JSON round trip keeps ids and specials', () => {
    const tok = Tokenizer.fromTokens(['a', 'b', 'c'], { specials: ['pad', 'bos'] });
    const back = Tokenizer.fromJSON(JSON.parse(JSON.stringify(tok.toJSON())));
    expect(back.vocabulary).toEqual(tok.vocabulary);
    expect(back.encode('c a', { bos: true })).toEqual(tok.encode('c a', { bos: true }));
    expect(back.has('mask')).toBe(false);
  });

  test('bad inputs throw NnphysError naming what is wrong', () => {
    const tok = Tokenizer.fromTokens(['a', 'b']);
    expect(() => tok.encode('a z')).toThrow(NnphysError);
    expect(() => tok.encode('a z')).toThrow(/unknown token "z" at position 1/);
    expect(() => tok.decode([0, 6])).toThrow(/ids\[1\] must be an integer in \[0, 6\), got 6/);
    expect(() => tok.token(-1)).toThrow(/\[0, 6\)/);
    const noMask = Tokenizer.fromTokens(['a', 'b'], { specials: ['pad', 'bos', 'eos'] });
    expect(() => noMask.mask).toThrow(/no mask token/);
    expect(() => new Tokenizer(['a', 'a'])).toThrow(/appears twice/);
    expect(() => new Tokenizer(['<pad>'])).toThrow(/spelling of a special token/);
    expect(() => new Tokenizer(['a b'])).toThrow(/whitespace/);
    expect(() => new Tokenizer(['ab'], { level: 'char' })).toThrow(/single character/);
    expect(() => new Tokenizer(['a'], { level: 'bpe' as 'word' })).toThrow(/level must be/);
    expect(() => new Tokenizer(['a'], { specials: ['unk' as 'pad'] })).toThrow(/specials must contain only/);
  });
});
