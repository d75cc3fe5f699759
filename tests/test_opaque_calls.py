"""Library functions without a derivative rule, called on values that carry none (rules/opaque.py):
`np.hanning(len(x))`, `comb(degree, np.arange(degree + 1))`, `np.polynomial.legendre.leggauss(5)`.
The call is kept as written; where a differentiated value reaches its arguments, reverse and
forward mode refuse it by name (never a guessed zero).  Before, every such call was refused."""
import numpy as np
import pytest
from scipy.special import comb

from s2sgrad import differentiate, jvp
from s2sgrad.errors import UnknownFunctionError
from s2sgrad.testing import check_grads

X = np.linspace(0.1, 0.9, 6)


def windowed(x):
    return np.sum(np.hanning(len(x)) * x ** 2) + np.sum(np.kaiser(len(x), 5.0) * np.bartlett(len(x)) * x ** 3)


def bernstein(t, degree=3):
    i = np.arange(degree + 1)
    B = comb(degree, i) * t[:, None] ** i * (1 - t[:, None]) ** (degree - i)
    return np.sum(B ** 2)


def quadrature(x):
    nodes, weights = np.polynomial.legendre.leggauss(5)
    return np.sum(weights[:, None] * np.exp(x * (nodes[:, None] + 2.0)))


def differentiated_into(x):
    return np.sum(comb(x * 10.0, 2))


def unused(x):
    c = comb(x * 10.0, 2)  # a differentiated value reaches it, but nothing reads the result
    return np.sum(x ** 2) + 0.0 * len(c)


@pytest.mark.parametrize("fn", [windowed, bernstein, quadrature, unused])
def test_constants_from_library_functions(fn):
    check_grads(differentiate(fn), (X,))


def test_known_numbers():
    g = differentiate(windowed).grad(X)
    assert np.allclose(g, 2 * np.hanning(6) * X + 3 * np.kaiser(6, 5.0) * np.bartlett(6) * X ** 2, rtol=1e-12)
    assert "comb(degree, i)" in differentiate(bernstein).compiled_for(X).grad_source


def test_a_derivative_through_one_is_refused_by_name():
    with pytest.raises(UnknownFunctionError, match="'comb' has no differentiation rule, and a differentiated "
                                                   "value reaches it here"):
        differentiate(differentiated_into).grad(X)
    with pytest.raises(UnknownFunctionError, match="'comb' has no differentiation rule"):
        jvp(differentiated_into, (X,), (np.ones(6),))


def draws_with_a_generator(x):
    rng = np.random.default_rng(0)
    return np.sum(x * rng.standard_normal(6))


def test_a_generator_made_in_the_function_draws_as_python_does():
    # (a draw from a Generator is not a constant of its arguments: once refused as 'a
    # cython_function_or_method object read from a global'; a seeded one made in the function is
    # followed now, passes/rng_draws.py and tests/test_random_generators.py)
    np.testing.assert_array_equal(differentiate(draws_with_a_generator).grad(X),
                                  np.random.default_rng(0).standard_normal(6))


def test_the_other_backends_compute_or_refuse():
    pytest.importorskip("numba")
    for fn in (bernstein, quadrature):
        with pytest.raises(Exception, match="backend='numba' cannot compile"):
            differentiate(fn, backend="numba").grad(X)
    assert np.allclose(differentiate(windowed, backend="numba").grad(X), differentiate(windowed).grad(X))


def test_triton_computes_or_refuses():
    pytest.importorskip("triton")
    pytest.importorskip("torch")
    from s2sgrad.errors import UnsupportedSyntaxError
    for fn in (bernstein, quadrature):
        with pytest.raises(UnsupportedSyntaxError, match="not supported by backend='triton'"):
            differentiate(fn, backend="triton").grad(X)
    assert np.allclose(differentiate(windowed, backend="triton").grad(X), differentiate(windowed).grad(X))
