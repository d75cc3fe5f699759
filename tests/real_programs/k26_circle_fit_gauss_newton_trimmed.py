"""Metrology: fitting a circle to measured edge points of a machined bore.  An algebraic (Kasa) fit
by np.linalg.lstsq gives the start, then geometric Gauss-Newton iterations on the radial residuals
|p - c| - r in a while loop until the step norm is tiny; the roundness score is a trimmed RMS of
the residuals (np.sort of squared residuals, dropping the largest 10%), plus the radius's deviation
from nominal.  Differentiated w.r.t. the (n, 2) array of measured points."""
import numpy as np


def kasa_fit(pts):
    x, y = pts[:, 0], pts[:, 1]
    A = np.column_stack([2 * x, 2 * y, np.ones(len(x))])
    sol = np.linalg.lstsq(A, x ** 2 + y ** 2, rcond=None)[0]
    cx, cy = sol[0], sol[1]
    return np.array([cx, cy, np.sqrt(sol[2] + cx ** 2 + cy ** 2)])


def geometric_fit(pts, tol=1e-13, max_iter=30):
    theta = kasa_fit(pts)
    for _ in range(max_iter):
        d = pts - theta[:2]
        dist = np.linalg.norm(d, axis=1)
        res = dist - theta[2]
        J = np.column_stack([-d[:, 0] / dist, -d[:, 1] / dist, -np.ones(len(dist))])
        step = np.linalg.solve(J.T @ J, -J.T @ res)
        theta = theta + step
        if np.linalg.norm(step) < tol:
            break
    return theta


def roundness(pts, nominal_r=25.0, trim=0.1):
    cx, cy, r = geometric_fit(pts)
    res = np.hypot(pts[:, 0] - cx, pts[:, 1] - cy) - r
    sq = np.sort(res ** 2)
    kept = sq[: int(len(sq) * (1 - trim))]
    return np.sqrt(np.mean(kept)) + 0.1 * (r - nominal_r) ** 2


rng = np.random.default_rng(26)
ang = np.sort(rng.uniform(0, 2 * np.pi, 40))
rad = 25.02 + 0.01 * np.cos(3 * ang) + 0.003 * rng.standard_normal(40)
pts = np.column_stack([1.5 + rad * np.cos(ang), -0.7 + rad * np.sin(ang)])
f = roundness
ARGS = (pts,)
