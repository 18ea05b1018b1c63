import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HARTREE_TO_EV, QM9_TARGET_NAMES, loadQM9, qm9Sample } from '../src/index.js';

// A small real CSV built from the embedded sample (no dependency on files outside the repo), in the
// DeepChem column layout: extra columns (mol_id, A) and targets in another order than the package's.
const SAMPLE = qm9Sample();
const COLUMNS = ['mol_id', 'smiles', 'A', ...[...QM9_TARGET_NAMES].reverse()];
function csvOf(n: number): string {
  const lines = [COLUMNS.join(',')];
  SAMPLE.molecules.slice(0, n).forEach((m, i) => {
    const t = new Map(QM9_TARGET_NAMES.map((name, j) => [name, m.target![j]!]));
    lines.push([`gdb_${i + 1}`, m.smiles, '1.5', ...[...QM9_TARGET_NAMES].reverse().map((name) => String(t.get(name)))].join(','));
  });
  return `${lines.join('\n')}\n`;
}
const GOOD = csvOf(40);
const GOOD_SHA = createHash('sha256').update(GOOD).digest('hex');
// the layout of QM9's uncharacterized.txt: prose (with numbers inside lines), rules, a header, then index lines
const UNCHARACTERIZED = [
  '',
  'List of molecules among the 133885 GDB9 molecules for which ... lead to',
  'different SMILES and InChI strings when parsed through the program Openbabel.',
  '=====',
  '#   Index      GDB17 SMILES    SMILES for B3LYP XYZ    SMILES for Corina generated XYZ    D_IJ',
  '=====',
  '       2          N        N        [NH3]      6.036217',
  '       5          C#N      C#N      [CH]N      5.631463',
  '      40          CCCO     CCCO     CCC[O]     1.588400',
  '=====',
  '',
].join('\n');
const SHARED_CSV = fileURLToPath(new URL('../../../../../shared/data/qm9-sample.csv', import.meta.url));

