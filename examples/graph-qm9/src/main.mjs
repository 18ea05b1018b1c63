// node src/main.mjs [--size full|reduced] [--target gap] [--backend wasm|cpu] [--seed 1] [--csv path/to/qm9.csv] [--json out.json]
// Default data: qm9Sample() (376 real QM9 molecules embedded in @nnphys/datasets). With --csv, the molecules
// of a QM9 CSV (e.g. the repository's shared qm9-sample.csv, 12,321 rows) featurised by loadQM9 (RDKit-JS).
import { writeFileSync } from 'node:fs';
import { initBackend } from '@nnphys/core';
import { loadQM9 } from '@nnphys/datasets';
import { qm9Study } from './study.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const backend = await initBackend(arg('backend', 'wasm'));
const size = arg('size', 'full');
const csv = arg('csv');
const set = csv ? await loadQM9({ source: csv, units: 'ev', onInvalid: 'skip' }) : undefined;
const overrides = csv ? { epochs: Number(arg('epochs', '30')), batchSize: 128 } : {};
const target = arg('target', 'gap');
const seed = Number(arg('seed', '1'));
console.log(`QM9 ${target} with GraphRegressor (MPNNConv): backend ${backend}, size ${size}, data ${csv ?? 'qm9Sample()'}`);
const r = await qm9Study({ size, target, seed, set, ...overrides, progress: (label) => ({ label }) });
const f = (x, d = 3) => x.toFixed(d);
console.log(JSON.stringify(r.config));
console.log('\n| epoch | train loss (standardised MSE) | validation MAE |\n|---|---|---|');
const every = Math.max(1, Math.round(r.curve.length / 15));
for (const c of r.curve) if (c.epoch % every === 0 || c.epoch === 1) console.log(`| ${c.epoch} | ${f(c.trainLoss, 4)} | ${f(c.valMae)} |`);
console.log(`\nvalidation MAE ${f(r.valMae)} ${r.config.unit} (best epoch ${f(r.bestValMae)}); predicting the training mean: ${f(r.baselineMae)} ${r.config.unit}`);
console.log(`${f(r.seconds, 1)} s of training`);
const out = arg('json');
if (out) writeFileSync(out, JSON.stringify(r, null, 1));
