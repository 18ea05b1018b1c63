// The atom-sum study of 002 ch. 4-5: recover hidden per-atom values from sums of K of them,
// with one shared subnetwork (Deep Sets with a linear ρ, 000 eq. 5.7) versus one subnetwork per
// position, when some atoms only ever appear in one position in training (002 §5.3, Table 5.1).
import * as tf from '@tensorflow/tfjs-core';
import { Random, train } from '@nnphys/core';
import { atomSum, encodeAtom, permutationAugment } from '@nnphys/datasets';
import { AtomSumNetwork, atomDesignMatrix, atomValuesLeastSquares, leastSquares } from '@nnphys/graph';

/**
 * Sizes: 'full' is 002 ch. 5 (128 atoms, 5-sums, 1000 samples split 70/30, Type 1 subnetworks,
 * one-hot codes as in 002 §4.7); 'reduced' keeps the data and shrinks the subnetworks (used by the test).
 */
export const studySizes = {
  full: { vocabulary: 128, setSize: 5, trainSamples: 700, testSamples: 300, encoding: 'onehot', widths: [128, 256, 128, 64], epochs: 100, batchSize: 32, learningRate: 1e-3 },
  reduced: { vocabulary: 128, setSize: 5, trainSamples: 700, testSamples: 300, encoding: 'onehot', widths: [32, 32], epochs: 100, batchSize: 100, learningRate: 1e-2 },
};

const mean = (xs) => xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length);

/**
 * Trains the shared and the unshared model (and, with `augment`, the unshared model on
 * position-shuffled copies, 002 §5.4) on the same restricted training set and measures
 * test MAE, per-atom recovery and the positional-bias outliers. Deterministic for a seed
 * and backend; disposes every tensor it creates.
 */
