import { Random } from '@nnphys/core';
import { checkBoolean, checkChoice, checkInteger, checkNumber, checkOptions, fail } from '../internal/checks.js';
import { randomFrom } from '../internal/random.js';
import { type TokenSequence, type TokenTask, buildSequence, querySplit, vocabularyOf } from './token_sequence.js';

/** Sizes of the attribute vocabularies. */
export interface BiosVocabularySizes {
  firstNames: number;
  middleNames: number;
  lastNames: number;
  cities: number;
  universities: number;
  majors: number;
  companies: number;
}

/**
 * Default sizes, modelled on the bioS description of Allen-Zhu & Li (004's ref. [241]) as far as we
 * know it; 004 quotes none of them. All are options.
 */
export const BIOS_DEFAULT_SIZES: Readonly<BiosVocabularySizes> = Object.freeze({
  firstNames: 400,
  middleNames: 400,
  lastNames: 1000,
  cities: 200,
  universities: 300,
  majors: 100,
  companies: 263,
});

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
/** Birth dates: day 1-28 of any month, years 1900-2099 (67,200 dates). */
const FIRST_YEAR = 1900;
const YEARS = 200;
const DAYS = 28;

export interface BiosTaskOptions {
  /** Number of fictional people. Default 10,000 (004 §7.3.1). */
  individuals?: number;
  /** Fraction of the people whose questions are in the training set. Default 0.5. */
  trainQueryFraction?: number;
  splitProtocol?: 'sameSeed' | 'perDirectionSeed';
  /**
   * Give everyone a different birth date, so that "who was born on <date>?" has one answer. Default true
   * (with uniform independent dates, 10k people would share ~700 dates).
   */
  uniqueBirthDates?: boolean;
  /** Override vocabulary sizes. */
  sizes?: Partial<BiosVocabularySizes>;
  seed?: number | Random;
}

export interface Person {
  name: [string, string, string];
  birthDate: [string, string, string];
  pronoun: 'he' | 'she';
  city: string;
  university: string;
  major: string;
  company: string;
}

export interface BiosTask extends TokenTask {
  people: Person[];
}

/**
 * A re-implementation of the BioS task of 004 §7.3.1 (after its ref. [241]): biographies of fictional
 * people whose attributes are drawn uniformly and whose full names are unique, with questions
 * full name -> birth date (forward) and birth date -> full name (backward). Names and places are
 * pronounceable pseudo-words generated from a fixed internal seed (so the vocabulary does not depend
 * on `seed`; the people do). Training holds every biography and the questions of `trainQueryFraction`
 * of the people; the test set holds the others' questions.
 */
export function biosTask(opts?: BiosTaskOptions): BiosTask {
  const o = checkOptions<BiosTaskOptions>(opts, 'biosTask: options', true);
  const n = checkInteger(o.individuals ?? 10_000, 'biosTask: individuals', 1);
  const fraction = checkNumber(o.trainQueryFraction ?? 0.5, 'biosTask: trainQueryFraction', 0, 1);
  const protocol = checkChoice(o.splitProtocol ?? 'sameSeed', 'biosTask: splitProtocol', ['sameSeed', 'perDirectionSeed'] as const);
  const uniqueDates = checkBoolean(o.uniqueBirthDates ?? true, 'biosTask: uniqueBirthDates');
  const sizes = { ...BIOS_DEFAULT_SIZES, ...checkOptions<Partial<BiosVocabularySizes>>(o.sizes, 'biosTask: sizes', true) };
  for (const [k, v] of Object.entries(sizes)) checkInteger(v, `biosTask: sizes.${k}`, 1, 100_000);
  const names = sizes.firstNames * sizes.middleNames * sizes.lastNames;
  if (n > names) fail(`biosTask: individuals must be at most the number of distinct full names (${names}), got ${n}`);
  if (uniqueDates && n > YEARS * 12 * DAYS) fail(`biosTask: individuals must be at most ${YEARS * 12 * DAYS} with uniqueBirthDates, got ${n}`);
  const rng = randomFrom(o.seed, 'biosTask: seed');
  const words = attributeWords(sizes);

  const people: Person[] = [];
  const usedNames = new Set<string>();
  const usedDates = new Set<number>();
  const pick = (list: string[]) => list[rng.int(list.length)] as string;
  while (people.length < n) {
    const name: [string, string, string] = [pick(words.firstNames), pick(words.middleNames), pick(words.lastNames)];
    const nameKey = name.join(' ');
    if (usedNames.has(nameKey)) continue;
    let date = rng.int(YEARS * 12 * DAYS);
    if (uniqueDates) while (usedDates.has(date)) date = rng.int(YEARS * 12 * DAYS);
    usedNames.add(nameKey);
    usedDates.add(date);
    const day = (date % DAYS) + 1;
    const month = MONTHS[Math.floor(date / DAYS) % 12] as string;
    const year = FIRST_YEAR + Math.floor(date / (DAYS * 12));
    people.push({
      name,
      birthDate: [month, String(day), String(year)],
      pronoun: rng.uniform() < 0.5 ? 'he' : 'she',
      city: pick(words.cities),
      university: pick(words.universities),
      major: pick(words.majors),
      company: pick(words.companies),
    });
  }

  const split = querySplit(n, fraction, protocol, rng);
  const train: TokenSequence[] = [];
  const test: TokenSequence[] = [];
  people.forEach((p, i) => {
    const name = { entity: [...p.name] };
    const date = { entity: [...p.birthDate] };
    const he = p.pronoun;
    train.push(
      buildSequence(
        [
          name, 'was', 'born', 'on', date, '.',
          he, 'was', 'born', 'in', { entity: [p.city] }, '.',
          he, 'studied', { entity: [p.major] }, 'at', { entity: [p.university] }, '.',
          he, 'worked', 'for', { entity: [p.company] }, '.',
        ],
        'bio',
        i,
      ),
    );
    const forward = buildSequence(['what', 'is', 'the', 'birth', 'date', 'of', name, '?', date], 'forward', i, 8);
    const backward = buildSequence(['who', 'was', 'born', 'on', date, '?', name], 'backward', i, 6);
    (split.forward.has(i) ? train : test).push(forward);
    (split.backward.has(i) ? train : test).push(backward);
  });
  return { train, test, vocabulary: vocabularyOf([...train, ...test]), people };
}

type Words = Record<keyof BiosVocabularySizes, string[]>;

/** Distinct pronounceable pseudo-words for every attribute, from a fixed generator (not the user's seed). */
function attributeWords(sizes: BiosVocabularySizes): Words {
  const rng = new Random(241);
  const consonants = 'bcdfghjklmnprstvz';
  const vowels = 'aeiou';
  const seen = new Set<string>(MONTHS); // a pseudo-word must never be a month ("June" is possible)
  const word = () => {
    for (;;) {
      const syllables = 2 + rng.int(2);
      let w = '';
      for (let s = 0; s < syllables; s++) w += consonants[rng.int(consonants.length)]! + vowels[rng.int(vowels.length)]!;
      if (rng.uniform() < 0.4) w += consonants[rng.int(consonants.length)]!;
      w = w[0]!.toUpperCase() + w.slice(1);
      if (!seen.has(w)) {
        seen.add(w);
        return w;
      }
    }
  };
  const out = {} as Words;
  for (const key of Object.keys(BIOS_DEFAULT_SIZES) as (keyof BiosVocabularySizes)[]) {
    out[key] = Array.from({ length: sizes[key] }, word);
  }
  return out;
}
