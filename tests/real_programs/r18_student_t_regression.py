"""Robust linear regression with Student-t errors; the model is a small class whose degrees of
freedom and scale are @property views of unconstrained log-parameters, with the t log-density as
a @staticmethod."""
import numpy as np
from scipy.special import gammaln


class StudentTRegression:
    def __init__(self, w, log_scale, log_nu_minus_one):
        self.w = w
        self.log_scale = log_scale
        self.log_nu_minus_one = log_nu_minus_one

    @property
    def scale(self):
        return np.exp(self.log_scale)

    @property
    def nu(self):
        return 1.0 + np.exp(self.log_nu_minus_one)

    @staticmethod
    def t_logpdf(z, nu):
        return (gammaln((nu + 1) / 2) - gammaln(nu / 2) - 0.5 * np.log(nu * np.pi)
                - (nu + 1) / 2 * np.log1p(z ** 2 / nu))

    def log_likelihood(self, X, y):
        z = (y - X @ self.w) / self.scale
        return np.sum(self.t_logpdf(z, self.nu) - np.log(self.scale))


def negative_log_posterior(model, X, y):
    prior = 0.5 * np.sum(model.w ** 2) / 10.0 + 0.5 * model.log_nu_minus_one ** 2
    return -model.log_likelihood(X, y) + prior


rng = np.random.default_rng(118)
X = np.column_stack([np.ones(60), rng.standard_normal((60, 2))])
y = X @ np.array([1.0, 2.0, -1.0]) + 0.5 * rng.standard_t(3, 60)
model = StudentTRegression(np.array([0.8, 1.5, -0.5]), np.log(0.7), np.log(4.0))

f = negative_log_posterior
ARGS = (model, X, y)
