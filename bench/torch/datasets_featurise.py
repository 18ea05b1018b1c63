"""Python RDKit reference for datasets.featurise: the same 000 App. A features (11 node, 4 edge, both
edge directions, implicit H) from SMILES with Debian's python3-rdkit. Reported in the PyTorch column;
the "torch" field carries the RDKit version instead (no torch is used)."""
import csv
import json
import sys
import time

import rdkit
from rdkit import Chem

ELEMENTS = {"H": 0, "C": 1, "N": 2, "O": 3, "F": 4}
HYB = {Chem.HybridizationType.SP: 6, Chem.HybridizationType.SP2: 7, Chem.HybridizationType.SP3: 8}
BOND = {Chem.BondType.SINGLE: 0, Chem.BondType.DOUBLE: 1, Chem.BondType.TRIPLE: 2, Chem.BondType.AROMATIC: 3}


def featurise(smiles):
    mol = Chem.MolFromSmiles(smiles)
    nodes = []
    for a in mol.GetAtoms():
        f = [0] * 11
        f[ELEMENTS[a.GetSymbol()]] = 1
        f[5] = a.GetAtomicNum()
        h = HYB.get(a.GetHybridization())
        if h is not None:
            f[h] = 1
        f[9] = 1 if a.GetIsAromatic() else 0
        f[10] = a.GetTotalNumHs()
        nodes.append(f)
    senders, receivers, edges = [], [], []
    for b in mol.GetBonds():
        i, j = b.GetBeginAtomIdx(), b.GetEndAtomIdx()
        e = [0, 0, 0, 0]
        e[BOND[b.GetBondType()]] = 1
        senders += [i, j]
        receivers += [j, i]
        edges += [e, list(e)]
    return nodes, senders, receivers, edges


def main():
    args = json.loads(sys.argv[1])
    with open(args["path"]) as f:
        rows = list(csv.reader(f))[1:]
    smiles = [r[0] for r in rows][: args["count"]]

    def iterate():
        for s in smiles:
            featurise(s)

    iterate()
    out = []
    for _ in range(args.get("reps", 3)):
        t = time.perf_counter()
        iterate()
        out.append((time.perf_counter() - t) * 1000)
    print(json.dumps({"ms": out, "torch": f"n/a, python RDKit {rdkit.__version__}", "threads": 1}))


if __name__ == "__main__":
    main()
