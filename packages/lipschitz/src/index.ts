// @nnphys/lipschitz: certified Lipschitz and monotonic networks, and the EMD through the Kantorovich-Rubinstein dual.

// Norms and layers
export { type NormKind, normKinds, type Normalization, normalizations, type ConstraintMode, constraintModes, type InputNorm, inputNorms, effectiveBudget } from './norms/kinds.js';
export { normalizeWeight, type NormalizeWeightOptions } from './norms/normalize_weight.js';
export { kindNorm, operatorNormBound, spectralNorm } from './norms/operator_norms.js';
export { LipschitzLinear, type LipschitzLinearOptions } from './layers/lipschitz_linear.js';
export { GroupSort, type GroupSortOptions, type GroupSortMethod, groupSortMethods } from './layers/group_sort.js';
export { oddEvenMergeSortStages } from './layers/sorting_network.js';

// Networks
export { LipschitzNetwork, type LipschitzNetworkOptions, type HiddenActivation } from './networks/lipschitz_network.js';
export { MonotonicNetwork, type MonotonicNetworkOptions, type MonotoneConstraint } from './networks/monotonic_network.js';
export { type ChainScheme, chainSchemes } from './networks/chain.js';

// Certificates and searches
export { lipschitzUpperBound, lipschitzCertificate, type LipschitzCertificate, type CertifiableModel } from './certificates/upper_bound.js';
export { layerNorms, type LayerNormReport } from './certificates/layer_norms.js';
export { lipschitzLowerBound, type LowerBoundOptions, type LowerBoundResult } from './certificates/lower_bound.js';
export { monotonicityViolations, type MonotonicityOptions, type MonotonicityReport, type MonotonicityViolation } from './certificates/monotonicity.js';

// Export
export { type PlainNetwork, type PlainLayer, type PlainActivation, type OutputActivation, outputActivations, evaluatePlain } from './export/plain_network.js';
export { ExportedNetwork, type ExportedArchitecture, exportNetwork, saveExported, loadExported } from './export/exported_network.js';

// Losses
export { hingeLoss, dynamicHingeLoss, type HingeLossOptions } from './losses/hinge_loss.js';
export { bceWithTemperature, type BceWithTemperatureOptions } from './losses/bce_with_temperature.js';
export { dynamicMargins, type DynamicMarginOptions } from './losses/dynamic_margins.js';
export type { LabelConvention } from './losses/labels.js';

// Earth mover's distance
export type { WeightedPoints } from './emd/weighted_points.js';
export { exactEMD, exactTransport, emd1d, type ExactEMDOptions, type ExactTransport } from './emd/exact_emd.js';
export { estimateEMD, type EstimateEMDOptions, type EMDEstimate, type CriticOptions } from './emd/estimate_emd.js';
export { krObjective, type Potential } from './emd/kr_objective.js';
export { Shape, CircleShape, EllipseShape, PointsShape, ShapeMixture, type CircleOptions, type EllipseOptions, type PointsShapeOptions } from './emd/shapes.js';
export { fitShape, type FitShapeOptions, type ShapeFit } from './emd/fit_shape.js';
