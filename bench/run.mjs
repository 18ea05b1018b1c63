#!/usr/bin/env node
// The benchmark runner: every workload, every backend configuration, PyTorch references, one report.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, installKernelFixes, nativeStatus, setNativeEnabled, uninstallKernelFixes } from '@nnphys/core';

const here = dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const scale = args.scale ?? 'full';
const reps = Number(args.reps ?? (scale === 'smoke' ? 2 : 7));
const only = args.only ?? '';
const outDir = args.out ?? join(here, 'results');
const python = args.python ?? '/usr/bin/python3';

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=');
      out[k] = v ?? argv[++i];
    }
  }
  return out;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function torchAvailable() {
  if (!existsSync(python)) return `no ${python}`;
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (r.status !== 0) return 'python3-torch is not installed (apt-get install python3-torch)';
  return null;
}

/** Times `iterate`: warm-up, then `reps` repetitions of enough iterations to last ~minMs. */
async function timeIterations(iterate, { reps, minMs }) {
  const t0 = performance.now();
  await iterate();
  const first = performance.now() - t0;
  for (let i = 0; i < 2; i++) await iterate(); // warm-up (JIT, kernel setup, wasm heap growth)
  const inner = Math.max(1, Math.min(1000, Math.ceil(minMs / Math.max(first, 0.01))));
  const samples = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    for (let i = 0; i < inner; i++) await iterate();
    samples.push((performance.now() - t) / inner);
  }
  return samples;
}

async function runConfig(workload, config) {
  // config: <backend>[-stock][-js][-x<replicas>], e.g. 'wasm', 'cpu-stock', 'wasm-x2' (two data-parallel replicas).
  // Without -stock, nnphys's kernel fixes are on; without -js, @nnphys/native runs the products when it is built
  // (-js: tfjs and JS kernels only, what a browser or a machine without a C compiler gets).
  const [, backend, stockFlag, jsFlag, replicas] = /^([a-z]+)(-stock)?(-js)?(?:-x(\d+))?$/.exec(config) ?? [];
  if (!backend) throw new Error(`bench: bad config ${config}`);
  const stock = stockFlag !== undefined;
  const useNative = !stock && jsFlag === undefined;
  if (useNative && !nativeStatus().available) return { config, skip: `@nnphys/native unavailable: ${nativeStatus().reason}` };
  setNativeEnabled(useNative);
  const workers = replicas === undefined ? undefined : Number(replicas);
  const name = await initBackend(backend);
  if (stock) uninstallKernelFixes(name);
  else installKernelFixes(name);
  const before = tf.memory().numTensors;
  const setup = await workload.setup({ backend: name, stock, workers, scale });
  if (setup.skip) return { config, backend: name, skip: setup.skip };
  try {
    const samples = await timeIterations(setup.iterate, { reps, minMs: scale === 'smoke' ? 5 : 300 });
    return { config, backend: name, ms: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples };
  } finally {
    await setup.dispose?.();
    installKernelFixes(name);
    setNativeEnabled(true);
    const leaked = tf.memory().numTensors - before;
    if (leaked > 0) console.warn(`  warning: ${workload.id} on ${config} left ${leaked} tensors`);
  }
}

