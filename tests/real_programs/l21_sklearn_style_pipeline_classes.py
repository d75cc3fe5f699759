"""A scikit-learn style pipeline written by hand: transformer classes with fit/transform (state set
in fit), inheritance from a base class, a property, np.vander and itertools.combinations_with_replacement
polynomial features, *args/**kwargs forwarding through Pipeline.__call__; logistic loss w.r.t. the weights."""
import itertools
import numpy as np


class Transformer:
    def fit(self, X):
        return self

    def __call__(self, X, *args, **kwargs):
        return self.transform(X, *args, **kwargs)


class Standardize(Transformer):
    def fit(self, X):
        self.mean_ = X.mean(axis=0)
        self.scale_ = X.std(axis=0) + 1e-8
        return self

    def transform(self, X):
        return (X - self.mean_) / self.scale_


class PolyFeatures(Transformer):
    def __init__(self, degree=2):
        self.degree = degree

    @property
    def n_out(self):
        return self.n_in_ * (self.n_in_ + 3) // 2

    def fit(self, X):
        self.n_in_ = X.shape[1]
        return self

    def transform(self, X, cubic_first=False):
        cols = [X]
        for i, j in itertools.combinations_with_replacement(range(X.shape[1]), 2):
            cols.append((X[:, i] * X[:, j])[:, None])
        if cubic_first:
            cols.append(np.vander(X[:, 0], 4, increasing=True)[:, 3:])
        return np.concatenate(cols, axis=1)


class Pipeline:
    def __init__(self, *steps):
        self.steps = list(steps)

    def fit(self, X):
        for s in self.steps:
            X = s.fit(X)(X)
        return self

    def __call__(self, X, **kw):
        for s in self.steps[:-1]:
            X = s(X)
        return self.steps[-1](X, **kw)


def logistic_loss(w, b, X, y, l2=1e-2):
    pipe = Pipeline(Standardize(), PolyFeatures(2)).fit(X)
    F = pipe(X, cubic_first=True)
    z = F @ w + b
    return np.mean(np.logaddexp(0.0, z) - y * z) + l2 * np.sum(w ** 2)


rng = np.random.default_rng(121)
X = rng.standard_normal((50, 3)) * np.array([1.0, 5.0, 0.2]) + np.array([0.0, 10.0, -1.0])
y = (X[:, 0] * X[:, 2] + 0.3 * rng.standard_normal(50) > -0.2).astype(float)
w = 0.1 * rng.standard_normal(3 + 6 + 1)

f = logistic_loss
ARGS = (w, 0.05, X, y)
KW = {"wrt": ("w", "b")}
