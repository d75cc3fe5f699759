"""Ordinal regression (proportional-odds / cumulative logit): ordered cut points built from a first
cut plus a cumulative sum of exponentiated increments, class probabilities as differences of
sigmoids, padded with 0 and 1, negative log-likelihood with a small ridge penalty."""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def cutpoints(theta):
    first, log_gaps = theta[0], theta[1:]
    return np.concatenate([[first], first + np.cumsum(np.exp(log_gaps))])


def ordinal_nll(params, X, y, n_classes=5, lam=1e-2):
    beta, theta = params["beta"], params["theta"]
    eta = X @ beta
    c = cutpoints(theta)
    cdf = sigmoid(c[None, :] - eta[:, None])
    n = X.shape[0]
    cdf = np.hstack([np.zeros((n, 1)), cdf, np.ones((n, 1))])
    probs = np.diff(cdf, axis=1)
    assert probs.shape == (n, n_classes), f"bad shape {probs.shape}"
    p_obs = probs[np.arange(n), y]
    return -np.mean(np.log(p_obs)) + lam * beta @ beta


rng = np.random.default_rng(7)
n, d = 60, 4
X = rng.standard_normal((n, d))
latent = X @ np.array([1.0, -0.5, 0.3, 0.0]) + rng.logistic(size=n)
y = np.digitize(latent, [-1.5, -0.5, 0.5, 1.5])
params = {"beta": 0.1 * rng.standard_normal(d), "theta": np.array([-1.2, 0.0, -0.2, 0.1])}

f = ordinal_nll
KW = dict(wrt="params")
ARGS = (params, X, y)
