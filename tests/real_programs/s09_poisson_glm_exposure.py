"""Poisson regression for claim counts with an exposure offset (log link): one-hot encoded
categorical features built with np.eye, the full log-likelihood including log(y!) via gammaln, and
an L2 penalty on every coefficient except the intercept."""
import numpy as np
from scipy.special import gammaln


def design_matrix(age, region, n_regions):
    age_std = (age - age.mean()) / age.std()
    onehot = np.eye(n_regions)[region][:, 1:]  # drop the reference level
    return np.column_stack([np.ones_like(age), age_std, age_std ** 2, onehot])


def poisson_nll(coef, X, counts, exposure, alpha=0.5):
    eta = X @ coef + np.log(exposure)
    mu = np.exp(eta)
    ll = counts * eta - mu - gammaln(counts + 1)
    penalty = 0.5 * alpha * np.sum(coef[1:] ** 2)
    return -ll.sum() / len(counts) + penalty / len(counts)


rng = np.random.default_rng(9)
n, R = 120, 4
age = rng.uniform(18, 80, n)
region = rng.integers(0, R, n)
exposure = rng.uniform(0.2, 1.0, n)
X = design_matrix(age, region, R)
true = np.array([-1.0, 0.3, 0.2, 0.4, -0.3, 0.1])
counts = rng.poisson(exposure * np.exp(X @ true)).astype(float)

f = poisson_nll
ARGS = (0.1 * rng.standard_normal(X.shape[1]), X, counts, exposure)
