#!/usr/bin/env node
// The relationship task of 004 §7.3.1 (Table 7.1 bottom, Table D.4).
//   node relationship.mjs [--scale small|default] [--objectives mlm-u,ar,...] [--backend wasm|cpu] [--seed 1]
import { taskOptions } from './cli.mjs';
import { ALL_OBJECTIVES, markdownTable, runRelationship } from './relationship-task.mjs';

const { scale, objectives, backend, seed } = await taskOptions(ALL_OBJECTIVES);
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
