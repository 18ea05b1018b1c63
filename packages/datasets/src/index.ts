// @nnphys/datasets: seeded synthetic tasks, fixtures and loaders. Plain data, no tensors.
export type { Graph, Molecule, MoleculeSet, WeightedPoints } from './types.js';

export { atomSum, aggregate, type AtomSumOptions, type AtomSumData, type AtomSumTarget } from './sets/atom_sum.js';
export { encodeAtom, atomBits, binaryWidth, type AtomEncoding } from './sets/encode_atom.js';
export { permutationAugment, type PermutationAugmentOptions, type SetData, type Augmented } from './sets/permutation_augment.js';
export {
  atomValues002,
  ATOM_VALUES_002_SECTION_4_2,
  ATOM_VALUES_002_SECTION_4_6,
  type PrintedAtomValue,
} from './fixtures/atom_values_002.js';

export { twoMoons, type TwoMoonsOptions } from './toys/two_moons.js';
export { sinWithOutlier, type SinWithOutlierOptions, type RegressionToy } from './toys/sin_with_outlier.js';
export { logMonotone, type LogMonotoneOptions } from './toys/log_monotone.js';
export { oscillatingCircle, oscillatingRadius, type OscillatingCircleOptions, type OscillatingCircleData } from './toys/oscillating_circle.js';
export { resonanceToy, resonanceX2, RESONANCE_SOURCES, type ResonanceToyOptions, type ResonanceToyData, type ResonanceX2 } from './toys/resonance_toy.js';
export { pointCloud, mergePointClouds, type PointCloud, type PointCloudOptions, type PointCloudShape, type ShapeParams } from './shapes/point_cloud.js';
