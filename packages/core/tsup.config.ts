import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker thread of data-parallel training is its own file, loaded by URL next to the code that spawns it.
  entry: { index: 'src/index.ts', parallel_worker: 'src/training/parallel_worker.ts' },
  shims: true,
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: false,
  clean: true,
  target: 'es2022',
  // tfjs-core's gradient and chained-op registration modules cannot be loaded
  // by Node directly; bundle them (platform.md). The rest of tfjs stays external.
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
  external: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@nnphys/native'],
});
