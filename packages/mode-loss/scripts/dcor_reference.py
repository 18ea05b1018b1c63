"""Float64 reference values of the weighted squared distance correlation for test/fixtures/dcor_reference.json.

Independent of the package: the O(n^2) double-centred form written directly in numpy
(Szekely & Rizzo; weighted as in Kasieczka & Shih's DisCo):
  p = w / sum(w),  a_ij = |x_i - x_j|,  A = a - abar_i - abar_j + abar,  abar_i = sum_j p_j a_ij
  dCov^2(x, y) = sum_ij p_i p_j A_ij B_ij,  dCor^2 = dCov^2(x, y) / sqrt(dCov^2(x, x) dCov^2(y, y))
Gradients are central finite differences of that function in float64 (step 1e-6 times the spread);
inputs are rounded to float32 first, so the same numbers can be fed to tfjs tensors.
Run: /usr/bin/python3 scripts/dcor_reference.py > test/fixtures/dcor_reference.json
"""
import json

import numpy as np


def dcov2(a_vals, b_vals, p):
    def centred(u):
        a = np.abs(u[:, None] - u[None, :])
        row = a @ p
        grand = p @ row
        return a - row[:, None] - row[None, :] + grand

    A = centred(a_vals)
    B = centred(b_vals)
    return float(p @ (A * B) @ p)


def dcor2(x, y, w=None):
    p = np.ones_like(x) if w is None else np.asarray(w, dtype=np.float64)
    p = p / p.sum()
    vxy = dcov2(x, y, p)
    vxx = dcov2(x, x, p)
    vyy = dcov2(y, y, p)
    if vxx <= 0 or vyy <= 0:
        return 0.0
    return vxy / np.sqrt(vxx * vyy)


def fd_grad(x, y, w, wrt):
    u = x if wrt == 0 else y
    h = 1e-6 * (u.max() - u.min())
    g = np.zeros_like(u)
    for i in range(len(u)):
        up = u.copy()
        um = u.copy()
        up[i] += h
        um[i] -= h
        if wrt == 0:
            g[i] = (dcor2(up, y, w) - dcor2(um, y, w)) / (2 * h)
        else:
            g[i] = (dcor2(x, up, w) - dcor2(x, um, w)) / (2 * h)
    return g


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


rng = np.random.default_rng(20261124)
cases = []


def add(name, x, y, w=None, grads=True):
    x = f32(x)
    y = f32(y)
    w = None if w is None else f32(w)
    case = {"name": name, "x": x.tolist(), "y": y.tolist(), "dcor2": dcor2(x, y, w)}
    if w is not None:
        case["weights"] = w.tolist()
    if grads:
        case["gradX"] = fd_grad(x, y, w, 0).tolist()
        case["gradY"] = fd_grad(x, y, w, 1).tolist()
    cases.append(case)


x = rng.normal(size=48)
add("independent normals", x, rng.normal(size=48))
x = rng.uniform(-1, 1, size=64)
add("quadratic dependence", x, x**2 + 0.05 * rng.normal(size=64))
x = rng.normal(size=40)
add("linear relation", x, 3 * x + 1)
x = rng.uniform(size=40)
add("weighted, correlated", x, np.sin(3 * x) + 0.3 * rng.normal(size=40), w=rng.uniform(0.1, 2.0, size=40))
x = rng.uniform(size=36)
w = rng.uniform(0.2, 1.0, size=36)
w[::5] = 0.0
add("weighted with zero weights", x, x + rng.normal(size=36), w=w)
add("exponential scores vs uniform mass", rng.exponential(size=56), rng.uniform(size=56))
# Ties: only the value is checked (the function has kinks at ties).
add("ties (discrete values)", rng.integers(0, 5, size=60), rng.integers(0, 3, size=60) + 0.1 * rng.integers(0, 2, size=60), grads=False)
s = rng.uniform(size=400)
add("sigmoid-like scores vs mass, n=400", 1 / (1 + np.exp(-4 * (s - 0.5) - rng.normal(size=400))), s + 0.2 * rng.normal(size=400), w=rng.uniform(0.5, 1.5, size=400), grads=False)
add("n=2000 weakly dependent", rng.normal(size=2000) * 0.1 + (s2 := rng.uniform(size=2000)) * 0.02, s2, grads=False)

print(json.dumps({"generator": "scripts/dcor_reference.py (numpy %s, float64, O(n^2) double-centred form)" % np.__version__, "cases": cases}))
