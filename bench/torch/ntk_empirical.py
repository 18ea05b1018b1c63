"""PyTorch reference for ntk.empirical: Theta = J J^T for the same MLP (16 -> 1024 -> 1, ReLU, NTK
parameterisation), J the per-sample Jacobian from functorch (vmap(jacrev)) when available, else a loop of
autograd backward passes. Float32, like tfjs."""
import math

import torch
from common import args, run

a = args()
torch.manual_seed(0)
n, d, width = a["n"], a["d"], a["width"]
sw, sb = 1.5, 0.1
params = {
    "w1": torch.randn(d, width),
    "b1": torch.randn(width),
    "w2": torch.randn(width, 1),
    "b2": torch.randn(1),
}
x = torch.randn(n, d)


def f(p, xi):
    h = torch.relu(sw / math.sqrt(d) * (xi @ p["w1"]) + sb * p["b1"])
    return (sw / math.sqrt(width) * (h @ p["w2"]) + sb * p["b2"]).squeeze(-1)


try:
    from functorch import jacrev, vmap

    def jacobian():
        jac = vmap(jacrev(f), (None, 0))(params, x)
        return torch.cat([j.reshape(n, -1) for j in jac.values()], dim=1)

    method = "functorch"
except ImportError:  # pragma: no cover
    leaves = {k: v.clone().requires_grad_(True) for k, v in params.items()}

    def jacobian():
        rows = []
        for i in range(n):
            g = torch.autograd.grad(f(leaves, x[i]), list(leaves.values()))
            rows.append(torch.cat([t.reshape(-1) for t in g]))
        return torch.stack(rows)

    method = "autograd"


def step():
    j = jacobian()
    k = j @ j.T
    assert torch.isfinite(k[-1, 0])


run(step, a["reps"])
