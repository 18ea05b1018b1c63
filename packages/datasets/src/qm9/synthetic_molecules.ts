import type { Random } from '@nnphys/core';
import { checkInteger, checkOptions, fail, show } from '../internal/checks.js';
import { randomFrom } from '../internal/random.js';
import type { Molecule, MoleculeSet } from '../types.js';
import { type AtomRecord, type BondRecord, type BondType, buildMolecule, type Hydrogens, type MoleculeLayout, type QM9Element } from './features.js';
import { deriveHybridization } from './hybridization.js';
import { resolveQM9Options } from './qm9_sample.js';

const HEAVY: readonly QM9Element[] = ['C', 'N', 'O', 'F'];
const VALENCE: Record<string, number> = { C: 4, N: 3, O: 2, F: 1 };
const Z: Record<string, number> = { C: 6, N: 7, O: 8, F: 9 };

export interface SyntheticMoleculesOptions {
  /** Number of molecules. */
  molecules: number;
  /** Maximum heavy atoms per molecule (1..36). Default 9 (as QM9). */
  maxAtoms?: number;
  /** Probabilities of C, N, O, F. Default [0.6, 0.15, 0.2, 0.05]. */
  elementWeights?: [number, number, number, number];
  /** Probability of closing a ring with each extra bond attempt (up to 2 per molecule). Default 0.3. */
  ringProbability?: number;
  /** Contributions c(element, nH) and b(bond order) of the additive target. Default: drawn from N(0, 1) with `seed`. */
  contributions?: SyntheticContributions;
  layout?: MoleculeLayout;
  hydrogens?: Hydrogens;
  seed?: number | Random;
}

/** The additive target y = sum over heavy atoms of atom[`${element}${nH}`] + sum over bonds of bond[order - 1]. */
export interface SyntheticContributions {
  atom: Record<string, number>;
  /** single, double, triple. */
  bond: [number, number, number];
}

export interface SyntheticMoleculeSet extends MoleculeSet {
  /** The exact contributions the targets were summed from. */
  contributions: SyntheticContributions;
  synthetic: true;
}

/** All (element, nH) keys a valence-valid heavy atom can have: C0..C4, N0..N3, O0..O2, F0..F1. */
export function syntheticAtomKeys(): string[] {
  return HEAVY.flatMap((e) => Array.from({ length: VALENCE[e] + 1 }, (_, h) => `${e}${h}`));
}

