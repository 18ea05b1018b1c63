// The non-reciprocal relationship task of 004 §7.3.1 (Table 7.1 bottom, Table D.4): statements "A => B => C",
// questions "B => ?" (answer C) and "B <= ?" (answer A). Forward / backward exact match and the "incorrect
// inference" rate: the answer a model that treats the relation as symmetric would give (A for "B => ?", C for
// "B <= ?").
import { relationTask } from '@nnphys/datasets';
import { trainOnTask } from '@nnphys/diffusion-lm';

/** Published exact match, % (Table D.4): forward, backward, incorrect inference. */
export const PUBLISHED = {
  ar: { forward: null, backward: null, incorrect: null, source: 'not in Table D.4' },
  'ar-reverse-entity': { forward: 100, backward: 100, incorrect: 0, source: 'Table D.4' },
  'mlm-15': { forward: 24, backward: 19, incorrect: 0, source: 'Table D.4' },
  'mlm-40': { forward: 77, backward: 35, incorrect: 1, source: 'Table D.4' },
  'mlm-u': { forward: 100, backward: 100, incorrect: 0, source: 'Table D.4' },
};

export const LABELS = { ar: 'AR', 'ar-reverse-entity': 'AR w/reverse (entity)', 'mlm-15': 'MLM 15%', 'mlm-40': 'MLM 40%', 'mlm-u': 'MLM-U' };

const OBJECTIVES = {
  ar: { objective: 'ar' },
  'ar-reverse-entity': { objective: 'ar-reverse-entity' },
  'mlm-15': { objective: 'mlm', rate: 0.15 },
  'mlm-40': { objective: 'mlm', rate: 0.4 },
  'mlm-u': { objective: 'mlm-u' },
};
export const ALL_OBJECTIVES = Object.keys(OBJECTIVES);

/**
 * Sizes. Entities of one token and the questions of 90% of the triples in training (the levers that made
 * MLM-U learn the task here, see the README); Adam with 5% warm-up and cosine decay, batch 100, 4 heads, rotary.
 */
export const SCALES = {
  small: { triples: 200, entityLength: 1, trainQueryFraction: 0.9, epochs: 300, dim: 64, layers: 2, learningRate: 3e-3 },
  default: { triples: 200, entityLength: 1, trainQueryFraction: 0.9, epochs: 300, dim: 128, layers: 3, learningRate: 1e-3 },
};

/** Runs the objectives on one seeded relationship task; one row per objective (fractions) and seconds. */
export async function runRelationship({ scale = 'default', objectives = ALL_OBJECTIVES, seed = 1, onResult, progress = false } = {}) {
  const size = typeof scale === 'string' ? SCALES[scale] : scale;
  if (!size) throw new Error(`scale must be one of ${Object.keys(SCALES).join(', ')}, got ${scale}`);
  const task = relationTask({ triples: size.triples, entityLength: size.entityLength, trainQueryFraction: size.trainQueryFraction, seed });
  const rows = [];
  for (const name of objectives) {
    const spec = OBJECTIVES[name];
    if (!spec) throw new Error(`unknown objective ${name}; choose from ${ALL_OBJECTIVES.join(', ')}`);
    const t0 = Date.now();
    const run = await trainOnTask(task, {
      ...spec,
      epochs: size.epochs,
      batchSize: 100,
      learningRate: size.learningRate,
      schedule: 'cosine',
      warmup: 0.05,
      model: { dim: size.dim, heads: 4, layers: size.layers },
      seed: 3,
      progress: progress ? { label: name } : false,
    });
    run.model.dispose();
    const k = run.accuracy.byKind;
    // Incorrect inference: the fraction of all test questions answered with the symmetric (wrong) entity.
    const incorrect = (k.forward.wrongAnswer * k.forward.count + k.backward.wrongAnswer * k.backward.count) / (k.forward.count + k.backward.count);
    const row = { name, label: LABELS[name], forward: k.forward.exactMatch, backward: k.backward.exactMatch, incorrect, testQueries: k.forward.count, trainingRows: run.trainingRows, seconds: (Date.now() - t0) / 1000 };
    rows.push(row);
    onResult?.(row);
  }
  return { task: { triples: size.triples, train: task.train.length, test: task.test.length }, size, rows };
}

const pct = (x) => (x == null ? '-' : `${Math.round(100 * x)}`);

/** A Markdown table in the style of Table D.4: measured next to published. */
export function markdownTable(rows) {
  const lines = ['| Objective | Forward | Backward | Incorrect inference | Published (Table D.4) |', '|---|---|---|---|---|'];
  for (const r of rows) {
    const p = PUBLISHED[r.name];
    const published = p.forward == null ? '-' : `${p.forward} / ${p.backward} / ${p.incorrect}`;
    lines.push(`| ${r.label} | ${pct(r.forward)} | ${pct(r.backward)} | ${pct(r.incorrect)} | ${published} |`);
  }
  return lines.join('\n');
}
