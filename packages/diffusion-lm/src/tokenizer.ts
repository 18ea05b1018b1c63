import { NnphysError } from '@nnphys/core';

/** The special tokens a tokenizer can carry. They take the first ids, in this order. */
export type SpecialToken = 'pad' | 'mask' | 'bos' | 'eos';
export const specialTokens: readonly SpecialToken[] = ['pad', 'mask', 'bos', 'eos'];

export interface TokenizerOptions {
  /** 'word' splits text on whitespace and joins with one space; 'char' splits into code points (default 'word'). */
  level?: 'word' | 'char';
  /** Which special tokens exist (default all four). An AR-only vocabulary may omit 'mask'. */
  specials?: readonly SpecialToken[];
  /** Spelling of the special tokens (default '<pad>', '<mask>', '<bos>', '<eos>'). */
  spelling?: Partial<Record<SpecialToken, string>>;
}

export interface EncodeOptions {
  /** Prepend the BOS token (default false). */
  bos?: boolean;
  /** Append the EOS token (default false). */
  eos?: boolean;
}

export interface DecodeOptions {
  /** Leave out special tokens (default false). */
  skipSpecial?: boolean;
}

/** Serialisable form of a tokenizer (`toJSON` / `Tokenizer.fromJSON`). */
export interface TokenizerJSON {
  level: 'word' | 'char';
  specials: SpecialToken[];
  spelling: Record<SpecialToken, string>;
  tokens: string[];
}

const DEFAULT_SPELLING: Record<SpecialToken, string> = { pad: '<pad>', mask: '<mask>', bos: '<bos>', eos: '<eos>' };

/**
 * A fixed vocabulary of word- or character-level tokens plus special tokens
 * (pad, mask, bos, eos). Special tokens take ids 0.. in the order of
 * `specialTokens`; ordinary tokens follow in the order given. Unknown tokens
 * throw (no silent <unk>), so a typo in a query cannot become a wrong answer.
 */
export class Tokenizer {
  readonly level: 'word' | 'char';
  readonly specials: readonly SpecialToken[];
  /** Every token string by id (specials first). */
  readonly vocabulary: readonly string[];
  private readonly ids: Map<string, number>;
  private readonly specialIds: Partial<Record<SpecialToken, number>>;
  private readonly spelling: Record<SpecialToken, string>;

  constructor(tokens: readonly string[], options: TokenizerOptions = {}) {
    const level = options.level ?? 'word';
    if (level !== 'word' && level !== 'char') throw new NnphysError(`Tokenizer: level must be 'word' or 'char', got ${JSON.stringify(level)}`);
    const specials = options.specials ?? specialTokens;
    if (!Array.isArray(specials)) throw new NnphysError('Tokenizer: specials must be an array of special token names');
    for (const s of specials) {
      if (!specialTokens.includes(s)) throw new NnphysError(`Tokenizer: specials must contain only ${specialTokens.map((t) => `'${t}'`).join(', ')}, got ${JSON.stringify(s)}`);
    }
    if (!Array.isArray(tokens)) throw new NnphysError(`Tokenizer: tokens must be an array of strings, got ${typeof tokens}`);
    this.level = level;
    this.spelling = { ...DEFAULT_SPELLING, ...(options.spelling ?? {}) };
    // Keep the canonical order pad, mask, bos, eos whatever order the caller used.
    this.specials = specialTokens.filter((s) => specials.includes(s));
    const vocab: string[] = [];
    this.ids = new Map();
    this.specialIds = {};
    for (const s of this.specials) {
      const spelled = this.spelling[s];
      if (typeof spelled !== 'string' || spelled.length === 0) throw new NnphysError(`Tokenizer: spelling.${s} must be a non-empty string, got ${JSON.stringify(spelled)}`);
      if (this.ids.has(spelled)) throw new NnphysError(`Tokenizer: two special tokens are both spelled ${JSON.stringify(spelled)}`);
      this.specialIds[s] = vocab.length;
      this.ids.set(spelled, vocab.length);
      vocab.push(spelled);
    }
    for (const [i, t] of tokens.entries()) {
      if (typeof t !== 'string' || t.length === 0) throw new NnphysError(`Tokenizer: tokens[${i}] must be a non-empty string, got ${JSON.stringify(t)}`);
      if (level === 'word' && /\s/.test(t)) throw new NnphysError(`Tokenizer: tokens[${i}] = ${JSON.stringify(t)} contains whitespace, which a word-level tokenizer uses as separator`);
      if (level === 'char' && [...t].length !== 1) throw new NnphysError(`Tokenizer: tokens[${i}] = ${JSON.stringify(t)} is not a single character (level 'char')`);
      if (this.ids.has(t)) {
        const clash = (this.ids.get(t) as number) < this.specials.length ? ' (it is the spelling of a special token)' : '';
        throw new NnphysError(`Tokenizer: tokens[${i}] = ${JSON.stringify(t)} appears twice${clash}`);
      }
      this.ids.set(t, vocab.length);
      vocab.push(t);
    }
    this.vocabulary = vocab;
  }

