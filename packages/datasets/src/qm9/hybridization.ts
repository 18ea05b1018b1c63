import type { Hybridization } from './features.js';

/** The atom facts RDKit-JS's get_json() gives (z, hydrogens, charge, radicals) plus its aromatic flag. */
export interface ParsedAtom {
  z: number;
  numHs: number;
  charge: number;
  radicals: number;
  aromatic: boolean;
}

/** A bond in RDKit-JS's kekulé form (order 1-3) with its aromatic flag. */
export interface ParsedBond {
  begin: number;
  end: number;
  order: number;
  aromatic: boolean;
}

// Periodic-table facts RDKit uses (outer-shell electrons, default valence) for the elements this
// derivation supports; other elements are rejected before (QM9 has H, C, N, O, F only).
const N_OUTER: Record<number, number> = { 1: 1, 6: 4, 7: 5, 8: 6, 9: 7 };
const DEFAULT_VALENCE: Record<number, number> = { 1: 1, 6: 4, 7: 3, 8: 2, 9: 1 };

/**
 * Hybridization as RDKit assigns it (MolOps::setConjugation + setHybridization), re-derived because
 * RDKit-JS's get_json() does not expose it (platform.md). Our reading of RDKit's rules:
 *
 * 1. Conjugation. Aromatic bonds are conjugated. For every atom `a` with 2 or 3 substituents
 *    (heavy neighbours + H) and a multiple bond b1 (double, triple or aromatic), every other bond b2 from
 *    `a` to an atom `c` with at most 3 substituents that can donate pi electrons (C, N or O here:
 *    RDKit's countAtomElec(c) > 0, which excludes F and H) marks both b1 and b2 conjugated.
 *    This is why the N of an amide or an aniline, and the O- of a carboxylate, are sp2.
 * 2. norbs = total degree (heavy neighbours + H) + lone pairs (+ radicals below an octet), the lone
 *    pairs being (outer electrons - (valence + charge)) / 2, truncated; norbs 0-1 -> none (RDKit: S),
 *    2 -> sp, 3 -> sp2, 4 -> sp3 unless the atom has a heavy neighbour, a conjugated bond and at most 3
 *    substituents, then sp2.
 *
 * Agreement with Python RDKit over the whole shared QM9 sample is measured in test/smiles_to_graph.test.ts.
 */
export function deriveHybridization(atoms: readonly ParsedAtom[], bonds: readonly ParsedBond[]): Hybridization[] {
  const n = atoms.length;
  const heavyDegree = new Array<number>(n).fill(0);
  const valence = atoms.map((a) => a.numHs);
  const incident: number[][] = Array.from({ length: n }, () => []);
  bonds.forEach((b, k) => {
    heavyDegree[b.begin]++;
    heavyDegree[b.end]++;
    valence[b.begin] += b.order;
    valence[b.end] += b.order;
    incident[b.begin].push(k);
    incident[b.end].push(k);
  });
  const substituents = (i: number) => heavyDegree[i] + atoms[i].numHs;
  // RDKit's countAtomElec(c) > 0 for the first-row elements: default valence > 1, <= 3 substituents,
  // and (default valence - substituents) + lone pairs (outer - default valence - charge, >= 0) - radicals > 0.
  const canDonate = (i: number): boolean => {
    const a = atoms[i];
    const dv = DEFAULT_VALENCE[a.z];
    if (dv <= 1 || substituents(i) > 3) return false;
    const lonePairElectrons = Math.max(N_OUTER[a.z] - dv - a.charge, 0);
    return dv - substituents(i) + lonePairElectrons - a.radicals > 0;
  };
  const conjugated = bonds.map((b) => b.aromatic);
  for (let i = 0; i < n; i++) {
    const s = substituents(i);
    if (s < 2 || s > 3) continue;
    for (const k1 of incident[i]) {
      const b1 = bonds[k1];
      if (b1.order < 2 && !b1.aromatic) continue;
      for (const k2 of incident[i]) {
        if (k2 === k1) continue;
        const b2 = bonds[k2];
        const c = b2.begin === i ? b2.end : b2.begin;
        if (substituents(c) > 3 || !canDonate(c)) continue;
        conjugated[k1] = true;
        conjugated[k2] = true;
      }
    }
  }
  return atoms.map((a, i) => {
    const degree = substituents(i);
    let norbs = degree;
    if (a.z > 1) {
      const outer = N_OUTER[a.z];
      const free = outer - (valence[i] + a.charge);
      norbs = valence[i] + outer - a.charge < 8 ? degree + Math.trunc((free - a.radicals) / 2) + a.radicals : degree + Math.trunc(free / 2);
    }
    switch (norbs) {
      case 2:
        return 1;
      case 3:
        return 2;
      case 4: {
        const hasConjugated = incident[i].some((k) => conjugated[k]);
        return heavyDegree[i] > 0 && hasConjugated && degree <= 3 ? 2 : 3;
      }
      default:
        return 0; // 0-1: S (no sp/sp2/sp3 feature); >= 5 cannot occur for H, C, N, O, F
    }
  });
}
