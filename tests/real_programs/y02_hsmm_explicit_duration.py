"""Hidden semi-Markov model (explicit-duration HMM) for sleep-stage segmentation: each of K states
emits a Gaussian feature and stays for a duration d in 1..D with a per-state log-duration
distribution.  The forward recursion in log space runs over end times t and durations d (segment
emission log-likelihoods from cumulative sums), combining with np.logaddexp.reduce and
scipy.special.logsumexp.  Differentiated w.r.t. the emission means, log-scales and the duration
logits."""
import numpy as np
from scipy.special import logsumexp

D_MAX = 6


def log_softmax(z, axis=-1):
    return z - logsumexp(z, axis=axis, keepdims=True)


def emission_loglik(x, mu, log_sigma):
    # (T, K) Gaussian log densities
    z = (x[:, None] - mu[None, :]) / np.exp(log_sigma)[None, :]
    return -0.5 * z ** 2 - log_sigma[None, :] - 0.5 * np.log(2 * np.pi)


def hsmm_loglik(mu, log_sigma, dur_logits, x, trans_logits, init_logits):
    T, K = x.shape[0], mu.shape[0]
    log_e = emission_loglik(x, mu, log_sigma)
    cum = np.vstack([np.zeros((1, K)), np.cumsum(log_e, axis=0)])     # (T+1, K): segment sums
    log_dur = log_softmax(dur_logits)                                  # (K, D_MAX)
    log_A = log_softmax(trans_logits)                                  # (K, K), zero diagonal mass
    log_pi = log_softmax(init_logits)
    alpha = []   # alpha[t][k]: log p(x[:t+1], a segment of state k ends at t)
    for t in range(T):
        terms = []
        for d in range(1, min(D_MAX, t + 1) + 1):
            seg = cum[t + 1] - cum[t + 1 - d]                          # (K,)
            if d == t + 1:
                start = log_pi
            else:
                prev = alpha[t - d]
                start = logsumexp(prev[:, None] + log_A, axis=0)
            terms.append(start + log_dur[:, d - 1] + seg)
        alpha.append(np.logaddexp.reduce(np.stack(terms), axis=0))
    return -logsumexp(alpha[-1])


rng = np.random.default_rng(2)
K, T = 3, 40
true_mu = np.array([-1.5, 0.0, 2.0])
states = []
while len(states) < T:
    k = rng.integers(K)
    states += [k] * int(rng.integers(2, D_MAX + 1))
x = true_mu[np.array(states[:T])] + 0.5 * rng.standard_normal(T)
trans = np.where(np.eye(K) > 0, -30.0, 0.0)
f = hsmm_loglik
KW = dict(wrt=("mu", "log_sigma", "dur_logits"))
ARGS = (np.array([-1.0, 0.2, 1.5]), np.log(np.full(K, 0.7)), 0.1 * rng.standard_normal((K, D_MAX)), x, trans, np.zeros(K))
