// Message passing with core's gatherRows + segmentSum: learning a sum over edges (000 eq. 5.9, sum readout 5.10).
import * as tf from '@tensorflow/tfjs-core';
import { MLP, Module, Random, gatherRows, segmentSum, train } from '@nnphys/core';
import { lineChart } from '../report/plot.mjs';

function makeGraphs(rng, count) {
  const graphs = [];
  for (let g = 0; g < count; g++) {
    const n = 3 + rng.int(8);
    const nodes = Array.from({ length: n }, () => [rng.normal(), rng.normal()]);
    const senders = [];
    const receivers = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i !== j && rng.uniform() < 0.3) {
          senders.push(i);
          receivers.push(j);
        }
      }
    }
    let y = 0;
    for (let e = 0; e < senders.length; e++) y += Math.tanh(nodes[senders[e]][0] * nodes[receivers[e]][1]);
    graphs.push({ nodes, senders, receivers, y });
  }
  return graphs;
}

function toBatch(graphs) {
  const nodes = [];
  const senders = [];
  const receivers = [];
  const graphIds = [];
  for (const [g, graph] of graphs.entries()) {
    const offset = nodes.length;
    nodes.push(...graph.nodes);
    for (let e = 0; e < graph.senders.length; e++) {
      senders.push(graph.senders[e] + offset);
      receivers.push(graph.receivers[e] + offset);
    }
    for (let i = 0; i < graph.nodes.length; i++) graphIds.push(g);
  }
  return {
    nodes: tf.tensor2d(nodes),
    senders: tf.tensor1d(senders, 'int32'),
    receivers: tf.tensor1d(receivers, 'int32'),
    graphIds: tf.tensor1d(graphIds, 'int32'),
    numGraphs: graphs.length,
    y: tf.tensor2d(graphs.map((g) => [g.y])),
  };
}

class EdgeSumModel extends Module {
  constructor(seed) {
    super();
    this.message = this.addModule('message', new MLP({ inputs: 4, hidden: [32, 32], outputs: 1, activation: 'tanh', seed }));
  }
  apply(b) {
    return tf.tidy(() => {
      const pair = tf.concat([gatherRows(b.nodes, b.senders), gatherRows(b.nodes, b.receivers)], 1);
      const perNode = segmentSum(this.message.apply(pair), b.receivers, b.nodes.shape[0]);
      return segmentSum(perNode, b.graphIds, b.numGraphs);
    });
  }
}

export default {
  id: 'message-passing',
  title: 'Message passing on random graphs (core)',
  description: 'A message function on each edge, summed onto receivers and then over the graph, learns y = Σ_edges tanh(x_u,0 · x_v,1). Built from @nnphys/core gatherRows and segmentSum only.',
  async run({ scale, progress }) {
    const sizes = { small: { train: 256, test: 64, epochs: 40 }, default: { train: 512, test: 128, epochs: 60 } }[scale];
    const rng = new Random(2026);
    const trainSet = makeGraphs(rng, sizes.train);
    const testSet = makeGraphs(rng, sizes.test);
    const batches = [];
    for (let i = 0; i < trainSet.length; i += 64) batches.push(toBatch(trainSet.slice(i, i + 64)));
    const test = toBatch(testSet);
    const model = new EdgeSumModel(7);
    const baseline = tf.tidy(() => tf.moments(test.y).variance.dataSync()[0]);
    const history = await train({ model, data: batches, epochs: sizes.epochs, optimizer: tf.train.adam(3e-3), loss: (b) => tf.losses.meanSquaredError(b.y, model.apply(b)), progress: progress('message passing') });
    const testMse = tf.tidy(() => tf.losses.meanSquaredError(test.y, model.apply(test)).dataSync()[0]);
    model.dispose();
    for (const b of [...batches, test]) tf.dispose(Object.values(b).filter((v) => v instanceof tf.Tensor));
    return {
      metrics: [
        { key: 'graphs', label: 'graphs (train / test)', value: sizes.train, display: `${sizes.train} / ${sizes.test}` },
        { key: 'baselineMse', label: 'test MSE, predicting the mean', value: baseline, display: baseline.toFixed(4) },
        { key: 'testMse', label: 'test MSE, message passing', value: testMse, display: testMse.toFixed(4) },
      ],
      summary: `test MSE ${testMse.toFixed(3)} vs ${baseline.toFixed(3)} for the mean`,
      plots: [lineChart({ rows: history.loss.map((l, i) => ({ x: i + 1, y: l, series: 'train loss' })), x: 'epoch', y: 'MSE', title: 'Training loss', logY: true })],
    };
  },
};
