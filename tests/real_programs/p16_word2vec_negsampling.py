import numpy as np

def log_sigmoid(x):
    return -np.logaddexp(0, -x)

def sgns_loss(W_in, W_out, centers, contexts, negatives):
    v = W_in[centers]                      # (B, d)
    u_pos = W_out[contexts]                # (B, d)
    u_neg = W_out[negatives]               # (B, K, d)
    pos = log_sigmoid(np.sum(v * u_pos, axis=1))
    neg = log_sigmoid(-np.einsum("bkd,bd->bk", u_neg, v)).sum(axis=1)
    return -np.mean(pos + neg)

rng = np.random.default_rng(15)
V, d, B, K = 20, 6, 12, 3
W_in = rng.standard_normal((V, d)) * 0.3
W_out = rng.standard_normal((V, d)) * 0.3
centers = rng.integers(0, V, B)
contexts = rng.integers(0, V, B)
negatives = rng.integers(0, V, (B, K))
f = sgns_loss
KW = dict(wrt=("W_in", "W_out"))
ARGS = (W_in, W_out, centers, contexts, negatives)
