import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { qm9Sample, smilesToGraph } from '../src/index.js';
import { buildMolecule, decodeAtoms, decodeBonds } from '../src/qm9/features.js';
import { loadRDKit, type RDKitModule } from '../src/qm9/rdkit.js';
import { parseSmiles } from '../src/qm9/smiles_to_graph.js';

const REFERENCE = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/qm9-rdkit-reference.json', import.meta.url)), 'utf8')) as {
  rdkit: string;
  molecules: [string, string | null, string | null][];
  explicit: [string, string, string][];
  extra: [string, string, string][];
  extraExplicit: [string, string, string][];
};

describe('smilesToGraph vs Python RDKit over the whole shared sample', () => {
  let rd: RDKitModule;
  beforeAll(async () => {
    rd = await loadRDKit();
  });

  test('every molecule parses; atoms, aromaticity, H counts, bonds and hybridization agree', () => {
    let atoms = 0;
    const hybMismatch: string[] = [];
    const otherMismatch: string[] = [];
    for (const [smiles, a, b] of REFERENCE.molecules) {
      const want = { atoms: decodeAtoms(a!, smiles), bonds: decodeBonds(b!, smiles) };
      const got = parseSmiles(rd, smiles, smiles);
      atoms += want.atoms.length;
      const strip = (x: typeof got) =>
        JSON.stringify([x.atoms.map((t) => [t.element, t.numHs, t.aromatic]), x.bonds.map((t) => [t.begin, t.end, t.type])]);
      if (strip(got) !== strip(want)) otherMismatch.push(smiles);
      got.atoms.forEach((t, i) => {
        if (t.hybridization !== want.atoms[i]?.hybridization) hybMismatch.push(`${smiles} atom ${i}: js ${t.hybridization} py ${want.atoms[i]?.hybridization}`);
      });
    }
    console.log(`${REFERENCE.molecules.length} molecules, ${atoms} atoms; structure mismatches ${otherMismatch.length}; hybridization mismatches ${hybMismatch.length}`);
    console.log(otherMismatch.slice(0, 10).join('\n'));
    console.log(hybMismatch.slice(0, 20).join('\n'));
    expect(otherMismatch).toEqual([]);
    expect(hybMismatch).toEqual([]);
  });
});

describe('hybridization edge cases outside QM9 (radicals, charges, cumulenes, nitro, isotopes) vs Python RDKit', () => {
  test.each(REFERENCE.extra)('%s', async (smiles, a, b) => {
    const rd = await loadRDKit();
    const got = parseSmiles(rd, smiles, smiles);
    expect(got).toEqual({ atoms: decodeAtoms(a, smiles), bonds: decodeBonds(b, smiles) });
  });
  test('explicit hydrogens of the edge cases equal Chem.AddHs (H counts include H atoms that were nodes, e.g. [2H]C)', async () => {
    for (const [smiles, a, b] of REFERENCE.extraExplicit) {
      const g = await smilesToGraph(smiles, { hydrogens: 'explicit' });
      const want = buildMolecule(smiles, decodeAtoms(a, smiles), decodeBonds(b, smiles), 'lecture', 'implicit');
      expect(g).toEqual(want);
    }
  });
});

