"""Ridge regression with generalised cross-validation, written as a small scikit-style class: the
eigendecomposition of X^T X (np.linalg.eigh) cached in __init__, a property for the effective degrees
of freedom, __call__ returning the GCV score; a subclass adds feature weights (adaptive scaling)."""
import numpy as np


class RidgeGCV:
    def __init__(self, X, y):
        self.X, self.y = X, y
        self.n = X.shape[0]
        self.evals, self.evecs = np.linalg.eigh(X.T @ X)

    def shrink(self, lam):
        return self.evals / (self.evals + lam)

    def dof(self, lam):
        return np.sum(self.shrink(lam))

    def coef(self, lam):
        Xty = self.X.T @ self.y
        return self.evecs @ ((self.evecs.T @ Xty) / (self.evals + lam))

    def __call__(self, lam):
        resid = self.y - self.X @ self.coef(lam)
        return self.n * np.sum(resid ** 2) / (self.n - self.dof(lam)) ** 2


class ScaledRidgeGCV(RidgeGCV):
    def __init__(self, X, y, log_w):
        super().__init__(X * np.exp(log_w), y)
        self.log_w = log_w

    def __call__(self, lam):
        return super().__call__(lam) + 0.01 * np.sum(self.log_w ** 2)


def gcv_objective(log_lam, log_w, X, y):
    model = ScaledRidgeGCV(X, y, log_w)
    return model(np.exp(log_lam))


rng = np.random.default_rng(115)
X = rng.standard_normal((25, 5))
y = X @ np.array([1.0, -0.5, 0.0, 2.0, 0.3]) + 0.5 * rng.standard_normal(25)
log_w = 0.1 * rng.standard_normal(5)

f = gcv_objective
ARGS = (0.3, log_w, X, y)
KW = {"wrt": ("log_lam", "log_w")}
