import { NnphysError } from '@nnphys/core';
import { checkChoice, checkInteger, fail, show } from '../internal/checks.js';
import type { Molecule } from '../types.js';
import { csvLines, splitCsvLine } from './csv.js';
import { downloadAtomic, sha256File, writeFileAtomic } from './download.js';
import { type QM9Options, type QM9Set, resolveQM9Options } from './qm9_sample.js';
import { loadRDKit } from './rdkit.js';
import { parseSmiles } from './smiles_to_graph.js';
import { type AtomRecord, type BondRecord, buildMolecule, decodeAtoms, decodeBonds, encodeAtoms, encodeBonds } from './features.js';
import { convertTargets, QM9_TARGET_NAMES, qm9Units } from './targets.js';

/** MoleculeNet's QM9 CSV as DeepChem hosts it (SMILES + the 12 standard targets + A, B, C and atomisation energies). */
export const QM9_URL = 'https://deepchemdata.s3-us-west-1.amazonaws.com/datasets/qm9.csv';
/**
 * sha256 of QM9_URL's body (29,856,825 bytes, 133,885 rows, Last-Modified 2020-07-10), as recorded by two
 * independent public data cards found with code search; this machine cannot reach the host to confirm it.
 */
export const QM9_URL_SHA256 = '3e668f8c34e4bc392a90d417a50a5eed3b64b842a817a633024bdc054c68ccb4';

/** QM9's list of the 3,054 "uncharacterized" molecules (figshare file 3195404), as PyG downloads it. */
export const QM9_UNCHARACTERIZED_URL = 'https://ndownloader.figshare.com/files/3195404';
/** Number of entries in that list (Ramakrishnan et al. 2014; PyG asserts it). */
export const QM9_UNCHARACTERIZED_COUNT = 3054;

/** The indices (1-based GDB-9 numbers) of the uncharacterized list: every line whose first token is an integer. */
export function parseUncharacterized(text: string): Set<number> {
  const out = new Set<number>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+\S/.exec(line);
    if (m !== null) out.add(Number(m[1]));
  }
  return out;
}

export interface LoadQM9Options extends QM9Options {
  /** A local CSV path or an http(s) URL. Default QM9_URL. */
  source?: string;
  /** Where downloads are cached. Default $NNPHYS_CACHE_DIR, else ~/.cache/nnphys. */
  cacheDir?: string;
  /** Return at most this many molecules (the first valid rows). */
  limit?: number;
  /**
   * Expected sha256 (hex) of the source file. Default: QM9_URL_SHA256 for QM9_URL; for other sources none,
   * and a downloaded file's hash is recorded beside the cache on first download and checked afterwards.
   */
  sha256?: string;
  /**
   * Keep the per-molecule RDKit results (compact atom/bond codes, independent of layout and hydrogens) in
   * `cacheDir`, keyed by the source's sha256, so that later loads skip RDKit. Default true for URL sources,
   * and for local paths when `cacheDir` is given.
   */
  featureCache?: boolean;
  /**
   * Drop the 3,054 molecules whose relaxed geometry no longer matches their SMILES (QM9's
   * "uncharacterized.txt", as PyG does): true = download the list from QM9_UNCHARACTERIZED_URL (cached and
   * sha256-recorded like the CSV), or a local path / URL of that list. Rows are matched by the CSV's mol_id
   * (gdb_<index>). Default false (keep all rows, as MoleculeNet).
   */
  removeUncharacterized?: boolean | string;
  /** What to do with an invalid row: 'throw' (default) an error naming the row, or 'skip' it and report it in `skipped`. */
  onInvalid?: 'throw' | 'skip';
}

export interface SkippedRow {
  /** 0-based data row (as in `rows`). */
  row: number;
  /** 1-based line of the file (the header is line 1). */
  line: number;
  smiles: string;
  reason: string;
}

export interface QM9Load extends QM9Set {
  skipped: SkippedRow[];
  /** How many rows were dropped by `removeUncharacterized` (0 when off). */
  removed: number;
  source: QM9Set['source'] & {
    /** The file that was read (the cache file for a URL). */
    path: string;
    url?: string;
    /** For a URL: 'cache' (valid cache used), 'download' (no cache) or 'redownload' (the cache failed its checksum). */
    fetched?: 'cache' | 'download' | 'redownload';
    /** How many molecules came from the feature cache (the rest were parsed by RDKit-JS). */
    fromFeatureCache: number;
  };
}

