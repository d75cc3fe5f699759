"""Smoothed Viterbi (log-sum-exp in place of max) over a preallocated trellis, emission log-probs
from a Gaussian model, transitions from a softmax of logits; written with row writes delta[t] = ..."""
import numpy as np


def logsumexp(a, axis):
    m = np.max(a, axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(a - m), axis=axis))


def soft_viterbi(logits, means, obs, temp=0.5):
    K = len(means)
    T = len(obs)
    logA = logits - logsumexp(logits, 1)[:, None]
    emis = -0.5 * (obs[:, None] - means[None, :]) ** 2
    delta = np.zeros((T, K))
    delta[0] = emis[0] - np.log(K)
    for t in range(1, T):
        scores = delta[t - 1][:, None] + logA
        delta[t] = temp * logsumexp(scores / temp, 0) + emis[t]
    return -temp * logsumexp(delta[-1] / temp, 0)


rng = np.random.default_rng(9)
obs = np.concatenate([rng.normal(0, 1, 6), rng.normal(3, 1, 6)])
f = soft_viterbi
KW = {"wrt": ("logits", "means")}
ARGS = (rng.standard_normal((3, 3)), np.array([-0.5, 1.0, 2.5]), obs)
