#!/usr/bin/env node
// ntk-dynamics: wide networks vs the NTK mean prediction mu_t, and ensemble invariance under augmentation.
//   node index.mjs [--scale small|default] [--backend cpu|wasm|auto]
import { initBackend } from '@nnphys/core';
import { invarianceExperiment, trackingExperiment } from './src/experiments.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const scale = arg('scale', 'default');
if (!['small', 'default'].includes(scale)) throw new Error(`--scale must be small or default, got ${scale}`);
const backend = await initBackend(arg('backend', 'auto'));
const log = (line) => console.log(line);
console.log(`ntk-dynamics (backend ${backend}, scale ${scale})`);
let t0 = Date.now();
console.log('\n1. Full-batch gradient descent vs the infinite-width prediction (1-D regression, 12 points)');
const tracking = trackingExperiment(scale, { log });
console.log(`   fitted width exponent of the single-network deviation: ${tracking.exponent.toFixed(2)} (theory -0.5)`);
console.log('   step   test MSE ensemble   test MSE mu_t   ||mean - mu_t|| / ||y||');
for (const r of tracking.trajectory) {
  console.log(`   ${String(r.step).padStart(4)}   ${r.mseEnsemble.toExponential(3).padStart(17)}   ${r.mseMu.toExponential(3).padStart(13)}   ${r.relativeDeviation.toExponential(2).padStart(10)}`);
}
console.log(`   [${((Date.now() - t0) / 1000).toFixed(1)} s]`);
t0 = Date.now();
console.log('\n2. Invariance under C4 rotations of 3x3 images (4 training images, invariant labels)');
invarianceExperiment(scale, { log: (l) => log(`   ${l}`) });
console.log(`   [${((Date.now() - t0) / 1000).toFixed(1)} s]`);
