#!/usr/bin/env node
// The relationship task of 004 §7.3.1 (Table 7.1 bottom, Table D.4).
//   node relationship.mjs [--scale small|default] [--objectives mlm-u,ar,...] [--backend wasm|cpu] [--seed 1]
import { initBackend } from '@nnphys/core';
import { ALL_OBJECTIVES, markdownTable, runRelationship } from './relationship-task.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const scale = arg('scale', 'default');
const objectives = arg('objectives', ALL_OBJECTIVES.join(',')).split(',');
const backend = await initBackend(arg('backend', 'wasm'));
const seed = Number(arg('seed', '1'));
console.log(`relationship task, scale ${scale}, backend ${backend}, seed ${seed}`);
const result = await runRelationship({
  scale,
  objectives,
  seed,
  progress: process.stdout.isTTY,
  onResult: (r) => console.log(`  ${r.label}: forward ${r.forward.toFixed(2)}, backward ${r.backward.toFixed(2)}, incorrect ${r.incorrect.toFixed(2)} (${r.seconds.toFixed(0)} s)`),
});
const t = result.task;
console.log(`\n${t.triples} triples, ${t.train} training sequences, ${t.test} test questions; exact match %:\n`);
console.log(markdownTable(result.rows));
