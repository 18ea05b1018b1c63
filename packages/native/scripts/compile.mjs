// Compiles the Node-API addon (csrc/*.c) into build/nnphys_native.node with the system C compiler (C11, pthreads).
// No node-gyp: the addon uses only Node-API, whose headers ship with Node (<prefix>/include/node).
// `--optional` (the install script): a missing compiler or header prints a note and exits 0, since the
// addon is an optional accelerator. The .node file is written to a temporary name and renamed, so an
// interrupted build never leaves a half-written addon behind.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Optional (install script, and the build on a machine without a C compiler) unless NNPHYS_REQUIRE_NATIVE=1 (CI).
const optional = process.argv.includes('--optional') && process.env.NNPHYS_REQUIRE_NATIVE !== '1';
const force = process.argv.includes('--force');
const out = join(root, 'build', 'nnphys_native.node');
const sources = readdirSync(join(root, 'csrc')).filter((f) => f.endsWith('.c')).map((f) => join(root, 'csrc', f));
const inputs = [...sources, ...readdirSync(join(root, 'csrc')).filter((f) => f.endsWith('.h')).map((f) => join(root, 'csrc', f)), fileURLToPath(import.meta.url)];

function fail(message) {
  if (optional) {
    console.warn(`@nnphys/native: not built (${message}). nnphys runs without it, on tfjs kernels only.`);
    process.exit(0);
  }
  console.error(`@nnphys/native: ${message}`);
  process.exit(1);
}

function nodeIncludeDir() {
  const candidates = [
    process.env.NNPHYS_NODE_INCLUDE,
    process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node'),
    join(dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  return candidates.find((d) => existsSync(join(d, 'node_api.h')));
}

if (process.env.NNPHYS_NATIVE_SKIP_BUILD === '1') fail('NNPHYS_NATIVE_SKIP_BUILD=1');
if (!force && existsSync(out)) {
  const built = statSync(out).mtimeMs;
  if (inputs.every((f) => statSync(f).mtimeMs <= built)) process.exit(0);
}
const include = nodeIncludeDir();
if (!include) fail("Node's headers (node_api.h) were not found; set NNPHYS_NODE_INCLUDE to the directory holding them");
const cc = process.env.CC || 'cc';
mkdirSync(join(root, 'build'), { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
// -ffp-contract=off: no implicit FMA contraction, so float64 loops round exactly as core's JS loops (bitwise equal);
// the SGEMM uses FMA explicitly.
const base = ['-O3', '-std=gnu11', '-fno-math-errno', '-ffp-contract=off', '-fPIC', '-shared', '-fvisibility=hidden', '-DNODE_GYP_MODULE_NAME=nnphys_native', `-I${include}`];
if (process.platform === 'darwin') base.push('-undefined', 'dynamic_lookup');
const attempts = [[...base, '-pthread']];
let lastError = '';
for (const flags of attempts) {
  try {
    execFileSync(cc, [...flags, '-o', tmp, ...sources, '-lm'], { stdio: ['ignore', 'pipe', 'pipe'] });
    renameSync(tmp, out);
    process.exit(0);
  } catch (error) {
    rmSync(tmp, { force: true });
    lastError = String(error.stderr ?? error.message).split('\n').slice(0, 8).join('\n');
  }
}
fail(`${cc} failed:\n${lastError}`);
