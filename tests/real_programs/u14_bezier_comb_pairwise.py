"""Fit a single cubic-ish Bezier curve (Bernstein basis with math.comb) to scanned stroke points by
nearest-sample distance (min over curve samples), plus a curve-length regulariser summed over
itertools.pairwise of consecutive samples."""
import math
from itertools import pairwise

import numpy as np


def bezier(ctrl, t):
    n = len(ctrl) - 1
    basis = np.stack([math.comb(n, k) * t ** k * (1 - t) ** (n - k) for k in range(n + 1)], axis=1)
    return basis @ ctrl


def fit_loss(ctrl, targets, n_samples=64, smooth=1e-2):
    t = np.linspace(0.0, 1.0, n_samples)
    curve = bezier(ctrl, t)
    d2 = ((targets[:, None, :] - curve[None, :, :]) ** 2).sum(axis=-1)
    data = d2.min(axis=1).mean()
    length = sum(np.linalg.norm(b - a) for a, b in pairwise(curve))
    return data + smooth * length


rng = np.random.default_rng(614)
s = np.sort(rng.uniform(0, 1, 30))
targets = np.column_stack([s * 3, np.sin(2.5 * s) + 0.3 * s ** 2]) + 0.02 * rng.standard_normal((30, 2))
ctrl = np.array([[0.0, 0.0], [0.8, 1.2], [1.9, 1.1], [2.6, 0.5], [3.0, 0.2]])

f = fit_loss
ARGS = (ctrl, targets)
