// @nnphys/mode-loss: loss + gradient of MoDe (orders 0-2) and DisCo against batch size (004 Fig. 3.1).
//
// As a bench workload (`node run.mjs --only mode-loss.`): MoDe[1] loss + gradient at batch 2^16 (smoke 2^10)
// against bench/torch/mode_loss.py (plain PyTorch, same computation). The other methods are the sibling files
// mode-loss.mode0 / mode2 / disco, built with `lossWorkload` below.
//
// As a script, the sweep over batch sizes with peak memory, each point in a fresh process (nnphys and PyTorch):
//   node bench/workloads/mode-loss.loss-vs-batch.mjs [--scale smoke] [--backend cpu] [--torch]
// prints a table and writes bench/results/mode-loss.loss-vs-batch[-smoke].json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { Random, initBackend } from '@nnphys/core';
import { discoLoss, modeLoss } from '@nnphys/mode-loss';

const here = dirname(fileURLToPath(import.meta.url));
export const METHODS = ['mode0', 'mode1', 'mode2', 'disco'];
const BINS = 16;

/** The loss of a method id: MoDe[ℓ] with 16 equal-occupancy bins over m ∈ [-1, 1], or DisCo (sorted, exact). */
function lossOf(method) {
  if (method === 'disco') return discoLoss();
  return modeLoss({ order: Number(method.slice(4)), bins: BINS, massRange: [-1, 1] });
}

/** The same batch as bench/torch/mode_loss.py's shape: background only, m ~ U(-1, 1), s = σ(N(0,1) + m/2). */
function makeBatch(n) {
  const rng = new Random(0);
  const m = new Float32Array(n);
  const s = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    m[i] = rng.uniformIn(-1, 1);
    s[i] = 1 / (1 + Math.exp(-(rng.normal() + 0.5 * m[i])));
  }
  return { scores: tf.tensor1d(s), mass: tf.tensor1d(m), labels: tf.zeros([n]) };
}

/** One loss + gradient evaluation, read back to JS (what a training step needs). */
function step(loss, b) {
  const { value, grads } = tf.valueAndGrads((s) => loss(s, b.mass, b.labels))([b.scores]);
  const out = grads[0].dataSync()[0] + value.dataSync()[0];
  value.dispose();
  grads[0].dispose();
  return out;
}

/** A bench workload for one method at batch sizes { full, smoke }. */
export function lossWorkload({ method, batch }) {
  return {
    id: method === 'mode1' ? 'mode-loss.loss-vs-batch' : `mode-loss.${method}`,
    title: `${method === 'disco' ? 'DisCo dCor² (sorted, exact)' : `MoDe[${method.slice(4)}], ${BINS} bins`} loss + gradient, batch ${batch.full}`,
    // The computation runs in float64 JS on data read from the tensors; the backend only holds the tensors.
    configs: ['wasm', 'cpu'],
    items: (scale) => batch[scale],
    itemName: 'events',
    async setup({ scale }) {
      const b = makeBatch(batch[scale]);
      const loss = lossOf(method);
      return {
        iterate: async () => step(loss, b),
        dispose: () => {
          b.scores.dispose();
          b.mass.dispose();
          b.labels.dispose();
        },
      };
    },
    torch: { script: 'mode_loss.py', args: (scale) => ({ method, batch: batch[scale] }) },
  };
}

export default lossWorkload({ method: 'mode1', batch: { full: 2 ** 16, smoke: 2 ** 10 } });

/** Child process: one method at one size; prints { ms, peakMiB } (peak RSS above the process baseline). */
async function measureOne(method, n, backend) {
  await initBackend(backend);
  const base = process.resourceUsage().maxRSS;
  const b = makeBatch(n);
  const loss = lossOf(method);
  // Warm-up: at least 3 calls and 0.5 s, so the JIT has optimised the sweeps.
  const w0 = performance.now();
  for (let i = 0; i < 3 || performance.now() - w0 < 500; i++) step(loss, b);
  const times = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    step(loss, b);
    times.push(performance.now() - t);
  }
  const peak = process.resourceUsage().maxRSS;
  times.sort((x, y) => x - y);
  console.log(JSON.stringify({ ms: times[2], peakMiB: (peak - base) / 1024 }));
}

function child(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return { error: r.stderr.trim().split('\n').pop() };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function sweep({ scale, backend, torch }) {
  const sizes = scale === 'smoke' ? [2 ** 8, 2 ** 9, 2 ** 10] : [2 ** 12, 2 ** 13, 2 ** 14, 2 ** 15, 2 ** 16, 2 ** 17, 2 ** 18];
  // PyTorch's pairwise DisCo needs n² memory and time: only up to 2^12 (0.1 GB per n×n matrix at 2^13 and several live).
  const torchDiscoMax = 2 ** 12;
  const rows = [];
  const self = fileURLToPath(import.meta.url);
  console.log('method  batch     nnphys ms  peak MiB   torch ms  peak MiB');
  for (const method of METHODS) {
    for (const n of sizes) {
      const js = child(process.execPath, [self, '--one', method, String(n), '--backend', backend]);
      let py = null;
      if (torch && (method !== 'disco' || n <= torchDiscoMax)) {
        const script = join(here, '..', 'torch', 'mode_loss.py');
        const t = child('/usr/bin/python3', [script, JSON.stringify({ method, batch: n, reps: 3 })]);
        const mem = child('/usr/bin/python3', [script, JSON.stringify({ method, batch: n, memory: true })]);
        py = t.error ? t : { ms: [...t.ms].sort((x, y) => x - y)[1], peakMiB: mem.peakMiB };
      }
      rows.push({ method, batch: n, nnphys: js, torch: py });
      const f = (x) => (x === undefined ? '–' : x.toFixed(x >= 100 ? 0 : 2)).padStart(10);
      console.log(`${method.padEnd(7)} ${String(n).padStart(7)} ${f(js.ms)} ${f(js.peakMiB)} ${f(py?.ms)} ${f(py?.peakMiB)}`);
    }
  }
  const out = join(here, '..', 'results');
  mkdirSync(out, { recursive: true });
  const file = join(out, `mode-loss.loss-vs-batch${scale === 'smoke' ? '-smoke' : ''}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), backend, bins: BINS, rows }, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : dflt;
  };
  const one = argv.indexOf('--one');
  if (one >= 0) await measureOne(argv[one + 1], Number(argv[one + 2]), opt('backend', 'cpu'));
  else await sweep({ scale: opt('scale', 'full'), backend: opt('backend', 'cpu'), torch: argv.includes('--torch') });
}
