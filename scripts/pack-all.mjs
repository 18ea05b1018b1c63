#!/usr/bin/env node
// Packs every public workspace package with `pnpm pack` (which rewrites workspace: ranges to real versions)
// into packs/ (or the directory given as the first argument). Prints name -> tarball as JSON.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dest = resolve(process.argv[2] ?? join(root, 'packs'));
mkdirSync(dest, { recursive: true });
const out = {};
for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const pkgDir = join(root, 'packages', dir);
  const manifest = join(pkgDir, 'package.json');
  if (!existsSync(manifest)) continue;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  if (pkg.private) continue;
  const printed = execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: pkgDir, encoding: 'utf8' });
  const tgz = printed.trim().split('\n').map((l) => l.trim()).filter((l) => l.endsWith('.tgz')).pop();
  out[pkg.name] = { version: pkg.version, tarball: tgz.startsWith('/') ? tgz : join(dest, tgz), dependencies: pkg.dependencies ?? {} };
}
console.log(JSON.stringify(out, null, 2));
