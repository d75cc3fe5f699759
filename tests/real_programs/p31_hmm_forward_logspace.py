import numpy as np
from scipy.special import logsumexp

def log_softmax(x, axis=-1):
    return x - logsumexp(x, axis=axis, keepdims=True)

def hmm_log_likelihood(trans_logits, emit_logits, init_logits, obs):
    log_A = log_softmax(trans_logits, axis=1)
    log_B = log_softmax(emit_logits, axis=1)
    log_pi = log_softmax(init_logits)
    log_alpha = log_pi + log_B[:, obs[0]]
    for t in range(1, len(obs)):
        log_alpha = logsumexp(log_alpha[:, None] + log_A, axis=0) + log_B[:, obs[t]]
    return logsumexp(log_alpha)

rng = np.random.default_rng(30)
S, V, T = 3, 4, 12
obs = rng.integers(0, V, T)
f = hmm_log_likelihood
KW = dict(wrt=(0, 1, 2))
ARGS = (rng.standard_normal((S, S)), rng.standard_normal((S, V)), rng.standard_normal(S), obs)
