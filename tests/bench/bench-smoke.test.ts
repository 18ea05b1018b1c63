// `pnpm bench` at tiny sizes: every workload runs on every configuration it lists and the report is written.
// Timings are not asserted (speed is measured by the full runner, never by tests).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('bench runs at smoke scale and writes JSON and Markdown', () => {
  const out = mkdtempSync(join(tmpdir(), 'nnphys-bench-'));
  const stdout = execFileSync('node', [join(root, 'bench', 'run.mjs'), '--scale', 'smoke', '--reps', '1', '--out', out], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const files = readdirSync(out);
  const json = files.find((f) => f.endsWith('-smoke.json'));
  expect(json).toBeDefined();
  expect(files.some((f) => f.endsWith('-smoke.md'))).toBe(true);
  const report = JSON.parse(readFileSync(join(out, json as string), 'utf8'));
  const workloads = readdirSync(join(root, 'bench', 'workloads')).filter((f) => f.endsWith('.mjs'));
  expect(report.results.length).toBe(workloads.length);
  for (const r of report.results) {
    for (const row of r.rows) {
      if (row.config === 'pytorch' && row.skip) {
        expect(row.skip).toMatch(/python3-torch|python3|torch/);
        continue;
      }
      if (row.skip) continue; // e.g. stock kernels that would take hours: the reason is in the table
      expect(row.ms, `${r.id} ${row.config}`).toBeGreaterThan(0);
    }
  }
  expect(stdout).toMatch(/\| workload \|/);
});
