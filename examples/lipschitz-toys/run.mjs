// 004 §2.3 toys and §2.5 loss study. `pnpm start` (full size, wasm) or `node run.mjs --small` (reduced size).
import { initBackend } from '@nnphys/core';
import { circleStudy, monotoneStudy, moonsStudy, outlierStudy } from './toys.mjs';

const small = process.argv.includes('--small');
const backend = process.argv.includes('--cpu') ? 'cpu' : 'wasm';
await initBackend(backend);
const f = (v, d = 3) => v.toFixed(d);
const t0 = performance.now();

const o = outlierStudy(small ? { steps: 1000 } : {});
console.log(`L1 outlier (sin x, sigma ${o.sigma}, outlier residual ${f(o.outlierResidual)}):`);
for (const k of ['lipschitz', 'mlp']) console.log(`  ${k.padEnd(10)} train MSE ${f(o[k].loss, 4)}  pull towards the outlier ${f(o[k].pull)}  max slope ${f(o[k].maxSlope)}`);

for (const variant of ['extrapolation', 'interpolation']) {
  const m = monotoneStudy(small ? { variant, steps: 1000, inits: 1 } : { variant, inits: 5 });
  console.log(`L2 log x, ${variant} (no data on ${m.gap.map((v) => f(v, 1)).join('-')}), ${m.inits} initialisations:`);
  for (const k of ['monotonic', 'mlp']) {
    const r = m[k];
    console.log(`  ${k.padEnd(10)} non-monotone fits ${r.nonMonotoneFits}/${m.inits}  max decrease ${f(r.maxDecrease, 4)}  mean RMSE to log x on [1, 6] ${f(r.meanRmse)}${r.fuzzViolations !== undefined ? `  fuzzer violations ${r.fuzzViolations}` : ''}`);
  }
}

const c = circleStudy(small ? { steps: 800, pointsPerCurve: 100 } : {});
console.log(`L3 oscillating circle (omega ${c.omega}, alpha ${c.alpha}, lambda ${c.lipschitz}, l2): train MSE ${c.mse.toExponential(2)}, points within 0.25 of their label ${f(c.accuracy)}, certificate ${f(c.certificate)}`);

const moons = moonsStudy(small ? { samples: 100, steps: 800 } : {});
console.log('L4 two moons, lambda = 1 (l2):');
for (const [k, r] of Object.entries(moons)) console.log(`  ${k.padEnd(14)} train acc ${f(r.trainAccuracy)}  test acc ${f(r.testAccuracy)}  mean |output| ${f(r.meanAbsOutput)}`);
console.log(`(${backend}, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
