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

export { reverseEntities, ENTITY_DELIMITERS, type TokenSequence, type TokenTask } from './tokens/token_sequence.js';
export { retrievalTask, VALUE_OF, KEY_OF, type RetrievalTask, type RetrievalTaskOptions } from './tokens/retrieval_task.js';
export { relationTask, FORWARD_ARROW, BACKWARD_ARROW, QUESTION, type RelationTask, type RelationTaskOptions, type RelationSequence } from './tokens/relation_task.js';
export { biosTask, BIOS_DEFAULT_SIZES, MONTHS, type BiosTask, type BiosTaskOptions, type BiosVocabularySizes, type Person } from './tokens/bios_task.js';
export { starGraphTask, type StarGraphTask, type StarGraphTaskOptions, type StarGraph, type StarGraphSequence } from './tokens/star_graph_task.js';
export { modularAddition, type ModularAdditionOptions, type ModularAdditionData } from './algorithmic/modular_addition.js';

export { ethanol, type EthanolFixture, type MolecularGraphFixture } from './fixtures/ethanol.js';
export { xor } from './fixtures/xor.js';
export { split, partSizes } from './split.js';
export { batches, type BatchOptions } from './batches.js';
