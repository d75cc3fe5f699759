"""Second-order factorization machine (Rendle 2010) for click prediction on sparse one-hot
features; the model is a class with a float bias, linear weights and factor matrix, applied via
__call__ with the O(nk) pairwise-interaction identity; logistic loss plus L2."""
import numpy as np


class FactorizationMachine:
    def __init__(self, n_features, k, rng):
        self.w0 = 0.0
        self.w = np.zeros(n_features)
        self.V = 0.1 * rng.standard_normal((n_features, k))

    def __call__(self, X):
        linear = self.w0 + X @ self.w
        XV = X @ self.V
        pairwise = 0.5 * np.sum(XV ** 2 - (X ** 2) @ (self.V ** 2), axis=1)
        return linear + pairwise


def log_loss(model, X, y, l2_w=1e-3, l2_v=1e-3):
    margin = model(X) * (2 * y - 1)
    data = np.mean(np.logaddexp(0.0, -margin))
    return data + l2_w * np.sum(model.w ** 2) + l2_v * np.sum(model.V ** 2)


rng = np.random.default_rng(121)
n, fields, cards = 64, 3, [4, 5, 3]
offsets = np.concatenate([[0], np.cumsum(cards)[:-1]])
X = np.zeros((n, sum(cards)))
for j, (card, off) in enumerate(zip(cards, offsets)):
    X[np.arange(n), off + rng.integers(0, card, n)] = 1.0
X[:, -1] = rng.uniform(0, 1, n)          # one dense feature
y = (rng.uniform(size=n) < 0.4).astype(float)
model = FactorizationMachine(X.shape[1], 3, rng)
model.w0 = -0.2
model.w = 0.05 * rng.standard_normal(X.shape[1])

f = log_loss
ARGS = (model, X, y)
