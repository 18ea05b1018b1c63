// The page: controls, status lines, and the train loop wired to the chart.
import * as tf from '@tensorflow/tfjs-core';
import { startWasm } from './backend.js';
import { certify, decreasingSteps } from './certificate.js';
import { createChart } from './chart.js';
import { grid, initialPoints } from './data.js';
import { LOSSES } from './losses.js';
import { MODELS, predict } from './models.js';
import { editPoints } from './point_editor.js';
import { trainInChunks } from './train.js';

const $ = (id) => document.getElementById(id);
const ui = { kind: $('model'), loss: $('loss'), monotone: $('monotone'), lambda: $('lambda'), lambdaValue: $('lambda-value') };
const xs = grid();
const points = initialPoints();
const fits = new Map(); // model kind -> fitted ys on the grid
let model = null;
let running = false;
let report = { kind: ui.kind.value, loss: ui.loss.value, step: 0, steps: MODELS[ui.kind.value].steps, losses: [], certificate: null, violations: null };

const settings = () => ({ kind: ui.kind.value, loss: ui.loss.value, lambda: Number(ui.lambda.value), monotone: ui.monotone.value === 'increasing' ? 1 : 0 });
const chart = await createChart($('chart'), Object.values(MODELS).map((m) => m.label));

function redraw() {
  const curves = [...fits].flatMap(([kind, ys]) => ys.map((y, i) => ({ x: xs[i], y, model: MODELS[kind].label })));
  return chart.draw(points, curves);
}

function show() {
  const s = settings();
  const { step, steps, losses, certificate, violations } = report;
  const loss = (v) => (Number.isFinite(v) ? v.toFixed(5) : '—');
  ui.lambdaValue.textContent = s.lambda.toFixed(2);
  ui.monotone.disabled = ui.lambda.disabled = s.kind !== 'monotonic';
  $('description').textContent = MODELS[s.kind].describe(s);
  $('status').textContent =
    `backend ${tf.getBackend()} · model ${report.kind} (${report.loss}) · points ${points.length} · step ${step}/${steps} · ` +
    `loss ${loss(losses[0])} → ${loss(losses.at(-1))}${running ? ' · training' : ''}`;
  $('certificate').textContent = certificate
    ? `λ ${report.lambda.toFixed(2)} · certified Lip(f) ≤ ${certificate.bound.toFixed(4)} · Lip(g) ≤ ${certificate.networkBound.toFixed(4)} (≤ λ) · f′ ∈ [${certificate.slope.map((v) => v.toFixed(3)).join(', ')}]`
    : step > 0
      ? `${MODELS[report.kind].label}: no certified bound`
      : 'certified bound: train a model';
  $('violations').textContent = `monotonicity violations (decreasing steps on a ${xs.length}-point grid): ${violations ?? '—'}`;
}

function tensors() {
  return { x: tf.tensor2d(points.map((p) => [p.x])), y: tf.tensor2d(points.map((p) => [p.y])) };
}

async function train() {
  if (running) return;
  running = true;
  const s = settings();
  const { steps, learningRate, create } = MODELS[s.kind];
  model?.dispose();
  model = create(s);
  report = { kind: s.kind, loss: s.loss, lambda: s.lambda, step: 0, steps, losses: [], certificate: null, violations: null };
  await trainInChunks({
    model,
    loss: LOSSES[s.loss].fn,
    steps,
    learningRate,
    data: tensors,
    stopped: () => !running,
    onChunk: (step, losses) => {
      const ys = predict(model, xs);
      fits.set(s.kind, ys);
      Object.assign(report, { step, losses, certificate: certify(model), violations: decreasingSteps(ys) });
      show();
      return redraw();
    },
  });
  running = false;
  show();
}

editPoints(chart, points, () => {
  show();
  redraw();
});
$('train').addEventListener('click', train);
$('stop').addEventListener('click', () => {
  running = false;
});
$('reset').addEventListener('click', () => {
  points.splice(0, points.length, ...initialPoints());
  fits.clear();
  show();
  redraw();
});
for (const el of [ui.kind, ui.loss, ui.monotone, ui.lambda]) el.addEventListener('input', show);

await startWasm();
await redraw();
show();
$('status').dataset.ready = 'true';
