"""The kernel SVM dual solved by unconstrained gradient descent: box constraints 0 <= alpha <= C by
a sigmoid of free variables, the equality sum(alpha y) = 0 by a quadratic penalty, an RBF Gram
matrix from squared norms; the kernel width (log gamma) is differentiated too."""
import numpy as np


def rbf_gram(X, Y, gamma):
    sq = np.sum(X ** 2, axis=1)[:, None] + np.sum(Y ** 2, axis=1)[None, :] - 2.0 * X @ Y.T
    return np.exp(-gamma * np.maximum(sq, 0.0))


def dual_objective(alpha_raw, log_gamma, X, y, C=1.0, rho=10.0):
    alpha = C / (1.0 + np.exp(-alpha_raw))
    K = rbf_gram(X, X, np.exp(log_gamma))
    Q = np.outer(y, y) * K
    obj = 0.5 * alpha @ Q @ alpha - alpha.sum()
    return obj + rho * (alpha @ y) ** 2


rng = np.random.default_rng(722)
X = rng.standard_normal((24, 2))
y = np.where(X[:, 0] ** 2 + X[:, 1] ** 2 > 1.0, 1.0, -1.0)
f = dual_objective
KW = dict(wrt=("alpha_raw", "log_gamma"))
ARGS = (0.3 * rng.standard_normal(24), np.log(0.7), X, y)
