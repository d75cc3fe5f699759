"""ADVI for the eight-schools hierarchical model (non-centred): a mean-field Gaussian over
(mu, log tau, eta_1..8), the log joint with half-normal prior on tau and its log-Jacobian, written
with a normal_logpdf helper and `lp +=`; the ELBO averages the log joint over reparameterised draws
with a list comprehension over the rows of the sample matrix."""
import numpy as np

y = np.array([28.0, 8.0, -3.0, 7.0, -1.0, 1.0, 18.0, 12.0])
sigma = np.array([15.0, 10.0, 16.0, 11.0, 9.0, 11.0, 10.0, 18.0])


def normal_logpdf(x, loc, scale):
    return -0.5 * ((x - loc) / scale) ** 2 - np.log(scale) - 0.5 * np.log(2 * np.pi)


def log_joint(theta):
    mu, log_tau, eta = theta[0], theta[1], theta[2:]
    tau = np.exp(log_tau)
    lp = normal_logpdf(mu, 0.0, 5.0)
    lp += normal_logpdf(tau, 0.0, 5.0) + np.log(2.0) + log_tau
    lp += np.sum(normal_logpdf(eta, 0.0, 1.0))
    theta_j = mu + tau * eta
    lp += np.sum(normal_logpdf(y, theta_j, sigma))
    return lp


def neg_elbo(var_params, eps):
    dim = eps.shape[1]
    m, log_s = var_params[:dim], var_params[dim:]
    samples = m + np.exp(log_s) * eps
    lps = np.array([log_joint(s) for s in samples])
    entropy = np.sum(log_s) + 0.5 * dim * (1 + np.log(2 * np.pi))
    return -(lps.mean() + entropy)


rng = np.random.default_rng(716)
eps = rng.standard_normal((20, 10))
var_params = np.concatenate([np.array([4.0, 1.0]), 0.1 * rng.standard_normal(8), np.full(10, -0.5)])
f = neg_elbo
ARGS = (var_params, eps)
