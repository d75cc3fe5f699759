"""scipy.stats.gamma / beta / expon logpdf and pdf, poisson logpmf and pmf (rules/scipy_dists.py):
every argument against finite differences, forward against reverse (check_grads), values scipy's;
0 outside the support; poisson's count refused where a derivative reaches it."""
import numpy as np
import pytest
from scipy.stats import beta, expon, poisson
from scipy.stats import gamma as gamma_dist

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

RNG = np.random.default_rng(23)


def gamma_terms(x, a, scale):
    return np.sum(gamma_dist.pdf(x, a=a, scale=scale)) + np.sum(gamma_dist.logpdf(x, a, 0.1, scale))


def beta_terms(x, a, b):
    return np.sum(beta.logpdf(x, a, b)) + np.sum(beta.pdf(x * 0.5 + 0.2, a, b, scale=1.5))


def expon_terms(x, loc, scale):
    return np.sum(expon.logpdf(x, loc, scale) * expon.pdf(x, scale=scale))


def poisson_terms(k, mu):
    return np.sum(poisson.logpmf(k, mu)) + np.sum(poisson.pmf(k, mu * 2))


def serial_interval(mean, sd, days=8):  # the sixth survey's u40: a discretised gamma serial interval
    w = gamma_dist.pdf(np.arange(1, days + 1), a=(mean / sd) ** 2, scale=sd ** 2 / mean)
    return np.sum(w / w.sum() * np.arange(days))


def test_gamma():
    check_grads(gamma_terms, (RNG.uniform(0.3, 2.0, 5), 2.5, RNG.uniform(0.5, 1.5, 5)), wrt=(0, 1, 2))
    check_grads(serial_interval, (4.0, 2.0), wrt=(0, 1))


def test_beta():
    check_grads(beta_terms, (RNG.uniform(0.1, 0.6, 4), 2.0, 3.5), wrt=(0, 1, 2))


def test_expon():
    check_grads(expon_terms, (RNG.uniform(0.3, 2.0, 5), 0.1, 1.3), wrt=(0, 1, 2))


def test_poisson_rate():
    check_grads(poisson_terms, (np.array([0, 1, 3, 5]), RNG.uniform(0.5, 3.0, 4)), wrt=(1,))


def test_outside_the_support_is_zero():
    x = np.array([-0.5, 0.5, 1.5])
    v, g = differentiate(lambda_free_gamma, wrt=0).value_and_grad(x, 2.0)
    assert v == lambda_free_gamma(x, 2.0)
    assert g[0] == 0.0 and g[1] != 0.0


def lambda_free_gamma(x, a):
    return np.sum(gamma_dist.pdf(x, a))


def count_differentiated(mu, k):
    return np.sum(poisson.logpmf(k * 2.0, mu))


def test_a_differentiated_count_is_refused():
    with pytest.raises(S2SGradError, match="a count, whose derivative does not exist"):
        differentiate(count_differentiated, wrt=(0, 1)).grad(1.5, np.array([1.0, 2.0]))
