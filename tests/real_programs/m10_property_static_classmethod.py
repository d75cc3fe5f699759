"""A Gaussian-process-like kernel object: constructor from a config via @classmethod (called
outside), positive hyperparameters exposed as @property from log-parameters, a @staticmethod
pairwise distance, and a method computing the negative log marginal likelihood; differentiated as a
bound method w.r.t. the object's attributes."""
import numpy as np


class SEKernel:
    jitter = 1e-6

    def __init__(self, log_ell, log_sf, log_sn):
        self.log_ell = log_ell
        self.log_sf = log_sf
        self.log_sn = log_sn

    @classmethod
    def from_config(cls, cfg):
        return cls(np.log(cfg["ell"]), np.log(cfg["sf"]), np.log(cfg["sn"]))

    @property
    def ell(self):
        return np.exp(self.log_ell)

    @property
    def noise_var(self):
        return np.exp(2.0 * self.log_sn) + self.jitter

    @staticmethod
    def sqdist(a, b):
        return np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1)

    def gram(self, X):
        return np.exp(2.0 * self.log_sf) * np.exp(-0.5 * self.sqdist(X / self.ell, X / self.ell))

    def nlml(self, X, y):
        K = self.gram(X) + self.noise_var * np.eye(len(X))
        L = np.linalg.cholesky(K)
        alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
        return 0.5 * y @ alpha + np.sum(np.log(np.diag(L))) + 0.5 * len(X) * np.log(2 * np.pi)


def loss(kern, X, y):
    return kern.nlml(X, y)


rng = np.random.default_rng(10)
X = rng.uniform(-2, 2, (15, 2))
y = np.sin(X[:, 0]) * np.cos(X[:, 1]) + 0.05 * rng.standard_normal(15)
kern = SEKernel.from_config({"ell": np.array([0.8, 1.2]), "sf": 1.0, "sn": 0.1})
kern.log_sf = float(kern.log_sf)
kern.log_sn = float(kern.log_sn)

f = loss
ARGS = (kern, X, y)
