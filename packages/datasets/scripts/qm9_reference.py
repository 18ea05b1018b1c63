#!/usr/bin/python3
"""Reference QM9 features from RDKit (Debian python3-rdkit) for the test fixture.

Reads the shared QM9 sample CSV (SMILES in the first column) and writes, for every molecule, the
per-atom features of 000 App. A as RDKit's Python API reports them (element, hybridization,
aromaticity, total H count) and every bond with its type, in a compact JSON form:

  [smiles, atoms, bonds] with
  atoms: per atom "<element><hyb><H count>[a]", concatenated   hyb: 0 none/S, 1 SP, 2 SP2, 3 SP3, x other
  bonds: per bond "<i><j><type>", concatenated, i and j in base 36; type: 1 single, 2 double, 3 triple, a aromatic

The first EXPLICIT molecules are also written with explicit hydrogens (Chem.AddHs), and EXTRA hand-picked
SMILES outside the sample (radicals, charges, cumulenes, nitro, enols, isotopes, H2, CO) probe the edge cases
of the hybridization rule.

Usage: /usr/bin/python3 scripts/qm9_reference.py ../../../shared/data/qm9-sample.csv test/fixtures/qm9-rdkit-reference.json
(paths relative to packages/datasets; the committed fixture was made from /work/shared/data/qm9-sample.csv)
"""
import csv
import hashlib
import json
import sys

import rdkit
from rdkit import Chem

EXPLICIT = 300
EXTRA = [
    "[H][H]", "[2H]C", "[CH3]", "[CH2]C=O", "[O]C", "[C-]#[O+]", "C=C=C", "C=C=O", "[NH4+]", "[NH2-]", "[OH-]",
    "[O-][N+](=O)C", "OC=CO", "c1ccccc1O", "NC=CC=O", "Nc1ccccc1", "CC(=O)[O-]", "C[N+]#[C-]", "N=[N+]=[N-]",
    "FC(F)=C(F)F", "O=C=O", "C#CC#CC#N", "c1cc[nH]c1", "c1ncncn1", "O=c1cc[nH]cc1", "C1=CC=CC=C1", "[N-]=[N+]=CC=O",
]
HYB = {
    Chem.HybridizationType.S: "0",
    Chem.HybridizationType.UNSPECIFIED: "0",
    Chem.HybridizationType.SP: "1",
    Chem.HybridizationType.SP2: "2",
    Chem.HybridizationType.SP3: "3",
}
BOND = {
    Chem.BondType.SINGLE: "1",
    Chem.BondType.DOUBLE: "2",
    Chem.BondType.TRIPLE: "3",
    Chem.BondType.AROMATIC: "a",
}


def encode(mol, explicit):
    atoms = []
    for a in mol.GetAtoms():
        nh = a.GetTotalNumHs(includeNeighbors=explicit)
        assert nh < 10
        atoms.append(f"{a.GetSymbol()}{HYB.get(a.GetHybridization(), 'x')}{nh}{'a' if a.GetIsAromatic() else ''}")
    b36 = "0123456789abcdefghijklmnopqrstuvwxyz"
    assert mol.GetNumAtoms() <= 36
    bonds = [f"{b36[b.GetBeginAtomIdx()]}{b36[b.GetEndAtomIdx()]}{BOND.get(b.GetBondType(), 'x')}" for b in mol.GetBonds()]
    return "".join(atoms), "".join(bonds)


def main(src, dst):
    raw = open(src, "rb").read()
    rows = list(csv.reader(raw.decode("utf-8").splitlines()))
    header, rows = rows[0], rows[1:]
    assert header[0] == "smiles", header
    molecules, explicit, failed = [], [], []
    for i, row in enumerate(rows):
        smiles = row[0]
        mol = Chem.MolFromSmiles(smiles)
        if mol is None:
            failed.append(i)
            molecules.append([smiles, None, None])
            continue
        atoms, bonds = encode(mol, False)
        molecules.append([smiles, atoms, bonds])
        if len(explicit) < EXPLICIT:
            atoms_h, bonds_h = encode(Chem.AddHs(mol), True)
            explicit.append([smiles, atoms_h, bonds_h])
    extra, extra_explicit = [], []
    for smiles in EXTRA:
        mol = Chem.MolFromSmiles(smiles)
        extra.append([smiles, *encode(mol, False)])
        extra_explicit.append([smiles, *encode(Chem.AddHs(mol), True)])
    out = {
        "generator": "packages/datasets/scripts/qm9_reference.py",
        "rdkit": rdkit.__version__,
        "source_sha256": hashlib.sha256(raw).hexdigest(),
        "failed": failed,
        "molecules": molecules,
        "explicit": explicit,
        "extra": extra,
        "extraExplicit": extra_explicit,
    }
    with open(dst, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"{len(molecules)} molecules ({len(failed)} failed), rdkit {rdkit.__version__} -> {dst}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
