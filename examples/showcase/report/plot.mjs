// Vega-Lite specs rendered to SVG strings in Node (no browser, no canvas): the report's plots.
import * as vega from 'vega';
import * as vl from 'vega-lite';

const base = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  width: 360,
  height: 240,
  config: { font: 'Helvetica, Arial, sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11 } },
};

export async function vegaLiteToSvg(spec) {
  const compiled = vl.compile({ ...base, ...spec }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** y against x, one line per series: rows [{x, y, series}] */
export function lineChart({ rows, x, y, title, logY = false, points = false }) {
  return {
    title,
    data: { values: rows },
    mark: { type: 'line', point: points },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: x },
      y: { field: 'y', type: 'quantitative', title: y, scale: logY ? { type: 'log' } : { zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/** predicted against true with the identity line: rows [{truth, predicted}] */
export function parityChart({ rows, label, title }) {
  const lo = Math.min(...rows.flatMap((r) => [r.truth, r.predicted]));
  const hi = Math.max(...rows.flatMap((r) => [r.truth, r.predicted]));
  return {
    title,
    layer: [
      { data: { values: rows }, mark: { type: 'point', filled: true, opacity: 0.5, size: 18 }, encoding: { x: { field: 'truth', type: 'quantitative', title: `true ${label}`, scale: { domain: [lo, hi] } }, y: { field: 'predicted', type: 'quantitative', title: `predicted ${label}`, scale: { domain: [lo, hi] } } } },
      { data: { values: [{ a: lo, b: lo }, { a: hi, b: hi }] }, mark: { type: 'line', color: '#999', strokeDash: [4, 4] }, encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } } },
    ],
  };
}

/** grouped bars: rows [{group, series, value}] */
export function barChart({ rows, group, value, title }) {
  return {
    title,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      x: { field: 'group', type: 'nominal', title: group },
      xOffset: { field: 'series' },
      y: { field: 'value', type: 'quantitative', title: value },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}