  /** A tokenizer whose ordinary tokens are `tokens` (duplicates are kept once, first appearance first). */
  static fromTokens(tokens: readonly string[], options: TokenizerOptions = {}): Tokenizer {
    if (!Array.isArray(tokens)) throw new NnphysError(`Tokenizer.fromTokens: tokens must be an array of strings, got ${typeof tokens}`);
    const spelling = new Set(Object.values({ ...DEFAULT_SPELLING, ...(options.spelling ?? {}) }));
    const seen = new Set<string>();
    const unique: string[] = [];
    for (const t of tokens) {
      if (seen.has(t) || spelling.has(t)) continue;
      seen.add(t);
      unique.push(t);
    }
    return new Tokenizer(unique, options);
  }

  /** A tokenizer holding every word (or character) of the given texts, in order of first appearance. */
  static fromTexts(texts: readonly string[], options: TokenizerOptions = {}): Tokenizer {
    if (!Array.isArray(texts)) throw new NnphysError(`Tokenizer.fromTexts: texts must be an array of strings, got ${typeof texts}`);
    const level = options.level ?? 'word';
    const pieces: string[] = [];
    for (const [i, text] of texts.entries()) {
      if (typeof text !== 'string') throw new NnphysError(`Tokenizer.fromTexts: texts[${i}] must be a string, got ${typeof text}`);
      pieces.push(...split(text, level));
    }
    return Tokenizer.fromTokens(pieces, options);
  }

  static fromJSON(json: TokenizerJSON): Tokenizer {
    if (json == null || !Array.isArray(json.tokens)) throw new NnphysError('Tokenizer.fromJSON: expected an object with a tokens array');
    return new Tokenizer(json.tokens, { level: json.level, specials: json.specials, spelling: json.spelling });
  }

  toJSON(): TokenizerJSON {
    return { level: this.level, specials: [...this.specials], spelling: { ...this.spelling }, tokens: this.vocabulary.slice(this.specials.length) };
  }

  /** Number of ids (special and ordinary): the `vocabSize` of a model using this tokenizer. */
  get size(): number {
    return this.vocabulary.length;
  }

  get pad(): number {
    return this.special('pad');
  }
  get mask(): number {
    return this.special('mask');
  }
  get bos(): number {
    return this.special('bos');
  }
  get eos(): number {
    return this.special('eos');
  }

  /** Whether the tokenizer has the given special token. */
  has(special: SpecialToken): boolean {
    return this.specialIds[special] !== undefined;
  }

  /** The ids of all special tokens present. */
  get specialIdList(): number[] {
    return this.specials.map((s) => this.specialIds[s] as number);
  }

  /** The ids of the ordinary (non-special) tokens. */
  get ordinaryIds(): number[] {
    return Array.from({ length: this.size - this.specials.length }, (_, i) => i + this.specials.length);
  }

  private special(name: SpecialToken): number {
    const id = this.specialIds[name];
    if (id === undefined) {
      throw new NnphysError(`Tokenizer: this tokenizer has no ${name} token (its specials are [${this.specials.join(', ')}]); create it with specials including '${name}'`);
    }
    return id;
  }

  /** The id of one token string (ordinary or special spelling). */
  id(token: string): number {
    const id = this.ids.get(token);
    if (id === undefined) throw new NnphysError(`Tokenizer: unknown token ${JSON.stringify(token)} (vocabulary of ${this.size} tokens)`);
    return id;
  }

  /** The string of one id. */
  token(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.size) throw new NnphysError(`Tokenizer: token id must be an integer in [0, ${this.size}), got ${id}`);
    return this.vocabulary[id] as string;
  }

  /** Splits text (or takes an array of token strings) and maps it to ids. Special spellings are recognised. */
  encode(text: string | readonly string[], options: EncodeOptions = {}): number[] {
    let pieces: readonly string[];
    if (typeof text === 'string') pieces = split(text, this.level);
    else if (Array.isArray(text)) pieces = text;
    else throw new NnphysError(`Tokenizer.encode: text must be a string or an array of token strings, got ${typeof text}`);
    const out: number[] = [];
    if (options.bos) out.push(this.bos);
    for (const [i, p] of pieces.entries()) {
      const id = this.ids.get(p);
      if (id === undefined) throw new NnphysError(`Tokenizer.encode: unknown token ${JSON.stringify(p)} at position ${i} (vocabulary of ${this.size} tokens)`);
      out.push(id);
    }
    if (options.eos) out.push(this.eos);
    return out;
  }

  /** Maps ids back to text: words joined by one space, characters concatenated. */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    if (!Array.isArray(ids) && !ArrayBuffer.isView(ids)) throw new NnphysError(`Tokenizer.decode: ids must be an array of token ids, got ${typeof ids}`);
    const pieces: string[] = [];
    const nSpecial = this.specials.length;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (!Number.isInteger(id) || id < 0 || id >= this.size) throw new NnphysError(`Tokenizer.decode: ids[${i}] must be an integer in [0, ${this.size}), got ${id}`);
      if (options.skipSpecial && id < nSpecial) continue;
      pieces.push(this.vocabulary[id] as string);
    }
    return pieces.join(this.level === 'word' ? ' ' : '');
  }
}

function split(text: string, level: 'word' | 'char'): string[] {
  if (level === 'char') return Array.from(text);
  const trimmed = text.trim();
  return trimmed.length === 0 ? [] : trimmed.split(/\s+/);
}
