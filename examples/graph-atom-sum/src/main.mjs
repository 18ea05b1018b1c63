// node src/main.mjs [--size full|reduced] [--backend wasm|cpu] [--seed 1] [--no-augment] [--json out.json]
import { writeFileSync } from 'node:fs';
import { initBackend } from '@nnphys/core';
import { atomSumStudy } from './study.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const backend = await initBackend(arg('backend', 'wasm'));
const size = arg('size', 'full');
const seed = Number(arg('seed', '1'));
console.log(`atom-sum study (002 ch. 4-5): backend ${backend}, size ${size}, seed ${seed}`);
const t0 = Date.now();
const r = await atomSumStudy({ size, seed, augment: !args.includes('--no-augment'), progress: (label) => ({ label }) });
const f = (x, d = 3) => (Math.abs(x) >= 0.01 || x === 0 ? x.toFixed(d) : x.toExponential(1));
console.log(`\n${JSON.stringify(r.config)}`);
console.log(`restricted in training: ${r.restricted.map((x) => `atom ${x.atom} (v = ${f(r.values[x.atom])}) only at position ${x.position + 1}`).join('; ')}`);
console.log(`test tuples with a restricted atom at an unseen position: ${r.unseenSlotTuples} of ${r.config.testSamples}`);
console.log(`float64 least squares on one-hot counts: rank ${r.leastSquares.rank}, atom MAE ${r.leastSquares.atomMae.toExponential(2)}; positional design rank ${r.leastSquares.positionalRank} of ${r.leastSquares.positionalColumns} columns`);
console.log('\n| model | train tuples | test MAE | MAE, unseen-slot tuples | MAE, other tuples | atom MAE | restricted-atom error |');
console.log('|---|---|---|---|---|---|---|');
for (const m of Object.values(r.models)) {
  console.log(`| ${m.label} | ${m.trainSamples} | ${f(m.testMae)} | ${f(m.testMaeUnseenSlots)} | ${f(m.testMaeOtherTuples)} | ${f(m.atomMae)} | ${f(m.restrictedAtomError)} |`);
}
console.log('\nrestricted atoms, value recovered by each model (unshared: per position, then averaged):');
for (const x of r.restricted) {
  const u = r.models.unshared;
  console.log(`  atom ${x.atom}: true ${f(r.values[x.atom])}, shared ${f(r.models.shared.recovered[x.atom])}, unshared per position [${u.perPosition.map((p) => f(p[x.atom], 2)).join(', ')}] -> ${f(u.recovered[x.atom])}`);
}
console.log(`\n${((Date.now() - t0) / 1000).toFixed(1)} s`);
const out = arg('json');
if (out) writeFileSync(out, JSON.stringify({ ...r, models: Object.fromEntries(Object.entries(r.models).map(([k, m]) => [k, { ...m, predictions: undefined }])) }, null, 1));
