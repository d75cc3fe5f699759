"""A two-layer classifier whose forward pass fills a cache dict (as in the cs231n assignments), the
loss returned with the cache and the accuracy as auxiliary outputs."""
import numpy as np

def forward(params, X):
    cache = {}
    z1 = X @ params["W1"] + params["b1"]
    cache["z1"] = z1
    a1 = np.maximum(0, z1)
    cache["a1"] = a1
    scores = a1 @ params["W2"] + params["b2"]
    cache["scores"] = scores
    return scores, cache

def softmax_loss(params, X, y, reg=1e-3):
    scores, cache = forward(params, X)
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    N = X.shape[0]
    data_loss = -np.sum(log_probs[np.arange(N), y]) / N
    reg_loss = 0.5 * reg * (np.sum(params["W1"] * params["W1"]) + np.sum(params["W2"] * params["W2"]))
    loss = data_loss + reg_loss
    acc = np.mean(np.argmax(scores, axis=1) == y)
    cache["acc"] = acc
    cache["data_loss"] = data_loss
    return loss, cache

rng = np.random.default_rng(27)
N, D, Hd, C = 24, 5, 12, 3
params = {"W1": 0.5 * rng.standard_normal((D, Hd)), "b1": 0.1 * rng.standard_normal(Hd),
          "W2": 0.5 * rng.standard_normal((Hd, C)), "b2": np.zeros(C)}
f = softmax_loss
KW = dict(wrt="params", has_aux=True)
ARGS = (params, rng.standard_normal((N, D)), rng.integers(0, C, N))
