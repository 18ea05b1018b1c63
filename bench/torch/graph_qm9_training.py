"""The model of bench/workloads/graph.qm9-training.mjs in plain PyTorch: node Linear embedding, 3 edge-conditioned
MPNN layers (m_uv = W2 relu(Ws h_u + Wr h_v + We e_uv + b), h_v' = relu(U2 relu(Un h_v + Um sum_u m_uv)) + h_v),
sum readout, MLP head, MSE on standardised targets, one Adam step per iteration on the same 128 QM9 molecules
(graph.qm9-batch.json). Scatter with index_add_ (the index_add-style scatter of PyG/DGL without compiled extensions)."""
import json

import torch
from common import args, run

a = args()
torch.manual_seed(0)
with open(a["data"]) as fh:
    data = json.load(fh)
mols = data["molecules"][: a["molecules"]]
hidden, layers = a["hidden"], a["layers"]

nodes, edges, senders, receivers, graph_ids, targets = [], [], [], [], [], []
offset = 0
for g, m in enumerate(mols):
    nodes += m["nodes"]
    edges += m["edges"]
    senders += [s + offset for s in m["senders"]]
    receivers += [r + offset for r in m["receivers"]]
    graph_ids += [g] * len(m["nodes"])
    targets.append(m["target"])
    offset += len(m["nodes"])
x = torch.tensor(nodes, dtype=torch.float32)
e = torch.tensor(edges, dtype=torch.float32)
snd = torch.tensor(senders, dtype=torch.long)
rcv = torch.tensor(receivers, dtype=torch.long)
gid = torch.tensor(graph_ids, dtype=torch.long)
y = (torch.tensor(targets, dtype=torch.float32) - data["targetMean"]) / data["targetStd"]
N, G = x.shape[0], len(mols)


class MPNN(torch.nn.Module):
    def __init__(self, h, d):
        super().__init__()
        self.ws = torch.nn.Linear(h, h)
        self.wr = torch.nn.Linear(h, h, bias=False)
        self.we = torch.nn.Linear(d, h, bias=False)
        self.w2 = torch.nn.Linear(h, h)
        self.un = torch.nn.Linear(h, h)
        self.um = torch.nn.Linear(h, h, bias=False)
        self.u2 = torch.nn.Linear(h, h)

    def forward(self, h):
        # The first message layer on nodes, then gathered per edge (as MPNNConv does).
        pre = self.ws(h).index_select(0, snd) + self.wr(h).index_select(0, rcv) + self.we(e)
        m = self.w2(torch.relu(pre))
        agg = torch.zeros(N, m.shape[1]).index_add_(0, rcv, m)
        return torch.relu(self.u2(torch.relu(self.un(h) + self.um(agg)))) + h


class Regressor(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Linear(x.shape[1], hidden)
        self.convs = torch.nn.ModuleList([MPNN(hidden, e.shape[1]) for _ in range(layers)])
        self.head = torch.nn.Sequential(torch.nn.Linear(hidden, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1))

    def forward(self):
        h = self.embed(x)
        for conv in self.convs:
            h = conv(h)
        pooled = torch.zeros(G, hidden).index_add_(0, gid, h)
        return self.head(pooled)


model = Regressor()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)


def step():
    opt.zero_grad()
    loss = ((model() - y) ** 2).mean()
    loss.backward()
    opt.step()
    loss.item()


run(step, a["reps"])
