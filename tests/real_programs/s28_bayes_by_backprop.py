"""Bayes by Backprop (Blundell et al. 2015) for a one-hidden-layer regression net: every weight
has a mean and a softplus-parameterised standard deviation, weights drawn with the
reparameterisation trick from np.random.randn inside the loss, several Monte Carlo samples, a
Gaussian likelihood and the closed-form KL to a N(0, prior_sigma^2) prior."""
import numpy as np


def softplus(x):
    return np.log1p(np.exp(x))


def sample(mu, rho):
    eps = np.random.randn(*mu.shape)
    return mu + softplus(rho) * eps


def kl_gaussian(mu, rho, prior_sigma):
    sigma = softplus(rho)
    return np.sum(np.log(prior_sigma / sigma) + (sigma ** 2 + mu ** 2) / (2 * prior_sigma ** 2) - 0.5)


def elbo_loss(q, X, y, n_samples=4, noise=0.1, prior_sigma=1.0):
    nll = 0.0
    for _ in range(n_samples):
        W1 = sample(q["W1_mu"], q["W1_rho"])
        W2 = sample(q["W2_mu"], q["W2_rho"])
        pred = np.tanh(X @ W1) @ W2
        nll += 0.5 * np.sum((pred[:, 0] - y) ** 2) / noise ** 2
    nll /= n_samples
    kl = kl_gaussian(q["W1_mu"], q["W1_rho"], prior_sigma) + kl_gaussian(q["W2_mu"], q["W2_rho"], prior_sigma)
    return (nll + kl) / len(y)


rng = np.random.default_rng(28)
X = rng.uniform(-2, 2, (30, 1))
X = np.hstack([X, np.ones_like(X)])
y = np.sin(2 * X[:, 0]) + 0.1 * rng.standard_normal(30)
q = {"W1_mu": rng.standard_normal((2, 8)), "W1_rho": np.full((2, 8), -3.0),
     "W2_mu": 0.3 * rng.standard_normal((8, 1)), "W2_rho": np.full((8, 1), -3.0)}
f = elbo_loss
KW = dict(wrt="q")
SEEDED = True
ARGS = (q, X, y)
