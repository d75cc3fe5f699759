import numpy as np

def standardize(x, axis=0, eps=1e-8):
    mu = x.mean(axis=axis, keepdims=True)
    sd = x.std(axis=axis, keepdims=True)
    return (x - mu) / (sd + eps), (mu, sd)

def linear(x, W, b=None):
    out = x @ W
    if b is not None:
        out = out + b
    return out

def loss(W, b, X, y):
    Xs, (mu, sd) = standardize(X, axis=0)
    stats = {"mse": 0.0}
    pred = linear(Xs, W, b=b)
    stats.update(mse=np.mean((pred - y) ** 2))
    stats.update({"l1": np.abs(W).sum()})
    terms = [stats["mse"], 1e-2 * stats["l1"]]
    last = terms.pop()
    return terms[0] + last

rng = np.random.default_rng(39)
X = rng.standard_normal((30, 4)) * 3 + 1
y = rng.standard_normal((30, 2))
f = loss
KW = dict(wrt=("W", "b"))
ARGS = (rng.standard_normal((4, 2)), 0.1 * rng.standard_normal(2), X, y)
