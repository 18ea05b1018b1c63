import { defineConfig } from 'vite';

export default defineConfig({
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  // tfjs-backend-wasm's .wasm files are imported with ?url and passed to initBackend (see src/backend.js).
  assetsInclude: ['**/*.wasm'],
});
