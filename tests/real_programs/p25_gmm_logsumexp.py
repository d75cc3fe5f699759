import numpy as np
from scipy.special import logsumexp

def gmm_negloglik(means, log_sigmas, logit_weights, X):
    K, D = means.shape
    log_w = logit_weights - logsumexp(logit_weights)
    comps = []
    for k in range(K):
        sigma = np.exp(log_sigmas[k])
        z = (X - means[k]) / sigma
        log_norm = -0.5 * np.sum(z ** 2, axis=1) - np.sum(log_sigmas[k]) - 0.5 * D * np.log(2 * np.pi)
        comps.append(log_w[k] + log_norm)
    log_probs = np.stack(comps, axis=0)   # (K, N)
    return -np.sum(logsumexp(log_probs, axis=0))

rng = np.random.default_rng(24)
X = np.concatenate([rng.standard_normal((20, 2)) + 2, rng.standard_normal((20, 2)) - 2])
means = rng.standard_normal((3, 2))
log_sigmas = 0.1 * rng.standard_normal((3, 2))
logit_weights = 0.1 * rng.standard_normal(3)
f = gmm_negloglik
KW = dict(wrt=("means", "log_sigmas", "logit_weights"))
ARGS = (means, log_sigmas, logit_weights, X)
