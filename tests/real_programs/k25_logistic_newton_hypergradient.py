"""Hyperparameter tuning of L2-regularised logistic regression through an unrolled Newton solver:
the inner problem is solved by 6 Newton steps (gradient X^T(p - y)/n + lam w, Hessian
X^T diag(p(1-p)) X / n + lam I, step by np.linalg.solve), the regularisation strength is
lam = exp(log_lam) per feature group via np.repeat, and the outer loss is the validation
cross-entropy computed stably with np.logaddexp.  Differentiated w.r.t. the log-lambda vector."""
import numpy as np


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def inner_newton(X, y, lam, steps=6):
    n, d = X.shape
    w = np.zeros(d)
    for _ in range(steps):
        p = sigmoid(X @ w)
        g = X.T @ (p - y) / n + lam * w
        H = (X.T * (p * (1 - p))) @ X / n + np.diag(lam)
        w = w - np.linalg.solve(H, g)
    return w


def validation_loss(log_lam, Xtr, ytr, Xva, yva, group_sizes):
    lam = np.repeat(np.exp(log_lam), group_sizes)
    w = inner_newton(Xtr, ytr, lam)
    z = Xva @ w
    return np.mean(np.logaddexp(0.0, z) - yva * z)


rng = np.random.default_rng(25)
d = 9
w_true = np.concatenate([rng.normal(0, 1.5, 3), rng.normal(0, 0.3, 3), np.zeros(3)])
Xtr, Xva = rng.standard_normal((80, d)), rng.standard_normal((60, d))
ytr = (rng.random(80) < sigmoid(Xtr @ w_true)).astype(float)
yva = (rng.random(60) < sigmoid(Xva @ w_true)).astype(float)
f = validation_loss
ARGS = (np.log(np.array([0.01, 0.1, 1.0])), Xtr, ytr, Xva, yva, [3, 3, 3])
