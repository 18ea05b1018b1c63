#!/usr/bin/env node
// The star-graph task of 004 §7.4 (Fig. 7.5a): AR's "Clever Hans" failure and MLM-U's planning.
//   node star-graph.mjs [--scale tiny|default] [--objectives ar,mlm-u,...] [--backend wasm|cpu] [--seed 1]
import { taskOptions } from './cli.mjs';
import { ALL_OBJECTIVES, markdownTable, runStarGraph } from './star-graph-task.mjs';

const { scale, objectives, backend, seed } = await taskOptions(ALL_OBJECTIVES);
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
