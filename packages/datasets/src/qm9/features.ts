import type { Molecule } from '../types.js';
import { fail } from '../internal/checks.js';

/** Elements of QM9, in the one-hot order of 000 App. A (and PyG). */
export const QM9_ELEMENTS = ['H', 'C', 'N', 'O', 'F'] as const;
export type QM9Element = (typeof QM9_ELEMENTS)[number];
const ATOMIC_NUMBER: Record<QM9Element, number> = { H: 1, C: 6, N: 7, O: 8, F: 9 };

/** Hybridization as used by the features: 0 none (H, or RDKit's S/UNSPECIFIED), 1 sp, 2 sp2, 3 sp3. */
export type Hybridization = 0 | 1 | 2 | 3;
/** Bond type: 1 single, 2 double, 3 triple, 4 aromatic (the 4 one-hot edge features, in that order). */
export type BondType = 1 | 2 | 3 | 4;

/** What the featurisation needs of one atom (what RDKit reports for it). */
export interface AtomRecord {
  element: QM9Element;
  hybridization: Hybridization;
  aromatic: boolean;
  /** Total number of attached hydrogens (implicit + explicit). */
  numHs: number;
}

export interface BondRecord {
  begin: number;
  end: number;
  type: BondType;
}

/** Node-feature layout: 'lecture' = 000 App. A, 'pyg' = PyTorch Geometric's QM9 order. */
export type MoleculeLayout = 'lecture' | 'pyg';
export type Hydrogens = 'implicit' | 'explicit';

/** Names of the 11 node features, per layout. */
export const NODE_FEATURES: Record<MoleculeLayout, readonly string[]> = {
  lecture: ['H', 'C', 'N', 'O', 'F', 'atomicNumber', 'sp', 'sp2', 'sp3', 'aromatic', 'numHs'],
  pyg: ['H', 'C', 'N', 'O', 'F', 'atomicNumber', 'aromatic', 'sp', 'sp2', 'sp3', 'numHs'],
};
/** Names of the 4 edge features. */
export const EDGE_FEATURES: readonly string[] = ['single', 'double', 'triple', 'aromatic'];

/** The 11 node features of one atom (000 App. A; PyG's QM9 for 'pyg'). */
export function atomFeatures(atom: AtomRecord, layout: MoleculeLayout): number[] {
  const f = [0, 0, 0, 0, 0, ATOMIC_NUMBER[atom.element], 0, 0, 0, 0, atom.numHs];
  f[QM9_ELEMENTS.indexOf(atom.element)] = 1;
  const aromatic = atom.aromatic ? 1 : 0;
  if (layout === 'lecture') {
    if (atom.hybridization > 0) f[5 + atom.hybridization] = 1; // 6 sp, 7 sp2, 8 sp3
    f[9] = aromatic;
  } else {
    f[6] = aromatic;
    if (atom.hybridization > 0) f[6 + atom.hybridization] = 1; // 7 sp, 8 sp2, 9 sp3
  }
  return f;
}

/** One-hot [single, double, triple, aromatic]. */
export function bondFeatures(type: BondType): number[] {
  const f = [0, 0, 0, 0];
  f[type - 1] = 1;
  return f;
}

/**
 * Appends every implicit hydrogen as an explicit H atom, in RDKit's `AddHs` order: for each heavy atom in
 * order, its hydrogens are appended at the end of the atom list, and their single bonds after the existing
 * bonds. numHs becomes the number of H neighbours (as PyG's QM9): unchanged for heavy atoms of a plain SMILES,
 * 0 for the new H atoms (no hybridization, not aromatic).
 */
export function addHydrogens(atoms: readonly AtomRecord[], bonds: readonly BondRecord[]): { atoms: AtomRecord[]; bonds: BondRecord[] } {
  const outAtoms = atoms.slice();
  const outBonds = bonds.slice();
  atoms.forEach((atom, i) => {
    for (let h = 0; h < atom.numHs; h++) {
      outBonds.push({ begin: i, end: outAtoms.length, type: 1 });
      outAtoms.push({ element: 'H', hybridization: 0, aromatic: false, numHs: 0 });
    }
  });
  // numHs = H neighbours in the explicit graph (as RDKit's GetTotalNumHs(includeNeighbors) and PyG): this
  // also counts H atoms that were nodes already (e.g. [2H]C gives the carbon 4)
  const hNeighbours = outAtoms.map(() => 0);
  for (const b of outBonds) {
    if (outAtoms[b.end].element === 'H') hNeighbours[b.begin]++;
    if (outAtoms[b.begin].element === 'H') hNeighbours[b.end]++;
  }
  return { atoms: outAtoms.map((a, i) => (a.numHs === hNeighbours[i] ? a : { ...a, numHs: hNeighbours[i] })), bonds: outBonds };
}

