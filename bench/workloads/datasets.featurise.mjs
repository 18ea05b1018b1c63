// QM9 featurisation throughput: SMILES -> 000 App. A molecular graphs (RDKit-JS parse + derived
// hybridization + 11 node / 4 edge features, both edge directions) over the shared QM9 sample file.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { qm9Sample, smilesToGraph } from '@nnphys/datasets';

const here = dirname(fileURLToPath(import.meta.url));
// The shared sample lives beside the repository (../shared/data from the project root); fall back to the
// SMILES of the 376 molecules embedded in @nnphys/datasets when it is absent.
const candidates = [process.env.NNPHYS_QM9_SAMPLE, join(here, '../../../shared/data/qm9-sample.csv'), '/work/shared/data/qm9-sample.csv'];
const found = candidates.find((p) => p && existsSync(p));
const allSmiles = found
  ? readFileSync(found, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0])
  : qm9Sample().molecules.map((m) => m.smiles);
let smilesFile = found;
if (!smilesFile) {
  smilesFile = join(mkdtempSync(join(tmpdir(), 'nnphys-bench-')), 'smiles.csv');
  writeFileSync(smilesFile, `smiles\n${allSmiles.join('\n')}\n`);
}
const count = { full: allSmiles.length, smoke: Math.min(200, allSmiles.length) };

export default {
  id: 'datasets.featurise',
  title: `QM9 SMILES -> graph featurisation (${found ? 'shared sample' : 'embedded sample'}, implicit H)`,
  configs: ['cpu'], // plain data, no tensors: the backend does not matter
  items: (scale) => count[scale],
  itemName: 'molecules',
  async setup({ scale }) {
    const smiles = allSmiles.slice(0, count[scale]);
    await smilesToGraph('C'); // loads RDKit-JS once, outside the timing
    return {
      iterate: async () => {
        let atoms = 0;
        for (const s of smiles) atoms += (await smilesToGraph(s)).nodes.length;
        if (atoms === 0) throw new Error('no atoms');
      },
      dispose: () => undefined,
    };
  },
  // Reference: the same features with Debian's python3-rdkit (the "pytorch" column of the report).
  torch: { script: 'datasets_featurise.py', args: (scale) => ({ path: smilesFile, count: count[scale] }) },
};
