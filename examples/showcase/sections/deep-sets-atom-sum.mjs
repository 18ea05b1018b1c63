// Deep Sets on the atom-sum task of 002 ch. 4-5: recover hidden atom values from sums of 5 of them, with a shared
// subnetwork (000 eq. 5.7 with a linear ρ) versus one subnetwork per position, when three atoms only ever sit in one
// position during training. The study itself lives in examples/graph-atom-sum (same code, larger sizes there).
import { lineChart, parityChart } from '../report/plot.mjs';
import { atomSumStudy } from '../../graph-atom-sum/src/study.mjs';

const f = (x, d = 3) => x.toFixed(d);

export default {
  id: 'deep-sets-atom-sum',
  title: 'Deep Sets: atom values from sums, shared vs per-position weights (graph)',
  description:
    'Each of 128 atoms has a hidden value; a sample is 5 atoms (one-hot) labelled with the sum of their values (002 ch. 4). Three atoms appear in only one position in the 700 training tuples; the 300 test tuples put any atom anywhere. A shared subnetwork (Deep Sets, @nnphys/graph AtomSumNetwork) recovers every value; one subnetwork per position fails on the (atom, position) slots it never saw (002 §5.3, Table 5.1). A float64 least-squares fit on atom counts recovers the values to round-off.',
  async run({ scale, progress }) {
    const options = scale === 'small' ? { size: 'reduced', epochs: 40 } : { size: 'reduced', widths: [128, 64], epochs: 150, augment: true };
    const r = await atomSumStudy({ ...options, seed: 1, progress: (label) => progress(label) ?? false });
    const { shared, unshared, unsharedShuffled } = r.models;
    const models = Object.values(r.models);
    const metrics = [
      { key: 'sharedTestMae', label: 'test MAE, shared subnetwork', value: shared.testMae, display: f(shared.testMae) },
      { key: 'unsharedTestMae', label: 'test MAE, one subnetwork per position', value: unshared.testMae, display: f(unshared.testMae) },
      {
        key: 'unseenSlotMae',
        label: `test MAE on the ${r.unseenSlotTuples} tuples with a restricted atom at an unseen position (shared / unshared)`,
        value: unshared.testMaeUnseenSlots,
        display: `${f(shared.testMaeUnseenSlots)} / ${f(unshared.testMaeUnseenSlots)}`,
      },
      { key: 'sharedAtomMae', label: 'recovered atom values, MAE (shared / unshared)', value: shared.atomMae, display: `${f(shared.atomMae)} / ${f(unshared.atomMae)}` },
      { key: 'leastSquaresAtomMae', label: 'float64 least squares on counts, atom MAE', value: r.leastSquares.atomMae, display: r.leastSquares.atomMae.toExponential(1) },
    ];
    if (unsharedShuffled) {
      metrics.push({
        key: 'shuffledTestMae',
        label: 'test MAE, per position + 2 shuffled copies per tuple (002 §5.4)',
        value: unsharedShuffled.testMae,
        display: `${f(unsharedShuffled.testMae)} (unseen-slot tuples ${f(unsharedShuffled.testMaeUnseenSlots)})`,
      });
    }
    const parity = (m) => r.values.map((v, a) => ({ truth: v, predicted: m.recovered[a] }));
    const restrictedRows = r.restricted.map((x) => [
      x.atom,
      f(r.values[x.atom]),
      x.position + 1,
      f(shared.recovered[x.atom]),
      unshared.perPosition.map((p) => f(p[x.atom], 2)).join(' / '),
      f(unshared.recovered[x.atom]),
    ]);
    const outliers = unshared.predictions
      .map((p, i) => ({ ...p, i, error: Math.abs(p.predicted - p.truth) }))
      .sort((a, b) => b.error - a.error || a.i - b.i)
      .slice(0, 6)
      .map((p) => [
        p.atoms.map((a) => (r.restricted.some((x) => x.atom === a) ? `${a}*` : `${a}`)).join(' '),
        f(p.truth),
        f(p.predicted),
        f(shared.predictions[p.i].predicted),
      ]);
    return {
      metrics,
      summary: `test MAE ${f(shared.testMae)} shared vs ${f(unshared.testMae)} per position; on tuples with a restricted atom at an unseen position ${f(shared.testMaeUnseenSlots)} vs ${f(unshared.testMaeUnseenSlots)}`,
      plots: [
        parityChart({ rows: parity(shared), label: 'atom value', title: 'Recovered vs true atom values: shared subnetwork' }),
        parityChart({ rows: parity(unshared), label: 'atom value', title: 'Recovered vs true atom values: per position (mean over positions)' }),
        lineChart({ rows: models.flatMap((m) => m.loss.map((l, i) => ({ x: i + 1, y: l, series: m.label }))), x: 'epoch', y: 'training MSE', title: 'Training loss', logY: true }),
      ],
      tables: [
        {
          title: 'Atoms restricted to one position in training: recovered values',
          columns: ['atom', 'true value', 'training position', 'shared', 'per position f_1 … f_5', 'per position, mean'],
          rows: restrictedRows,
        },
        {
          title: 'Largest test errors of the per-position model (* = restricted atom; cf. 002 Table 5.1)',
          columns: ['atoms', 'true sum', 'per-position prediction', 'shared prediction'],
          rows: outliers,
        },
      ],
    };
  },
};
