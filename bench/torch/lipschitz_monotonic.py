"""Monotonic Lipschitz network of lipschitz.monotonic-training in plain PyTorch, one Adam step per iteration.

Same model: f(x) = g(x) + lam * (x0 + x1), g = 4-20-20-20-1 with ||W||_1 <= lam^(1/4) per layer,
normalised in every forward pass (Algorithm 1 of 004, vectorwise eq. 2.8: each input column of W
divided by max(1, ||W[:, k]||_1 / c)), GroupSort full sort (torch.sort) between layers, BCE on the logits.
"""
import torch
from common import args, run

a = args()
torch.manual_seed(0)
lam = 2.0
widths = [a["inputs"], *a["hidden"], 1]
c = lam ** (1.0 / (len(widths) - 1))
layers = [torch.nn.Linear(widths[i], widths[i + 1]) for i in range(len(widths) - 1)]
params = [p for layer in layers for p in layer.parameters()]
residual = torch.tensor([lam, lam, 0.0, 0.0])


def forward(x):
    h = x
    for i, layer in enumerate(layers):
        w = layer.weight  # [out, in]; ||W||_{1->1} = max over input columns of the column l1 norm
        w = w / torch.clamp(w.abs().sum(0, keepdim=True) / c, min=1.0)
        h = torch.nn.functional.linear(h, w, layer.bias)
        if i < len(layers) - 1:
            h = torch.sort(h, dim=1).values
    return h[:, 0] + x @ residual


x = torch.randn(a["batch"], a["inputs"])
y = ((x[:, 0] + x[:, 1] + 0.5 * torch.sin(3 * x[:, 2]) + 0.3 * torch.randn(a["batch"])) > 0).float()
opt = torch.optim.Adam(params, lr=1e-3)


def step():
    opt.zero_grad()
    loss = torch.nn.functional.binary_cross_entropy_with_logits(forward(x), y)
    loss.backward()
    opt.step()
    loss.item()


run(step, a["reps"])
