import { initBackend } from '@nnphys/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  ENTITY_DELIMITERS,
  type TokenSequence,
  biosTask,
  modularAddition,
  relationTask,
  retrievalTask,
  reverseEntities,
  starGraphTask,
} from '../src/index.js';

function checkVocabulary(task: { train: TokenSequence[]; test: TokenSequence[]; vocabulary: string[] }) {
  expect(new Set(task.vocabulary).size).toBe(task.vocabulary.length);
  const v = new Set(task.vocabulary);
  for (const s of [...task.train, ...task.test]) {
    for (const t of s.tokens) {
      expect(v.has(t)).toBe(true);
      expect(/\s/.test(t)).toBe(false);
    }
    expect(s.text.split(' ')).toEqual(s.tokens);
    expect(s.answer).toEqual(s.tokens.slice(s.promptLength));
  }
  for (const d of ENTITY_DELIMITERS) expect(v.has(d)).toBe(true);
}

const texts = (seqs: TokenSequence[]) => new Set(seqs.map((s) => s.text));

describe('retrievalTask (004 §7.3.1)', () => {
  test('every key and value has tokens of its own; key and value tokens are disjoint', () => {
    const t = retrievalTask({ pairs: 50, seed: 1 });
    const owner = new Map<string, string>();
    t.keys.forEach((k, i) => {
      for (const tok of k) {
        expect(owner.has(tok)).toBe(false);
        owner.set(tok, `key${i}`);
      }
    });
    t.values.forEach((v, i) => {
      for (const tok of v) {
        expect(owner.has(tok)).toBe(false);
        owner.set(tok, `value${i}`);
      }
    });
    expect(owner.size).toBe(50 * 4);
    checkVocabulary(t);
  });

  test('formats, answers and the split: all facts plus the chosen queries in training, unseen queries in test', () => {
    const t = retrievalTask({ pairs: 40, trainQueryFraction: 0.25, seed: 2 });
    const facts = t.train.filter((s) => s.kind === 'fact');
    expect(facts.length).toBe(40);
    facts.forEach((f) => {
      expect(f.tokens).toEqual([...t.keys[f.item]!, ':', ...t.values[f.item]!]);
      expect(f.promptLength).toBe(f.tokens.length);
    });
    for (const s of [...t.train, ...t.test].filter((q) => q.kind !== 'fact')) {
      const [key, value] = [t.keys[s.item]!, t.values[s.item]!];
      if (s.kind === 'forward') expect(s.tokens).toEqual(['[value-of]', ...key, ':', ...value]);
      else expect(s.tokens).toEqual(['[key-of]', ...value, ':', ...key]);
      expect(s.answer).toEqual(s.kind === 'forward' ? value : key);
      expect(s.tokens[s.promptLength - 1]).toBe(':');
    }
    expect(t.train.length).toBe(40 + 2 * 10);
    expect(t.test.length).toBe(2 * 30);
    // sameSeed: the same pairs are held out in both directions
    const testItems = (kind: string) => t.test.filter((s) => s.kind === kind).map((s) => s.item).sort((a, b) => a - b);
    expect(testItems('forward')).toEqual(testItems('backward'));
    // no test query appears in training
    const train = texts(t.train);
    for (const s of t.test) expect(train.has(s.text)).toBe(false);
  });

  test('perDirectionSeed chooses held-out pairs independently; token pools; determinism; errors', () => {
    const t = retrievalTask({ pairs: 200, splitProtocol: 'perDirectionSeed', seed: 3 });
    const held = (kind: string) => t.test.filter((s) => s.kind === kind).map((s) => s.item).sort((a, b) => a - b);
    expect(held('forward').length).toBe(100);
    expect(held('forward')).not.toEqual(held('backward'));
    const pooled = retrievalTask({ pairs: 30, tokenPool: 10, seed: 4 });
    const sets = pooled.keys.map((k) => [...k].sort().join(','));
    expect(new Set(sets).size).toBe(30);
    expect(pooled.keys.flat().every((x) => /^k\d$/.test(x))).toBe(true);
    expect(pooled.values.flat().every((x) => /^v\d$/.test(x))).toBe(true);
    expect(() => retrievalTask({ pairs: 50, tokenPool: 5 })).toThrow(/only 10 distinct sets of 2 tokens, need 50/);
    expect(retrievalTask({ pairs: 20, seed: 5 })).toEqual(retrievalTask({ pairs: 20, seed: 5 }));
    expect(retrievalTask({ pairs: 20, seed: 5 }).keys).not.toEqual(retrievalTask({ pairs: 20, seed: 6 }).keys);
    expect(() => retrievalTask({ trainQueryFraction: 2 })).toThrow(/trainQueryFraction must be a finite number in \[0, 1\], got 2/);
  });
});

