// The retrieval task of 004 §7.3.1 (Table 7.1, Table D.2): train one model per objective, score forward
// and backward test queries by greedy left-to-right completion, and set the result next to the published numbers.
import { retrievalTask } from '@nnphys/datasets';
import { trainOnTask } from '@nnphys/diffusion-lm';

/** Published exact match (Table 7.1) or per-token accuracy (Table D.2, for MLM 40% / 85% and PLM), in %. */
export const PUBLISHED = {
  ar: { forward: 100, backward: 0, source: 'Table 7.1' },
  'ar-reverse': { forward: 100, backward: 0, source: 'Table 7.1' },
  'ar-reverse-entity': { forward: null, backward: null, source: '§7.3.1: "trivially solves this task"' },
  'mlm-15': { forward: 21, backward: 22, source: 'Table 7.1' },
  'mlm-40': { forward: 17, backward: 16, source: 'Table D.2 (per token)' },
  'mlm-85': { forward: 27, backward: 28, source: 'Table D.2 (per token)' },
  'mlm-u': { forward: 100, backward: 100, source: 'Table 7.1' },
  plm: { forward: 100, backward: 100, source: 'Table D.2 (per token)' },
};

export const LABELS = {
  ar: 'AR',
  'ar-reverse': 'AR w/reverse (token)',
  'ar-reverse-entity': 'AR w/reverse (entity)',
  'mlm-15': 'MLM 15%',
  'mlm-40': 'MLM 40%',
  'mlm-85': 'MLM 85%',
  'mlm-u': 'MLM-U',
  plm: 'PLM',
};

/**
 * Sizes. 'small' is the configuration of the package's test (40 pairs); 'default' has 100 pairs.
 * Every model: 2 layers, dim 64, 4 heads, rotary positions, Adam with 5% warm-up and cosine decay.
 */
export const SCALES = {
  tiny: { pairs: 16, epochs: 200, batchSize: 48, learningRate: 3e-3 },
  small: { pairs: 40, epochs: 200, batchSize: 80, learningRate: 3e-3 },
  default: { pairs: 100, epochs: 300, batchSize: 100, learningRate: 3e-3 },
};

const OBJECTIVES = {
  ar: { objective: 'ar' },
  'ar-reverse': { objective: 'ar-reverse' },
  'ar-reverse-entity': { objective: 'ar-reverse-entity' },
  'mlm-15': { objective: 'mlm', rate: 0.15 },
  'mlm-40': { objective: 'mlm', rate: 0.4 },
  'mlm-85': { objective: 'mlm', rate: 0.85 },
  'mlm-u': { objective: 'mlm-u' },
  plm: { objective: 'plm' },
};

export const ALL_OBJECTIVES = Object.keys(OBJECTIVES);

/**
 * Runs the objectives on one seeded retrieval task. Returns one row per objective with exact-match
 * and per-token accuracy per direction (fractions), the training rows and seconds.
 */
export async function runRetrieval({ scale = 'default', objectives = ALL_OBJECTIVES, seed = 1, onResult, progress = false } = {}) {
  const size = typeof scale === 'string' ? SCALES[scale] : scale;
  if (!size) throw new Error(`scale must be one of ${Object.keys(SCALES).join(', ')}, got ${scale}`);
  const task = retrievalTask({ pairs: size.pairs, seed });
  const rows = [];
  for (const name of objectives) {
    const spec = OBJECTIVES[name];
    if (!spec) throw new Error(`unknown objective ${name}; choose from ${ALL_OBJECTIVES.join(', ')}`);
    const t0 = Date.now();
    const run = await trainOnTask(task, {
      ...spec,
      epochs: size.epochs,
      batchSize: size.batchSize,
      learningRate: size.learningRate,
      schedule: 'cosine',
      warmup: 0.05,
      model: { dim: 64, heads: 4, layers: 2 },
      seed: 3,
      progress: progress ? { label: name } : false,
    });
    run.model.dispose();
    const k = run.accuracy.byKind;
    const row = {
      name,
      label: LABELS[name],
      forward: k.forward.exactMatch,
      backward: k.backward.exactMatch,
      forwardPerToken: k.forward.perToken,
      backwardPerToken: k.backward.perToken,
      testQueries: k.forward.count,
      trainingRows: run.trainingRows,
      seconds: (Date.now() - t0) / 1000,
    };
    rows.push(row);
    onResult?.(row);
  }
  return { task: { pairs: size.pairs, train: task.train.length, test: task.test.length, vocabulary: task.vocabulary.length }, size, rows };
}

const pct = (x) => (x == null ? '-' : `${Math.round(100 * x)}`);

/** A Markdown table in the style of Table 7.1: measured exact match (per-token) next to the published numbers. */
export function markdownTable(rows) {
  const lines = ['| Objective | Forward (measured) | Backward (measured) | Forward / Backward (published) | Source |', '|---|---|---|---|---|'];
  for (const r of rows) {
    const p = PUBLISHED[r.name];
    const published = p.forward == null ? '-' : `${p.forward} / ${p.backward}`;
    lines.push(`| ${r.label} | ${pct(r.forward)} (${pct(r.forwardPerToken)}) | ${pct(r.backward)} (${pct(r.backwardPerToken)}) | ${published} | ${p.source} |`);
  }
  return lines.join('\n');
}