function pick(rng: Random, weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let u = rng.uniform() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/**
 * The offline substitute of spec §2.2: random valence-valid heavy-atom graphs (C 4, N 3, O 2, F 1; bond
 * orders 1-3; hydrogens fill the remaining valence; no aromaticity) with an additive target
 * y = Σ_atoms c(element, nH) + Σ_bonds b(order), the contributions exported. A synthetic stand-in for QM9 with
 * an exactly known, size-extensive target (what a sum-readout GNN can fit exactly), labelled as such.
 * Features as smilesToGraph (000 App. A; hybridization by the same RDKit-style rule). Each molecule is
 * connected: a random tree (each atom bonded to an earlier atom with free valence), then up to two ring
 * closures, then bond orders raised at random within the free valences.
 */
export function syntheticMolecules(opts: SyntheticMoleculesOptions): SyntheticMoleculeSet {
  const fn = 'syntheticMolecules';
  const o = checkOptions<SyntheticMoleculesOptions>(opts, `${fn}: options`);
  const count = checkInteger(o.molecules, `${fn}: molecules`, 0);
  const maxAtoms = checkInteger(o.maxAtoms ?? 9, `${fn}: maxAtoms`, 1, 36);
  const weights = o.elementWeights ?? [0.6, 0.15, 0.2, 0.05];
  if (!Array.isArray(weights) || weights.length !== 4 || weights.some((w) => typeof w !== 'number' || !Number.isFinite(w) || w < 0) || weights.every((w) => w === 0)) {
    fail(`${fn}: elementWeights must be 4 finite numbers >= 0 (C, N, O, F), not all 0, got ${show(weights)}`);
  }
  const ringP = o.ringProbability ?? 0.3;
  if (typeof ringP !== 'number' || !(ringP >= 0 && ringP <= 1)) fail(`${fn}: ringProbability must be a number in [0, 1], got ${show(ringP)}`);
  const { layout, hydrogens } = resolveQM9Options({ layout: o.layout, hydrogens: o.hydrogens }, fn);
  const rng = randomFrom(o.seed, `${fn}: seed`);

  let contributions: SyntheticContributions;
  if (o.contributions === undefined) {
    const atom: Record<string, number> = {};
    for (const k of syntheticAtomKeys()) atom[k] = rng.normal();
    contributions = { atom, bond: [rng.normal(), rng.normal(), rng.normal()] };
  } else {
    const c = o.contributions;
    const ok =
      c !== null &&
      typeof c === 'object' &&
      Array.isArray(c.bond) &&
      c.bond.length === 3 &&
      c.bond.every((v) => Number.isFinite(v)) &&
      syntheticAtomKeys().every((k) => Number.isFinite(c.atom?.[k]));
    if (!ok) fail(`${fn}: contributions must be { atom: { ${syntheticAtomKeys().join(', ')}: number }, bond: [single, double, triple] }, got ${show(c)}`);
    contributions = { atom: { ...c.atom }, bond: [...c.bond] as [number, number, number] };
  }

  const molecules: Molecule[] = [];
  for (let m = 0; m < count; m++) {
    const n = 1 + rng.int(maxAtoms);
    const elements: QM9Element[] = [];
    const free: number[] = [];
    const bonds: { begin: number; end: number; order: number }[] = [];
    const bonded = new Set<string>();
    const link = (a: number, b: number) => {
      bonds.push({ begin: a, end: b, order: 1 });
      bonded.add(`${Math.min(a, b)},${Math.max(a, b)}`);
      free[a]--;
      free[b]--;
    };
    for (let i = 0; i < n; i++) {
      const open = free.map((f, j) => (f > 0 ? j : -1)).filter((j) => j >= 0);
      if (i > 0 && open.length === 0) break; // everything saturated (e.g. F-F): the molecule stops here
      const e = HEAVY[pick(rng, weights)];
      elements.push(e);
      free.push(VALENCE[e]);
      if (i > 0) link(open[rng.int(open.length)], i);
    }
    for (let t = 0; t < 2; t++) {
      if (rng.uniform() >= ringP) continue;
      const open = free.map((f, j) => (f > 0 ? j : -1)).filter((j) => j >= 0);
      const pairs: [number, number][] = [];
      for (let x = 0; x < open.length; x++) for (let y = x + 1; y < open.length; y++) if (!bonded.has(`${open[x]},${open[y]}`)) pairs.push([open[x], open[y]]);
      // rings of 3+ atoms only: a pair already bonded is excluded above
      if (pairs.length > 0) {
        const [a, b] = pairs[rng.int(pairs.length)];
        link(a, b);
      }
    }
    for (const b of bonds) {
      const extra = Math.min(2, free[b.begin], free[b.end]);
      const up = extra === 0 ? 0 : pick(rng, extra === 1 ? [3, 1] : [6, 2, 1]);
      b.order += up;
      free[b.begin] -= up;
      free[b.end] -= up;
    }
    const parsed = elements.map((e, i) => ({ z: Z[e], numHs: free[i], charge: 0, radicals: 0, aromatic: false }));
    const hyb = deriveHybridization(parsed, bonds.map((b) => ({ ...b, aromatic: false })));
    const atoms: AtomRecord[] = elements.map((e, i) => ({ element: e, hybridization: hyb[i], aromatic: false, numHs: free[i] }));
    const bondRecords: BondRecord[] = bonds.map((b) => ({ begin: b.begin, end: b.end, type: b.order as BondType }));
    let y = 0;
    atoms.forEach((a) => {
      y += contributions.atom[`${a.element}${a.numHs}`];
    });
    for (const b of bonds) y += contributions.bond[b.order - 1];
    // no SMILES is written for a synthetic molecule: a label naming it
    molecules.push(buildMolecule(`synthetic:${m}`, atoms, bondRecords, layout, hydrogens, [y]));
  }
  return { molecules, targetNames: ['y'], units: { y: 'arbitrary (additive synthetic target)' }, contributions, synthetic: true };
}
