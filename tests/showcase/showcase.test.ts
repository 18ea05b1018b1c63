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

  test('MoDe[1] follows the mass-agnostic classifier much more closely than BCE alone; certificates bound the adversarial slopes', () => {
    // sculpt_k: largest per-bin |FPR - FPR(m-agnostic)|; variants 1 = BCE, 2 = MoDe[0], 3 = MoDe[1].
    expect(metric('lipschitz-mode', 'sculpt_3')).toBeLessThan(0.5 * metric('lipschitz-mode', 'sculpt_1'));
    expect(metric('lipschitz-mode', 'sculpt_2')).toBeLessThan(metric('lipschitz-mode', 'sculpt_1'));
    for (const k of [0, 1, 2, 3]) expect(metric('lipschitz-mode', `auc_${k}`)).toBeGreaterThan(0.7);
    expect(html).not.toContain('WARNING: an adversarial slope exceeded a certificate');
  });

  test('NTK: the ensemble tracks mu_t and full-orbit augmentation makes mu_t invariant to float64 precision', () => {
    expect(metric('ntk', 'ensembleVsMu')).toBeLessThan(0.1);
    expect(metric('ntk', 'muInvariance')).toBeLessThan(1e-10);
    expect(metric('ntk', 'muInvariancePlain')).toBeGreaterThan(0.1);
    expect(metric('ntk', 'ensembleExponent')).toBeLessThan(-0.2);
  });

  test('the GNN on real QM9 molecules predicts the HOMO-LUMO gap far better than the mean', () => {
    const mae = metric('graph-qm9', 'valMae');
    expect(mae).toBeGreaterThan(0);
    expect(mae).toBeLessThan(0.6 * metric('graph-qm9', 'baselineMae'));
  });

  test('Deep Sets: shared weights beat one subnetwork per position, most of all on unseen (atom, position) slots', () => {
    expect(metric('deep-sets-atom-sum', 'sharedTestMae')).toBeLessThan(metric('deep-sets-atom-sum', 'unsharedTestMae'));
    expect(metric('deep-sets-atom-sum', 'unseenSlotMae')).toBeGreaterThan(metric('deep-sets-atom-sum', 'unsharedTestMae'));
    expect(metric('deep-sets-atom-sum', 'leastSquaresAtomMae')).toBeLessThan(1e-8);
  });

  test('reversal: AR answers forward queries and fails backward ones; MLM-U answers both', () => {
    expect(metric('reversal', 'arForward')).toBeGreaterThan(0.8);
    expect(metric('reversal', 'arBackward')).toBeLessThan(0.1);
    expect(metric('reversal', 'mlmuForward')).toBeGreaterThan(0.6);
    expect(metric('reversal', 'mlmuBackward')).toBeGreaterThan(metric('reversal', 'arBackward') + 0.5);
  });
});
