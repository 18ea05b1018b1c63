"""MLM-U training step (004 eq. 7.5, subset estimator) with the same model as diffusion-lm.mlmu-training:
pre-norm Transformer with rotary positions, GELU MLP (hidden 4d), final LayerNorm, linear head over the
vocabulary at every position, one Adam step per iteration. Masks are drawn in Python per row like the
TypeScript implementation: k ~ U{1..D}, a uniform subset of k positions, weight D/k on the summed NLL."""
import math
import random

import torch
from common import args, run

a = args()
torch.manual_seed(0)
random.seed(0)
B, T, d, H, L, V = a["batch"], a["length"], a["dim"], a["heads"], a["layers"], a["vocab"]
dh = d // H
MASK = V


def rotary_tables(t, dh, base=10000.0):
    inv = base ** (-torch.arange(0, dh, 2, dtype=torch.float32) / dh)
    ang = torch.arange(t, dtype=torch.float32)[:, None] * inv[None, :]
    return torch.cos(ang).repeat_interleave(2, -1), torch.sin(ang).repeat_interleave(2, -1)


COS, SIN = rotary_tables(T, dh)


def rotate(x):
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return torch.stack((-x2, x1), -1).flatten(-2)


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.n1, self.n2 = torch.nn.LayerNorm(d), torch.nn.LayerNorm(d)
        self.qkv, self.out = torch.nn.Linear(d, 3 * d), torch.nn.Linear(d, d)
        self.fc1, self.fc2 = torch.nn.Linear(d, 4 * d), torch.nn.Linear(4 * d, d)

    def forward(self, x):
        b, t, _ = x.shape
        q, k, v = self.qkv(self.n1(x)).view(b, t, 3, H, dh).permute(2, 0, 3, 1, 4)
        q, k = q * COS + rotate(q) * SIN, k * COS + rotate(k) * SIN
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh), -1)
        x = x + self.out((att @ v).transpose(1, 2).reshape(b, t, d))
        return x + self.fc2(torch.nn.functional.gelu(self.fc1(self.n2(x))))


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(V + 1, d)
        self.blocks = torch.nn.ModuleList([Block() for _ in range(L)])
        self.norm, self.head = torch.nn.LayerNorm(d), torch.nn.Linear(d, V)

    def forward(self, tokens):
        x = self.emb(tokens)
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.norm(x))


model = Model()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
tokens = torch.randint(0, V, (B, T))


def step():
    masked = tokens.clone()
    sel = torch.zeros(B, T, dtype=torch.bool)
    weights = torch.empty(B)
    for b in range(B):
        k = random.randint(1, T)
        sel[b, random.sample(range(T), k)] = True
        weights[b] = T / k
    masked[sel] = MASK
    opt.zero_grad()
    logp = torch.log_softmax(model(masked), -1)
    nll = -logp.gather(-1, tokens[..., None])[..., 0] * sel
    loss = (nll.sum(1) * weights).sum() / B
    loss.backward()
    opt.step()
    loss.item()


run(step, a["reps"])
