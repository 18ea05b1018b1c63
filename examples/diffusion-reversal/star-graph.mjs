#!/usr/bin/env node
// The star-graph task of 004 §7.4 (Fig. 7.5a): AR's "Clever Hans" failure and MLM-U's planning.
//   node star-graph.mjs [--scale tiny|default] [--objectives ar,mlm-u,...] [--backend wasm|cpu] [--seed 1]
import { initBackend } from '@nnphys/core';
import { ALL_OBJECTIVES, markdownTable, runStarGraph } from './star-graph-task.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const scale = arg('scale', 'default');
const objectives = arg('objectives', ALL_OBJECTIVES.join(',')).split(',');
const backend = await initBackend(arg('backend', 'wasm'));
const seed = Number(arg('seed', '1'));
console.log(`star-graph task, scale ${scale}, backend ${backend}, seed ${seed}`);
const result = await runStarGraph({
  scale,
  objectives,
  seed,
  progress: process.stdout.isTTY,
  onResult: (r) => console.log(`  ${r.label}: path ${r.accuracy.toFixed(3)}, first step onto an arm ${r.someArm.toFixed(3)}, per token ${r.perToken.toFixed(3)} (${r.seconds.toFixed(0)} s)`),
});
const t = result.task;
console.log(`\ndegree ${t.degree}, path length ${t.pathLength}, ${t.nodes} node labels; ${t.train} training graphs, ${t.test} test graphs, e.g. "${t.example}":\n`);
console.log(markdownTable(result.rows, t.degree));