function runTorch(workload) {
  const script = join(here, 'torch', workload.torch.script);
  const a = JSON.stringify({ ...workload.torch.args(scale), reps });
  const r = spawnSync(python, [script, a], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return { config: 'pytorch', skip: `torch script failed: ${r.stderr.trim().split('\n').pop()}` };
  const line = r.stdout.trim().split('\n').pop();
  const out = JSON.parse(line);
  return { config: 'pytorch', backend: `torch ${out.torch} (${out.threads} threads)`, ms: median(out.ms), min: Math.min(...out.ms), max: Math.max(...out.ms), samples: out.ms };
}

function torchRow(r) {
  return r.rows.find((x) => x.config === 'pytorch');
}

function fmt(x, digits = 3) {
  if (x === undefined || x === null || !Number.isFinite(x)) return '–';
  if (x >= 100) return x.toFixed(0);
  return x.toPrecision(digits);
}

async function main() {
  const files = readdirSync(join(here, 'workloads')).filter((f) => f.endsWith('.mjs')).sort();
  const workloads = [];
  for (const f of files) {
    const w = (await import(pathToFileURL(join(here, 'workloads', f)).href)).default;
    if (w.id.startsWith(only)) workloads.push(w);
  }
  const torchMissing = torchAvailable();
  if (torchMissing) console.log(`PyTorch reference skipped: ${torchMissing}`);
  const cpuModel = os.cpus()[0]?.model ?? 'unknown';
  const machine = { cpu: cpuModel, cores: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
  const native = nativeStatus();
  const versions = { native: native.available ? `${native.kernel}, ${native.threads} threads` : `unavailable (${native.reason})`, tfjs: tf.version_core, nnphysCore: JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("@nnphys/core/package.json").version)'], { cwd: here, encoding: 'utf8' })) };
  const results = [];
  for (const w of workloads) {
    console.log(`${w.id}: ${w.title}`);
    const rows = [];
    for (const config of w.configs) {
      const r = await runConfig(w, config);
      rows.push(r);
      console.log(`  ${config.padEnd(12)} ${r.skip ? `skipped: ${r.skip}` : `${fmt(r.ms)} ms/iter (min ${fmt(r.min)}, max ${fmt(r.max)})`}`);
    }
    if (w.torch) {
      const r = torchMissing ? { config: 'pytorch', skip: torchMissing } : runTorch(w);
      rows.push(r);
      console.log(`  ${'pytorch'.padEnd(12)} ${r.skip ? `skipped: ${r.skip}` : `${fmt(r.ms)} ms/iter (min ${fmt(r.min)}, max ${fmt(r.max)})`}`);
    }
    results.push({ id: w.id, title: w.title, items: w.items?.(scale), itemName: w.itemName, flops: w.flops?.(scale), peakReference: w.peakReference === true, rows });
  }
  const date = new Date().toISOString().slice(0, 10);
  // Achievable peak: the fastest 1024³ matmul of this run (nnphys or PyTorch), when that workload ran.
  const peakRow = results.find((r) => r.peakReference);
  const peakMs = peakRow ? Math.min(...peakRow.rows.filter((x) => !x.skip).map((x) => x.ms)) : undefined;
  const measuredPeakGflops = peakRow && peakMs ? peakRow.flops / (peakMs / 1000) / 1e9 : undefined;
  const report = { date, scale, reps, machine, versions, measuredPeakGflops, results };
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, scale === 'full' ? date : `${date}-${scale}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  const md = toMarkdown(report);
  writeFileSync(`${base}.md`, md);
  if (scale === 'full' && !only) copyFileSync(`${base}.md`, join(outDir, 'latest.md'));
  console.log(`\n${md}`);
  console.log(`wrote ${base}.json and ${base}.md`);
}

/** One row per workload: best nnphys config, stock, PyTorch, ratios, throughput and fraction of peak. */
function toMarkdown(report) {
  const lines = [];
  lines.push(`# nnphys benchmarks, ${report.date}${report.scale !== 'full' ? ` (scale: ${report.scale})` : ''}`);
  lines.push('');
  lines.push(`Machine: ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memGiB} GiB, Node ${report.machine.node}; tfjs-core ${report.versions.tfjs}; @nnphys/native: ${report.versions.native}. Median of ${report.reps} repetitions, warm-up excluded; spread is min–max. Measured peak: ${report.measuredPeakGflops ? `${fmt(report.measuredPeakGflops)} GFLOP/s, the fastest 1024³ float32 matmul of this run (both cores)` : 'not measured (run core.matmul-peak)'}.`);
  lines.push('Ratios > 1 mean nnphys is faster. Configs: `wasm`/`cpu` = nnphys kernels with the @nnphys/native accelerator, `-js` = without it (tfjs + JS kernels only), `-stock` = stock tfjs kernels, `-x2` = two data-parallel replicas. "vs stock": same backend with stock tfjs kernels. "vs PyTorch": PyTorch CPU (same model, shapes and steps).');
  lines.push('');
  lines.push('| workload | nnphys (ms/iter) | config | JS only (ms/iter) | stock (ms/iter) | vs stock | PyTorch (ms/iter) | vs PyTorch | vs PyTorch, JS only | throughput | % of measured peak |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of report.results) {
    const fixed = r.rows.filter((x) => !x.skip && !x.config.includes('-stock') && x.config !== 'pytorch');
    const best = fixed.sort((a, b) => a.ms - b.ms)[0];
    // Best configuration without the native accelerator (a workload without -js configs never uses it).
    const jsOnly = fixed.some((x) => x.config.includes('-js')) ? fixed.filter((x) => x.config.includes('-js'))[0] : best;
    const ratioJs = jsOnly && torchRow(r) && !torchRow(r).skip ? torchRow(r).ms / jsOnly.ms : undefined;
    const stock = best ? r.rows.find((x) => x.config === `${best.config.replace(/-js/, '').replace(/-x\d+$/, '')}-stock`) : undefined;
    const torch = r.rows.find((x) => x.config === 'pytorch');
    const ratioStock = best && stock && !stock.skip ? stock.ms / best.ms : undefined;
    const ratioTorch = best && torch && !torch.skip ? torch.ms / best.ms : undefined;
    const tput = best && r.items ? `${fmt((r.items / best.ms) * 1000)} ${r.itemName}/s` : '';
    const peak = best && r.flops && report.measuredPeakGflops ? `${fmt((r.flops / (best.ms / 1000) / 1e9 / report.measuredPeakGflops) * 100, 2)}% (${fmt(r.flops / (best.ms / 1000) / 1e9)} GFLOP/s)` : '';
    lines.push(
      `| ${r.title} | ${best ? `${fmt(best.ms)} (${fmt(best.min)}–${fmt(best.max)})` : '–'} | ${best?.config ?? '–'} | ${jsOnly ? `${fmt(jsOnly.ms)} (${jsOnly.config})` : '–'} | ${stock ? (stock.skip ? `skipped: ${stock.skip}` : fmt(stock.ms)) : '–'} | ${ratioStock ? `${fmt(ratioStock)}×` : '–'} | ${torch ? (torch.skip ? 'skipped' : fmt(torch.ms)) : '–'} | ${ratioTorch ? `${fmt(ratioTorch)}×` : '–'} | ${ratioJs ? `${fmt(ratioJs)}×` : '–'} | ${tput} | ${peak} |`,
    );
  }
  lines.push('');
  lines.push('All configurations:');
  lines.push('');
  lines.push('| workload | config | ms/iter | min | max |');
  lines.push('|---|---|---|---|---|');
  for (const r of report.results) for (const x of r.rows) lines.push(`| ${r.id} | ${x.config} | ${x.skip ? `skipped: ${x.skip}` : fmt(x.ms)} | ${x.skip ? '' : fmt(x.min)} | ${x.skip ? '' : fmt(x.max)} |`);
  lines.push('');
  return lines.join('\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
