"""GNSS single-point positioning: the receiver position and clock bias are solved from
pseudoranges by Gauss-Newton (np.linalg.solve of the normal equations) in a `for ... else` loop
that breaks when the update is below a tolerance and warns (warnings.warn) if it never converges;
satellites are a list of (name, position) tuples with an elevation mask applied by a list
comprehension over zip(sats, ranges).  The loss is the squared horizontal error of the solution,
differentiated w.r.t. the measured pseudoranges (how range errors map into position errors)."""
import warnings

import numpy as np

C = 299_792_458.0


def elevation(sat, rx):
    d = sat - rx
    up = rx / np.linalg.norm(rx)
    return np.arcsin(d @ up / np.linalg.norm(d))


def solve_position(sats, ranges, x0, tol=1e-4, max_iter=20):
    x = x0.copy()
    for it in range(max_iter):
        rows, res = [], []
        for (name, pos), rho in zip(sats, ranges):
            d = x[:3] - pos
            r = np.linalg.norm(d)
            rows.append(np.concatenate([d / r, [1.0]]))
            res.append(rho - (r + x[3]))
        H, dr = np.array(rows), np.array(res)
        dx = np.linalg.solve(H.T @ H, H.T @ dr)
        x = x + dx
        if np.linalg.norm(dx) < tol:
            break
    else:
        warnings.warn("Gauss-Newton did not converge")
    return x


def horizontal_error(ranges, sats, x0, truth):
    x = solve_position(sats, ranges, x0)
    up = truth / np.linalg.norm(truth)
    err = x[:3] - truth
    horiz = err - (err @ up) * up
    return horiz @ horiz


rng = np.random.default_rng(606)
truth = np.array([4_510_000.0, 680_000.0, 4_480_000.0])
sat_all = []
for k in range(9):
    v = rng.standard_normal(3)
    v = v / np.linalg.norm(v) + 1.2 * truth / np.linalg.norm(truth)
    sat_all.append((f"G{k + 1:02d}", truth + 2.02e7 * v / np.linalg.norm(v)))
sats = [(n, p) for n, p in sat_all if elevation(p, truth) > np.deg2rad(10.0)]
clock = 35.0
ranges = np.array([np.linalg.norm(p - truth) + clock for _, p in sats]) + 3.0 * rng.standard_normal(len(sats))
f = horizontal_error
ARGS = (ranges, sats, np.array([4_500_000.0, 700_000.0, 4_500_000.0, 0.0]), truth)
