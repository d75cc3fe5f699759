"""Mixture of von Mises distributions for wind directions: log density kappa*cos(x - mu) minus
log(2*pi*I0(kappa)) with np.i0, mixture weights from a softmax, and logsumexp over components
(np.logaddexp.reduce); parameters in a dict of arrays."""
import numpy as np


def von_mises_logpdf(x, mu, kappa):
    return kappa * np.cos(x - mu) - np.log(2 * np.pi * np.i0(kappa))


def mixture_nll(params, angles):
    logw = params["logits"] - np.logaddexp.reduce(params["logits"])
    kappa = np.exp(params["log_kappa"])
    comp = von_mises_logpdf(angles[:, None], params["mu"][None, :], kappa[None, :]) + logw[None, :]
    return -np.sum(np.logaddexp.reduce(comp, axis=1))


rng = np.random.default_rng(517)
angles = np.concatenate([rng.vonmises(0.5, 4.0, 60), rng.vonmises(-2.0, 8.0, 40), rng.vonmises(2.5, 2.0, 30)])
params = {"logits": np.array([0.2, 0.0, -0.3]), "mu": np.array([0.4, -1.8, 2.7]),
          "log_kappa": np.log(np.array([3.0, 6.0, 1.5]))}

f = mixture_nll
ARGS = (params, angles)
