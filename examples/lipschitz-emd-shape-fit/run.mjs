// NEEMo shape fits (004 §4.4). `pnpm start` (full size, wasm) or `node run.mjs --small` (reduced size).
import { initBackend } from '@nnphys/core';
import { circleFit, ellipseFit, jetFits } from './shape_fit.mjs';

const small = process.argv.includes('--small');
const backend = process.argv.includes('--cpu') ? 'cpu' : 'wasm';
await initBackend(backend);
const f = (v, d = 3) => v.toFixed(d);
const pt = (p) => `(${p.map((v) => f(v)).join(', ')})`;
const t0 = performance.now();

const c = await circleFit(small ? { iterations: 150 } : {});
console.log(`circle: true centre ${pt(c.true.center)} r ${f(c.true.radius)} | fitted ${pt(c.fitted.center)} r ${f(c.fitted.radius)}`);
console.log(`  EMD start ${f(c.startExactEMD, 4)} -> NEEMo ${f(c.neemoEMD, 4)} (certified lower bound), exact ${f(c.exactEMD, 4)}`);

const e = await ellipseFit(small ? { iterations: 200 } : {});
console.log(`ellipse: true centre ${pt(e.true.center)} axes ${pt(e.true.semiAxes)} angle ${f(e.true.angle)} | fitted ${pt(e.fitted.center)} axes ${pt(e.fitted.axes)} angle ${f(e.fitted.angle)}`);
console.log(`  EMD start ${f(e.startExactEMD, 4)} -> NEEMo ${f(e.neemoEMD, 4)}, exact ${f(e.exactEMD, 4)} (floor with the true parameters ${f(e.trueParameterExactEMD, 4)})`);

for (const prongs of small ? [3] : [3, 4]) {
  const j = await jetFits(small ? { prongs, fits: [2, 3], iterations: 300, shapeLearningRate: 0.006 } : { prongs, fits: [2, 3, 4, 5] });
  console.log(`${prongs}-prong jet (true centres ${j.trueCenters.map(pt).join(' ')}):`);
  for (const r of j.rows) console.log(`  N = ${r.n}: NEEMo EMD ${f(r.neemoEMD, 4)}, exact ${f(r.exactEMD, 4)}, EMD(fitted axes, true centres) ${f(r.axisEMD, 4)}`);
}
console.log(`(${backend}, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
