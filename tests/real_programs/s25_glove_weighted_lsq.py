"""GloVe word vectors: weighted least squares on log co-occurrence counts over the non-zero
entries only (np.nonzero), weighting f(X) = min((X / x_max) ** alpha, 1), separate main and
context vectors and biases; loss summed over pairs."""
import numpy as np


def glove_loss(params, cooc, x_max=10.0, alpha=0.75):
    W, C, bw, bc = params["W"], params["C"], params["bw"], params["bc"]
    rows, cols = np.nonzero(cooc)
    x = cooc[rows, cols]
    weight = np.minimum((x / x_max) ** alpha, 1.0)
    pred = np.sum(W[rows] * C[cols], axis=1) + bw[rows] + bc[cols]
    return 0.5 * np.sum(weight * (pred - np.log(x)) ** 2)


rng = np.random.default_rng(25)
V, d = 15, 4
cooc = np.floor(rng.gamma(0.6, 6.0, size=(V, V)))
cooc = cooc + cooc.T
cooc[cooc == 10.0] = 11.0  # keep away from the x_max kink
params = {"W": 0.1 * rng.standard_normal((V, d)), "C": 0.1 * rng.standard_normal((V, d)),
          "bw": np.zeros(V), "bc": np.zeros(V)}
f = glove_loss
KW = dict(wrt="params")
ARGS = (params, cooc)