let server: Server;
let base: string;
const hits = new Map<string, number>();
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'nnphys-qm9-'));
  server = createServer((req, res) => {
    hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
    if (req.url === '/qm9.csv' || req.url === '/other.csv') {
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': Buffer.byteLength(GOOD) });
      res.end(GOOD);
    } else if (req.url === '/truncated.csv') {
      // announces the whole file, sends a third of it, then drops the connection
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': Buffer.byteLength(GOOD) });
      res.write(GOOD.slice(0, Math.floor(GOOD.length / 3)), () => res.socket?.destroy());
    } else if (req.url === '/uncharacterized.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(UNCHARACTERIZED);
    } else if (req.url === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>not found</html>');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(tmp, { recursive: true, force: true });
});

/** Files in the cache directory (to check that no temporary or partial file is left behind). */
function cacheFiles(dir: string): string[] {
  return existsSync(join(dir, 'qm9')) ? readdirSync(join(dir, 'qm9')).sort() : [];
}

describe('loadQM9 from a local HTTP server', () => {
  test('downloads once, verifies sha256, then reads the cache; molecules equal qm9Sample', async () => {
    const cacheDir = join(tmp, 'c1');
    const a = await loadQM9({ source: `${base}/qm9.csv`, cacheDir, sha256: GOOD_SHA });
    expect(a.source.fetched).toBe('download');
    expect(a.source.sha256).toBe(GOOD_SHA);
    expect(a.molecules.length).toBe(40);
    expect(a.skipped).toEqual([]);
    expect(a.molecules).toEqual(SAMPLE.molecules.slice(0, 40));
    expect(a.rows).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(a.source.fromFeatureCache).toBe(0);
    expect(cacheFiles(cacheDir).length).toBe(3); // the CSV, its .json record and the feature cache; no temporary file
    const b = await loadQM9({ source: `${base}/qm9.csv`, cacheDir, sha256: GOOD_SHA });
    expect(b.source.fetched).toBe('cache');
    expect(b.source.fromFeatureCache).toBe(40); // no RDKit parse the second time
    expect(hits.get('/qm9.csv')).toBe(1);
    expect(b.molecules).toEqual(a.molecules);
    const c = await loadQM9({ source: `${base}/qm9.csv`, cacheDir, layout: 'pyg', hydrogens: 'explicit' });
    expect(c.source.fromFeatureCache).toBe(40);
    expect(c.molecules).toEqual(qm9Sample({ layout: 'pyg', hydrogens: 'explicit' }).molecules.slice(0, 40));
  });

  test('a damaged or foreign feature cache is ignored and rewritten', async () => {
    const cacheDir = join(tmp, 'c6');
    const a = await loadQM9({ source: `${base}/qm9.csv`, cacheDir, sha256: GOOD_SHA });
    const featureFile = join(cacheDir, 'qm9', cacheFiles(cacheDir).find((f) => f.startsWith('features-'))!);
    const text = readFileSync(featureFile, 'utf8');
    expect(text).toMatch(/\tC\tC34\t/); // methane's entry
    for (const damaged of [text.replace(/\tC\tC34\t/, '\tC\tC35\t'), text.split('\n').slice(0, -3).join('\n'), text.replace(/RDKit-JS [^\n]*/, 'RDKit-JS 0.0')]) {
      writeFileSync(featureFile, damaged); // an edited entry (well-formed, wrong H count), a cut file, another RDKit
      const b = await loadQM9({ source: `${base}/qm9.csv`, cacheDir, sha256: GOOD_SHA });
      expect(b.source.fromFeatureCache).toBe(0);
      expect(b.molecules).toEqual(a.molecules);
      expect(readFileSync(featureFile, 'utf8')).toBe(text);
    }
    const off = await loadQM9({ source: `${base}/qm9.csv`, cacheDir, featureCache: false });
    expect(off.source.fromFeatureCache).toBe(0);
  });

  test('a corrupt cache is detected by its checksum and downloaded again', async () => {
    const cacheDir = join(tmp, 'c2');
    const a = await loadQM9({ source: `${base}/other.csv`, cacheDir }); // no pinned hash: recorded on first download
    expect(a.source.fetched).toBe('download');
    const record = JSON.parse(readFileSync(`${a.source.path}.json`, 'utf8'));
    expect(record.sha256).toBe(GOOD_SHA);
    writeFileSync(a.source.path, GOOD.slice(0, 200)); // e.g. a disk error or a killed copy
    const b = await loadQM9({ source: `${base}/other.csv`, cacheDir });
    expect(b.source.fetched).toBe('redownload');
    expect(hits.get('/other.csv')).toBe(2);
    expect(b.molecules).toEqual(a.molecules);
    expect(readFileSync(b.source.path, 'utf8')).toBe(GOOD);
  });

  test('a truncated download throws and leaves no file in the cache', async () => {
    const cacheDir = join(tmp, 'c3');
    await expect(loadQM9({ source: `${base}/truncated.csv`, cacheDir })).rejects.toThrow(/loadQM9: download of .*truncated.* (was interrupted|is truncated)/);
    await expect(loadQM9({ source: `${base}/truncated.csv`, cacheDir })).rejects.toHaveProperty('name', 'NnphysError');
    expect(cacheFiles(cacheDir)).toEqual([]);
  });

  test('a wrong checksum throws naming both hashes and caches nothing', async () => {
    const cacheDir = join(tmp, 'c4');
    const wrong = '0'.repeat(64);
    await expect(loadQM9({ source: `${base}/qm9.csv`, cacheDir, sha256: wrong })).rejects.toThrow(
      new RegExp(`checksum mismatch for .*: expected sha256 ${wrong}, got ${GOOD_SHA}`),
    );
    expect(cacheFiles(cacheDir)).toEqual([]);
  });

  test('HTTP errors and non-CSV bodies throw; nothing is cached', async () => {
    const cacheDir = join(tmp, 'c5');
    await expect(loadQM9({ source: `${base}/missing.csv`, cacheDir })).rejects.toThrow(/failed with HTTP 404/);
    await expect(loadQM9({ source: `${base}/html`, cacheDir })).rejects.toThrow(/does not look like the expected file: its first line has no smiles column/);
    expect(cacheFiles(cacheDir)).toEqual([]);
  });
});

describe('loadQM9 removeUncharacterized', () => {
  test('drops the listed gdb indices (from a URL, cached, or a path) and reports how many', async () => {
    const cacheDir = join(tmp, 'c7');
    const set = await loadQM9({ source: `${base}/qm9.csv`, cacheDir, removeUncharacterized: `${base}/uncharacterized.txt` });
    expect(set.removed).toBe(3);
    expect(set.molecules.length).toBe(37);
    expect(set.rows).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((i) => ![1, 4, 39].includes(i)));
    expect(set.molecules).toEqual(SAMPLE.molecules.slice(0, 40).filter((_, i) => ![1, 4, 39].includes(i)));
    const listPath = join(tmp, 'uncharacterized.txt');
    writeFileSync(listPath, UNCHARACTERIZED);
    const again = await loadQM9({ source: `${base}/qm9.csv`, cacheDir, removeUncharacterized: listPath });
    expect(again.molecules).toEqual(set.molecules);
    expect(hits.get('/uncharacterized.txt')).toBe(1);
    const kept = await loadQM9({ source: `${base}/qm9.csv`, cacheDir });
    expect(kept.removed).toBe(0);
    expect(kept.molecules.length).toBe(40);
  });

  test('needs a mol_id column of gdb_<index> values', async () => {
    const p = join(tmp, 'noid.csv');
    writeFileSync(p, GOOD.replace(/^mol_id,/, 'id,'));
    await expect(loadQM9({ source: p, removeUncharacterized: join(tmp, 'x.txt') })).rejects.toThrow(/removeUncharacterized needs a mol_id column/);
    const q = join(tmp, 'badid.csv');
    writeFileSync(q, GOOD.replace('gdb_3,', 'mol3,'));
    writeFileSync(join(tmp, 'list.txt'), UNCHARACTERIZED);
    await expect(loadQM9({ source: q, removeUncharacterized: join(tmp, 'list.txt') })).rejects.toThrow(/line 4 .*mol_id must look like gdb_<index>, got "mol3"/);
    await expect(loadQM9({ source: q, removeUncharacterized: 3 as never })).rejects.toThrow(/removeUncharacterized must be true, false, a path or a URL, got 3/);
  });
});

