"""Isolated-word recognition with a left-to-right (Bakis) HMM: 5 states, each may stay or advance
by one (no skips), the chain must start in state 0 and end in the last state.  Structural zeros of
the initial and transition probabilities are kept as log(0) = -inf (computed once, at module level,
under np.errstate), as speech toolkits do.  Diagonal-Gaussian emissions on 2-D MFCC-like features;
the forward recursion in log space uses scipy.special.logsumexp over the previous state.  The
negative log-likelihood of a few utterances is differentiated w.r.t. the state means and
log standard deviations (maximum-likelihood training by gradient)."""
import numpy as np
from scipy.special import logsumexp

N_STATES = 5


def emission_logpdf(x, means, log_sd):
    z = (x[:, None, :] - means[None, :, :]) / np.exp(log_sd)[None, :, :]
    return np.sum(-0.5 * z ** 2 - log_sd[None, :, :] - 0.5 * np.log(2 * np.pi), axis=-1)   # (T, N)


def forward_loglik(x, means, log_sd, log_pi, log_A):
    log_b = emission_logpdf(x, means, log_sd)
    alpha = log_pi + log_b[0]
    for t in range(1, len(x)):
        alpha = logsumexp(alpha[:, None] + log_A, axis=0) + log_b[t]
    return alpha[-1]                        # must end in the final state


def nll(means, log_sd, utterances, log_pi, log_A):
    return -sum(forward_loglik(x, means, log_sd, log_pi, log_A) for x in utterances) / len(utterances)


A = np.zeros((N_STATES, N_STATES))
for i in range(N_STATES):
    A[i, i] = 0.6 if i < N_STATES - 1 else 1.0
    if i < N_STATES - 1:
        A[i, i + 1] = 0.4
pi = np.zeros(N_STATES)
pi[0] = 1.0
with np.errstate(divide="ignore"):
    LOG_A, LOG_PI = np.log(A), np.log(pi)

rng = np.random.default_rng(31)
true_means = np.cumsum(rng.standard_normal((N_STATES, 2)), axis=0)
utterances = []
for u in range(3):
    durations = rng.integers(2, 5, N_STATES)
    states = np.repeat(np.arange(N_STATES), durations)
    utterances.append(true_means[states] + 0.4 * rng.standard_normal((len(states), 2)))
f = nll
KW = dict(wrt=("means", "log_sd"))
ARGS = (true_means + 0.2 * rng.standard_normal((N_STATES, 2)), np.log(np.full((N_STATES, 2), 0.5)), utterances, LOG_PI, LOG_A)