const HEX64 = /^[0-9a-f]{64}$/;
/** Bump when the featurisation changes: old feature caches are then ignored. */
const FEATURE_CACHE_VERSION = 1;

type FeatureEntry = { smiles: string; atoms: string; bonds: string };

/** Reads a feature cache; an absent, foreign or damaged file gives an empty map (and is rewritten later). */
async function readFeatureCache(path: string, stamp: string): Promise<Map<number, FeatureEntry>> {
  const { readFile } = await import('node:fs/promises');
  const out = new Map<number, FeatureEntry>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return out;
  }
  const lines = csvLines(text);
  const n = lines.length - 2;
  if (n < 0 || lines[0] !== stamp) return out;
  // the last line carries the entry count and the sha256 of the entries: an edited or cut file is ignored
  const { createHash } = await import('node:crypto');
  const digest = createHash('sha256').update(lines.slice(1, -1).join('\n')).digest('hex');
  if (lines[lines.length - 1] !== `end\t${n}\t${digest}`) return out;
  for (let i = 1; i <= n; i++) {
    const [row, smiles, atoms, bonds] = lines[i].split('\t');
    if (bonds === undefined || !/^\d+$/.test(row)) return new Map();
    out.set(Number(row), { smiles, atoms, bonds });
  }
  return out;
}

/** Checks a CSV header: the smiles column and the 12 standard targets must be present (any order, extra columns ignored). */
function headerColumns(header: string[], where: string): { smiles: number; targets: number[] } {
  const names = header.map((h) => h.trim());
  const missing = ['smiles', ...QM9_TARGET_NAMES].filter((n) => !names.includes(n));
  if (missing.length > 0) fail(`${where}: the CSV header lacks the column(s) ${missing.join(', ')}; got ${show(names.join(','))}`);
  return { smiles: names.indexOf('smiles'), targets: QM9_TARGET_NAMES.map((n) => names.indexOf(n)) };
}

const csvWithSmiles = (head: string): string | null => {
  const firstLine = head.split('\n')[0] ?? '';
  return splitCsvLine(firstLine.replace(/\r$/, '')).map((c) => c.trim()).includes('smiles') ? null : `its first line has no smiles column (${show(firstLine)})`;
};

async function cachedDownload(
  url: string,
  cacheDir: string,
  expected: string | undefined,
  where: string,
  accept: (head: string) => string | null = csvWithSmiles,
) {
  const fs = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { createHash } = await import('node:crypto');
  const dir = join(cacheDir, 'qm9');
  await fs.mkdir(dir, { recursive: true });
  const base = `${(url.split('/').pop() || 'qm9.csv').replace(/[^A-Za-z0-9._-]/g, '_')}`;
  const path = join(dir, `${createHash('sha256').update(url).digest('hex').slice(0, 12)}-${base}`);
  const metaPath = `${path}.json`;
  let fetched: 'cache' | 'download' | 'redownload' = 'download';
  const exists = await fs.stat(path).then(
    () => true,
    () => false,
  );
  if (exists) {
    const actual = await sha256File(path);
    let recorded: string | undefined;
    try {
      const meta = JSON.parse(await fs.readFile(metaPath, 'utf8')) as { url?: string; sha256?: string };
      if (meta.url === url) recorded = meta.sha256;
    } catch {
      recorded = undefined;
    }
    const want = expected ?? recorded;
    if (want !== undefined && actual === want) return { path, sha256: actual, fetched: 'cache' as const };
    fetched = 'redownload'; // corrupt, stale or unverifiable cache
    await fs.rm(path, { force: true });
    await fs.rm(metaPath, { force: true });
  }
  const got = await downloadAtomic(url, path, expected, accept, where);
  await writeFileAtomic(metaPath, JSON.stringify({ url, sha256: got.sha256, bytes: got.bytes, downloadedAt: new Date().toISOString() }));
  return { path, sha256: got.sha256, fetched };
}

/**
 * Loads QM9 (MoleculeNet CSV: a smiles column and the 12 targets mu, alpha, homo, lumo, gap, r2, zpve,
 * cv, u0, u298, h298, g298) from a local path or a URL, featurised as smilesToGraph does (000 App. A).
 * URLs are downloaded once into a cache, sha256-verified (see `sha256`), re-downloaded when the cache is
 * corrupt, and written atomically (temporary file + rename). Targets are in the CSV's units unless
 * `units: 'ev'` (Hartree -> eV as PyG). Invalid rows (unparsable SMILES, elements other than H, C, N, O, F,
 * wrong number of cells, non-numeric targets) throw an error naming the row, or are skipped and reported
 * with `onInvalid: 'skip'`. Node only (uses node:fs, node:crypto and fetch).
 */
