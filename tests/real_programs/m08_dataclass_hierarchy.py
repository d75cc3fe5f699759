"""Dataclass parameter containers: a frozen Prior dataclass with defaults, a Likelihood dataclass
with a method, a Model dataclass holding both plus a parameter array; a negative log posterior for
Poisson regression with a Gaussian prior, differentiated w.r.t. the model's arrays."""
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Prior:
    scale: float = 2.0
    mean: float = 0.0

    def logpdf(self, w):
        return -0.5 * np.sum(((w - self.mean) / self.scale) ** 2)


@dataclass
class Likelihood:
    exposure: np.ndarray
    link_offset: float = 0.0

    def rate(self, eta):
        return self.exposure * np.exp(eta + self.link_offset)

    def logpmf(self, counts, eta):
        lam = self.rate(eta)
        return np.sum(counts * np.log(lam) - lam)


@dataclass
class Model:
    w: np.ndarray
    intercept: float
    prior: Prior = field(default_factory=Prior)
    lik: Likelihood = None

    def eta(self, X):
        return X @ self.w + self.intercept


def neg_log_post(model: Model, X, counts):
    return -(model.lik.logpmf(counts, model.eta(X)) + model.prior.logpdf(model.w))


rng = np.random.default_rng(8)
X = rng.standard_normal((30, 3))
exposure = rng.uniform(0.5, 2.0, 30)
counts = rng.poisson(exposure * np.exp(X @ np.array([0.3, -0.2, 0.5]) + 0.1)).astype(float)
model = Model(w=np.array([0.1, 0.0, 0.2]), intercept=0.05, prior=Prior(scale=1.5),
              lik=Likelihood(exposure=exposure, link_offset=-0.1))

f = neg_log_post
ARGS = (model, X, counts)
