// The Vega-Lite plot: the data points and the fitted curve of each model, with pixel <-> data conversions for the pointer.
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { X_DOMAIN, Y_DOMAIN } from './data.js';

function spec(models) {
  const x = { field: 'x', type: 'quantitative', scale: { domain: X_DOMAIN, nice: false } };
  const y = { field: 'y', type: 'quantitative', scale: { domain: Y_DOMAIN, nice: false } };
  const color = { field: 'model', type: 'nominal', scale: { domain: models, range: ['#d62728', '#7f7f7f'] }, legend: { orient: 'top-left', title: null } };
  return vl.compile({
    width: 640,
    height: 380,
    layer: [
      { data: { name: 'curves' }, mark: { type: 'line', strokeWidth: 2, clip: true }, encoding: { x, y, color } },
      { data: { name: 'points' }, mark: { type: 'point', filled: true, color: '#1f77b4', size: 70 }, encoding: { x, y } },
    ],
  }).spec;
}

/** models: the curve labels, in legend order. */
export async function createChart(container, models) {
  const view = new vega.View(vega.parse(spec(models)), { renderer: 'svg', container, hover: false });
  await view.runAsync();
  const frame = () => {
    const rect = container.querySelector('svg').getBoundingClientRect();
    const [ox, oy] = view.origin(); // the plot's origin inside the padding
    const pad = view.padding();
    return { left: rect.left + pad.left + ox, top: rect.top + pad.top + oy };
  };
  return {
    element: container,
    /** Data coordinates of a pointer event, clamped to the axes; null when outside them (unless clamp). */
    toData(event, clamp = false) {
      const { left, top } = frame();
      const x = view.scale('x').invert(event.clientX - left);
      const y = view.scale('y').invert(event.clientY - top);
      const inside = x >= X_DOMAIN[0] && x <= X_DOMAIN[1] && y >= Y_DOMAIN[0] && y <= Y_DOMAIN[1];
      if (!inside && !clamp) return null;
      const within = (v, [lo, hi]) => Math.min(hi, Math.max(lo, v));
      return { x: within(x, X_DOMAIN), y: within(y, Y_DOMAIN) };
    },
    /** Client (page) pixel position of a data point. */
    toClient(p) {
      const { left, top } = frame();
      return { x: left + view.scale('x')(p.x), y: top + view.scale('y')(p.y) };
    },
    /** points: [{x, y}]; curves: [{x, y, model}]. */
    draw(points, curves) {
      return view.data('points', points).data('curves', curves).runAsync();
    },
  };
}
