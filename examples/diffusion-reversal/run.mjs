#!/usr/bin/env node
// The reversal curse on the retrieval task of 004 §7.3.1, as in Table 7.1.
//   node run.mjs [--scale tiny|small|default] [--objectives ar,mlm-u,...] [--backend wasm|cpu] [--seed 1]
import { taskOptions } from './cli.mjs';
import { ALL_OBJECTIVES, markdownTable, runRetrieval } from './retrieval.mjs';

const { scale, objectives, backend, seed } = await taskOptions(ALL_OBJECTIVES);
console.log(`retrieval task, scale ${scale}, backend ${backend}, seed ${seed}`);
const result = await runRetrieval({
  scale,
  objectives,
  seed,
  progress: process.stdout.isTTY,
  onResult: (r) => console.log(`  ${r.label}: forward ${r.forward.toFixed(2)}, backward ${r.backward.toFixed(2)} (exact match; ${r.seconds.toFixed(0)} s)`),
});
const t = result.task;
console.log(`\n${t.pairs} pairs, ${t.train} training sequences, ${t.test} test queries, ${t.vocabulary} tokens; exact match % (per-token %):\n`);
console.log(markdownTable(result.rows));
