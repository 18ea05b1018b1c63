export { loadNative, nativeUnavailableReason, type NativeInfo, type NativeKernels } from './load.js';
export { matMul, type MatMulOperand } from './mat_mul.js';
