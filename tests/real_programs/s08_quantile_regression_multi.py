"""Joint linear quantile regression for several quantile levels at once: the pinball loss written
with np.where on the residual sign, broadcasting residuals (n, q) against levels (q,), plus a
soft non-crossing penalty between adjacent quantile curves."""
import numpy as np

TAUS = np.array([0.1, 0.25, 0.5, 0.75, 0.9])


def pinball(residual, tau):
    return np.where(residual >= 0, tau * residual, (tau - 1) * residual)


def predict(W, b, X):
    return X @ W + b   # (n, q)


def objective(params, X, y, taus=TAUS, crossing_weight=10.0):
    W, b = params
    Q = predict(W, b, X)
    r = y[:, None] - Q
    loss = pinball(r, taus[None, :]).mean(axis=0).sum()
    gaps = Q[:, 1:] - Q[:, :-1]
    crossing = np.mean(np.log1p(np.exp(-20.0 * gaps)) / 20.0)
    return loss + crossing_weight * crossing


rng = np.random.default_rng(8)
n = 80
X = np.column_stack([rng.uniform(-2, 2, n), rng.uniform(-1, 1, n)])
y = 1.5 * X[:, 0] - X[:, 1] + (0.5 + 0.3 * np.abs(X[:, 0])) * rng.standard_normal(n)
W = 0.3 * rng.standard_normal((2, 5)) + np.array([1.3, -0.8])[:, None]
b = np.array([-1.0, -0.5, 0.0, 0.5, 1.0]) + 0.05 * rng.standard_normal(5)

f = objective
ARGS = ((W, b), X, y)