describe('loadQM9 from a local file', () => {
  const bad = [
    COLUMNS.join(','),
    GOOD.split('\n')[1],
    'gdb_2,C1CC,1,0,0,0,0,0,0,0,0,0,0,0,0', // unclosed ring
    'gdb_3,CCl,1,0,0,0,0,0,0,0,0,0,0,0,0', // chlorine
    'gdb_4,CC,1,0,0,0,0,abc,0,0,0,0,0,0,0', // non-numeric target
    'gdb_5,CC,1,0,0,0', // missing cells
    'gdb_6,CO,1,0,0,0,0,,0,0,0,0,0,0,0', // empty target
    GOOD.split('\n')[2],
  ].join('\n');
  let badPath: string;
  beforeAll(() => {
    badPath = join(tmp, 'bad.csv');
    writeFileSync(badPath, bad);
  });

  test('onInvalid throw (default): the error names the line, the row, the SMILES and the reason', async () => {
    await expect(loadQM9({ source: badPath })).rejects.toThrow(/loadQM9: line 3 \(data row 1, smiles "C1CC"\): "C1CC" is not a valid SMILES/);
  });

  test('onInvalid skip: bad rows are reported, good rows loaded', async () => {
    const set = await loadQM9({ source: badPath, onInvalid: 'skip' });
    expect(set.molecules.map((m) => m.smiles)).toEqual([SAMPLE.molecules[0]!.smiles, SAMPLE.molecules[1]!.smiles]);
    expect(set.rows).toEqual([0, 6]);
    expect(set.skipped.map((s) => [s.row, s.line, s.smiles])).toEqual([
      [1, 3, 'C1CC'],
      [2, 4, 'CCl'],
      [3, 5, 'CC'],
      [4, 6, 'CC'],
      [5, 7, 'CO'],
    ]);
    expect(set.skipped[1]!.reason).toMatch(/atomic number 17/);
    expect(set.skipped[2]!.reason).toMatch(/target .* must be a finite number, got "abc"/);
    expect(set.skipped[3]!.reason).toMatch(/expected 15 cells, got 6/);
    expect(set.skipped[4]!.reason).toMatch(/must be a finite number, got ""/);
  });

  test('missing columns, bad options and wrong checksums throw naming what is wrong', async () => {
    const p = join(tmp, 'cols.csv');
    writeFileSync(p, 'smiles,mu,alpha\nC,0,1\n');
    await expect(loadQM9({ source: p })).rejects.toThrow(/lacks the column\(s\) homo, lumo, gap, r2, zpve, cv, u0, u298, h298, g298/);
    await expect(loadQM9({ source: join(tmp, 'nope.csv') })).rejects.toThrow(/loadQM9: cannot read source/);
    await expect(loadQM9({ source: badPath, onInvalid: 'ignore' as never })).rejects.toThrow(/onInvalid must be one of "throw", "skip"/);
    await expect(loadQM9({ source: badPath, limit: 0 })).rejects.toThrow(/limit must be an integer >= 1, got 0/);
    await expect(loadQM9({ source: badPath, sha256: 'abc' })).rejects.toThrow(/sha256 must be 64 lowercase hex/);
    await expect(loadQM9({ source: badPath, sha256: 'f'.repeat(64) })).rejects.toThrow(/checksum mismatch/);
  });

  test('limit, units ev (Hartree targets x 27.211386246 only), layout and explicit hydrogens', async () => {
    const p = join(tmp, 'good.csv');
    writeFileSync(p, GOOD);
    const raw = await loadQM9({ source: p, limit: 10, sha256: GOOD_SHA });
    const ev = await loadQM9({ source: p, limit: 10, units: 'ev' });
    expect(raw.molecules.length).toBe(10);
    expect(ev.units).toMatchObject({ u0: 'eV', homo: 'eV', zpve: 'eV', mu: 'D', alpha: 'bohr^3', r2: 'bohr^2', cv: 'cal/(mol K)' });
    // methane U0 = -40.47893 Ha = -1101.4877 eV (PyG's QM9 stores -1101.4878 eV for gdb_1)
    expect(ev.molecules[0]!.target![QM9_TARGET_NAMES.indexOf('u0')]).toBeCloseTo(-40.47893 * HARTREE_TO_EV, 9);
    expect(ev.molecules[0]!.target![QM9_TARGET_NAMES.indexOf('u0')]).toBeCloseTo(-1101.4878, 3);
    ev.molecules.forEach((m, i) => {
      QM9_TARGET_NAMES.forEach((name, j) => {
        expect(m.target![j]).toBeCloseTo(raw.molecules[i]!.target![j]! * (raw.units[name] === 'hartree' ? HARTREE_TO_EV : 1), 9);
      });
    });
    const pygH = await loadQM9({ source: p, limit: 10, layout: 'pyg', hydrogens: 'explicit' });
    expect(pygH.molecules).toEqual(qm9Sample({ layout: 'pyg', hydrogens: 'explicit' }).molecules.slice(0, 10));
  });

  test.runIf(existsSync(SHARED_CSV))('the whole shared sample loads with its published sha256 and no invalid row', async () => {
    const set = await loadQM9({ source: SHARED_CSV, sha256: '02ad3e06e18d38048addb57e19e226712e1c126ed73d6fda83a9463e89b32163' });
    expect(set.molecules.length).toBe(12321);
    expect(set.skipped).toEqual([]);
    expect(Math.max(...set.molecules.map((m) => m.nodes.length))).toBe(9);
  });
});
