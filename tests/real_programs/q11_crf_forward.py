"""Linear-chain CRF negative log-likelihood: emission scores from a linear layer, the log partition
by the forward algorithm (logsumexp written with max subtraction), the gold path's score by fancy
indexing of the transition matrix."""
import numpy as np

def logsumexp(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    s = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
    return s if keepdims else np.squeeze(s, axis=axis)

def crf_nll(W, trans, start, X, tags):
    emissions = X @ W                       # (T, K)
    T, K = emissions.shape
    alpha = start + emissions[0]
    for t in range(1, T):
        scores = alpha[:, None] + trans + emissions[t][None, :]
        alpha = logsumexp(scores, axis=0)
    log_Z = logsumexp(alpha)
    gold = start[tags[0]] + emissions[np.arange(T), tags].sum() + trans[tags[:-1], tags[1:]].sum()
    return log_Z - gold

rng = np.random.default_rng(11)
T, D, K = 9, 5, 4
X = rng.standard_normal((T, D))
tags = rng.integers(0, K, T)
f = crf_nll
KW = dict(wrt=("W", "trans", "start"))
ARGS = (0.5 * rng.standard_normal((D, K)), 0.3 * rng.standard_normal((K, K)), 0.1 * rng.standard_normal(K), X, tags)
EXTRA = ["jvp"]
