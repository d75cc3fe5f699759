"""Ramsey growth model with Cobb-Douglas production Y = A K^a (L)^(1-a) and labor growth: a path of
savings rates (sigmoid of logits) is rolled forward, consumption gives discounted CRRA utility, and
a terminal capital condition is penalized; the negative welfare is minimized."""
import numpy as np


def crra(c, gamma):
    return (c ** (1 - gamma) - 1) / (1 - gamma)


def welfare(logits, k0, A=1.0, alpha=0.33, delta=0.06, beta=0.96, gamma=2.0, n_growth=0.01,
            k_terminal=3.0):
    s = 1.0 / (1.0 + np.exp(-logits))
    K = k0
    L = 1.0
    total = 0.0
    path = [K]
    for t, st in enumerate(s):
        Y = A * K ** alpha * L ** (1 - alpha)
        C = (1 - st) * Y
        total += beta ** t * L * crra(C / L, gamma)
        K = st * Y + (1 - delta) * K
        L *= 1 + n_growth
        path.append(K)
    path = np.array(path)
    terminal = 10.0 * np.maximum(k_terminal * L - K, 0.0) ** 2
    return -total + terminal + 0.01 * np.sum(np.diff(s) ** 2)


T = 40
logits = np.linspace(-1.0, -1.6, T)

f = welfare
ARGS = (logits, 1.5)
