"""A training objective assembled from a registry of loss functions chosen by key: the caller gives
a list of (name, weight) pairs; each loss takes keyword arguments with defaults that some pairs
override through a per-loss options dict."""
import numpy as np


def huber(r, delta=1.0):
    a = np.abs(r)
    return np.mean(np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta)))


def log_cosh(r, scale=1.0):
    return np.mean(np.log(np.cosh(r / scale))) * scale ** 2


def quantile(r, q=0.5):
    return np.mean(np.maximum(q * r, (q - 1.0) * r))


LOSSES = {"mse": lambda r: np.mean(r ** 2), "huber": huber, "logcosh": log_cosh, "pinball": quantile}
OPTIONS = {"huber": {"delta": 0.5}, "pinball": {"q": 0.8}}


def objective(w, X, y, terms=(("mse", 1.0), ("huber", 0.5), ("logcosh", 0.25), ("pinball", 0.1))):
    r = X @ w - y
    total = 0.0
    for name, weight in terms:
        fn = LOSSES[name]
        opts = OPTIONS.get(name, {})
        total = total + weight * fn(r, **opts)
    return total


rng = np.random.default_rng(2)
X = rng.standard_normal((40, 5))
y = X @ np.array([1.0, -0.5, 0.3, 0.0, 2.0]) + 0.3 * rng.standard_normal(40)
w = 0.1 * rng.standard_normal(5) + 0.013

f = objective
ARGS = (w, X, y)
