"""GP regression on a 2-D grid with a separable kernel: K = K1 kron K2, each factor eigendecomposed
with np.linalg.eigh, the eigenvalues of the Kronecker product by np.kron of the eigenvalue vectors,
the rotated data by Q1^T Y Q2; marginal likelihood in O(n1^3 + n2^3) as in Saatci's thesis, with the
hyperparameters unpacked from an exp of one vector."""
import numpy as np


def rbf(x, lengthscale, variance):
    d = x[:, None] - x[None, :]
    return variance * np.exp(-0.5 * (d / lengthscale) ** 2)


def kron_gp_nll(log_hyp, x1, x2, Y):
    ls1, ls2, var, noise = np.exp(log_hyp)
    e1, Q1 = np.linalg.eigh(rbf(x1, ls1, var))
    e2, Q2 = np.linalg.eigh(rbf(x2, ls2, 1.0))
    lam = np.kron(e1, e2) + noise
    Y_rot = (Q1.T @ Y @ Q2).ravel()
    quad = np.sum(Y_rot ** 2 / lam)
    logdet = np.sum(np.log(lam))
    return 0.5 * (quad + logdet + Y.size * np.log(2 * np.pi))


rng = np.random.default_rng(725)
x1 = np.linspace(0, 4, 6)
x2 = np.linspace(0, 3, 5)
Y = np.sin(x1)[:, None] * np.cos(x2)[None, :] + 0.1 * rng.standard_normal((6, 5))
f = kron_gp_nll
ARGS = (np.log(np.array([1.2, 0.9, 1.0, 0.05])), x1, x2, Y)
