import { Random, initBackend } from '@nnphys/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { batches, ethanol, partSizes, split, xor } from '../src/index.js';

describe('ethanol (002 ch. 1)', () => {
  const e = ethanol();
  test('adjacency matrices are symmetric, zero-diagonal and match the bond lists and printed bonds', () => {
    for (const g of [e.A, e.B]) {
      g.adjacency.forEach((row, i) => {
        expect(row[i]).toBe(0);
        row.forEach((v, j) => {
          expect(v).toBe(g.adjacency[j]![i]);
        });
      });
      expect(g.bonds.length).toBe(8);
      for (const [i, j] of g.bonds) expect(g.adjacency[i]![j]).toBe(1);
      expect(g.adjacency.flat().reduce((s, v) => s + v, 0)).toBe(16);
      // valences: C 4, O 2, H 1
      g.elements.forEach((el, i) => {
        expect(g.adjacency[i]!.reduce((s, v) => s + v, 0)).toBe({ C: 4, O: 2, H: 1 }[el]);
      });
    }
    // the printed bond lists (002): A: C1-C2, C1-H1/H2/H3, C2-H4/H5, C2-O, O-H6
    const named = (g: typeof e.A) => new Set(g.bonds.map(([i, j]) => [g.labels[i], g.labels[j]].sort().join('-')));
    expect(named(e.A)).toEqual(new Set(['C1-C2', 'C1-H1', 'C1-H2', 'C1-H3', 'C2-H4', 'C2-H5', 'C2-O', 'H6-O']));
    // B: C1-C2, C1-H3/H4/H5, C2-H6/H1, C2-O, O-H2
    expect(named(e.B)).toEqual(new Set(['C1-C2', 'C1-H3', 'C1-H4', 'C1-H5', 'C2-H6', 'C2-H1', 'C2-O', 'H2-O']));
  });

  test('A_B = P A_A P^T and elements map through the permutation', () => {
    const P = e.permutationMatrix;
    const n = 9;
    const PA = P.map((row) => Array.from({ length: n }, (_, j) => row.reduce((s, p, k) => s + p * e.A.adjacency[k]![j]!, 0)));
    const PAPt = PA.map((row) => Array.from({ length: n }, (_, j) => row.reduce((s, v, k) => s + v * P[j]![k]!, 0)));
    expect(PAPt).toEqual(e.B.adjacency);
    e.permutation.forEach((a, b) => {
      expect(e.B.elements[b]).toBe(e.A.elements[a]);
    });
    expect(new Set(e.permutation).size).toBe(9);
  });

  test('graphs: 11 lecture features, every bond as two directed edges, node features permute', () => {
    for (const g of [e.A, e.B]) {
      expect(g.graph.nodes.every((f) => f.length === 11)).toBe(true);
      expect(g.graph.senders.length).toBe(16);
      const dir = new Set(g.graph.senders.map((s, k) => `${s}>${g.graph.receivers[k]}`));
      for (const [i, j] of g.bonds) {
        expect(dir.has(`${i}>${j}`) && dir.has(`${j}>${i}`)).toBe(true);
      }
      expect(g.graph.edges?.every((f) => f.join() === '1,0,0,0')).toBe(true);
    }
    e.permutation.forEach((a, b) => {
      expect(e.B.graph.nodes[b]).toEqual(e.A.graph.nodes[a]);
    });
    // methyl carbon carries 3 H, the other carbon 2, oxygen 1
    expect(e.A.graph.nodes.map((f) => f[10])).toEqual([3, 2, 0, 0, 0, 0, 0, 1, 0]);
    expect(e.A.graph.nodes[7]).toEqual([0, 0, 0, 1, 0, 8, 0, 0, 1, 0, 1]);
  });

  test('returns fresh copies', () => {
    const a = ethanol();
    a.A.adjacency[0]![1] = 5;
    expect(ethanol().A.adjacency[0]![1]).toBe(1);
  });
});

test('xor: four corners, label is the exclusive or', () => {
  const { x, y } = xor();
  x.forEach(([a, b], i) => {
    expect(y[i]).toBe(a! ^ b!);
  });
});

describe('split', () => {
  test('parts are disjoint, complete and of the apportioned sizes', () => {
    const parts = split(1001, [0.8, 0.1, 0.1], 1);
    expect(parts.map((p) => p.length)).toEqual([801, 100, 100]);
    const all = parts.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 1001 }, (_, i) => i));
    expect(partSizes(10, [1 / 3, 1 / 3, 1 / 3])).toEqual([4, 3, 3]);
    expect(partSizes(7, [0.5, 0.5])).toEqual([4, 3]);
  });
  test('named fractions, arrays of items, determinism per seed', () => {
    const items = Array.from({ length: 50 }, (_, i) => `m${i}`);
    const s = split(items, { train: 0.6, valid: 0.2, test: 0.2 }, 3);
    expect(s.train.length).toBe(30);
    expect(new Set([...s.train, ...s.valid, ...s.test]).size).toBe(50);
    expect(split(items, { train: 0.6, valid: 0.2, test: 0.2 }, 3)).toEqual(s);
    expect(split(items, { train: 0.6, valid: 0.2, test: 0.2 }, 4)).not.toEqual(s);
    expect(split(10, [0.5, 0.5], new Random(2))).toEqual(split(10, [0.5, 0.5], 2));
  });
  test('bad fractions throw NnphysError naming them', () => {
    expect(() => split(10, [0.5, 0.6])).toThrow(/fractions must sum to 1, got 1.1/);
    expect(() => split(10, { train: -0.5, test: 1.5 })).toThrow(/fraction train must be a finite number >= 0, got -0.5/);
    expect(() => split('x' as never, [1])).toThrow(/count or an array/);
  });
});

describe('batches', () => {
  test('covers every item once, in order or shuffled by the seed; dropLast', () => {
    const b = [...batches(10, 4)];
    expect(b).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect([...batches(10, 4, { dropLast: true })].length).toBe(2);
    const s = [...batches(['a', 'b', 'c', 'd', 'e'], 2, { shuffle: true, seed: 1 })];
    expect(s.flat().sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect([...batches(['a', 'b', 'c', 'd', 'e'], 2, { shuffle: true, seed: 1 })]).toEqual(s);
    expect(() => batches(10, 0)).toThrow(/batchSize must be an integer >= 1, got 0/);
  });
});

describe.each(['cpu', 'wasm'] as const)('on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  test('ethanol permutation identity holds in float32 matmuls; no leaks', () => {
    const e = ethanol();
    const before = tf.memory().numTensors;
    const diff = tf.tidy(() => {
      const P = tf.tensor2d(e.permutationMatrix);
      const AA = tf.tensor2d(e.A.adjacency);
      return tf.max(tf.abs(tf.sub(tf.matMul(tf.matMul(P, AA), P, false, true), tf.tensor2d(e.B.adjacency)))).dataSync()[0];
    });
    expect(diff).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
