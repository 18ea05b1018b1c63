import { checkChoice, checkOptions, fail } from '../internal/checks.js';
import type { MoleculeSet } from '../types.js';
import { buildMolecule, decodeAtoms, decodeBonds, type Hydrogens, type MoleculeLayout } from './features.js';
import { QM9_SAMPLE_RDKIT_VERSION, QM9_SAMPLE_ROWS, QM9_SAMPLE_SOURCE_SHA256 } from './qm9_sample_data.js';
import { convertTargets, QM9_TARGET_NAMES, qm9Units, type QM9Units } from './targets.js';

export interface QM9Options {
  /** Node-feature order: 'lecture' (000 App. A, default) or 'pyg'. */
  layout?: MoleculeLayout;
  /** 'implicit' (default, API.md): heavy atoms only, H counted in numHs; 'explicit': H atoms as nodes (RDKit AddHs order). */
  hydrogens?: Hydrogens;
  /** 'source' (default): the CSV's units (energies in Hartree); 'ev': Hartree targets converted to eV as PyG. */
  units?: QM9Units;
}

/** A QM9 molecule set with where it came from. */
export interface QM9Set extends MoleculeSet {
  /** Index of each molecule's row in its source CSV (0 = first data row). */
  rows: number[];
  source: { name: string; sha256: string; featurisedBy: string };
}

export function resolveQM9Options(opts: unknown, fn: string): Required<QM9Options> {
  const o = checkOptions<QM9Options>(opts, `${fn}: options`, true);
  return {
    layout: checkChoice(o.layout ?? 'lecture', `${fn}: layout`, ['lecture', 'pyg'] as const),
    hydrogens: checkChoice(o.hydrogens ?? 'implicit', `${fn}: hydrogens`, ['implicit', 'explicit'] as const),
    units: checkChoice(o.units ?? 'source', `${fn}: units`, ['source', 'ev'] as const),
  };
}

/**
 * 376 real QM9 molecules embedded in the package, already featurised (no RDKit, no I/O): the first 60
 * rows of the shared sample (the smallest molecules), every 40th row after them and the first 10 charged
 * molecules. Features were computed by Python RDKit (scripts/qm9_sample.py) and equal what smilesToGraph
 * gives (checked in test/smiles_to_graph.test.ts). Targets: the 12 MoleculeNet columns (targetNames), units in `units`.
 */
export function qm9Sample(opts?: QM9Options): QM9Set {
  const { layout, hydrogens, units } = resolveQM9Options(opts, 'qm9Sample');
  const rows: number[] = [];
  const molecules = QM9_SAMPLE_ROWS.map((line) => {
    const [row, smiles, atomCode, bondCode, targetCode] = line.split('\t');
    const where = `qm9Sample: row ${row} (${smiles})`;
    const target = targetCode.split(',').map(Number);
    if (target.length !== QM9_TARGET_NAMES.length || target.some((t) => !Number.isFinite(t))) fail(`${where}: corrupt targets`);
    rows.push(Number(row));
    return buildMolecule(smiles, decodeAtoms(atomCode, where), decodeBonds(bondCode, where), layout, hydrogens, convertTargets(target, units));
  });
  return {
    molecules,
    targetNames: [...QM9_TARGET_NAMES],
    units: qm9Units(units),
    rows,
    source: {
      name: 'qm9-sample.csv (a subset of MoleculeNet QM9, Ramakrishnan et al. 2014, CC BY 4.0)',
      sha256: QM9_SAMPLE_SOURCE_SHA256,
      featurisedBy: `RDKit ${QM9_SAMPLE_RDKIT_VERSION} (Python), scripts/qm9_sample.py`,
    },
  };
}
