"""MLP with the same widths and batch as core.mlp-step; `steps` Adam steps per iteration (default 1)."""
import torch
from common import args, run

a = args()
torch.manual_seed(0)
w = a["widths"]
layers = []
for i in range(len(w) - 1):
    layers.append(torch.nn.Linear(w[i], w[i + 1]))
    if i < len(w) - 2:
        layers.append(torch.nn.ReLU())
model = torch.nn.Sequential(*layers)
x = torch.randn(a["batch"], w[0])
y = torch.randn(a["batch"], 1)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)


def step():
    for _ in range(a.get("steps", 1)):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        loss.item()


run(step, a["reps"])
