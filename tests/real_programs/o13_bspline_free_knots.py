"""Cubic B-spline regression with free interior knots: the basis matrix comes from the Cox-de Boor
recursion written iteratively (degree-0 indicators from the knot vector, then each degree built
from the one before, guarding 0/0 with np.where), so the basis is differentiable in the interior
knot positions.  Knots are kept ordered by a cumulative softplus parameterisation; the loss is the
least-squares misfit plus a second-difference roughness penalty on the coefficients."""
import numpy as np


def knot_vector(raw, degree, lo=0.0, hi=1.0):
    gaps = np.logaddexp(0.0, raw)
    inner = lo + (hi - lo) * np.cumsum(gaps)[:-1] / np.sum(gaps)
    return np.concatenate([np.full(degree + 1, lo), inner, np.full(degree + 1, hi)])


def bspline_basis(x, t, degree):
    n_basis = len(t) - degree - 1
    B = np.zeros((len(x), len(t) - 1))
    for i in range(len(t) - 1):
        B[:, i] = np.where((x >= t[i]) & (x < t[i + 1]), 1.0, 0.0)
    for k in range(1, degree + 1):
        Bk = np.zeros((len(x), len(t) - k - 1))
        for i in range(len(t) - k - 1):
            d1 = t[i + k] - t[i]
            d2 = t[i + k + 1] - t[i + 1]
            left = np.where(d1 > 0, (x - t[i]) / np.where(d1 > 0, d1, 1.0), 0.0) * B[:, i]
            right = np.where(d2 > 0, (t[i + k + 1] - x) / np.where(d2 > 0, d2, 1.0), 0.0) * B[:, i + 1]
            Bk[:, i] = left + right
        B = Bk
    return B[:, :n_basis]


def spline_loss(coef, raw_knots, x, y, degree=3, lam=1e-3):
    t = knot_vector(raw_knots, degree)
    B = bspline_basis(x, t, degree)
    resid = B @ coef - y
    rough = np.sum(np.diff(coef, n=2) ** 2)
    return np.mean(resid ** 2) + lam * rough


rng = np.random.default_rng(13)
x = np.sort(rng.uniform(0.0, 0.999, 60))
y = np.sin(6 * x) * np.exp(-x) + 0.3 * (x > 0.6) + 0.05 * rng.standard_normal(60)
n_inner = 4
f = spline_loss
ARGS = (0.3 * rng.standard_normal(n_inner + 4), 0.2 * rng.standard_normal(n_inner + 1), x, y)
KW = {"wrt": ("coef", "raw_knots")}