export async function loadQM9(opts?: LoadQM9Options): Promise<QM9Load> {
  const where = 'loadQM9';
  const o = (opts ?? {}) as LoadQM9Options;
  const { layout, hydrogens, units } = resolveQM9Options(opts, where);
  const source = o.source ?? QM9_URL;
  if (typeof source !== 'string' || source.length === 0) fail(`${where}: source must be a file path or an http(s) URL, got ${show(source)}`);
  const limit = o.limit === undefined ? Number.POSITIVE_INFINITY : checkInteger(o.limit, `${where}: limit`, 1);
  const onInvalid = checkChoice(o.onInvalid ?? 'throw', `${where}: onInvalid`, ['throw', 'skip'] as const);
  if (o.sha256 !== undefined && (typeof o.sha256 !== 'string' || !HEX64.test(o.sha256))) {
    fail(`${where}: sha256 must be 64 lowercase hex characters, got ${show(o.sha256)}`);
  }
  const isUrl = /^https?:\/\//i.test(source);
  const expected = o.sha256 ?? (source === QM9_URL ? QM9_URL_SHA256 : undefined);

  if (o.cacheDir !== undefined && (typeof o.cacheDir !== 'string' || o.cacheDir.length === 0)) fail(`${where}: cacheDir must be a directory path, got ${show(o.cacheDir)}`);
  if (o.featureCache !== undefined && typeof o.featureCache !== 'boolean') fail(`${where}: featureCache must be true or false, got ${show(o.featureCache)}`);
  const { join } = await import('node:path');
  const { homedir } = await import('node:os');
  const defaultCacheDir = process.env.NNPHYS_CACHE_DIR ?? join(homedir(), '.cache', 'nnphys');
  // a local CSV is cached (features only) only when the caller names a cacheDir
  const cacheDir = o.cacheDir ?? (isUrl ? defaultCacheDir : undefined);
  let path: string;
  let sha256: string;
  let fetched: QM9Load['source']['fetched'];
  if (isUrl) {
    ({ path, sha256, fetched } = await cachedDownload(source, cacheDir as string, expected, where));
  } else {
    path = source;
    try {
      sha256 = await sha256File(path);
    } catch (e) {
      fail(`${where}: cannot read source ${show(source)}: ${(e as Error).message}`);
    }
    if (expected !== undefined && sha256 !== expected) fail(`${where}: checksum mismatch for ${source}: expected sha256 ${expected}, got ${sha256}`);
  }

  const { readFile } = await import('node:fs/promises');
  const lines = csvLines(await readFile(path, 'utf8'));
  if (lines.length === 0) fail(`${where}: ${source} is empty`);
  const header = splitCsvLine(lines[0]);
  const cols = headerColumns(header, `${where}: ${source}`);

  let drop: Set<number> | null = null;
  let molIdColumn = -1;
  const ru = o.removeUncharacterized ?? false;
  if (typeof ru !== 'boolean' && (typeof ru !== 'string' || ru.length === 0)) fail(`${where}: removeUncharacterized must be true, false, a path or a URL, got ${show(ru)}`);
  if (ru !== false) {
    molIdColumn = header.map((h) => h.trim()).indexOf('mol_id');
    if (molIdColumn < 0) fail(`${where}: removeUncharacterized needs a mol_id column (gdb_<index>) in ${source}; its header is ${show(lines[0])}`);
    const listSource = ru === true ? QM9_UNCHARACTERIZED_URL : ru;
    let text: string;
    if (/^https?:\/\//i.test(listSource)) {
      const got = await cachedDownload(listSource, cacheDir ?? defaultCacheDir, undefined, `${where}: removeUncharacterized`, (head) =>
        /^\s*\d+\s+\S/m.test(head) ? null : 'no line starts with a molecule index',
      );
      text = await readFile(got.path, 'utf8');
    } else {
      try {
        text = await readFile(listSource, 'utf8');
      } catch (e) {
        fail(`${where}: cannot read removeUncharacterized list ${show(listSource)}: ${(e as Error).message}`);
      }
    }
    drop = parseUncharacterized(text);
    if (ru === true && drop.size !== QM9_UNCHARACTERIZED_COUNT) {
      fail(`${where}: the uncharacterized list from ${QM9_UNCHARACTERIZED_URL} has ${drop.size} entries, expected ${QM9_UNCHARACTERIZED_COUNT}`);
    }
  }
  let removed = 0;
  const rd = await loadRDKit();
  const useFeatureCache = (o.featureCache ?? true) && cacheDir !== undefined;
  const featurePath = useFeatureCache ? join(cacheDir as string, 'qm9', `features-${sha256.slice(0, 16)}.tsv`) : '';
  const stamp = `nnphys-qm9-features\t${FEATURE_CACHE_VERSION}\t${sha256}\tRDKit-JS ${rd.version()}`;
  const cached = useFeatureCache ? await readFeatureCache(featurePath, stamp) : new Map<number, FeatureEntry>();
  let fromFeatureCache = 0;
  let added = 0;
  const molecules: Molecule[] = [];
  const rows: number[] = [];
  const skipped: SkippedRow[] = [];
  for (let r = 1; r < lines.length && molecules.length < limit; r++) {
    const cells = splitCsvLine(lines[r]);
    const smiles = (cells[cols.smiles] ?? '').trim();
    const at = `${where}: line ${r + 1} (data row ${r - 1}, smiles ${show(smiles)})`;
    try {
      if (cells.length !== header.length) fail(`${at}: expected ${header.length} cells, got ${cells.length}`);
      if (drop !== null) {
        const id = /^gdb_(\d+)$/.exec(cells[molIdColumn].trim());
        if (id === null) fail(`${at}: mol_id must look like gdb_<index>, got ${show(cells[molIdColumn])}`);
        if (drop.has(Number(id[1]))) {
          removed++;
          continue;
        }
      }
      const target = cols.targets.map((c, j) => {
        const cell = cells[c].trim();
        const v = cell === '' ? Number.NaN : Number(cell);
        if (!Number.isFinite(v)) fail(`${at}: target ${QM9_TARGET_NAMES[j]} must be a finite number, got ${show(cell)}`);
        return v;
      });
      let g: { atoms: AtomRecord[]; bonds: BondRecord[] } | null = null;
      const hit = cached.get(r - 1);
      if (hit !== undefined && hit.smiles === smiles) {
        try {
          g = { atoms: decodeAtoms(hit.atoms, at), bonds: decodeBonds(hit.bonds, at) };
          fromFeatureCache++;
        } catch {
          g = null; // a damaged entry: parse again
        }
      }
      if (g === null) {
        g = parseSmiles(rd, smiles, at);
        const atoms = encodeAtoms(g.atoms);
        const bonds = encodeBonds(g.bonds);
        if (useFeatureCache && atoms !== null && bonds !== null) {
          cached.set(r - 1, { smiles, atoms, bonds });
          added++;
        }
      }
      molecules.push(buildMolecule(smiles, g.atoms, g.bonds, layout, hydrogens, convertTargets(target, units)));
      rows.push(r - 1);
    } catch (e) {
      if (onInvalid === 'throw' || !(e instanceof NnphysError)) throw e;
      skipped.push({ row: r - 1, line: r + 1, smiles, reason: e.message.startsWith(`${at}: `) ? e.message.slice(at.length + 2) : e.message });
    }
  }
  if (useFeatureCache && added > 0) {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(cacheDir as string, 'qm9'), { recursive: true });
    const body = [...cached.entries()].sort((a, b) => a[0] - b[0]).map(([row, e]) => `${row}\t${e.smiles}\t${e.atoms}\t${e.bonds}`);
    const { createHash } = await import('node:crypto');
    const digest = createHash('sha256').update(body.join('\n')).digest('hex');
    await writeFileAtomic(featurePath, `${stamp}\n${body.join('\n')}${body.length > 0 ? '\n' : ''}end\t${body.length}\t${digest}\n`);
  }
  return {
    molecules,
    targetNames: [...QM9_TARGET_NAMES],
    units: qm9Units(units),
    rows,
    skipped,
    removed,
    source: {
      name: isUrl ? source : `file ${source}`,
      sha256,
      featurisedBy: `RDKit-JS ${rd.version()} (@rdkit/rdkit), hybridization derived`,
      path,
      fromFeatureCache,
      ...(isUrl ? { url: source, fetched } : {}),
    },
  };
}
