// @nnphys/core: engine setup, fast index kernels, modules, training and weights I/O.
import './engine/tfjs_setup.js';

export { initBackend, currentBackend, type BackendPreference, type InitBackendOptions } from './engine/backend.js';
export { installKernelFixes, uninstallKernelFixes, kernelFixesInstalled } from './engine/fixes/registry.js';
export { NnphysError } from './errors.js';
export * from './validate.js';
export { Random, seed, globalRandom, resolveRandom } from './random.js';

export { gatherRows } from './ops/gather_rows.js';
export { segmentSum } from './ops/segment_sum.js';
export { segmentMean } from './ops/segment_mean.js';
export { segmentMax, segmentMin } from './ops/segment_max.js';
export { segmentSoftmax } from './ops/segment_softmax.js';

export { Module } from './nn/module.js';
export { Linear, type LinearOptions } from './nn/linear.js';
export { MLP, LayerList, type MLPOptions } from './nn/mlp.js';
export { activation, silu, gelu, activationNames, type Activation, type ActivationName } from './nn/activations.js';
export { initWeights, initializers, type Initializer } from './nn/init.js';
export { scaledDotProductAttention, MASK_VALUE, type AttentionOptions } from './nn/attention.js';

export { train, batchIndices, type TrainOptions, type TrainHistory, type EpochLogs, type EarlyStopping, type BatchSource } from './training/train.js';
export { ProgressBar, type ProgressStream } from './training/progress.js';

export { saveWeights, loadWeights, weightsToBytes, loadWeightsFromBytes, type LoadWeightsOptions } from './io/weights.js';
export { encodeSafetensors, decodeSafetensors, type SafetensorsDtype, type SafetensorsEntry, type SafetensorsFile } from './io/safetensors.js';

export { checkGradients, type GradientCheckOptions, type GradientCheckResult } from './testing/gradient_check.js';
