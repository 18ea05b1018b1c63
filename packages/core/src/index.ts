// @nnphys/core: engine setup, fast index kernels, modules, training and weights I/O.
import './engine/tfjs_setup.js';

export { type BackendPreference, currentBackend, type InitBackendOptions, initBackend } from './engine/backend.js';
export { type NativeKernels, type NativeStatus, nativeKernels, nativeStatus, setNativeEnabled } from './engine/native.js';
export { installKernelFixes, kernelFixesInstalled, uninstallKernelFixes } from './engine/fixes/registry.js';
// For packages writing their own kernels: typed-array access to tensor data on cpu, wasm and other backends.
export { type KernelArgs, type NumericArray, type OutputSpec, withArrays } from './kernels/arrays.js';
export { NnphysError } from './errors.js';
export { decodeSafetensors, encodeSafetensors, type SafetensorsDtype, type SafetensorsEntry, type SafetensorsFile } from './io/safetensors.js';
export { type LoadWeightsOptions, loadWeights, loadWeightsFromBytes, saveWeights, weightsToBytes } from './io/weights.js';
export { type Activation, type ActivationName, activation, activationNames, gelu, silu } from './nn/activations.js';
export { type AttentionOptions, MASK_VALUE, scaledDotProductAttention } from './nn/attention.js';
export { type Initializer, initializers, initWeights } from './nn/init.js';
export { Linear, type LinearOptions } from './nn/linear.js';
export { LayerList, MLP, type MLPOptions } from './nn/mlp.js';
export { LayerNorm } from './nn/layer_norm.js';

export { Module } from './nn/module.js';
export { gatherRows } from './ops/gather_rows.js';
export { segmentMax, segmentMin } from './ops/segment_max.js';
export { segmentMean } from './ops/segment_mean.js';
export { segmentSoftmax } from './ops/segment_softmax.js';
export { segmentSum } from './ops/segment_sum.js';
export { globalRandom, Random, resolveRandom, seed } from './random.js';
export { checkGradients, type GradientCheckOptions, type GradientCheckResult } from './testing/gradient_check.js';
export { createOptimizer, type OptimizerSpec } from './training/optimizer_spec.js';
export { FusedAdam, type FusedAdamOptions } from './training/fused_adam.js';
export type { ParallelTrainOptions, ParallelTrainResult } from './training/parallel.js';
export { ProgressBar, type ProgressStream } from './training/progress.js';
export type { ParallelTask, ParallelTaskFactory, ReplicaContext } from './training/replica.js';
export { type BatchSource, batchIndices, type EarlyStopping, type EpochLogs, type TrainHistory, type TrainOptions, train } from './training/train.js';
export * from './validate.js';
