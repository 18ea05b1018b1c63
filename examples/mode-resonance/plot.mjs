// A dependency-free SVG line chart of FPR(m) at 50% signal efficiency, one line per model (004 Fig. 3.3, left).
const COLOURS = ['#d62728', '#7f7f7f', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

function esc(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** result: the object returned by runResonance. Log-scaled FPR axis (as 004 Fig. 3.5) over the observed range. */
export function fprPlotSvg(result, { width = 720, height = 400 } = {}) {
  const edges = result.fprEdges;
  const centres = edges.slice(0, -1).map((e, i) => (e + edges[i + 1]) / 2);
  const models = Object.values(result.models);
  const values = models.flatMap((m) => m.fpr50).filter((v) => v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const pad = { left: 60, right: 250, top: 30, bottom: 45 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const x = (m) => pad.left + ((m - edges[0]) / (edges.at(-1) - edges[0])) * w;
  const y = (v) => pad.top + h - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * h;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`];
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${pad.left}" y="18" font-size="14">Background FPR per mass bin at 50% signal efficiency (resonance toy, 004 §3.3.1)</text>`);
  for (let d = Math.log10(lo); d <= Math.log10(hi); d++) {
    const yy = y(10 ** d);
    out.push(`<line x1="${pad.left}" x2="${pad.left + w}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
    out.push(`<text x="${pad.left - 6}" y="${yy + 4}" text-anchor="end">1e${d}</text>`);
  }
  for (const e of edges) {
    out.push(`<line x1="${x(e)}" x2="${x(e)}" y1="${pad.top + h}" y2="${pad.top + h + 4}" stroke="black"/>`);
    out.push(`<text x="${x(e)}" y="${pad.top + h + 17}" text-anchor="middle">${e.toFixed(1)}</text>`);
  }
  out.push(`<rect x="${pad.left}" y="${pad.top}" width="${w}" height="${h}" fill="none" stroke="black"/>`);
  out.push(`<text x="${pad.left + w / 2}" y="${height - 8}" text-anchor="middle">mass m</text>`);
  out.push(`<text transform="translate(16 ${pad.top + h / 2}) rotate(-90)" text-anchor="middle">false-positive rate</text>`);
  models.forEach((m, k) => {
    const c = COLOURS[k % COLOURS.length];
    const pts = m.fpr50.map((v, b) => `${x(centres[b]).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${pts}" fill="none" stroke="${c}" stroke-width="2"/>`);
    const ly = pad.top + 10 + k * 18;
    out.push(`<line x1="${pad.left + w + 12}" x2="${pad.left + w + 32}" y1="${ly}" y2="${ly}" stroke="${c}" stroke-width="2"/>`);
    out.push(`<text x="${pad.left + w + 38}" y="${ly + 4}">${esc(m.label)} (AUC ${m.auc.toFixed(3)})</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