/**
 * Builds the molecular graph: one node per atom (RDKit's atom order), every bond as two directed edges
 * (begin -> end, then end -> begin, in RDKit's bond order), the same edge order in both layouts so that
 * the layouts differ only by a permutation of node-feature columns.
 */
export function buildMolecule(
  smiles: string,
  atoms: readonly AtomRecord[],
  bonds: readonly BondRecord[],
  layout: MoleculeLayout,
  hydrogens: Hydrogens,
  target?: number[],
): Molecule {
  const g = hydrogens === 'explicit' ? addHydrogens(atoms, bonds) : { atoms, bonds };
  const senders: number[] = [];
  const receivers: number[] = [];
  const edges: number[][] = [];
  for (const b of g.bonds) {
    const f = bondFeatures(b.type);
    senders.push(b.begin, b.end);
    receivers.push(b.end, b.begin);
    edges.push(f, f.slice());
  }
  const molecule: Molecule = { smiles, nodes: g.atoms.map((a) => atomFeatures(a, layout)), senders, receivers, edges };
  if (target !== undefined) molecule.target = target;
  return molecule;
}

const B36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Decodes the compact atom codes of scripts/qm9_reference.py: `<element><hyb><numHs>[a]` per atom. */
export function decodeAtoms(code: string, where: string): AtomRecord[] {
  const atoms: AtomRecord[] = [];
  const re = /([A-Z][a-z]?)([0-3x])(\d)(a?)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < code.length && (m = re.exec(code)) !== null) {
    const element = m[1] as QM9Element;
    if (!QM9_ELEMENTS.includes(element)) fail(`${where}: element ${m[1]} is not one of H, C, N, O, F`);
    if (m[2] === 'x') fail(`${where}: atom ${atoms.length} has a hybridization other than none/sp/sp2/sp3`);
    atoms.push({ element, hybridization: Number(m[2]) as Hybridization, numHs: Number(m[3]), aromatic: m[4] === 'a' });
  }
  if (re.lastIndex !== code.length) fail(`${where}: malformed atom code ${JSON.stringify(code)}`);
  return atoms;
}

/** Decodes the compact bond codes: `<begin b36><end b36><1|2|3|a>` per bond. */
export function decodeBonds(code: string, where: string): BondRecord[] {
  if (code.length % 3 !== 0) fail(`${where}: malformed bond code ${JSON.stringify(code)}`);
  const bonds: BondRecord[] = [];
  for (let i = 0; i < code.length; i += 3) {
    const t = '123a'.indexOf(code[i + 2]);
    if (t < 0) fail(`${where}: bond ${i / 3} has an unsupported type ${JSON.stringify(code[i + 2])}`);
    bonds.push({ begin: B36.indexOf(code[i]), end: B36.indexOf(code[i + 1]), type: (t + 1) as BondType });
  }
  return bonds;
}

/** Inverse of decodeAtoms; null when an atom does not fit the code (more than 9 hydrogens). */
export function encodeAtoms(atoms: readonly AtomRecord[]): string | null {
  let code = '';
  for (const a of atoms) {
    if (a.numHs > 9) return null;
    code += `${a.element}${a.hybridization}${a.numHs}${a.aromatic ? 'a' : ''}`;
  }
  return code;
}

/** Inverse of decodeBonds; null when an atom index does not fit in one base-36 digit. */
export function encodeBonds(bonds: readonly BondRecord[]): string | null {
  let code = '';
  for (const b of bonds) {
    if (b.begin >= 36 || b.end >= 36) return null;
    code += `${B36[b.begin]}${B36[b.end]}${'123a'[b.type - 1]}`;
  }
  return code;
}
