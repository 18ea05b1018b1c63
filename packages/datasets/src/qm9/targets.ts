/** Hartree -> eV, the factor PyG's QM9 uses (CODATA 2018: 27.211386246 eV). */
export const HARTREE_TO_EV = 27.211386246;

/** The 12 MoleculeNet QM9 targets, in the CSV's column order. */
export const QM9_TARGET_NAMES = ['mu', 'alpha', 'homo', 'lumo', 'gap', 'r2', 'zpve', 'cv', 'u0', 'u298', 'h298', 'g298'] as const;
export type QM9TargetName = (typeof QM9_TARGET_NAMES)[number];

/** Units of the targets as the MoleculeNet CSV stores them (QM9's own units). */
export const QM9_SOURCE_UNITS: Record<QM9TargetName, string> = {
  mu: 'D',
  alpha: 'bohr^3',
  homo: 'hartree',
  lumo: 'hartree',
  gap: 'hartree',
  r2: 'bohr^2',
  zpve: 'hartree',
  cv: 'cal/(mol K)',
  u0: 'hartree',
  u298: 'hartree',
  h298: 'hartree',
  g298: 'hartree',
};

/**
 * Target units: 'source' keeps the CSV's units (energies in Hartree); 'ev' converts every Hartree target
 * to eV with HARTREE_TO_EV, as PyG does (mu, alpha, r2 and cv keep their units, as in PyG).
 */
export type QM9Units = 'source' | 'ev';

export function hartreeToEV(value: number): number {
  return value * HARTREE_TO_EV;
}

export function qm9Units(units: QM9Units): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of QM9_TARGET_NAMES) {
    const u = QM9_SOURCE_UNITS[name];
    out[name] = units === 'ev' && u === 'hartree' ? 'eV' : u;
  }
  return out;
}

/** Converts one row of the 12 targets (in place) from source units to `units`. */
export function convertTargets(row: number[], units: QM9Units): number[] {
  if (units === 'ev') {
    QM9_TARGET_NAMES.forEach((name, j) => {
      if (QM9_SOURCE_UNITS[name] === 'hartree') row[j] = hartreeToEV(row[j]);
    });
  }
  return row;
}
