import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    server: {
      deps: {
        // tfjs-core's registration modules are extension-less ESM that Node cannot load; let vite transform them.
        inline: [/@tensorflow\/tfjs-core\/dist\/(register_all_gradients|public\/chained_ops|gradients)/],
      },
    },
  },
});
