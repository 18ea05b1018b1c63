"""float32 matmul n x n x n (torch.mm on its default threads): the PyTorch side of core.matmul-peak."""
import torch
from common import args, run

a = args()
torch.manual_seed(0)
x = torch.randn(a["n"], a["n"])
y = torch.randn(a["n"], a["n"])
run(lambda: torch.mm(x, y), a["reps"])
