"""Gaussian-mixture log-likelihood after a few EM iterations run to a relative tolerance inside the
loss (differentiating the final likelihood with respect to the data and the initial means); stats
kept in a dict updated with dict.update."""
import numpy as np

def e_step(X, means, log_var, log_w):
    d2 = np.sum((X[:, None, :] - means[None, :, :]) ** 2, axis=-1)
    D = X.shape[1]
    logp = log_w[None, :] - 0.5 * d2 / np.exp(log_var)[None, :] - 0.5 * D * (np.log(2 * np.pi) + log_var[None, :])
    mx = logp.max(axis=1, keepdims=True)
    lse = mx + np.log(np.exp(logp - mx).sum(axis=1, keepdims=True))
    return np.exp(logp - lse), lse[:, 0].sum()

def m_step(X, resp):
    Nk = resp.sum(axis=0) + 1e-10
    means = (resp.T @ X) / Nk[:, None]
    d2 = np.sum((X[:, None, :] - means[None, :, :]) ** 2, axis=-1)
    var = (resp * d2).sum(axis=0) / (Nk * X.shape[1])
    return means, np.log(var), np.log(Nk / X.shape[0])

def em_loglik(means0, X, K=3, tol=1e-5, max_iter=30):
    stats = {"ll": -np.inf, "iters": 0}
    means, log_var, log_w = means0, np.zeros(K), np.full(K, -np.log(K))
    for it in range(max_iter):
        resp, ll = e_step(X, means, log_var, log_w)
        if abs(ll - stats["ll"]) < tol * abs(ll):
            break
        stats.update(ll=ll, iters=it + 1)
        means, log_var, log_w = m_step(X, resp)
    return -ll

rng = np.random.default_rng(38)
X = np.concatenate([rng.standard_normal((15, 2)) + c for c in ([0, 0], [3, 3], [0, 4])])
f = em_loglik
KW = dict(wrt=("means0", "X"))
ARGS = (np.array([[0.5, 0.2], [2.5, 2.0], [-0.5, 3.0]]), X)
