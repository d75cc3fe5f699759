"""Comprehension-heavy feature engineering: a nested list comprehension of pairwise interaction
features with a condition, a dict comprehension of per-feature scales, the walrus operator inside a
comprehension to reuse a normalised value, chained comparisons and any()/all() guards."""
import numpy as np


def features(X, degree=2):
    cols = [X[:, j] for j in range(X.shape[1])]
    inter = [a * b for i, a in enumerate(cols) for j, b in enumerate(cols) if i < j]
    powers = [c ** d for c in cols for d in range(2, degree + 1)]
    return np.stack(cols + inter + powers, axis=1)


def loss(w, X, y, clip=3.0):
    F = features(X)
    scales = {j: F[:, j].std() + 1e-8 for j in range(F.shape[1])}
    Fn = np.stack([(z := F[:, j] / scales[j]) - z.mean() for j in range(F.shape[1])], axis=1)
    pred = Fn @ w
    assert all(s > 0 for s in scales.values())
    r = pred - y
    if 0.0 < clip < 10.0:
        r = clip * np.tanh(r / clip)
    return np.mean(r ** 2) + 1e-3 * np.sum(w ** 2)


rng = np.random.default_rng(27)
X = rng.standard_normal((30, 3))
y = X[:, 0] * X[:, 1] - X[:, 2] ** 2 + 0.5 * X[:, 0]
w = 0.1 * rng.standard_normal(9)

f = loss
ARGS = (w, X, y)