describe('smilesToGraph', () => {
  test('the embedded qm9Sample equals smilesToGraph for its SMILES, in both layouts and both hydrogen modes', async () => {
    for (const layout of ['lecture', 'pyg'] as const) {
      for (const hydrogens of ['implicit', 'explicit'] as const) {
        const sample = qm9Sample({ layout, hydrogens });
        for (const m of sample.molecules) {
          const g = await smilesToGraph(m.smiles, { layout, hydrogens });
          expect({ ...g, target: m.target }).toEqual(m);
        }
      }
    }
  });

  test('explicit hydrogens equal Python RDKit AddHs for the first 300 molecules of the sample', async () => {
    for (const [smiles, a, b] of REFERENCE.explicit) {
      const g = await smilesToGraph(smiles, { hydrogens: 'explicit' });
      const atoms = decodeAtoms(a, smiles);
      const bonds = decodeBonds(b, smiles);
      expect(g.nodes.map((x) => [x.slice(0, 5).indexOf(1), x[6]! + 2 * x[7]! + 3 * x[8]!, x[9], x[10]])).toEqual(
        atoms.map((t) => ['HCNOF'.indexOf(t.element), t.hybridization, t.aromatic ? 1 : 0, t.numHs]),
      );
      expect(g.senders.filter((_, e) => e % 2 === 0)).toEqual(bonds.map((t) => t.begin));
      expect(g.receivers.filter((_, e) => e % 2 === 0)).toEqual(bonds.map((t) => t.end));
    }
  });

  test('hand-checked: benzene, acetonitrile (triple bond), acetamide (conjugated N is sp2), a charged QM9 molecule', async () => {
    const benzene = await smilesToGraph('c1ccccc1');
    expect(benzene.nodes).toEqual(Array.from({ length: 6 }, () => [0, 1, 0, 0, 0, 6, 0, 1, 0, 1, 1]));
    expect(benzene.edges).toEqual(Array.from({ length: 12 }, () => [0, 0, 0, 1]));
    const benzenePyg = await smilesToGraph('c1ccccc1', { layout: 'pyg' });
    expect(benzenePyg.nodes[0]).toEqual([0, 1, 0, 0, 0, 6, 1, 0, 1, 0, 1]);
    const benzeneH = await smilesToGraph('c1ccccc1', { hydrogens: 'explicit' });
    expect(benzeneH.nodes.length).toBe(12);
    expect(benzeneH.nodes.slice(6)).toEqual(Array.from({ length: 6 }, () => [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]));
    expect(benzeneH.senders.length).toBe(24);

    // CH3-C#N: sp3 C with 3 H, sp C, sp N; single then triple bond
    const acetonitrile = await smilesToGraph('CC#N');
    expect(acetonitrile.nodes).toEqual([
      [0, 1, 0, 0, 0, 6, 0, 0, 1, 0, 3],
      [0, 1, 0, 0, 0, 6, 1, 0, 0, 0, 0],
      [0, 0, 1, 0, 0, 7, 1, 0, 0, 0, 0],
    ]);
    expect(acetonitrile.edges).toEqual([[1, 0, 0, 0], [1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0]]);
    // CC(=O)N: the amide N has 3 substituents and a lone pair (norbs 4) but a conjugated C-N bond -> sp2
    const acetamide = await smilesToGraph('CC(=O)N');
    expect(acetamide.nodes[3]).toEqual([0, 0, 1, 0, 0, 7, 0, 1, 0, 0, 2]);
    // a zwitterion of QM9 (row 547 of the shared sample): NH3+ sp3, O- sp2 (conjugated with the ring)
    const zw = await smilesToGraph('[NH3+]CC1=C([O-])OC=C1');
    expect(zw.nodes[0]).toEqual([0, 0, 1, 0, 0, 7, 0, 0, 1, 0, 3]);
    expect(zw.nodes[4]).toEqual([0, 0, 0, 1, 0, 8, 0, 1, 0, 0, 0]);
    // terminal F: 1 bond + 3 lone pairs = 4 orbitals, no conjugation candidate -> sp3 (as Python RDKit says)
    const fluoro = await smilesToGraph('CF');
    expect(fluoro.nodes[1]).toEqual([0, 0, 0, 0, 1, 9, 0, 0, 1, 0, 0]);
  });

  test('bad input throws NnphysError naming the argument and what came', async () => {
    await expect(smilesToGraph('C1CC')).rejects.toThrow(/smilesToGraph: "C1CC" is not a valid SMILES/);
    await expect(smilesToGraph('')).rejects.toThrow(/not a valid SMILES/);
    await expect(smilesToGraph('CCl')).rejects.toThrow(/atom 1 of "CCl" has atomic number 17; only H, C, N, O, F/);
    await expect(smilesToGraph(42 as never)).rejects.toThrow(/smilesToGraph: smiles must be a string, got 42/);
    await expect(smilesToGraph('CC', { layout: 'x' as never })).rejects.toThrow(/smilesToGraph: layout must be one of/);
    await expect(smilesToGraph('C1CC')).rejects.toHaveProperty('name', 'NnphysError');
  });
});
