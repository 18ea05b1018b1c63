// The reversal curse (004 §7.3.1, Table 7.1): left-to-right AR against MLM-U (uniform-rate masked diffusion)
// and fixed-rate MLM on the retrieval task, forward and backward queries answered left to right.
import { retrievalTask } from '@nnphys/datasets';
import { trainOnTask } from '@nnphys/diffusion-lm';
import { barChart, lineChart } from '../report/plot.mjs';

const OBJECTIVES = [
  { name: 'AR', objective: 'ar' },
  { name: 'MLM 15%', objective: 'mlm', rate: 0.15 },
  { name: 'MLM-U', objective: 'mlm-u' },
];
// Published exact match, Table 7.1 of 004 (forward / backward, %).
const PUBLISHED = { AR: [100, 0], 'MLM 15%': [21, 22], 'MLM-U': [100, 100] };

export default {
  id: 'reversal',
  title: 'Reversal curse: AR vs MLM-U on key-value retrieval (diffusion-lm)',
  description:
    'Key-value pairs "k1 k2 : v1 v2" with their own tokens; training holds every pair and the forward ("[value-of] key : value") and backward ("[key-of] value : key") queries of half of the pairs, the test asks the other half (004 §7.3.1). A left-to-right AR Transformer answers forward queries but never saw a value before its key; MLM-U (masking rate drawn uniformly, eq. 7.5) trains every factorization and answers both. 2-layer, dim-64 rotary Transformers, greedy left-to-right decoding. The small scale is a tiny task (16 pairs, 8 test queries per direction; AR and MLM-U only).',
  async run({ scale, progress }) {
    const size = {
      small: { pairs: 16, epochs: 200, batchSize: 48, objectives: OBJECTIVES.filter((o) => o.name !== 'MLM 15%') },
      default: { pairs: 40, epochs: 200, batchSize: 80, objectives: OBJECTIVES },
    }[scale];
    const task = retrievalTask({ pairs: size.pairs, seed: 1 });
    const results = [];
    for (const o of size.objectives) {
      const p = progress(o.name);
      const run = await trainOnTask(task, {
        objective: o.objective,
        rate: o.rate,
        epochs: size.epochs,
        batchSize: size.batchSize,
        learningRate: 3e-3,
        schedule: 'cosine',
        warmup: 0.05,
        model: { dim: 64, heads: 4, layers: 2 },
        evaluateEvery: Math.round(size.epochs / 10),
        seed: 3,
        progress: p === undefined ? false : p,
      });
      run.model.dispose();
      results.push({ ...o, accuracy: run.accuracy, curve: run.curve });
    }
    const get = (name) => results.find((r) => r.name === name).accuracy.byKind;
    const ar = get('AR');
    const u = get('MLM-U');
    const pct = (x) => `${Math.round(100 * x)}%`;
    const testPerDirection = ar.forward.count;
    return {
      metrics: [
        { key: 'pairs', label: 'pairs (test queries per direction)', value: size.pairs, display: `${size.pairs} (${testPerDirection})` },
        { key: 'arForward', label: 'AR forward exact match', value: ar.forward.exactMatch, display: pct(ar.forward.exactMatch) },
        { key: 'arBackward', label: 'AR backward exact match', value: ar.backward.exactMatch, display: pct(ar.backward.exactMatch) },
        { key: 'mlmuForward', label: 'MLM-U forward exact match', value: u.forward.exactMatch, display: pct(u.forward.exactMatch) },
        { key: 'mlmuBackward', label: 'MLM-U backward exact match', value: u.backward.exactMatch, display: pct(u.backward.exactMatch) },
      ],
      summary: `backward exact match: AR ${pct(ar.backward.exactMatch)}, MLM-U ${pct(u.backward.exactMatch)} (forward ${pct(ar.forward.exactMatch)} / ${pct(u.forward.exactMatch)})`,
      tables: [
        {
          title: 'Exact match on unseen queries, % (per-token %), next to 004 Table 7.1',
          columns: ['Objective', 'Forward', 'Backward', 'Published forward / backward'],
          rows: results.map((r) => {
            const k = r.accuracy.byKind;
            const [pf, pb] = PUBLISHED[r.name];
            return [r.name, `${Math.round(100 * k.forward.exactMatch)} (${Math.round(100 * k.forward.perToken)})`, `${Math.round(100 * k.backward.exactMatch)} (${Math.round(100 * k.backward.perToken)})`, `${pf} / ${pb}`];
          }),
        },
      ],
      plots: [
        barChart({
          rows: results.flatMap((r) => ['forward', 'backward'].map((d) => ({ group: r.name, series: d, value: r.accuracy.byKind[d].exactMatch }))),
          group: 'objective',
          value: 'exact match',
          title: 'Unseen queries answered exactly',
        }),
        lineChart({
          rows: results.flatMap((r) => r.curve.map(([epoch, a]) => ({ x: epoch, y: a.byKind.backward.exactMatch, series: r.name }))),
          x: 'epoch',
          y: 'backward exact match',
          title: 'Backward queries during training',
          points: true,
        }),
      ],
    };
  },
};
