// An edge-conditioned GNN (@nnphys/graph GraphRegressor: 3 MPNNConv layers over atom and bond features, mean readout)
// learning the HOMO-LUMO gap of real QM9 molecules (@nnphys/datasets qm9Sample). The study itself lives in
// examples/graph-qm9 (same code; it also trains on the larger shared CSV).
import { lineChart, parityChart } from '../report/plot.mjs';
import { qm9Study } from '../../graph-qm9/src/study.mjs';

const f = (x, d = 3) => x.toFixed(d);

export default {
  id: 'graph-qm9',
  title: 'Graph network on QM9 molecules: HOMO-LUMO gap (graph)',
  description:
    'Real QM9 molecules (376 embedded in @nnphys/datasets, heavy atoms as nodes with 11 features, bonds as pairs of directed edges with 4 bond-type features) split 80/20 at random. A GraphRegressor with three edge-conditioned message-passing layers (m_uv = ψ(h_u ‖ h_v ‖ e_uv), h_v\' = φ(h_v ‖ Σ_u m_uv), 000 eq. 5.9), a mean readout (eq. 5.10 with ⊕ = mean: the gap is an intensive property) and an MLP head predicts the HOMO-LUMO gap in eV; the baseline predicts the training mean.',
  async run({ scale, progress }) {
    const options = scale === 'small' ? { size: 'reduced', epochs: 25 } : { size: 'reduced', hidden: 64, epochs: 60, learningRate: 1e-3 };
    const r = await qm9Study({ ...options, seed: 1, progress: (label) => progress(label) ?? false });
    const u = r.config.unit;
    return {
      metrics: [
        { key: 'molecules', label: 'molecules (train / validation)', value: r.config.molecules, display: `${r.config.train} / ${r.config.validation}` },
        { key: 'baselineMae', label: `validation MAE, predicting the training mean (${u})`, value: r.baselineMae, display: f(r.baselineMae) },
        { key: 'valMae', label: `validation MAE, graph network (${u})`, value: r.valMae, display: f(r.valMae) },
        { key: 'parameters', label: 'parameters', value: r.config.parameters, display: String(r.config.parameters) },
      ],
      summary: `HOMO-LUMO gap: validation MAE ${f(r.valMae)} ${u} vs ${f(r.baselineMae)} ${u} for the mean`,
      plots: [
        parityChart({ rows: r.predictions.map((p) => ({ truth: p.truth, predicted: p.predicted })), label: `gap (${u})`, title: 'Predicted vs true HOMO-LUMO gap, validation molecules' }),
        lineChart({
          rows: [
            ...r.curve.map((c) => ({ x: c.epoch, y: c.valMae, series: `validation MAE (${u})` })),
            ...r.curve.map((c) => ({ x: c.epoch, y: r.baselineMae, series: `mean predictor (${u})` })),
          ],
          x: 'epoch',
          y: `MAE (${u})`,
          title: 'Validation MAE during training',
        }),
      ],
      tables: [
        {
          title: 'Largest validation errors',
          columns: ['SMILES', `true gap (${u})`, `predicted (${u})`],
          rows: [...r.predictions]
            .map((p, i) => ({ ...p, i }))
            .sort((a, b) => Math.abs(b.predicted - b.truth) - Math.abs(a.predicted - a.truth) || a.i - b.i)
            .slice(0, 5)
            .map((p) => [p.smiles, f(p.truth), f(p.predicted)]),
        },
      ],
    };
  },
};
