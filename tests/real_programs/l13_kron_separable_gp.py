"""Space-time Gaussian process with a separable covariance: K = np.kron(K_time, K_space) + noise,
marginal likelihood via np.linalg.slogdet and np.linalg.solve, hyperparameters as log values in one
vector; kernels built with np.subtract.outer distances."""
import numpy as np


def rbf(a, b, ls, var):
    d = np.subtract.outer(a, b)
    return var * np.exp(-0.5 * (d / ls) ** 2)


def matern32(a, b, ls):
    r = np.abs(np.subtract.outer(a, b)) / ls
    return (1 + np.sqrt(3) * r) * np.exp(-np.sqrt(3) * r)


def neg_log_marginal(log_hyp, t, s, y):
    ls_t, var, ls_s, noise = np.exp(log_hyp)
    Kt = rbf(t, t, ls_t, var)
    Ks = matern32(s, s, ls_s)
    K = np.kron(Kt, Ks) + noise * np.eye(len(t) * len(s))
    sign, logdet = np.linalg.slogdet(K)
    alpha = np.linalg.solve(K, y)
    n = y.size
    return 0.5 * (y @ alpha + logdet + n * np.log(2 * np.pi))


rng = np.random.default_rng(113)
t = np.linspace(0, 3, 5)
s = np.sort(rng.uniform(0, 4, 4)) + np.array([0.0, 0.01, 0.02, 0.03])
y = np.sin(t)[:, None] * np.cos(s)[None, :] + 0.1 * rng.standard_normal((5, 4))
y = y.ravel()
log_hyp = np.log(np.array([1.2, 0.8, 1.5, 0.05]))

f = neg_log_marginal
ARGS = (log_hyp, t, s, y)
