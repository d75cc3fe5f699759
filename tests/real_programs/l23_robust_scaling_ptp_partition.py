"""Robust regression preprocessing and loss: min-max scaling by np.ptp, median/MAD residual scale
(np.median of absolute deviations), a trimmed loss that keeps the n-k smallest squared residuals via
np.partition, descending sort with [::-1] for a top-loss audit, and a running maximum via
np.maximum.accumulate on the sorted cumulative error."""
import numpy as np


def trimmed_loss(w, X, y, trim=0.2):
    Xs = (X - X.min(axis=0)) / np.ptp(X, axis=0)
    r = Xs @ w[1:] + w[0] - y
    med = np.median(r)
    mad = np.median(np.abs(r - med)) * 1.4826
    z2 = (r / mad) ** 2
    k = int(len(r) * (1 - trim))
    kept = np.partition(z2, k - 1)[:k]
    worst = np.sort(z2)[::-1][:3]
    cum = np.cumsum(np.sort(r) - np.mean(r))
    runmax = np.maximum.accumulate(cum)
    return kept.mean() + 0.01 * worst.sum() + 1e-3 * np.sum((runmax - cum) ** 2) + np.log(mad)


rng = np.random.default_rng(123)
X = rng.uniform(0, 10, (30, 3))
y = X @ np.array([0.5, -0.2, 0.3]) + rng.standard_normal(30)
y[rng.choice(30, 5, replace=False)] += 15
w = np.array([0.1, 4.0, -1.5, 2.5]) + 0.1 * rng.standard_normal(4)

f = trimmed_loss
ARGS = (w, X, y)
KINKED = "median, partition and sort: piecewise smooth"
