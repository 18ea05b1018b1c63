import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { HARTREE_TO_EV, NODE_FEATURES, QM9_TARGET_NAMES, type Molecule, qm9Sample } from '../src/index.js';
import { buildMolecule, decodeAtoms, decodeBonds } from '../src/qm9/features.js';

const REFERENCE = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/qm9-rdkit-reference.json', import.meta.url)), 'utf8')) as {
  molecules: [string, string | null, string | null][];
  explicit: [string, string, string][];
};
const SHARED_CSV = fileURLToPath(new URL('../../../../../shared/data/qm9-sample.csv', import.meta.url));

function bySmiles(set: { molecules: Molecule[] }, smiles: string): Molecule {
  const m = set.molecules.find((x) => x.smiles === smiles);
  if (m === undefined) throw new Error(`${smiles} not in the sample`);
  return m;
}

/** Every bond appears as two directed edges with equal features; no self loops, indices in range. */
function expectBothDirections(m: Molecule): void {
  const n = m.nodes.length;
  expect(m.senders.length).toBe(m.receivers.length);
  expect(m.edges!.length).toBe(m.senders.length);
  const key = (s: number, r: number) => `${s},${r}`;
  const feats = new Map<string, number[]>();
  m.senders.forEach((s, e) => {
    const r = m.receivers[e]!;
    expect(s).not.toBe(r);
    expect(s >= 0 && s < n && r >= 0 && r < n).toBe(true);
    expect(feats.has(key(s, r))).toBe(false); // no duplicate directed edge
    feats.set(key(s, r), m.edges![e]!);
  });
  for (const [k, f] of feats) {
    const [s, r] = k.split(',');
    expect(feats.get(key(Number(r), Number(s)))).toEqual(f);
    expect(f.reduce((a, b) => a + b, 0)).toBe(1); // one-hot
  }
}

