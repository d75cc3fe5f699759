"""Two bugs a survey of 40 real programs found (docs/testing.md, 'Real programs').

1. Compiling a function that draws random numbers drew from numpy's global generator while
   working out shapes on placeholders, so the first call for each new signature returned the value
   and gradient of other draws than the plain function's under the same seed (9.46 where numpy
   gives 4.23; from the second call on it was right): a silent wrong value.
2. A closure whose statement starts with a call of another closure variable (`h = leaky(w)`) was
   refused with StaleSourceError though its file was never edited: the source check lost that
   statement's line number on an instruction it skips.
"""
import importlib.util

import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate


def draws(mu, sigma):
    z = np.random.normal(mu, sigma)
    w = np.random.standard_normal(mu.shape) + np.random.uniform(0.0, 1.0, mu.shape)
    return np.sum(z ** 2 * w)


F = differentiate(draws, wrt=("mu", "sigma"))


@pytest.mark.parametrize("n", [3, 5])  # each size is a new signature: compiled on its first call
def test_the_first_call_sees_the_plain_functions_draws(n):
    f = F
    mu, sigma = np.linspace(-1, 1, n), np.ones(n)
    np.random.seed(0)
    want = draws(mu, sigma)
    after = np.random.random()
    for _ in range(2):  # the first call compiles, the second runs the cached code
        np.random.seed(0)
        value, (gmu, gsigma) = f.value_and_grad(mu, sigma)
        assert value == want
        assert np.random.random() == after  # and leaves the generator where the plain function does
    np.random.seed(0)
    z = np.random.normal(mu, sigma)
    w = np.random.standard_normal(mu.shape) + np.random.uniform(0.0, 1.0, mu.shape)
    np.testing.assert_allclose(gmu, 2 * z * w)
    np.random.seed(0)
    assert s2sgrad.jvp(draws, (mu, sigma), (np.ones(n), np.zeros(n)))[0] == want


CLOSURES = """
import numpy as np


def make_loss(slope=0.01):
    def leaky(z):
        return np.maximum(z, slope * z)

    def loss(w):
        h = leaky(w)
        return np.sum(h * h)
    return loss
"""


def test_a_closure_calling_a_closure_is_not_stale(tmp_path):
    # (in a module of its own: pytest rewrites this one's asserts, and the source check then
    # compares an outline only)
    path = tmp_path / "closures_mod.py"
    path.write_text(CLOSURES)
    spec = importlib.util.spec_from_file_location("closures_mod", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    w = np.arange(-3, 3.0)
    g = differentiate(mod.make_loss()).grad(w)
    np.testing.assert_allclose(g, 2 * np.maximum(w, 0.01 * w) * np.where(w > 0.01 * w, 1.0, 0.01))
