"""Weighted isotonic regression by the pool-adjacent-violators algorithm as a statistics student
writes it: a list of blocks [mean, weight, count], a new block pushed for each observation and
merged with the previous one while they violate the order (pop, combine, push).  The fit is then
expanded back with np.repeat.  The calibration loss of the monotone fit against held-out targets
is differentiated w.r.t. the raw scores y (piecewise smooth: smooth away from pool changes)."""
import numpy as np


def pava(y, w):
    blocks = []
    for yi, wi in zip(y, w):
        blocks.append([yi, wi, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            wt = w1 + w2
            blocks.append([(m1 * w1 + m2 * w2) / wt, wt, c1 + c2])
    means = np.array([b[0] for b in blocks])
    counts = np.array([b[2] for b in blocks])
    return np.repeat(means, counts)


def calib_loss(y, w, target):
    fit = pava(y, w)
    return np.sum(w * (fit - target) ** 2) + 0.1 * np.sum((fit - y) ** 2)


rng = np.random.default_rng(32)
n = 20
x = np.sort(rng.uniform(0, 1, n))
y = x ** 2 + 0.15 * rng.standard_normal(n)
w = rng.uniform(0.5, 2.0, n)
f = calib_loss
ARGS = (y, w, x ** 2)
