import numpy as np

def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mean = np.mean(x, axis=0)
    var = np.var(x, axis=0)
    x_hat = (x - mean) / np.sqrt(var + eps)
    out = gamma * x_hat + beta
    cache = (x_hat, mean, var)
    return out, cache

def net_loss(W1, gamma, beta, W2, X, y):
    h = X @ W1
    h, _ = batchnorm_forward(h, gamma, beta)
    h = np.maximum(h, 0.0)
    scores = h @ W2
    # binary logistic loss
    z = scores[:, 0]
    return np.mean(np.log1p(np.exp(-y * z)))

rng = np.random.default_rng(5)
X = rng.standard_normal((40, 5))
y = np.sign(rng.standard_normal(40))
W1 = rng.standard_normal((5, 12)) * 0.5
gamma = np.ones(12) + 0.1 * rng.standard_normal(12)
beta = 0.1 * rng.standard_normal(12)
W2 = rng.standard_normal((12, 1)) * 0.5
f = net_loss
KW = dict(wrt=("W1", "gamma", "beta", "W2"))
ARGS = (W1, gamma, beta, W2, X, y)
