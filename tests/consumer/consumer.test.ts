// The `npm i @nnphys/<one piece>` path: pack every package, install each tarball alone into an empty project
// (its declared dependencies and peers come from the registry; other @nnphys packages it declares come from
// their tarballs, as if published), then import it from ESM and from CJS and run one small computation.
// Fails when a package forgets a dependency, a file, or an export condition.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { smoke } from './smoke.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
type Packed = Record<string, { version: string; tarball: string; dependencies: Record<string, string> }>;
let packed: Packed = {};
const work = mkdtempSync(join(tmpdir(), 'nnphys-consumer-'));
// @nnphys/native compiles at install time: its install tests need a C compiler (always in CI, which sets
// NNPHYS_REQUIRE_NATIVE=1); on a machine without one they do not run and are listed as skipped.
// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
const canBuildNative = process.env.NNPHYS_REQUIRE_NATIVE === '1' || spawnSync('sh', ['-c', 'command -v "${CC:-cc}"']).status === 0;
const smokeNames = Object.keys(smoke).filter((name) => name !== '@nnphys/native' || canBuildNative);

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
}

// The @nnphys packages a package needs, transitively (what the registry would resolve).
function nnphysClosure(name: string, seen = new Set<string>()): Set<string> {
  for (const dep of Object.keys(packed[name]?.dependencies ?? {})) {
    if (dep.startsWith('@nnphys/') && !seen.has(dep)) {
      seen.add(dep);
      nnphysClosure(dep, seen);
    }
  }
  return seen;
}

beforeAll(() => {
  packed = JSON.parse(run('node', [join(root, 'scripts', 'pack-all.mjs'), join(work, 'packs')], root));
});

describe('consumer install from packed tarballs', () => {
  test('every public package has a smoke snippet', () => {
    expect(Object.keys(packed).length).toBeGreaterThan(0);
    for (const name of Object.keys(packed)) expect(smoke[name], `add a smoke snippet for ${name} in tests/consumer/smoke.ts`).toBeDefined();
  });

  test('tarballs contain README, CHANGELOG, typings and every file their exports map names', () => {
    for (const [name, info] of Object.entries(packed)) {
      const files = run('tar', ['tzf', info.tarball], work).split('\n').map((f) => f.replace(/^package\//, ''));
      for (const f of ['README.md', 'CHANGELOG.md', 'package.json']) expect(files, `${name} tarball lacks ${f}`).toContain(f);
      const pkg = JSON.parse(run('tar', ['xzOf', info.tarball, 'package/package.json'], work));
      const targets = JSON.stringify(pkg.exports).match(/"\.\/[^"]+"/g) ?? [];
      for (const t of targets.map((s) => s.slice(3, -1))) {
        if (t !== 'package.json') expect(files, `${name} exports ${t} but the tarball lacks it`).toContain(t);
      }
      expect(JSON.stringify(pkg)).not.toMatch(/workspace:/);
      // @nnphys/native works on typed arrays and needs no tensor engine.
      if (name !== '@nnphys/native') expect(pkg.peerDependencies?.['@tensorflow/tfjs-core'], `${name} must have tfjs-core as a peer`).toBeDefined();
    }
  });

  test.each(smokeNames)('%s installs alone and runs from ESM and CJS', (name) => {
    const info = packed[name];
    expect(info, `${name} was not packed`).toBeDefined();
    if (!info) return;
    const dir = join(work, name.replace('/', '__'));
    mkdirSync(dir, { recursive: true });
    const overrides: Record<string, string> = {};
    for (const dep of nnphysClosure(name)) overrides[dep] = `file:${packed[dep]?.tarball}`;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies: { [name]: `file:${info.tarball}` }, overrides }, null, 2));
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    const installed = JSON.parse(readFileSync(join(dir, 'node_modules', ...name.split('/'), 'package.json'), 'utf8'));
    expect(installed.version).toBe(info.version);
    const snippet = smoke[name]!;
    writeFileSync(join(dir, 'esm.mjs'), snippet.esm);
    writeFileSync(join(dir, 'cjs.cjs'), snippet.cjs);
    const esm = run('node', ['esm.mjs'], dir).trim().split('\n').pop() ?? '';
    expect(esm).toMatch(snippet.expect);
    const cjs = run('node', ['cjs.cjs'], dir).trim().split('\n').pop() ?? '';
    expect(cjs).toMatch(snippet.expect);
  });

  test.runIf(canBuildNative)('@nnphys/core finds @nnphys/native installed beside it and runs its products on it', () => {
    const core = packed['@nnphys/core'];
    const native = packed['@nnphys/native'];
    expect(core && native, 'core and native must be packed').toBeTruthy();
    if (!core || !native) return;
    const dir = join(work, 'core-with-native');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies: { '@nnphys/core': `file:${core.tarball}`, '@nnphys/native': `file:${native.tarball}`, '@tensorflow/tfjs-core': '^4.22.0' }, overrides: { '@nnphys/native': `file:${native.tarball}` } }, null, 2));
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    writeFileSync(
      join(dir, 'check.mjs'),
      `
      import * as tf from '@tensorflow/tfjs-core';
      import { initBackend, nativeStatus } from '@nnphys/core';
      await initBackend('wasm');
      const s = nativeStatus();
      const y = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]]), false, true);
      console.log(s.available, s.enabled, JSON.stringify(y.arraySync()));
    `,
    );
    const line = run('node', ['check.mjs'], dir).trim().split('\n').pop();
    expect(line).toBe('true true [[17,23],[39,53]]');
  });
});