describe('relationTask (004 §7.3.1)', () => {
  test('statements A => B => C, questions B => ? (C) and B <= ? (A), symmetric answer recorded', () => {
    const t = relationTask({ triples: 30, seed: 1 });
    checkVocabulary(t);
    const all = [...t.train, ...t.test];
    for (const s of all) {
      const [a, b, c] = t.triples[s.item]!;
      if (s.kind === 'fact') expect(s.tokens).toEqual([...a, '=>', ...b, '=>', ...c]);
      if (s.kind === 'forward') {
        expect(s.tokens.slice(0, s.promptLength)).toEqual([...b, '=>', '?']);
        expect(s.answer).toEqual(c);
        expect(s.wrongAnswer).toEqual(a);
      }
      if (s.kind === 'backward') {
        expect(s.tokens.slice(0, s.promptLength)).toEqual([...b, '<=', '?']);
        expect(s.answer).toEqual(a);
        expect(s.wrongAnswer).toEqual(c);
      }
    }
    const entityTokens = t.triples.flat(2);
    expect(new Set(entityTokens).size).toBe(entityTokens.length);
    expect(t.train.filter((s) => s.kind === 'fact').length).toBe(30);
    expect(t.test.length).toBe(30);
  });

  test('reverseEntities reverses entity order, keeps tokens inside entities, optional delimiters', () => {
    const t = relationTask({ triples: 3, seed: 2 });
    const fact = t.train.find((s) => s.kind === 'fact')!;
    const [a, b, c] = t.triples[fact.item]!;
    const plain = reverseEntities(fact, { delimiters: false });
    expect(plain.tokens).toEqual([...c, '=>', ...b, '=>', ...a]);
    expect(plain.entities).toEqual([[0, 2], [3, 5], [6, 8]]);
    expect(reverseEntities(plain, { delimiters: false }).tokens).toEqual(fact.tokens);
    const delimited = reverseEntities(fact);
    expect(delimited.tokens).toEqual(['<e>', ...c, '</e>', '=>', '<e>', ...b, '</e>', '=>', '<e>', ...a, '</e>']);
    expect(delimited.kind).toBe('fact-reversed');
    expect(delimited.promptLength).toBe(delimited.tokens.length);
    // a retrieval fact "k1 k2 : v1 v2" becomes "v1 v2 : k1 k2"
    const r = retrievalTask({ pairs: 2, seed: 1 });
    const f = r.train[0]!;
    expect(reverseEntities(f, { delimiters: false }).tokens).toEqual([...r.values[f.item]!, ':', ...r.keys[f.item]!]);
    expect(() => reverseEntities({ ...f, entities: [[0, 9]] })).toThrow(/invalid or overlaps/);
  });
});

describe('biosTask (004 §7.3.1, after ref. [241])', () => {
  const t = biosTask({ individuals: 600, seed: 1 });
  test('unique full names and birth dates; biographies state every attribute', () => {
    expect(new Set(t.people.map((p) => p.name.join(' '))).size).toBe(600);
    expect(new Set(t.people.map((p) => p.birthDate.join(' '))).size).toBe(600);
    const bios = t.train.filter((s) => s.kind === 'bio');
    expect(bios.length).toBe(600);
    bios.forEach((s) => {
      const p = t.people[s.item]!;
      expect(s.tokens.slice(0, 3)).toEqual(p.name);
      for (const v of [p.city, p.university, p.major, p.company, ...p.birthDate]) expect(s.tokens).toContain(v);
    });
    for (const p of t.people) {
      const day = Number(p.birthDate[1]);
      const year = Number(p.birthDate[2]);
      expect(day >= 1 && day <= 28 && year >= 1900 && year <= 2099).toBe(true);
    }
    checkVocabulary(t);
  });

  test('forward asks the birth date of a name, backward the name of a birth date; split by person', () => {
    for (const s of [...t.train, ...t.test]) {
      const p = t.people[s.item]!;
      if (s.kind === 'forward') {
        expect(s.answer).toEqual(p.birthDate);
        expect(s.tokens.slice(6, 9)).toEqual(p.name);
      }
      if (s.kind === 'backward') {
        expect(s.answer).toEqual(p.name);
        expect(s.tokens.slice(4, 7)).toEqual(p.birthDate);
      }
    }
    expect(t.test.length).toBe(600);
    const train = texts(t.train);
    for (const s of t.test) expect(train.has(s.text)).toBe(false);
  });

  test('attribute values are uniform (chi-square on cities), vocabularies do not overlap, deterministic', () => {
    const big = biosTask({ individuals: 4000, sizes: { cities: 20 }, seed: 2 });
    const counts = new Map<string, number>();
    for (const p of big.people) counts.set(p.city, (counts.get(p.city) ?? 0) + 1);
    expect(counts.size).toBe(20);
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - 200) ** 2 / 200, 0);
    expect(chi2).toBeLessThan(43.8); // 19 dof, P = 0.001
    const first = new Set(big.people.map((p) => p.name[0]));
    for (const p of big.people) expect(first.has(p.name[2])).toBe(false);
    expect(biosTask({ individuals: 50, seed: 3 })).toEqual(biosTask({ individuals: 50, seed: 3 }));
    expect(() => biosTask({ individuals: 10, sizes: { firstNames: 1, middleNames: 1, lastNames: 5 } })).toThrow(/at most the number of distinct full names \(5\)/);
  });
});

