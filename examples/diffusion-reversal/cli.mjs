// Command-line options shared by the task scripts (run.mjs, star-graph.mjs, relationship.mjs):
//   --scale <size> --objectives a,b,... --backend wasm|cpu --seed <n>
import { initBackend } from '@nnphys/core';

/** Parses the options and initialises the backend; `objectives` defaults to every objective the task knows. */
export async function taskOptions(allObjectives, argv = process.argv) {
  const arg = (name, fallback) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  return {
    scale: arg('scale', 'default'),
    objectives: arg('objectives', allObjectives.join(',')).split(','),
    backend: await initBackend(arg('backend', 'wasm')),
    seed: Number(arg('seed', '1')),
  };
}
