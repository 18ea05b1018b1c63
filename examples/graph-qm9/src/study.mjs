// An edge-conditioned GNN (GraphRegressor with MPNNConv layers, 000 eq. 5.9, mean readout, eq. 5.10 with ⊕ = mean) trained on
// real QM9 molecules (@nnphys/datasets qm9Sample: 376 molecules, heavy atoms, 11 atom and 4 bond features),
// predicting one target (default the HOMO-LUMO gap in eV), compared with predicting the training mean.
import * as tf from '@tensorflow/tfjs-core';
import { Random, train } from '@nnphys/core';
import * as datasets from '@nnphys/datasets';
import { GraphRegressor, batchGraphs, disposeBatch } from '@nnphys/graph';

export const studySizes = {
  full: { hidden: 64, layers: 3, epochs: 150, batchSize: 32, learningRate: 1e-3 },
  reduced: { hidden: 32, layers: 3, epochs: 40, batchSize: 32, learningRate: 3e-3 },
};

const mean = (xs) => xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length);

/** Per-column mean and standard deviation of the node features of `graphs` (std 1 for constant columns). */
function featureScale(graphs) {
  const rows = graphs.flatMap((g) => g.nodes);
  const F = rows[0].length;
  const mu = Array.from({ length: F }, (_, j) => mean(rows.map((r) => r[j])));
  const sd = mu.map((m, j) => Math.sqrt(mean(rows.map((r) => (r[j] - m) ** 2))) || 1);
  return (g) => ({ ...g, nodes: g.nodes.map((r) => r.map((v, j) => (v - mu[j]) / sd[j])) });
}

/**
 * Trains one model and returns the validation MAE per epoch (in the target's units), the mean-predictor
 * baseline and the final validation predictions. Deterministic for a seed and backend; disposes its tensors.
 */
export async function qm9Study(options = {}) {
  const size = { ...studySizes[options.size ?? 'full'], ...options };
  const { hidden, layers, epochs, batchSize, learningRate } = size;
  const readout = size.readout ?? 'mean';
  const norm = size.norm ?? 'none';
  const seed = options.seed ?? 1;
  const targetName = options.target ?? 'gap';
  const progress = options.progress ?? (() => false);
  const set = options.set ?? datasets.qm9Sample({ units: 'ev' });
  const t = set.targetNames.indexOf(targetName);
  if (t < 0) throw new Error(`qm9Study: unknown target ${targetName}; one of ${set.targetNames.join(', ')}`);
  const unit = set.units[targetName];
  const graphs = set.molecules.map((m) => ({ nodes: m.nodes, senders: m.senders, receivers: m.receivers, edges: m.edges, target: [m.target[t]], smiles: m.smiles }));
  const parts = datasets.split(graphs.length, { train: 0.8, validation: 0.2 }, seed);
  // Node features standardised with training statistics (atomic number and H count are O(1-10)).
  const scale = featureScale(parts.train.map((i) => graphs[i]));
  const trainGraphs = parts.train.map((i) => scale(graphs[i]));
  const valGraphs = parts.validation.map((i) => scale(graphs[i]));
  const yTrain = trainGraphs.map((g) => g.target[0]);
  const yVal = valGraphs.map((g) => g.target[0]);
  const yMean = mean(yTrain);
  const yStd = Math.sqrt(mean(yTrain.map((y) => (y - yMean) ** 2)));
  const baselineMae = mean(yVal.map((y) => Math.abs(y - yMean)));

  const model = new GraphRegressor({ nodeInputs: trainGraphs[0].nodes[0].length, edgeInputs: trainGraphs[0].edges[0].length, hidden, layers, conv: 'mpnn', readout, norm, targetMean: [yMean], targetStd: [yStd], seed });
  const valBatch = batchGraphs(valGraphs);
  const shuffle = new Random(seed * 31 + 7);
  let epochBatches = [];
  const predictVal = () => tf.tidy(() => Array.from(model.apply(valBatch).dataSync()));
  const valMae = [];
  try {
    const history = await train({
      model,
      epochs,
      optimizer: { name: 'adam', learningRate },
      data: () => {
        for (const b of epochBatches) disposeBatch(b);
        const order = shuffle.permutation(trainGraphs.length);
        epochBatches = [];
        for (let i = 0; i < order.length; i += batchSize) epochBatches.push(batchGraphs(order.slice(i, i + batchSize).map((j) => trainGraphs[j])));
        return epochBatches;
      },
      loss: (b) => model.loss(b),
      validate: () => {
        const p = predictVal();
        const mae = mean(p.map((v, i) => Math.abs(v - yVal[i])));
        valMae.push(mae);
        return mae;
      },
      progress: progress(targetName),
    });
    const predicted = predictVal();
    return {
      config: { target: targetName, unit, molecules: graphs.length, train: trainGraphs.length, validation: valGraphs.length, hidden, layers, readout, norm, epochs, batchSize, learningRate, seed, parameters: model.trainableVariables().reduce((s, v) => s + v.size, 0) },
      baselineMae,
      valMae: valMae[valMae.length - 1],
      bestValMae: Math.min(...valMae),
      curve: history.loss.map((loss, i) => ({ epoch: i + 1, trainLoss: loss, valMae: valMae[i] })),
      predictions: predicted.map((p, i) => ({ truth: yVal[i], predicted: p, smiles: valGraphs[i].smiles })),
      seconds: history.seconds,
    };
  } finally {
    for (const b of epochBatches) disposeBatch(b);
    disposeBatch(valBatch);
    model.dispose();
  }
}
