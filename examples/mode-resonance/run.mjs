#!/usr/bin/env node
// node run.mjs [--scale default|small] [--seed 1] [--backend wasm|cpu] [--x2 gaussian|expPlus2m] [--models unconstrained,agnostic,...]
// Prints the table of 004 §3.3.1 (FPR per mass bin at 50% signal efficiency, AUC, R50, 1/JSD) and writes
// out/results.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fprPlotSvg } from './plot.mjs';
import { FPR_EDGES, runResonance } from './resonance.mjs';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(' ')
    .split('--')
    .filter(Boolean)
    .map((a) => a.trim().split(/\s+/)),
);
const here = dirname(fileURLToPath(import.meta.url));

const result = await runResonance({
  scale: args.scale ?? 'default',
  seed: Number(args.seed ?? 1),
  backend: args.backend ?? 'wasm',
  x2: args.x2 ?? 'gaussian',
  ...(args.models ? { models: args.models.split(',') } : {}),
  onModel: (id, r) => console.log(`trained ${id.padEnd(13)} in ${r.seconds.toFixed(1)} s (AUC ${r.auc.toFixed(4)})`),
});

const c = result.config;
console.log(`\nresonanceToy (x2 ${c.x2}): ${c.trainSamples} training / ${c.testSamples} test events, seed ${c.seed}, backend ${c.backend}, MLP 32-32 relu, Adam lr ${c.learningRate}, batch ${c.batchSize}, ${c.epochs} epochs, MoDe with ${c.bins} equal-occupancy mass bins`);
console.log('\nBackground false-positive rate per mass bin at 50% signal efficiency (test sample):');
const centres = FPR_EDGES.slice(0, -1).map((e, i) => ((e + FPR_EDGES[i + 1]) / 2).toFixed(1).padStart(6));
console.log(`${'model'.padEnd(24)} λ    ${centres.join('')}`);
for (const r of Object.values(result.models)) {
  console.log(`${r.label.padEnd(24)} ${String(r.lambda).padEnd(4)} ${r.fpr50.map((v) => v.toFixed(3).padStart(6)).join('')}`);
}
console.log(`\n${'model'.padEnd(24)}    AUC     R50   1/JSD  FPR spread  FPR slope  FPR non-lin.`);
for (const r of Object.values(result.models)) {
  console.log(
    `${r.label.padEnd(24)} ${r.auc.toFixed(4)} ${r.r50.toFixed(2).padStart(7)} ${r.inverseJSD.toFixed(1).padStart(7)} ${r.fprRelativeSpread.toFixed(3).padStart(11)} ${r.fprSlope.toFixed(4).padStart(10)} ${r.fprNonLinearity.toFixed(3).padStart(13)}`,
  );
}
mkdirSync(join(here, 'out'), { recursive: true });
const tag = `${args.x2 === 'expPlus2m' ? '-eq325' : ''}${args.scale === 'small' ? '-small' : ''}`;
const file = join(here, 'out', `results${tag}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
const svg = join(here, 'out', `fpr${tag}.svg`);
writeFileSync(svg, fprPlotSvg(result));
console.log(`\nwrote ${file} and ${svg}`);
