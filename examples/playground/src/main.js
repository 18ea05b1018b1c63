import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@nnphys/core';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { startWasm } from './backend.js';
import { createModel, description, lossFn, predict } from './model.js';

const X = [0, 1];
const Y = [-1.5, 1.5];
const STEPS = 400;
const status = document.getElementById('status');
document.getElementById('description').textContent = description;

function initialPoints() {
  const rng = new Random(7);
  return Array.from({ length: 24 }, (_, i) => {
    const x = (i + 0.5) / 24;
    return { x, y: Math.sin(2 * Math.PI * x) * 0.9 + 0.08 * rng.normal() };
  });
}

let points = initialPoints();
let model = null;
let running = false;
let step = 0;
let lastLoss = Number.NaN;

const spec = vl.compile({
  width: 640,
  height: 380,
  layer: [
    { data: { name: 'curve' }, mark: { type: 'line', color: '#d62728', strokeWidth: 2 }, encoding: { x: { field: 'x', type: 'quantitative', scale: { domain: X } }, y: { field: 'y', type: 'quantitative', scale: { domain: Y } } } },
    { data: { name: 'points' }, mark: { type: 'point', filled: true, color: '#1f77b4', size: 60 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
  ],
}).spec;
const view = new vega.View(vega.parse(spec), { renderer: 'svg', container: '#chart', hover: false });

function grid() {
  return Array.from({ length: 101 }, (_, i) => X[0] + ((X[1] - X[0]) * i) / 100);
}

async function redraw() {
  const xs = grid();
  const curve = model ? predict(model, xs).map((y, i) => ({ x: xs[i], y })) : [];
  await view.data('points', points).data('curve', curve).runAsync();
}

function setStatus() {
  status.textContent = `backend ${tf.getBackend()} · points ${points.length} · step ${step}/${STEPS} · loss ${Number.isFinite(lastLoss) ? lastLoss.toFixed(5) : '—'}${running ? ' · training' : ''}`;
}

async function trainLoop() {
  if (running) return;
  running = true;
  model?.dispose();
  model = createModel();
  step = 0;
  const optimizer = tf.train.adam(0.01);
  const x = tf.tensor2d(points.map((p) => [p.x]));
  const y = tf.tensor2d(points.map((p) => [p.y]));
  while (running && step < STEPS) {
    for (let k = 0; k < 10 && step < STEPS; k++, step++) {
      const cost = optimizer.minimize(() => lossFn(model, x, y), true, model.trainableVariables());
      lastLoss = cost.dataSync()[0];
      cost.dispose();
    }
    setStatus();
    await redraw();
    await new Promise((r) => requestAnimationFrame(r));
  }
  tf.dispose([x, y]);
  optimizer.dispose();
  running = false;
  setStatus();
}

view.addEventListener('click', (event) => {
  const [ox, oy] = view.origin();
  const rect = view.container().getBoundingClientRect();
  const px = event.clientX - rect.left - ox;
  const py = event.clientY - rect.top - oy;
  const x = view.scale('x').invert(px);
  const y = view.scale('y').invert(py);
  if (x >= X[0] && x <= X[1] && y >= Y[0] && y <= Y[1]) {
    points = [...points, { x, y }];
    setStatus();
    redraw();
  }
});
document.getElementById('train').addEventListener('click', () => trainLoop());
document.getElementById('stop').addEventListener('click', () => {
  running = false;
});
document.getElementById('reset').addEventListener('click', () => {
  points = initialPoints();
  setStatus();
  redraw();
});

await startWasm();
await redraw();
setStatus();
status.dataset.ready = 'true';