/** Checks a compact star-graph string: edges form `degree` disjoint arms from start, the answer walks to end. */
function validStarGraph(compact: string, degree: number): boolean {
  const [edgesPart, rest] = compact.split(' / ');
  const [query, path] = rest!.split(' = ');
  const [start, end] = query!.split(',').map(Number);
  const edges = edgesPart!.split('|').map((e) => e.split(',').map(Number) as [number, number]);
  const next = new Map<number, number[]>();
  for (const [u, v] of edges) next.set(u, [...(next.get(u) ?? []), v]);
  if ((next.get(start!) ?? []).length !== degree) return false;
  const nodes = path!.split(',').map(Number);
  if (nodes[0] !== start || nodes.at(-1) !== end) return false;
  for (let i = 0; i + 1 < nodes.length; i++) if (!(next.get(nodes[i]!) ?? []).includes(nodes[i + 1]!)) return false;
  // every other arm, followed from start, never reaches end
  for (const first of next.get(start!) ?? []) {
    if (first === nodes[1]) continue;
    let v: number | undefined = first;
    const seen = new Set<number>();
    while (v !== undefined && !seen.has(v)) {
      if (v === end) return false;
      seen.add(v);
      v = next.get(v)?.[0];
    }
  }
  return true;
}

describe('starGraphTask (004 §7.4)', () => {
  test("the validator accepts 004's printed example", () => {
    expect(validStarGraph('2,6|6,7|5,1|4,3|4,2|3,5 / 4,7 = 4,2,6,7', 2)).toBe(true);
    expect(validStarGraph('2,6|6,7|5,1|4,3|4,2|3,5 / 4,7 = 4,3,5,1', 2)).toBe(false);
  });

  test('answers are valid paths from start to end; the other arms never reach the end', () => {
    const t = starGraphTask({ degree: 3, pathLength: 4, nodes: 20, trainSamples: 200, testSamples: 50, seed: 1 });
    checkVocabulary(t);
    for (const s of [...t.train, ...t.test]) {
      expect(validStarGraph(s.compact, 3)).toBe(true);
      expect(s.graph.edges.length).toBe(3 * 3);
      expect(new Set(s.graph.arms.flat()).size).toBe(1 + 3 * 3); // labels without replacement
      expect(s.tokens.slice(s.promptLength).filter((x) => x !== ',').map(Number)).toEqual(s.graph.arms[0]);
      expect(s.tokens[s.promptLength - 1]).toBe('=');
      expect(s.text.replace(/ /g, '')).toBe(s.compact.replace(/ /g, ''));
    }
    const train = texts(t.train);
    for (const s of t.test) expect(train.has(s.text)).toBe(false);
  });

  test('edges are shuffled (the path is not always listed first) and the task is deterministic', () => {
    const t = starGraphTask({ trainSamples: 100, testSamples: 0, seed: 2 });
    const firstEdgeFromStart = t.train.filter((s) => s.graph.edges[0]![0] === s.graph.start).length;
    expect(firstEdgeFromStart).toBeLessThan(100);
    expect(starGraphTask({ trainSamples: 5, testSamples: 5, seed: 3 })).toEqual(starGraphTask({ trainSamples: 5, testSamples: 5, seed: 3 }));
    expect(() => starGraphTask({ degree: 5, pathLength: 5, nodes: 10 })).toThrow(/nodes must be an integer >= 21, got 10/);
  });
});

describe('modularAddition (004 §6.2)', () => {
  test('ordered: p^2 samples, unordered: p(p+1)/2; labels (a + b) mod p; split disjoint and complete', () => {
    const d = modularAddition({ modulus: 53, seed: 1 });
    expect(d.inputs.length).toBe(53 * 53);
    d.inputs.forEach(([a, b], i) => {
      expect(d.targets[i]).toBe((a + b) % 53);
    });
    expect(d.train.length).toBe(Math.round(0.5 * 2809));
    expect(new Set([...d.train, ...d.test]).size).toBe(2809);
    expect(d.train.length + d.test.length).toBe(2809);
    const u = modularAddition({ modulus: 10, pairs: 'unordered', trainFraction: 45 / 55, seed: 1 });
    expect(u.inputs.length).toBe(55); // 004 §6.2: p(p+1)/2 = 55 for p = 10
    expect(u.train.length).toBe(45);
    expect(u.sequences[7]!.tokens).toEqual([String(u.inputs[7]![0]), '+', String(u.inputs[7]![1]), '=', String(u.targets[7])]);
    expect(u.sequences[7]!.answer).toEqual([String(u.targets[7])]);
    expect(() => modularAddition({ modulus: 0 })).toThrow(/modulus must be an integer in \[1, 4096\], got 0/);
  });
});

describe.each(['cpu', 'wasm'] as const)('on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  test('token tasks create no tensors and are identical on every backend', () => {
    const before = tf.memory().numTensors;
    const a = retrievalTask({ pairs: 10, seed: 1 });
    const b = starGraphTask({ trainSamples: 5, testSamples: 2, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(a.train[0]!.text.length).toBeGreaterThan(0);
    expect(b.train[0]!.compact).toBe(starGraphTask({ trainSamples: 5, testSamples: 2, seed: 1 }).train[0]!.compact);
  });
});
