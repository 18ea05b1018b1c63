// @nnphys/ntk: neural tangent kernels, infinite-width training dynamics and the augmentation theorem.
export type { Layer } from './layer.js';
export type { KernelState, Dual } from './kernel_state.js';
export { serial, type Architecture, type KernelMatrices, type KernelOptions, type Float64KernelMatrices } from './serial.js';
export { Network, type Stage } from './network.js';
export { dense, type DenseOptions } from './layers/dense.js';
export { relu, abRelu, leakyRelu, abs } from './layers/relu.js';
export { erf } from './layers/erf.js';
export { identity } from './layers/identity.js';
export { tanh } from './layers/tanh.js';
export { elementwise, type ElementwiseOptions } from './layers/elementwise.js';
export { gaussHermite } from './quadrature.js';

export { empiricalNTK, empiricalNTKMemory, type EmpiricalNTKOptions, type EmpiricalNTKMethod, type EmpiricalNTKMemory } from './empirical_ntk.js';
export { monteCarloKernel, type MonteCarloKernel, type MonteCarloKernelOptions } from './monte_carlo_kernel.js';

export type { LossReduction } from './loss_reduction.js';
export { gradientDescentMSE, type GradientDescentMSEOptions, type MSEPredictor, type NNGPForVariance } from './gradient_descent_mse.js';
export { gradientDescent, type GradientDescentOptions, type ODEPredictor, type LossGradient } from './gradient_descent.js';
export { gpInference, type GPInferenceOptions, type GPPosterior, type GPPrediction } from './gp_inference.js';

export { trainFullBatchMSE, type FullBatchMSEOptions, type FullBatchMSEHistory } from './train_full_batch.js';
export { ensemble, ensembleMean, Ensemble, type EnsemblePrediction } from './ensemble.js';
export { permutationGroup, cyclicShiftGroup, rotationGroupC4, dihedralGroupD4, type FiniteGroup, type PermutationGroup } from './groups.js';
export { augment, type AugmentOptions, type AugmentedData } from './augment.js';
export { invarianceError, type InvarianceError } from './invariance.js';
export { fitPowerLaw } from './power_law.js';
export { relativeError } from './relative_error.js';
export { muPScales, type MuPLayerScale } from './mup.js';
