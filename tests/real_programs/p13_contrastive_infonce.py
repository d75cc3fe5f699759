import numpy as np

def nt_xent(z1, z2, temperature=0.5):
    z = np.concatenate([z1, z2], axis=0)
    z = z / np.linalg.norm(z, axis=1, keepdims=True)
    n = z1.shape[0]
    sim = z @ z.T / temperature
    np.fill_diagonal(sim, -np.inf)
    targets = np.concatenate([np.arange(n, 2 * n), np.arange(0, n)])
    log_prob = sim - np.log(np.sum(np.exp(sim), axis=1, keepdims=True))
    return -np.mean(log_prob[np.arange(2 * n), targets])

def loss(W, x1, x2):
    return nt_xent(np.tanh(x1 @ W), np.tanh(x2 @ W))

rng = np.random.default_rng(12)
W = rng.standard_normal((6, 4)) * 0.5
x1 = rng.standard_normal((5, 6))
x2 = x1 + 0.1 * rng.standard_normal((5, 6))
f = loss
ARGS = (W, x1, x2)
