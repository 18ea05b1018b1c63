// The self-contained HTML report: inline SVG plots, tables, the numbers measured in this run.
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

export function table({ columns, rows, caption }) {
  return `<table>${caption ? `<caption>${esc(caption)}</caption>` : ''}<thead><tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function renderReport({ title, meta, sections }) {
  const nav = sections.map((s) => `<li><a href="#${esc(s.id)}">${esc(s.title)}</a></li>`).join('');
  const body = sections
    .map(
      (s) => `<section id="${esc(s.id)}" data-section="${esc(s.id)}">
<h2>${esc(s.title)}</h2>
<p class="lead">${esc(s.description)}</p>
${s.error ? `<p class="error">This section failed: ${esc(s.error)}</p>` : ''}
${(s.metrics ?? []).length ? table({ columns: ['quantity', 'value'], rows: s.metrics.map((m) => [m.label, m.display ?? m.value]) }) : ''}
<script type="application/json" class="metrics">${JSON.stringify(Object.fromEntries((s.metrics ?? []).map((m) => [m.key, m.value])))}</script>
${(s.tables ?? []).map(table).join('\n')}
<div class="plots">${(s.svgs ?? []).map((svg) => `<figure>${svg}</figure>`).join('')}</div>
${(s.notes ?? []).map((n) => `<p class="note">${esc(n)}</p>`).join('')}
<p class="timing">Section time: ${esc(s.seconds?.toFixed(1))} s.</p>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:15px/1.45 Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:.2em} h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.8em 0} td,th{border:1px solid #ccc;padding:3px 8px;text-align:left} caption{text-align:left;font-weight:bold;margin-bottom:.3em}
.plots{display:flex;flex-wrap:wrap;gap:1em} figure{margin:0} .lead{color:#444} .note{color:#555;font-size:14px} .timing{color:#888;font-size:13px} .error{color:#b00;font-weight:bold}
.meta td:first-child{font-weight:bold}
</style></head><body>
<h1>${esc(title)}</h1>
${table({ columns: ['run', 'value'], rows: Object.entries(meta) })}
<ul>${nav}</ul>
${body}
</body></html>
`;
}
