// The star-graph path-finding task of 004 §7.4 (Fig. 7.5a, after Bachmann & Nagarajan, ref. [248]): train one
// model per objective on "edges / start,end = path" and score the full path of unseen graphs by greedy
// left-to-right decoding. Teacher-forced AR can learn every path token after the first from the previous one
// (the "Clever Hans" cheat) and so never learns to choose the arm: it picks one of `degree` arms, 1/degree.
import { starGraphTask } from '@nnphys/datasets';
import { trainOnTask } from '@nnphys/diffusion-lm';

/** Published accuracy, % (004 Fig. 7.5a; degree 2, so the Clever-Hans level is 50). */
export const PUBLISHED = { ar: 50, 'mlm-u': 100 };

export const LABELS = { ar: 'AR', 'mlm-u': 'MLM-U' };

// AR w/reverse (published 49) is not run: trainOnTask's reversal objectives reverse whole rows and cannot restrict
// the loss to the path.
const OBJECTIVES = { ar: { objective: 'ar' }, 'mlm-u': { objective: 'mlm-u' } };
export const ALL_OBJECTIVES = Object.keys(OBJECTIVES);

/**
 * Sizes. Every model: 2 layers, dim 64, 4 heads, rotary positions, Adam 3e-3 with 5% warm-up and cosine decay,
 * batch 64, loss on the path only (`lossOn: 'answer'`, as the prompt's edge list is random). 'tiny' is the
 * example test's configuration, 'default' the measured one in the README. Arms of 3 nodes (start, middle, end):
 * with longer arms (4 nodes) neither objective learned the task in 60 epochs at this size (README).
 */
export const SCALES = {
  tiny: { degree: 2, pathLength: 3, nodes: 10, trainSamples: 1500, testSamples: 100, epochs: 40, learningRate: 3e-3 },
  default: { degree: 2, pathLength: 3, nodes: 10, trainSamples: 3000, testSamples: 200, epochs: 60, learningRate: 3e-3 },
};

/**
 * Scores a decoded answer ("s , x , ... , e" as tokens): whether it is the right path, and whether its first
 * step goes from the start to the second node of some arm (the Clever-Hans choice of an arm).
 */
export function scorePath(answer, graph) {
  const nodes = answer.filter((_, j) => j % 2 === 0).map(Number);
  const commas = answer.filter((_, j) => j % 2 === 1).every((t) => t === ',');
  const right = graph.arms[0];
  return {
    correct: commas && right.length === nodes.length && right.every((v, j) => v === nodes[j]),
    someArm: nodes[0] === right[0] && graph.arms.some((arm) => arm[1] === nodes[1]),
  };
}

/**
 * Runs the objectives on one seeded star-graph task. Returns one row per objective: exact match of the
 * full path, the fraction whose first step goes onto some (possibly wrong) arm, per-token accuracy, seconds.
 */
export async function runStarGraph({ scale = 'default', objectives = ALL_OBJECTIVES, seed = 1, onResult, progress = false } = {}) {
  const size = typeof scale === 'string' ? SCALES[scale] : scale;
  if (!size) throw new Error(`scale must be one of ${Object.keys(SCALES).join(', ')}, got ${scale}`);
  const { epochs, learningRate, ...graphOptions } = size;
  const task = starGraphTask({ ...graphOptions, seed });
  const rows = [];
  for (const name of objectives) {
    const spec = OBJECTIVES[name];
    if (!spec) throw new Error(`unknown objective ${name}; choose from ${ALL_OBJECTIVES.join(', ')}`);
    const t0 = Date.now();
    const run = await trainOnTask(task, {
      ...spec,
      epochs,
      batchSize: 64,
      learningRate,
      schedule: 'cosine',
      warmup: 0.05,
      lossOn: 'answer',
      model: { dim: 64, heads: 4, layers: 2 },
      seed: 3,
      progress: progress ? { label: name } : false,
    });
    run.model.dispose();
    let correct = 0;
    let someArm = 0;
    task.test.forEach((s, i) => {
      const r = scorePath(run.accuracy.answers[i], s.graph);
      correct += r.correct ? 1 : 0;
      someArm += r.someArm ? 1 : 0;
    });
    const n = task.test.length;
    const row = {
      name,
      label: LABELS[name],
      accuracy: correct / n,
      exactMatch: run.accuracy.overall.exactMatch,
      someArm: someArm / n,
      perToken: run.accuracy.overall.perToken,
      testGraphs: n,
      trainingRows: run.trainingRows,
      seconds: (Date.now() - t0) / 1000,
    };
    rows.push(row);
    onResult?.(row);
  }
  return { task: { ...graphOptions, train: task.train.length, test: task.test.length, vocabulary: task.vocabulary.length, example: task.train[0].compact }, size, rows };
}

const pct = (x) => `${Math.round(100 * x)}`;

/** A Markdown table in the style of Fig. 7.5a: measured path accuracy next to the published one. */
export function markdownTable(rows, degree = 2) {
  const lines = [`| Objective | Full path correct % | First step onto an arm % | Per token % | Published % (degree 2) | Clever Hans (1/${degree}) |`, '|---|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.label} | ${pct(r.accuracy)} | ${pct(r.someArm)} | ${pct(r.perToken)} | ${PUBLISHED[r.name]} | ${pct(1 / degree)} |`);
  return lines.join('\n');
}
