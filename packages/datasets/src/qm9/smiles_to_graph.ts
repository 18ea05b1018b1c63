import { fail, show } from '../internal/checks.js';
import type { Molecule } from '../types.js';
import { type AtomRecord, type BondRecord, type BondType, buildMolecule, type Hydrogens, type MoleculeLayout, QM9_ELEMENTS, type QM9Element } from './features.js';
import { deriveHybridization, type ParsedAtom, type ParsedBond } from './hybridization.js';
import { resolveQM9Options } from './qm9_sample.js';
import { loadRDKit, type RDKitModule } from './rdkit.js';

const GET_MOL_DETAILS = JSON.stringify({ assignStereo: false });
const ELEMENT_OF_Z: Record<number, QM9Element> = { 1: 'H', 6: 'C', 7: 'N', 8: 'O', 9: 'F' };

interface RDKitJson {
  defaults: { atom: Record<string, number>; bond: Record<string, number> };
  molecules: {
    atoms: Record<string, number>[];
    bonds?: { atoms: [number, number]; bo?: number }[];
    extensions?: { name: string; aromaticAtoms?: number[]; aromaticBonds?: number[] }[];
  }[];
}

/**
 * Parses one SMILES with RDKit-JS into the per-atom / per-bond records the features need
 * (element, derived hybridization, aromaticity, total H count; bond type). Throws NnphysError
 * starting with `where` for an unparsable SMILES or an element other than H, C, N, O, F.
 */
export function parseSmiles(rd: RDKitModule, smiles: string, where: string): { atoms: AtomRecord[]; bonds: BondRecord[] } {
  let json: RDKitJson;
  // no stereo perception: the features do not use it, and it costs ~10% of the parse (CIP ranks)
  const mol = smiles.length > 0 ? rd.get_mol(smiles, GET_MOL_DETAILS) : null;
  try {
    if (mol === null || !mol.is_valid()) fail(`${where}: ${show(smiles)} is not a valid SMILES (RDKit could not parse it)`);
    json = JSON.parse(mol.get_json()) as RDKitJson;
  } finally {
    mol?.delete();
  }
  const m = json.molecules[0];
  const da = json.defaults.atom;
  const db = json.defaults.bond;
  const ext = m.extensions?.find((e) => e.name === 'rdkitRepresentation');
  const aromaticAtoms = new Set(ext?.aromaticAtoms ?? []);
  const aromaticBonds = new Set(ext?.aromaticBonds ?? []);
  const parsedAtoms: ParsedAtom[] = m.atoms.map((a, i) => {
    const z = a.z ?? da.z;
    if (ELEMENT_OF_Z[z] === undefined) fail(`${where}: atom ${i} of ${show(smiles)} has atomic number ${z}; only ${QM9_ELEMENTS.join(', ')} are supported (000 App. A one-hot)`);
    return { z, numHs: a.impHs ?? da.impHs, charge: a.chg ?? da.chg, radicals: a.nRad ?? da.nRad ?? 0, aromatic: aromaticAtoms.has(i) };
  });
  const parsedBonds: ParsedBond[] = (m.bonds ?? []).map((b, k) => {
    const order = b.bo ?? db.bo;
    if (!(order >= 1 && order <= 3)) fail(`${where}: bond ${k} of ${show(smiles)} has bond order ${order}; only single, double, triple and aromatic are supported`);
    return { begin: b.atoms[0], end: b.atoms[1], order, aromatic: aromaticBonds.has(k) };
  });
  const hyb = deriveHybridization(parsedAtoms, parsedBonds);
  return {
    atoms: parsedAtoms.map((a, i) => ({ element: ELEMENT_OF_Z[a.z], hybridization: hyb[i], aromatic: a.aromatic, numHs: a.numHs })),
    bonds: parsedBonds.map((b) => ({ begin: b.begin, end: b.end, type: (b.aromatic ? 4 : b.order) as BondType })),
  };
}

/** Featurises a SMILES with an already loaded RDKit (synchronous; used by loadQM9's loop). */
export function featurizeSmiles(
  rd: RDKitModule,
  smiles: string,
  layout: MoleculeLayout,
  hydrogens: Hydrogens,
  where: string,
  target?: number[],
): Molecule {
  const { atoms, bonds } = parseSmiles(rd, smiles, where);
  return buildMolecule(smiles, atoms, bonds, layout, hydrogens, target);
}

/**
 * SMILES -> molecular graph with the features of 000 App. A: nodes [H,C,N,O,F one-hot, atomic number,
 * sp, sp2, sp3, aromatic, numHs] ('lecture'; 'pyg' puts aromatic before sp), edges one-hot
 * [single, double, triple, aromatic], every bond as two directed edges. Hydrogens implicit by default
 * (API.md); 'explicit' appends H atoms in RDKit AddHs order. Parsing by RDKit-JS (@rdkit/rdkit, loaded
 * on first call); hybridization is derived with RDKit's rules (see deriveHybridization).
 */
export async function smilesToGraph(smiles: string, opts?: { hydrogens?: Hydrogens; layout?: MoleculeLayout }): Promise<Molecule> {
  if (typeof smiles !== 'string') fail(`smilesToGraph: smiles must be a string, got ${show(smiles)}`);
  const { layout, hydrogens } = resolveQM9Options(opts, 'smilesToGraph');
  const rd = await loadRDKit();
  return featurizeSmiles(rd, smiles, layout, hydrogens, 'smilesToGraph');
}
