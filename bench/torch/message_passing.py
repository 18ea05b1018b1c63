"""Message passing forward+backward with index + index_add_, the same sizes as core.message-passing."""
import torch
from common import args, run

a = args()
torch.manual_seed(0)
n, e, f = a["nodes"], a["edges"], a["features"]
h = torch.randn(n, f, requires_grad=True)
w = torch.randn(n, f)
senders = torch.randint(0, n, (e,))
receivers = torch.randint(0, n, (e,))


def step():
    h.grad = None
    m = h[senders]
    agg = torch.zeros(n, f).index_add_(0, receivers, m)
    (agg * w).sum().backward()
    h.grad.sum().item()


run(step, a["reps"])
