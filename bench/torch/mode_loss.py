"""Plain PyTorch reference for the mode-loss workloads: MoDe loss + analytic gradient (orders 0-2, 004 §3.2)
and DisCo dCor^2 + gradient, on the same synthetic batch shape as bench/workloads/mode-loss.loss-vs-batch.mjs.

MoDe: vectorised over events with O(n K) memory (the CDFs of every bin at every sorted score, as the public MoDe
code does), float64 like the nnphys implementation: equal-occupancy mass bins over m in [-1, 1], exact s-integral
of the step CDFs, gradient dL/ds_i = -(w_i / w_b) G_b(s_i) with Theta(0) = 1/2 (spec §2.4).
DisCo: the pairwise O(n^2) weighted dCor^2 of Kasieczka & Shih in float32 with autograd (what PyTorch users run;
there is no O(n log n) PyTorch implementation to compare with).

argv[1] JSON: {"method": "mode0"|"mode1"|"mode2"|"disco", "batch": n, "reps": r}  -> timing line (bench runner)
              {..., "memory": true}  -> {"peakMiB": extra peak RSS of one loss + gradient, "ms": [...]}
"""
import json
import resource
import sys

import torch

from common import args, run


def legendre(order, x):
    p = [torch.ones_like(x)]
    if order >= 1:
        p.append(x.clone())
    for l in range(1, order):
        p.append(((2 * l + 1) * x * p[l] - l * p[l - 1]) / (l + 1))  # Bonnet recurrence
    return torch.stack(p)


def mode_loss_and_grad(s, m, order, bins):
    n = s.shape[0]
    # Equal-occupancy bins: the event of mass rank r goes to bin floor(r K / n) (ragged, nothing dropped).
    by_mass = torch.argsort(m)
    rank_bin = (torch.arange(n) * bins) // n
    bin_of = torch.empty(n, dtype=torch.long)
    bin_of[by_mass] = rank_bin
    ms = m[by_mass]
    first = torch.searchsorted(rank_bin, torch.arange(1, bins))
    inner = (ms[first - 1] + ms[first]) / 2
    edges = torch.cat([torch.tensor([-1.0], dtype=torch.float64), inner, torch.tensor([1.0], dtype=torch.float64)])
    centres = (edges[1:] + edges[:-1]) / 2
    widths = edges[1:] - edges[:-1]
    counts = torch.bincount(bin_of, minlength=bins).double()
    share = 1.0 / counts[bin_of]  # w_i / w_b, eq. 3.22
    by_score = torch.argsort(s)
    ss, bs, sh = s[by_score], bin_of[by_score], share[by_score]
    rows = torch.arange(n)
    step = torch.zeros(n, bins, dtype=torch.float64)
    step[rows, bs] = sh
    F = torch.cumsum(step, 0)  # binned CDFs after each sorted event, eq. 3.21
    P = legendre(order, centres)  # [L, K]
    ls = torch.arange(order + 1, dtype=torch.float64).unsqueeze(1)
    Q = (2 * ls + 1) / 2 * widths * P  # eq. 3.11 quadrature
    R = F - (F @ Q.T) @ P  # F_m - F^l_m
    phi = (R * R).sum(1)
    ds = torch.diff(ss, append=torch.tensor([1.0], dtype=torch.float64))
    loss = (phi * ds).sum()  # exact integral of the step functions over [0, 1]
    Fmid = F - 0.5 * step
    Rmid = Fmid - (Fmid @ Q.T) @ P
    G = 2 * Rmid - 2 * ((Rmid @ P.T) @ Q)  # spec §2.4 functional derivative (no caps)
    grad = torch.empty(n, dtype=torch.float64)
    grad[by_score] = -sh * G[rows, bs]
    return loss.item(), grad


def disco_loss_and_grad(x, y):
    x = x.detach().requires_grad_(True)
    n = x.shape[0]
    w = torch.full((n,), 1.0 / n)

    def centred(u):
        a = (u.unsqueeze(1) - u.unsqueeze(0)).abs()
        r = a @ w
        return a - r.unsqueeze(1) - r.unsqueeze(0) + (r * w).sum()

    A = centred(x)
    B = centred(y)
    vxy = w @ (A * B) @ w
    vxx = w @ (A * A) @ w
    vyy = w @ (B * B) @ w
    d = vxy / torch.sqrt(vxx * vyy)
    d.backward()
    return d.item(), x.grad


def make_batch(n):
    g = torch.Generator().manual_seed(0)
    m = torch.rand(n, generator=g, dtype=torch.float64) * 2 - 1
    s = torch.sigmoid(torch.randn(n, generator=g, dtype=torch.float64) + 0.5 * m)
    return s, m


def main():
    a = args()
    torch.set_grad_enabled(a["method"] == "disco")
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    s, m = make_batch(a["batch"])
    if a["method"] == "disco":
        s32, m32 = s.float(), m.float()
        step = lambda: disco_loss_and_grad(s32, m32)
    else:
        order = int(a["method"][-1])
        step = lambda: mode_loss_and_grad(s, m, order, a.get("bins", 16))
    if a.get("memory"):
        step()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"peakMiB": (peak - base) / 1024}))
        return
    run(step, a["reps"])


main()
