"""Mixture density network: a hidden layer gives mixture logits, means and log standard deviations
of K 1-d Gaussians; the loss is the negative log-likelihood with a stable logsumexp."""
import numpy as np

def logsumexp(a, axis=-1, keepdims=False):
    a_max = np.max(a, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(a - a_max), axis=axis, keepdims=True)) + a_max
    if not keepdims:
        out = np.squeeze(out, axis=axis)
    return out

def mdn_forward(params, x, K):
    h = np.tanh(x @ params["W_h"] + params["b_h"])
    out = h @ params["W_out"] + params["b_out"]
    logits, mu, log_sigma = out[:, :K], out[:, K:2 * K], out[:, 2 * K:]
    log_pi = logits - logsumexp(logits, axis=1, keepdims=True)
    return log_pi, mu, log_sigma

def mdn_nll(params, x, y, K=3):
    log_pi, mu, log_sigma = mdn_forward(params, x, K)
    z = (y[:, None] - mu) / np.exp(log_sigma)
    log_norm = -0.5 * z ** 2 - log_sigma - 0.5 * np.log(2 * np.pi)
    return -np.mean(logsumexp(log_pi + log_norm, axis=1))

rng = np.random.default_rng(7)
N, D, Hd, K = 40, 2, 10, 3
x = rng.standard_normal((N, D))
y = np.sin(2 * x[:, 0]) + 0.3 * rng.standard_normal(N)
params = {"W_h": rng.standard_normal((D, Hd)) * 0.7, "b_h": np.zeros(Hd),
          "W_out": rng.standard_normal((Hd, 3 * K)) * 0.3, "b_out": 0.1 * rng.standard_normal(3 * K)}
f = mdn_nll
KW = dict(wrt="params")
ARGS = (params, x, y)
