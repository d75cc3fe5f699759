"""Point-set registration with entropic optimal transport: a rigid 2-D transform (angle and shift)
moves the source cloud, log-domain Sinkhorn iterations (scipy.special.logsumexp, fixed for-loop)
give the transport plan, and the loss is the transport cost."""
import numpy as np
from scipy.special import logsumexp


def sinkhorn_cost(x, y, a, b, eps=0.05, iters=30):
    C = np.sum((x[:, None, :] - y[None, :, :]) ** 2, axis=-1)
    f = np.zeros(len(x))
    g = np.zeros(len(y))
    loga, logb = np.log(a), np.log(b)
    for _ in range(iters):
        f = -eps * logsumexp((g[None, :] - C) / eps + logb[None, :], axis=1)
        g = -eps * logsumexp((f[:, None] - C) / eps + loga[:, None], axis=0)
    logP = (f[:, None] + g[None, :] - C) / eps + loga[:, None] + logb[None, :]
    return np.sum(np.exp(logP) * C)


def register(theta, shift, src, dst, a, b):
    c, s = np.cos(theta), np.sin(theta)
    R = np.array([[c, -s], [s, c]])
    moved = src @ R.T + shift
    return sinkhorn_cost(moved, dst, a, b)


rng = np.random.default_rng(505)
src = rng.standard_normal((12, 2))
ang = 0.4
Rt = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
dst = (src @ Rt.T + np.array([0.3, -0.2]))[rng.permutation(12)][:10] + 0.02 * rng.standard_normal((10, 2))
a = np.full(12, 1 / 12)
b = np.full(10, 1 / 10)

f = register
KW = {"wrt": ("theta", "shift")}
ARGS = (0.1, np.array([0.0, 0.1]), src, dst, a, b)
