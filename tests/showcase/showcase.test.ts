// `pnpm demo` at a reduced size: the report exists, every section ran, and its numbers are finite and sane.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = mkdtempSync(join(tmpdir(), 'nnphys-showcase-'));
type Metric = { key: string; label: string; value: number };
let report: { meta: Record<string, string>; sections: Array<{ id: string; metrics: Metric[]; error?: string }> };
let html = '';
let stdout = '';

beforeAll(() => {
  stdout = execFileSync('node', [join(root, 'examples', 'showcase', 'run.mjs'), '--scale', 'small', '--backend', 'wasm', '--out', out], { encoding: 'utf8' });
  report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  html = readFileSync(join(out, 'report.html'), 'utf8');
});

const metric = (section: string, key: string): number => {
  const m = report.sections.find((s) => s.id === section)?.metrics.find((x) => x.key === key);
  expect(m, `${section}.${key} missing from the report`).toBeDefined();
  return m?.value as number;
};

describe('showcase report', () => {
  test('every section ran without error, on the requested backend', () => {
    expect(report.meta.backend).toBe('wasm');
    expect(report.sections.length).toBeGreaterThan(0);
    for (const s of report.sections) expect(s.error, `section ${s.id}`).toBeUndefined();
  });

  test('the HTML is self-contained: inline SVG plots, one block per section, no external resources', () => {
    for (const s of report.sections) expect(html).toContain(`data-section="${s.id}"`);
    expect(html.match(/<svg/g)?.length ?? 0).toBeGreaterThanOrEqual(report.sections.length);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src="http/);
  });

  test('every number is finite and the terminal summary lists them', () => {
    for (const s of report.sections) for (const m of s.metrics) expect(Number.isFinite(m.value), `${s.id}.${m.key} = ${m.value}`).toBe(true);
    expect(stdout).toMatch(/summary/);
  });

  test('message passing beats predicting the mean', () => {
    expect(metric('message-passing', 'testMse')).toBeLessThan(metric('message-passing', 'baselineMse'));
  });
});