export async function atomSumStudy(options = {}) {
  const size = { ...studySizes[options.size ?? 'full'], ...options };
  const { vocabulary: V, setSize: K, trainSamples, testSamples, widths, epochs, batchSize } = size;
  const seed = options.seed ?? 1;
  const learningRate = options.learningRate ?? size.learningRate ?? 1e-3;
  const encoding = options.encoding ?? size.encoding ?? 'binary';
  const progress = options.progress ?? (() => false);
  const rng = new Random(seed + 1000);

  // Three atoms confined to one position in training, as in 002 §5.3 (2nd, 1st and 1st position).
  const restrictedCount = options.restrictedAtoms ?? 3;
  const restricted = [];
  const picked = new Set();
  while (restricted.length < restrictedCount) {
    const a = rng.int(V);
    if (picked.has(a)) continue;
    picked.add(a);
    restricted.push({ atom: a, position: [1, 0, 0][restricted.length % 3] });
  }
  const restrictPositions = new Map(restricted.map((r) => [r.atom, [r.position]]));
  const trainSet = atomSum({ setSize: K, samples: trainSamples, vocabulary: V, encoding, seed: seed * 7 + 1, restrictPositions });
  // Test tuples may hold any atom anywhere (002: "during testing, atoms could appear in any position").
  const seen = new Set(trainSet.atoms.map((t) => t.join(',')));
  const pool = atomSum({ setSize: K, samples: testSamples * 2, vocabulary: V, encoding, seed: seed * 7 + 2, values: trainSet.values });
  const testIdx = pool.atoms.map((_, i) => i).filter((i) => !seen.has(pool.atoms[i].join(','))).slice(0, testSamples);
  const testSet = { inputs: testIdx.map((i) => pool.inputs[i]), targets: testIdx.map((i) => pool.targets[i]), atoms: testIdx.map((i) => pool.atoms[i]) };
  const values = trainSet.values;
  const F = trainSet.inputs[0][0].length;
  // Test tuples holding a restricted atom at a position it never had in training.
  const unseenSlot = testSet.atoms.map((t) => t.some((a, k) => restrictPositions.has(a) && !restrictPositions.get(a).includes(k)));

  // Float64 linear baselines (002 §4.7): counts are identifiable, the positional layout is not.
  const ls = atomValuesLeastSquares(trainSet.atoms, trainSet.targets, V);
  const positional = leastSquares(atomDesignMatrix(trainSet.atoms, V, 'positional'), trainSet.targets);
  const lsMae = mean(values.map((v, a) => Math.abs(ls.values[a] - v)));

  const models = [
    { key: 'shared', label: 'shared subnetwork (Deep Sets)', shared: true, data: trainSet },
    { key: 'unshared', label: 'one subnetwork per position', shared: false, data: trainSet },
  ];
  if (options.augment) models.push({ key: 'unsharedShuffled', label: 'per position + shuffled copies', shared: false, data: permutationAugment(trainSet, 'random', { copies: 2, seed: seed * 7 + 3 }) });

  const Xtest = tf.tensor3d(testSet.inputs);
  const allAtoms = tf.tensor2d(Array.from({ length: V }, (_, a) => encodeAtom(a, encoding, V)));
  const results = [];
  try {
    for (const m of models) {
      const model = new AtomSumNetwork({ inputs: F, setSize: K, shared: m.shared, widths, seed: seed * 13 + results.length });
      const X = tf.tensor3d(m.data.inputs);
      const y = tf.tensor2d(m.data.targets, [m.data.targets.length, 1]);
      const shuffle = new Random(seed * 17 + results.length);
      const n = m.data.targets.length;
      try {
        const history = await train({
          model,
          epochs,
          optimizer: { name: 'adam', learningRate },
          data: () => {
            const order = shuffle.permutation(n);
            const batches = [];
            for (let i = 0; i < n; i += batchSize) batches.push(order.slice(i, i + batchSize));
            return batches;
          },
          loss: (rows) => {
            const idx = tf.tensor1d(rows, 'int32');
            return tf.losses.meanSquaredError(tf.gather(y, idx), model.apply(tf.gather(X, idx)));
          },
          progress: progress(m.key),
        });
        const predicted = tf.tidy(() => Array.from(model.apply(Xtest).dataSync()));
        const errors = predicted.map((p, i) => Math.abs(p - testSet.targets[i]));
        // Recovered value of atom a: f_s(a) (shared), or (1/K) Σ_k f_k(a) (unshared; the per-position
        // offsets c_k with Σ_k c_k = 0 cancel in the average, so this is v_a when every slot is fitted).
        const perPosition = [];
        for (let k = 0; k < (m.shared ? 1 : K); k++) perPosition.push(tf.tidy(() => Array.from(model.atomValues(allAtoms, k).dataSync())));
        const recovered = values.map((_, a) => mean(perPosition.map((p) => p[a])));
        const atomErrors = recovered.map((r, a) => Math.abs(r - values[a]));
        results.push({
          key: m.key,
          label: m.label,
          trainSamples: n,
          finalLoss: history.loss[history.loss.length - 1],
          loss: history.loss,
          testMae: mean(errors),
          testMaeUnseenSlots: mean(errors.filter((_, i) => unseenSlot[i])),
          testMaeOtherTuples: mean(errors.filter((_, i) => !unseenSlot[i])),
          recovered,
          perPosition,
          atomMae: mean(atomErrors),
          restrictedAtomError: mean(restricted.map((r) => atomErrors[r.atom])),
          otherAtomError: mean(atomErrors.filter((_, a) => !restrictPositions.has(a))),
          predictions: predicted.map((p, i) => ({ atoms: testSet.atoms[i], truth: testSet.targets[i], predicted: p, unseenSlot: unseenSlot[i] })),
        });
      } finally {
        tf.dispose([X, y]);
        model.dispose();
      }
    }
  } finally {
    tf.dispose([Xtest, allAtoms]);
  }
  return {
    config: { vocabulary: V, setSize: K, trainSamples, testSamples: testSet.targets.length, widths, epochs, batchSize, learningRate, encoding, seed },
    values,
    restricted,
    unseenSlotTuples: unseenSlot.filter(Boolean).length,
    leastSquares: { rank: ls.rank, identified: ls.identified, atomMae: lsMae, positionalRank: positional.rank, positionalColumns: K * V },
    models: Object.fromEntries(results.map((r) => [r.key, r])),
  };
}
