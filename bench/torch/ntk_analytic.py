"""Float64 numpy reference for ntk.analytic-kernel: the same depth-3 ReLU NNGP/NTK recursion (spec ntk 2.3),
full n x n matrices (the JS version computes the upper triangle and mirrors it)."""
import numpy as np
from common import args, run

a = args()
rng = np.random.default_rng(1)
x = rng.standard_normal((a["n"], a["d"]))
sw2, sb2 = 1.5**2, 0.1**2


def kernel():
    s = sw2 * (x @ x.T) / x.shape[1] + sb2
    theta = s.copy()
    for layer in range(3):
        diag = np.sqrt(np.diag(s))
        norm = np.outer(diag, diag)
        rho = np.clip(s / norm, -1.0, 1.0)
        t = np.arccos(rho)
        e_phiphi = norm / (2 * np.pi) * (np.sin(t) + (np.pi - t) * np.cos(t))
        e_dphi = (np.pi - t) / (2 * np.pi)
        s_next = sw2 * e_phiphi + sb2
        theta = theta * (sw2 * e_dphi) + s_next
        s = s_next
    return s, theta


def step():
    s, theta = kernel()
    assert np.isfinite(theta[-1, 0])


run(step, a["reps"])