describe('qm9Sample', () => {
  const set = qm9Sample();

  test('a few hundred molecules, 11 node features, 4 edge features, 12 targets with units', () => {
    expect(set.molecules.length).toBe(376);
    expect(set.targetNames).toEqual([...QM9_TARGET_NAMES]);
    expect(set.units.u0).toBe('hartree');
    expect(set.units.mu).toBe('D');
    for (const m of set.molecules) {
      expect(m.nodes.length).toBeGreaterThan(0);
      expect(m.nodes.length).toBeLessThanOrEqual(9); // <= 9 heavy atoms in QM9
      for (const x of m.nodes) expect(x.length).toBe(11);
      expect(m.target!.length).toBe(12);
      expectBothDirections(m);
    }
  });

  test('hand-checked molecules (lecture layout [H,C,N,O,F, Z, sp,sp2,sp3, aromatic, nH])', () => {
    // ethanol: CH3 (sp3, 3 H), CH2 (sp3, 2 H), OH (sp3, 1 H); two single bonds
    const ethanolM = bySmiles(set, 'CCO');
    expect(ethanolM.nodes).toEqual([
      [0, 1, 0, 0, 0, 6, 0, 0, 1, 0, 3],
      [0, 1, 0, 0, 0, 6, 0, 0, 1, 0, 2],
      [0, 0, 0, 1, 0, 8, 0, 0, 1, 0, 1],
    ]);
    expect(ethanolM.senders).toEqual([0, 1, 1, 2]);
    expect(ethanolM.receivers).toEqual([1, 0, 2, 1]);
    expect(ethanolM.edges).toEqual([[1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]]);
    // acetylene: two sp carbons with one H each, a triple bond
    const acetylene = bySmiles(set, 'C#C');
    expect(acetylene.nodes).toEqual([
      [0, 1, 0, 0, 0, 6, 1, 0, 0, 0, 1],
      [0, 1, 0, 0, 0, 6, 1, 0, 0, 0, 1],
    ]);
    expect(acetylene.edges).toEqual([[0, 0, 1, 0], [0, 0, 1, 0]]);
    // furan: aromatic ring, every atom sp2 and aromatic, five aromatic bonds
    const furan = bySmiles(set, 'c1ccoc1');
    expect(furan.nodes.map((x) => [x[5], x[7], x[9], x[10]])).toEqual([[6, 1, 1, 1], [6, 1, 1, 1], [6, 1, 1, 1], [8, 1, 1, 0], [6, 1, 1, 1]]);
    expect(furan.edges!.length).toBe(10);
    for (const f of furan.edges!) expect(f).toEqual([0, 0, 0, 1]);
    // glycine zwitterion (charged; the charge is not a feature of 000 App. A): NH3+ sp3 with 3 H,
    // CH2 sp3, carboxylate C sp2, O- sp2 (RDKit: conjugated with C=O), O sp2
    const glycine = bySmiles(set, '[NH3+]CC([O-])=O');
    expect(glycine.nodes).toEqual([
      [0, 0, 1, 0, 0, 7, 0, 0, 1, 0, 3],
      [0, 1, 0, 0, 0, 6, 0, 0, 1, 0, 2],
      [0, 1, 0, 0, 0, 6, 0, 1, 0, 0, 0],
      [0, 0, 0, 1, 0, 8, 0, 1, 0, 0, 0],
      [0, 0, 0, 1, 0, 8, 0, 1, 0, 0, 0],
    ]);
    expect(glycine.edges!.filter((_, e) => e % 2 === 0)).toEqual([[1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
  });

  test('the pyg layout is the lecture layout with the aromatic column moved before sp (lossless)', () => {
    const pyg = qm9Sample({ layout: 'pyg' });
    const perm = NODE_FEATURES.pyg.map((name) => NODE_FEATURES.lecture.indexOf(name));
    expect([...perm].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].sort());
    pyg.molecules.forEach((m, i) => {
      const l = set.molecules[i]!;
      expect(m.nodes).toEqual(l.nodes.map((x) => perm.map((j) => x[j])));
      expect(m.senders).toEqual(l.senders);
      expect(m.edges).toEqual(l.edges);
    });
  });

  test('explicit hydrogens equal Python RDKit AddHs (order, H counts, bonds) for every shared molecule', () => {
    const explicit = qm9Sample({ hydrogens: 'explicit' });
    const ref = new Map(REFERENCE.explicit.map(([s, a, b]) => [s, [a, b] as const]));
    let checked = 0;
    explicit.molecules.forEach((m, i) => {
      const implicit = set.molecules[i]!;
      const heavy = implicit.nodes.length;
      const nH = implicit.nodes.reduce((s, x) => s + x[10]!, 0);
      expect(m.nodes.length).toBe(heavy + nH);
      expect(m.nodes.length).toBeLessThanOrEqual(29);
      expectBothDirections(m);
      const r = ref.get(m.smiles);
      if (r === undefined) return;
      const want = buildMolecule(m.smiles, decodeAtoms(r[0], m.smiles), decodeBonds(r[1], m.smiles), 'lecture', 'implicit', m.target);
      expect(m).toEqual(want);
      checked++;
    });
    expect(checked).toBeGreaterThanOrEqual(60);
  });

  test('features equal the whole-file Python RDKit reference fixture for the same SMILES', () => {
    const ref = new Map(REFERENCE.molecules.map(([s, a, b]) => [s, [a, b] as const]));
    for (const m of set.molecules) {
      const r = ref.get(m.smiles)!;
      const want = buildMolecule(m.smiles, decodeAtoms(r[0]!, m.smiles), decodeBonds(r[1]!, m.smiles), 'lecture', 'implicit', m.target);
      expect(m).toEqual(want);
    }
  });

  test.runIf(existsSync(SHARED_CSV))('targets equal the rows of the shared CSV; units ev converts Hartree targets only', () => {
    const lines = readFileSync(SHARED_CSV, 'utf8').trim().split('\n').slice(1);
    const ev = qm9Sample({ units: 'ev' });
    expect(ev.units.u0).toBe('eV');
    expect(ev.units.mu).toBe('D');
    set.molecules.forEach((m, i) => {
      const cells = lines[set.rows[i]!]!.split(',');
      expect(cells[0]).toBe(m.smiles);
      expect(m.target).toEqual(cells.slice(1).map(Number));
      QM9_TARGET_NAMES.forEach((name, j) => {
        const factor = set.units[name] === 'hartree' ? HARTREE_TO_EV : 1;
        expect(ev.molecules[i]!.target![j]).toBeCloseTo(m.target![j]! * factor, 10);
      });
    });
  });

  test('every call returns fresh arrays and bad options throw naming the option', () => {
    const a = qm9Sample();
    a.molecules[0]!.nodes[0]![0] = 99;
    expect(qm9Sample().molecules[0]!.nodes[0]![0]).toBe(0);
    expect(() => qm9Sample({ layout: 'dgl' as never })).toThrow(/qm9Sample: layout must be one of "lecture", "pyg", got "dgl"/);
    expect(() => qm9Sample({ hydrogens: true as never })).toThrow(/hydrogens/);
    expect(() => qm9Sample({ units: 'kcal' as never })).toThrow(/units/);
  });
});
