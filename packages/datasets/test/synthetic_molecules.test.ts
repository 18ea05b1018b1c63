import { describe, expect, test } from 'vitest';
import { NODE_FEATURES, syntheticAtomKeys, syntheticMolecules } from '../src/index.js';

const VALENCE = [0, 4, 3, 2, 1]; // by one-hot index H, C, N, O, F

describe('syntheticMolecules (spec §2.2 offline substitute)', () => {
  const set = syntheticMolecules({ molecules: 400, seed: 1 });

  test('valence-valid, connected, bonds in both directions, no aromaticity', () => {
    expect(set.molecules.length).toBe(400);
    for (const m of set.molecules) {
      const n = m.nodes.length;
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(9);
      const order = new Array<number>(n).fill(0);
      const adj: number[][] = Array.from({ length: n }, () => []);
      m.senders.forEach((s, e) => {
        const r = m.receivers[e]!;
        const f = m.edges![e]!;
        expect(f[3]).toBe(0); // no aromatic bonds
        expect(f.reduce((a, b) => a + b, 0)).toBe(1);
        order[s] += f.indexOf(1) + 1; // each directed edge counted at its sender: every bond counted once per end
        adj[s]!.push(r);
        expect(m.senders.some((s2, e2) => s2 === r && m.receivers[e2] === s && m.edges![e2]!.join() === f.join())).toBe(true);
      });
      m.nodes.forEach((x, i) => {
        const type = x.slice(0, 5).indexOf(1);
        expect(type).toBeGreaterThan(0); // heavy atoms only
        expect(order[i]! + x[10]!).toBe(VALENCE[type]); // bond orders + hydrogens = valence
        expect(x[9]).toBe(0);
      });
      // connected: BFS from atom 0 reaches every atom
      const seen = new Set([0]);
      const queue = [0];
      while (queue.length > 0) {
        for (const j of adj[queue.shift()!]!) {
          if (!seen.has(j)) {
            seen.add(j);
            queue.push(j);
          }
        }
      }
      expect(seen.size).toBe(n);
    }
  });

  test('targets are exactly the sum of the exported contributions, recomputed from the features', () => {
    const { atom, bond } = set.contributions;
    expect(Object.keys(atom).sort()).toEqual(syntheticAtomKeys().sort());
    for (const m of set.molecules) {
      let y = 0;
      for (const x of m.nodes) y += atom[`${'HCNOF'[x.slice(0, 5).indexOf(1)]}${x[10]}`]!;
      m.edges!.forEach((f, e) => {
        if (e % 2 === 0) y += bond[f.indexOf(1)]!; // each bond once
      });
      expect(m.target![0]).toBeCloseTo(y, 12);
    }
  });

  test('covers the chemistry: all elements, double and triple bonds, rings, sp/sp2/sp3', () => {
    const nodes = set.molecules.flatMap((m) => m.nodes);
    const edges = set.molecules.flatMap((m) => m.edges!);
    for (let t = 1; t <= 4; t++) expect(nodes.some((x) => x[t] === 1)).toBe(true);
    for (const col of [6, 7, 8]) expect(nodes.some((x) => x[col] === 1)).toBe(true);
    expect(edges.some((f) => f[1] === 1)).toBe(true);
    expect(edges.some((f) => f[2] === 1)).toBe(true);
    expect(set.molecules.some((m) => m.senders.length / 2 >= m.nodes.length)).toBe(true); // a ring
  });

  test('deterministic per seed, different across seeds; given contributions and layout are used', () => {
    expect(syntheticMolecules({ molecules: 50, seed: 1 })).toEqual(syntheticMolecules({ molecules: 50, seed: 1 }));
    expect(syntheticMolecules({ molecules: 50, seed: 2 }).molecules).not.toEqual(syntheticMolecules({ molecules: 50, seed: 1 }).molecules);
    const atom = Object.fromEntries(syntheticAtomKeys().map((k) => [k, 1]));
    const counted = syntheticMolecules({ molecules: 30, seed: 3, contributions: { atom, bond: [0, 0, 0] } });
    for (const m of counted.molecules) expect(m.target![0]).toBe(m.nodes.length); // y = number of heavy atoms
    const pyg = syntheticMolecules({ molecules: 30, seed: 3, layout: 'pyg', contributions: counted.contributions });
    const perm = NODE_FEATURES.pyg.map((name) => NODE_FEATURES.lecture.indexOf(name));
    pyg.molecules.forEach((m, i) => {
      expect(m.nodes).toEqual(counted.molecules[i]!.nodes.map((x) => perm.map((j) => x[j])));
    });
  });

  test('bad input throws naming the argument', () => {
    expect(() => syntheticMolecules({ molecules: -1 })).toThrow(/syntheticMolecules: molecules must be an integer >= 0, got -1/);
    expect(() => syntheticMolecules({ molecules: 1, maxAtoms: 40 })).toThrow(/maxAtoms must be an integer in \[1, 36\]/);
    expect(() => syntheticMolecules({ molecules: 1, elementWeights: [0, 0, 0, 0] })).toThrow(/elementWeights/);
    expect(() => syntheticMolecules({ molecules: 1, ringProbability: 2 })).toThrow(/ringProbability/);
    expect(() => syntheticMolecules({ molecules: 1, contributions: { atom: {}, bond: [0, 0, 0] } })).toThrow(/contributions must be/);
    expect(() => syntheticMolecules({ molecules: 1, seed: 'x' as never })).toThrow(/seed must be a finite number or a Random/);
  });
});
