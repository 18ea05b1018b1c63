#!/usr/bin/env node
// `pnpm demo`: the nnphys showcase. Runs each section on embedded data (no network), prints a summary table and
// writes a self-contained HTML report (inline SVG plots) to out/report.html.
//   --section <id>[,<id>]   run only these sections        --scale small|default   sizes (small: the test suite)
//   --backend auto|wasm|cpu                                 --out <dir>              where to write report.html
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@nnphys/core';
import { renderReport } from './report/html.mjs';
import { vegaLiteToSvg } from './report/plot.mjs';
import { sections as allSections } from './sections/index.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const scale = arg('scale', 'default');
const backendPref = arg('backend', 'auto');
const outDir = resolve(arg('out', join(here, '..', '..', 'out')));
const only = arg('section', '');
if (!['small', 'default'].includes(scale)) throw new Error(`--scale must be small or default, got ${scale}`);
const chosen = only ? allSections.filter((s) => only.split(',').includes(s.id)) : allSections;
if (chosen.length === 0) throw new Error(`--section ${only}: no such section; available: ${allSections.map((s) => s.id).join(', ')}`);

const backend = await initBackend(backendPref);
console.log(`nnphys showcase: backend ${backend}, scale ${scale}, sections ${chosen.map((s) => s.id).join(', ')}`);
const started = Date.now();
const results = [];
for (const section of chosen) {
  const t0 = Date.now();
  const before = tf.memory().numTensors;
  let result;
  try {
    result = await section.run({ scale, backend, progress: (label) => ({ label: `${section.id}: ${label}` }) });
  } catch (error) {
    console.error(`section ${section.id} failed:`, error);
    result = { error: error instanceof Error ? error.message : String(error), metrics: [] };
  }
  const seconds = (Date.now() - t0) / 1000;
  const svgs = [];
  for (const spec of result.plots ?? []) svgs.push(await vegaLiteToSvg(spec));
  results.push({ ...section, ...result, svgs, seconds, leaked: tf.memory().numTensors - before });
  console.log(`  ${section.id}: ${result.error ? `FAILED (${result.error})` : result.summary ?? 'done'} [${seconds.toFixed(1)} s]`);
}

const meta = {
  date: new Date().toISOString(),
  backend,
  scale,
  machine: `${os.cpus()[0]?.model ?? 'cpu'} x ${os.cpus().length}, Node ${process.version}`,
  'tfjs-core': tf.version_core,
  'total time': `${((Date.now() - started) / 1000).toFixed(1)} s`,
};
mkdirSync(outDir, { recursive: true });
const reportPath = join(outDir, 'report.html');
writeFileSync(reportPath, renderReport({ title: 'nnphys showcase', meta, sections: results }));
writeFileSync(join(outDir, 'report.json'), `${JSON.stringify({ meta, sections: results.map(({ id, title, metrics, error, seconds }) => ({ id, title, metrics, error, seconds })) }, null, 2)}\n`);

console.log('\nsummary');
const width = Math.max(...results.flatMap((r) => (r.metrics ?? []).map((m) => `${r.id}: ${m.label}`.length)));
for (const r of results) for (const m of r.metrics ?? []) console.log(`  ${`${r.id}: ${m.label}`.padEnd(width)}  ${m.display ?? m.value}`);
console.log(`\nwrote ${reportPath}`);
if (results.some((r) => r.error)) process.exit(1);
