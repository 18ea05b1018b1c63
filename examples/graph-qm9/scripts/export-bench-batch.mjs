// Writes bench/workloads/graph.qm9-batch.json: 128 molecules of qm9Sample() (rows 60-187 of the embedded set,
// i.e. every 40th row of the shared QM9 sample, past its 60 smallest molecules) with the HOMO-LUMO gap in eV,
// read by both sides of the graph.qm9-training benchmark.  Usage: node scripts/export-bench-batch.mjs [set.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const set = process.argv[2] ? JSON.parse(readFileSync(process.argv[2], 'utf8')) : (await import('@nnphys/datasets')).qm9Sample({ units: 'ev' });
const t = set.targetNames.indexOf('gap');
const molecules = set.molecules.slice(60, 188).map((m) => ({ smiles: m.smiles, nodes: m.nodes, edges: m.edges, senders: m.senders, receivers: m.receivers, target: [m.target[t]] }));
const ys = molecules.map((m) => m.target[0]);
const targetMean = ys.reduce((s, v) => s + v, 0) / ys.length;
const targetStd = Math.sqrt(ys.reduce((s, v) => s + (v - targetMean) ** 2, 0) / ys.length);
const out = {
  source: 'qm9Sample({ units: "ev" }) of @nnphys/datasets, molecules 60-187; target: HOMO-LUMO gap (eV)',
  nodeFeatures: molecules[0].nodes[0].length,
  edgeFeatures: molecules[0].edges[0].length,
  targetMean,
  targetStd,
  molecules,
};
const file = fileURLToPath(new URL('../../../bench/workloads/graph.qm9-batch.json', import.meta.url));
writeFileSync(file, `${JSON.stringify(out)}\n`);
console.log(`wrote ${file}: ${molecules.length} molecules, ${molecules.reduce((s, m) => s + m.nodes.length, 0)} nodes, ${molecules.reduce((s, m) => s + m.senders.length, 0)} edges`);
