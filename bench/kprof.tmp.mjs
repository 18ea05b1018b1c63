// Per-kernel time profile of a workload's iterate (wasm, kernels are synchronous).
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, setNativeEnabled } from '@nnphys/core';
const [,, wlPath, backend = 'wasm', iters = '30'] = process.argv;
const name = await initBackend(backend);
if (process.env.JS === '1') setNativeEnabled(false);
const wl = (await import(wlPath)).default;
const setup = await wl.setup({ backend: name, stock: false, scale: process.env.SCALE ?? 'full' });
for (let i = 0; i < 5; i++) await setup.iterate();
const stats = new Map();
for (const k of tf.getKernelsForBackend(name)) {
  const f = k.kernelFunc;
  tf.unregisterKernel(k.kernelName, name);
  tf.registerKernel({ ...k, kernelFunc: (args) => { const t = performance.now(); const r = f(args); const dt = performance.now() - t; const s = stats.get(k.kernelName) ?? { n: 0, ms: 0 }; s.n++; s.ms += dt; stats.set(k.kernelName, s); return r; } });
}
const n = Number(iters);
let t = performance.now();
for (let i = 0; i < n; i++) await setup.iterate();
const total = (performance.now() - t) / n;
const rows = [...stats.entries()].map(([k, s]) => [k, s.n / n, s.ms / n]).sort((a, b) => b[2] - a[2]);
let sum = 0, cnt = 0;
for (const r of rows) { sum += r[2]; cnt += r[1]; }
console.log(`step ${total.toFixed(2)} ms; kernels ${cnt.toFixed(0)}/step taking ${sum.toFixed(2)} ms; outside kernels ${(total - sum).toFixed(2)} ms`);
for (const r of rows.slice(0, 25)) console.log(`${r[0].padEnd(24)} ${r[1].toFixed(1).padStart(6)} calls ${r[2].toFixed(3).padStart(8)} ms`);
await setup.dispose?.();
