// Neural tangent kernels (@nnphys/ntk): wide networks trained by gradient descent against the infinite-width mean
// prediction mu_t (001, "Mean prediction from NTK"), and the invariance of augmented ensembles (001, "Data augmentation
// at infinite width", "Equivariant Ensembles"). The experiments are those of examples/ntk-dynamics.
import { invarianceExperiment, trackingExperiment } from '../../ntk-dynamics/src/experiments.mjs';
import { barChart, lineChart } from '../report/plot.mjs';

const fmt = (v) => (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toFixed(3));

export default {
  id: 'ntk',
  title: 'Neural tangent kernels: training dynamics and augmented ensembles (ntk)',
  description:
    'Left: one-hidden-layer erf networks in NTK parameterisation, trained by full-batch gradient descent on a 1-D regression, against the closed-form infinite-width prediction mu_t = Theta(x,X) Theta^-1 (I - (I - eta~ Theta)^k) Y computed in float64 from the analytic NTK. Right: C4 rotations of 3x3 images; with full-orbit augmentation mu_t is invariant to round-off, and finite ensembles trained on the augmented data become invariant as the ensemble grows (Monte Carlo M^-1/2), while without augmentation the ensemble mean stays non-invariant.',
  async run({ scale }) {
    const tracking = trackingExperiment(scale);
    const inv = invarianceExperiment(scale);
    const traj = tracking.trajectory;
    const last = traj[traj.length - 1];
    const shown = [traj[1], traj[Math.floor(traj.length / 3)], last];
    const curveRows = [];
    for (const r of shown) {
      tracking.xTest.forEach((x, i) => {
        curveRows.push({ x, y: r.mu[i], series: `mu_t, step ${r.step}` });
        curveRows.push({ x, y: r.mean[i], series: `ensemble mean, step ${r.step}` });
      });
    }
    tracking.xTest.forEach((x, i) => {
      curveRows.push({ x, y: tracking.yTest[i], series: 'target' });
    });
    const mseRows = traj.filter((r) => r.step > 0).flatMap((r) => [
      { x: r.step, y: r.mseMu, series: 'mu_t (infinite width)' },
      { x: r.step, y: r.mseEnsemble, series: `mean of ${tracking.sizes.members} networks` },
      { x: r.step, y: r.mseNetwork, series: 'one network' },
    ]);
    const invRows = inv.sizes.flatMap((m, i) => [
      { x: m, y: inv.augmented[i], series: 'with full-orbit augmentation' },
      { x: m, y: inv.plain[i], series: 'without augmentation' },
    ]);
    const widthRows = tracking.byWidth.map((b) => ({ group: String(b.width), series: 'max_k ||f_net - f_lin|| / ||y||', value: b.deviation }));
    const worstMu = Math.max(...inv.analytic.map((a) => a.augmented));
    const plainMu = Math.min(...inv.analytic.map((a) => a.plain));
    const M = inv.sizes[inv.sizes.length - 1];
    return {
      metrics: [
        { key: 'ensembleVsMu', label: `ensemble mean vs mu_t, ||mean - mu_t|| / ||y|| (M = ${tracking.sizes.members}, width ${tracking.sizes.memberWidth}, step ${last.step})`, value: last.relativeDeviation, display: fmt(last.relativeDeviation) },
        { key: 'ensembleZ', label: 'same, rms z-score against the ensemble standard error', value: last.zScore, display: last.zScore.toFixed(2) },
        { key: 'networkVsLinear', label: `one network vs its infinite-width prediction at width ${tracking.byWidth[tracking.byWidth.length - 1].width}`, value: tracking.byWidth[tracking.byWidth.length - 1].deviation, display: fmt(tracking.byWidth[tracking.byWidth.length - 1].deviation) },
        { key: 'widthExponent', label: 'fitted width exponent of that deviation (theory -0.5)', value: tracking.exponent, display: tracking.exponent.toFixed(2) },
        { key: 'muInvariance', label: 'mu_t relative invariance error, full orbits (worst of 4 times)', value: worstMu, display: worstMu.toExponential(1) },
        { key: 'muInvariancePlain', label: 'mu_t relative invariance error, no augmentation', value: plainMu, display: fmt(plainMu) },
        { key: 'ensembleInvariance', label: `ensemble-mean invariance rms at M = ${M}, augmented / not`, value: inv.augmented[inv.augmented.length - 1], display: `${fmt(inv.augmented[inv.augmented.length - 1])} / ${fmt(inv.plain[inv.plain.length - 1])}` },
        { key: 'ensembleExponent', label: 'fitted M exponent with augmentation (Monte Carlo -0.5)', value: inv.exponent, display: inv.exponent.toFixed(2) },
      ],
      summary: `ensemble vs mu_t ${fmt(last.relativeDeviation)}; mu_t invariance ${worstMu.toExponential(1)} (augmented) vs ${fmt(plainMu)}; ensemble invariance ~ M^${inv.exponent.toFixed(2)}`,
      plots: [
        lineChart({ rows: curveRows, x: 'x', y: 'output', title: 'Trained networks (ensemble mean) vs mu_t' }),
        lineChart({ rows: mseRows, x: 'gradient-descent step', y: 'test MSE', title: 'Test error during training', logY: true }),
        barChart({ rows: widthRows, group: 'width', value: 'relative deviation', title: 'One network vs its linearised prediction' }),
        lineChart({ rows: invRows, x: 'ensemble size M', y: 'rms invariance error of the mean', title: 'Ensemble invariance under C4', logY: true, points: true }),
      ],
      tables: [
        {
          title: 'mu_t under C4 (relative invariance error, float64)',
          columns: ['t', 'full-orbit augmentation', 'no augmentation'],
          rows: inv.analytic.map((a) => [String(a.t), a.augmented.toExponential(2), fmt(a.plain)]),
        },
      ],
    };
  },
};
