"""Soft-DTW (Cuturi & Blondel 2017) between a predicted and a target sequence: the dynamic program
R[i, j] = D[i-1, j-1] + softmin(R[i-1, j-1], R[i-1, j], R[i, j-1]) filled in a double loop."""
import numpy as np

def softmin3(a, b, c, gamma):
    vals = np.array([a, b, c]) / -gamma
    mx = np.max(vals)
    return -gamma * (mx + np.log(np.sum(np.exp(vals - mx))))

def soft_dtw(x, y, gamma=0.5):
    n, m = x.shape[0], y.shape[0]
    D = np.sum((x[:, None, :] - y[None, :, :]) ** 2, axis=-1)
    R = np.full((n + 1, m + 1), np.inf)
    R[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            R[i, j] = D[i - 1, j - 1] + softmin3(R[i - 1, j - 1], R[i - 1, j], R[i, j - 1], gamma)
    return R[n, m]

rng = np.random.default_rng(36)
t = np.linspace(0, 1, 7)[:, None]
f = soft_dtw
ARGS = (np.sin(6 * t) + 0.1 * rng.standard_normal((7, 1)), np.sin(6 * np.linspace(0, 1, 6)[:, None] + 0.3))
EXTRA = ["jvp"]
