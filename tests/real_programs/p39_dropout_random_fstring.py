import numpy as np

def mlp_with_dropout(W1, b1, W2, b2, X, y, p_drop=0.2, input_noise=0.05):
    assert X.shape[1] == W1.shape[0], f"input dim {X.shape[1]} != {W1.shape[0]}"
    X = X + np.random.normal(0.0, input_noise, size=X.shape)
    h = np.maximum(X @ W1 + b1, 0)
    mask = (np.random.rand(*h.shape) > p_drop) / (1.0 - p_drop)
    h = h * mask
    out = h @ W2 + b2
    return np.mean((out - y) ** 2)

rng = np.random.default_rng(38)
W1 = rng.standard_normal((4, 16)) * 0.5; b1 = 0.1 * rng.standard_normal(16)
W2 = rng.standard_normal((16, 1)) * 0.5; b2 = np.array([0.1])
X = rng.standard_normal((20, 4)); y = rng.standard_normal((20, 1))
f = mlp_with_dropout
SEEDED = True
KW = dict(wrt=("W1", "b1", "W2", "b2"))
ARGS = (W1, b1, W2, b2, X, y)
