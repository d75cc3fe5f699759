"""Hyperparameter learning by differentiating through gradient descent: an inner ridge-regression
fit by hand-written gradient steps with a convergence flag and early stopping; the outer loss is
the validation error as a function of the regularisation strength and the learning rate."""
import numpy as np

def inner_fit(X, y, lam, lr, max_iter=200, tol=1e-6):
    w = np.zeros(X.shape[1])
    converged = False
    it = 0
    prev = np.inf
    while not converged and it < max_iter:
        r = X @ w - y
        grad = X.T @ r / len(y) + lam * w
        w = w - lr * grad
        cur = 0.5 * np.mean(r ** 2) + 0.5 * lam * np.sum(w ** 2)
        if abs(prev - cur) < tol:
            converged = True
        prev = cur
        it += 1
    return w, it

def val_loss(log_lam, lr, Xtr, ytr, Xva, yva):
    w, n_iter = inner_fit(Xtr, ytr, np.exp(log_lam), lr)
    return np.mean((Xva @ w - yva) ** 2)

rng = np.random.default_rng(24)
Xtr, Xva = rng.standard_normal((30, 5)), rng.standard_normal((20, 5))
wt = rng.standard_normal(5)
ytr, yva = Xtr @ wt + 0.5 * rng.standard_normal(30), Xva @ wt + 0.5 * rng.standard_normal(20)
f = val_loss
KW = dict(wrt=("log_lam", "lr"))
ARGS = (np.log(0.05), 0.1, Xtr, ytr, Xva, yva)
EXTRA = ["numba"]
