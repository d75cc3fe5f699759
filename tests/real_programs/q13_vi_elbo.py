"""Bayesian logistic regression by variational inference: a mean-field Gaussian posterior, the
reparameterisation trick with several Monte-Carlo samples, the analytic KL to N(0, prior_var)."""
import numpy as np

def softplus(x):
    return np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0)

def neg_elbo(mu, rho, X, y, n_samples=4, prior_var=1.0):
    sigma = softplus(rho)
    D = mu.shape[0]
    loglik = 0.0
    for s in range(n_samples):
        eps = np.random.randn(D)
        w = mu + sigma * eps
        logits = X @ w
        loglik += np.sum(y * logits - softplus(logits)) / n_samples
    kl = 0.5 * np.sum((sigma ** 2 + mu ** 2) / prior_var - 1.0 - 2 * np.log(sigma) + np.log(prior_var))
    return -(loglik - kl)

rng = np.random.default_rng(13)
N, D = 30, 4
X = rng.standard_normal((N, D))
y = (X @ np.array([1.0, -2.0, 0.5, 0.0]) + 0.3 * rng.standard_normal(N) > 0).astype(float)
f = neg_elbo
SEEDED = True
KW = dict(wrt=("mu", "rho"))
ARGS = (0.1 * rng.standard_normal(D), -1.0 + 0.1 * rng.standard_normal(D), X, y)
