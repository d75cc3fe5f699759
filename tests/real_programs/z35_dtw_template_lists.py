"""Dynamic time warping as a student writes it: the accumulated-cost table is a list of lists of
Python floats filled row by row, with a soft minimum (negative log-sum-exp with temperature gamma,
via math.exp / math.log) in place of min so the cost is differentiable; the template (a short
gesture shape) is learned to fit three recorded gestures.  Differentiated w.r.t. the template."""
import math

import numpy as np

INF = 1e10


def softmin(a, b, c, gamma):
    m = min(a, b, c)
    s = math.exp(-(a - m) / gamma) + math.exp(-(b - m) / gamma) + math.exp(-(c - m) / gamma)
    return m - gamma * math.log(s)


def soft_dtw(x, y, gamma=0.1):
    n, m = len(x), len(y)
    R = [[INF] * (m + 1) for _ in range(n + 1)]
    R[0][0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost = (x[i - 1] - y[j - 1]) ** 2
            R[i][j] = cost + softmin(R[i - 1][j], R[i][j - 1], R[i - 1][j - 1], gamma)
    return R[n][m]


def template_loss(template, recordings):
    return sum(soft_dtw(template, rec) for rec in recordings) / len(recordings)


rng = np.random.default_rng(35)
base = np.sin(np.linspace(0, np.pi, 8))
recs = [np.interp(np.linspace(0, 1, k), np.linspace(0, 1, 8), base) + 0.05 * rng.standard_normal(k) for k in (7, 9, 10)]
f = template_loss
ARGS = (0.8 * base + 0.1 * rng.standard_normal(8), recs)
