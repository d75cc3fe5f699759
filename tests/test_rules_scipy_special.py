"""scipy.special's gamma, error, Bessel and entropy functions and softmax (s2sgrad/rules/scipy_special.py).

The every-row walks (tests/test_rule_table_soundness.py, test_rule_table_forward.py; the specs are
tests/rule_specs_scipy_special.py) check each row against finite differences and forward against
reverse.  Here: derivatives at known points (the special points x == 0 of xlogy, sinc and the Bessel
functions included: true limits, never nan), second derivatives through the rows' own derivatives,
the refusals (an integer order or dimension in wrt=, logsumexp's b= and return_sign=True, the numba
backend), s2sgrad importing without scipy, and small real programs (negative-binomial, Student-t and
Dirichlet-multinomial likelihoods, a Black-Scholes price, a softmax classifier, a von Mises fit).
"""
import math
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

special = pytest.importorskip("scipy.special")

import s2sgrad  # noqa: E402
from s2sgrad import differentiate  # noqa: E402
from s2sgrad.errors import S2SGradError  # noqa: E402
from s2sgrad.testing import check_grads  # noqa: E402
from scipy.special import (beta, betaln, digamma, entr, erf, erfc, erfcinv, erfcx, erfinv, gamma, gammaln,  # noqa: E402
                           i0, i0e, i1, i1e, kl_div, log_ndtr, log_softmax, logsumexp, loggamma, multigammaln, ndtr,
                           ndtri, polygamma, psi, rel_entr, softmax, xlog1py, xlogy)

EULER = 0.5772156649015329
rng = np.random.default_rng(41)


# ------------------------------------------------------------------------------ known values
def f_gammaln(x):
    return gammaln(x)


def f_loggamma(x):
    return loggamma(x)


def f_gamma(x):
    return gamma(x)


def f_digamma(x):
    return digamma(x)


def f_psi(x):
    return psi(x)


def f_trigamma(x):
    return polygamma(1, x)


def f_erf(x):
    return erf(x)


def f_erfc(x):
    return erfc(x)


def f_erfcx(x):
    return erfcx(x)


def f_erfinv(x):
    return erfinv(x)


def f_erfcinv(x):
    return erfcinv(x)


def f_ndtr(x):
    return ndtr(x)


def f_log_ndtr(x):
    return log_ndtr(x)


def f_ndtri(x):
    return ndtri(x)


def f_entr(x):
    return entr(x)


def f_i0(x):
    return i0(x)


def f_i1(x):
    return i1(x)


def f_i0e(x):
    return i0e(x)


def f_i1e(x):
    return i1e(x)


def f_sinc(x):
    return np.sinc(x)


ZETA3 = 1.2020569031595942
KNOWN = [  # (function, x, f'(x))
    (f_gammaln, 1.0, -EULER), (f_gammaln, 2.0, 1 - EULER), (f_gammaln, 0.5, -EULER - 2 * math.log(2)),
    (f_loggamma, 1.0, -EULER), (f_gamma, 1.0, -EULER), (f_gamma, 3.0, 2 * (1.5 - EULER)),
    (f_digamma, 1.0, math.pi ** 2 / 6), (f_psi, 1.0, math.pi ** 2 / 6), (f_trigamma, 1.0, -2 * ZETA3),
    (f_erf, 0.0, 2 / math.sqrt(math.pi)), (f_erfc, 0.0, -2 / math.sqrt(math.pi)), (f_erfcx, 0.0, -2 / math.sqrt(math.pi)),
    (f_erfinv, 0.0, math.sqrt(math.pi) / 2), (f_erfcinv, 1.0, -math.sqrt(math.pi) / 2),
    (f_ndtr, 0.0, 1 / math.sqrt(2 * math.pi)), (f_log_ndtr, 0.0, 2 / math.sqrt(2 * math.pi)),
    (f_ndtri, 0.5, math.sqrt(2 * math.pi)), (f_entr, 1.0, -1.0), (f_entr, math.e, -2.0),
    (f_i0, 0.0, 0.0), (f_i1, 0.0, 0.5), (f_i0e, 0.0, 0.0), (f_i1e, 0.0, 0.5), (f_sinc, 0.0, 0.0),
    (f_sinc, 0.5, -4 / math.pi),
]


@pytest.mark.parametrize("fn,x,want", KNOWN, ids=[f"{f.__name__}({x})" for f, x, _ in KNOWN])
def test_derivative_at_known_points(fn, x, want):
    got = differentiate(fn).grad(x)
    assert np.isfinite(got) and got == pytest.approx(want, rel=1e-12, abs=1e-14)
    _, tangent = s2sgrad.jvp(fn, (x,), (1.0,))  # forward mode reads the same rows
    assert tangent == pytest.approx(want, rel=1e-12, abs=1e-14)
    garr = differentiate(fn).grad(np.array([x, x]), seed=np.ones(2))  # and elementwise on arrays
    np.testing.assert_allclose(garr, [want, want], rtol=1e-12, atol=1e-14)


def test_log_ndtr_deep_in_the_lower_tail():
    """phi/Phi from logarithms: finite where both underflow (d/dx log Phi(x) ~ -x for x -> -inf)."""
    x = np.array([-40.0, -100.0, -1e4])
    g = differentiate(lambda_log_ndtr).grad(x)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g, -x, rtol=1e-3)


def lambda_log_ndtr(x):
    return np.sum(log_ndtr(x))


def xlogy_sum(x, y):
    return np.sum(xlogy(x, y)) + np.sum(xlog1py(x, y - 1.0))


def test_xlogy_at_x_zero_gives_y_nothing():
    """xlogy(0, y) = 0 for every y: y's gradient is 0 there, also at y == 0 (xlog1py at y == -1)."""
    x = np.array([0.0, 0.0, 2.0])
    y = np.array([0.0, 3.0, 0.5])
    with np.errstate(divide="ignore"):  # x's derivative at y == 0 is log(0) = -inf (x log y has no other)
        value, (gx, gy) = differentiate(xlogy_sum, wrt=("x", "y")).value_and_grad(x, y)
    assert np.isfinite(value) and gx[0] == -np.inf
    np.testing.assert_array_equal(gy[:2], [0.0, 0.0])
    assert gy[2] == pytest.approx(2 / 0.5 + 2 / 0.5)
    assert gx[1] == pytest.approx(math.log(3.0) + math.log(3.0)) and gx[2] == pytest.approx(2 * math.log(0.5))
    _, t = s2sgrad.jvp(xlogy_sum, (x, y), (None, np.ones(3)))
    assert t == pytest.approx(gy.sum())


def kl_sum(p, q):
    return np.sum(kl_div(p, q)) + np.sum(rel_entr(p, q))


def test_entropies_at_x_zero():
    p = np.array([0.0, 0.3, 0.7])
    q = np.array([0.0, 0.5, 0.5])
    gq = differentiate(kl_sum, wrt="q").grad(p, q)
    np.testing.assert_allclose(gq, [1.0, 1 - 0.6 - 0.6, 1 - 1.4 - 1.4])


def gamma_family(a, b):
    return np.sum(betaln(a, b) + beta(a, b) ** 2) + np.sum(multigammaln(a + 2.0, 3)) + np.sum(polygamma(2, a))


def test_two_argument_rows_broadcast_and_match_scipy():
    a = rng.uniform(0.5, 2.0, (3, 1))
    b = rng.uniform(0.5, 2.0, 4)
    f = differentiate(gamma_family, wrt=("a", "b"))
    check_grads(f, (a, b))
    _, (ga, gb) = f.value_and_grad(a, b)
    assert ga.shape == (3, 1) and gb.shape == (4,)
    want_b = np.sum(special.psi(b) - special.psi(a + b), axis=0) + np.sum(
        2 * special.beta(a, b) ** 2 * (special.psi(b) - special.psi(a + b)), axis=0)
    np.testing.assert_allclose(gb, want_b, rtol=1e-10)
    want_a = np.sum(special.psi(a) - special.psi(a + b), axis=1, keepdims=True) + np.sum(
        2 * special.beta(a, b) ** 2 * (special.psi(a) - special.psi(a + b)), axis=1, keepdims=True) + \
        sum(special.psi(a + 2.0 - j / 2) for j in range(3)) + special.polygamma(3, a)
    np.testing.assert_allclose(ga, want_a, rtol=1e-10)


def softmaxes(x):
    return np.sum(softmax(x, axis=1) * np.arange(4.0)) + np.sum(log_softmax(x, 0)[0]) + np.sum(softmax(x) ** 2)


def test_softmax_and_log_softmax():
    x = rng.standard_normal((3, 4))
    check_grads(differentiate(softmaxes), (x,))


def test_second_derivatives_read_the_rows():
    """The rows' derivatives are rows themselves (gammaln' = digamma, digamma' = polygamma(1, .)...):
    Hessians through them, against scipy's own polygamma."""
    x = np.array([0.4, 1.7, 3.2])
    h = s2sgrad.hessian(total_fn)(x)
    want = special.polygamma(1, x) - 4 / math.sqrt(math.pi) * x * np.exp(-x * x) + \
        special.i1(x) - (special.i0(x) * x - 2 * special.i1(x)) / x ** 2
    np.testing.assert_allclose(np.diag(h), want, rtol=1e-8)
    np.testing.assert_allclose(h - np.diag(np.diag(h)), 0.0, atol=1e-14)


def total_fn(x):
    return np.sum(gammaln(x)) + np.sum(erf(x)) + np.sum(i1(x))


# ------------------------------------------------------------------------------ refusals
def poly_order(x, n):
    return np.sum(polygamma(n, x))


def multi_dim(a, d):
    return np.sum(multigammaln(a, d))


def lse_weights(x):
    return logsumexp(x, b=np.ones(3))


def lse_weights_by_position(x):
    return logsumexp(x, 0, np.ones(3))


def lse_sign(x):
    return logsumexp(x, return_sign=True)[0]


def lse_sign_by_position(x):
    return logsumexp(x, 0, None, False, True)[0]


@pytest.mark.parametrize("fn,args,wrt,message", [
    (poly_order, (np.array([0.5, 1.5]), 1.0), ("x", "n"), "its order n"),
    (multi_dim, (np.array([3.5, 4.5]), 2.0), ("a", "d"), "its dimension d"),
    (lse_weights, (np.zeros(3),), "x", "keyword argument 'b='"),
    (lse_weights_by_position, (np.zeros(3),), "x", "keyword argument 'b='"),
    (lse_sign, (np.zeros(3),), "x", "return_sign"),
    (lse_sign_by_position, (np.zeros(3),), "x", "return_sign"),
])
def test_refused_with_a_message(fn, args, wrt, message):
    with pytest.raises(S2SGradError, match=message):
        differentiate(fn, wrt=wrt).grad(*args)


def lse_options_by_position(x):
    return np.sum(logsumexp(x, 1, None, True) * np.arange(3.0)[:, None]) + logsumexp(x, None, None, False, False)


def test_logsumexp_defaults_by_position_pass():
    check_grads(differentiate(lse_options_by_position), (rng.standard_normal((3, 4)),))


def test_an_integer_order_given_as_an_argument_is_a_constant():
    x = np.array([0.5, 1.5])
    np.testing.assert_allclose(differentiate(poly_order, wrt="x").grad(x, 2), special.polygamma(3, x), rtol=1e-12)
    np.testing.assert_allclose(differentiate(multi_dim, wrt="a").grad(x + 3, 2),
                               special.psi(x + 3) + special.psi(x + 2.5), rtol=1e-12)


def test_numba_backend_refuses_clearly():
    pytest.importorskip("numba")
    with pytest.raises(S2SGradError, match="has no numba version"):
        differentiate(f_numba, backend="numba").grad(np.array([0.5, 1.5]))


def f_numba(x):
    return np.sum(gammaln(x) + xlogy(x, x))


def test_s2sgrad_imports_without_scipy(tmp_path):
    """scipy is optional: with it unimportable, s2sgrad imports (the rows are in the table) and
    differentiates numpy code."""
    (tmp_path / "no_scipy_program.py").write_text("import numpy as np\n\n\ndef f(x):\n    return np.sum(np.sin(x) ** 2)\n")
    code = ("import sys\nsys.modules['scipy'] = None\n"
            "import numpy as np, s2sgrad, no_scipy_program\n"
            "from s2sgrad.rules import RULES\n"
            "assert 'scipy_gammaln' in RULES and 'scipy_softmax' in RULES\n"
            "g = s2sgrad.differentiate(no_scipy_program.f).grad(np.array([0.3, 0.4]))\n"
            "assert np.allclose(g, np.sin(2 * np.array([0.3, 0.4])))\n")
    root = str(pathlib.Path(__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, str(tmp_path)]))
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                         env=env)
    assert out.returncode == 0, (out.stdout[-2000:], out.stderr[-4000:])


# ------------------------------------------------------------------------------ real programs
def negbin_loglik(log_mu, log_r, y):
    """Negative-binomial log-likelihood (NB2, mean mu and size r) of counts y."""
    mu = np.exp(log_mu)
    r = np.exp(log_r)
    ll = gammaln(y + r) - gammaln(r) - gammaln(y + 1) + xlogy(r, r / (r + mu)) + xlogy(y, mu / (r + mu))
    return np.sum(ll)


def student_t_loglik(w, log_nu, log_sigma, X, y):
    """Student-t regression log-likelihood."""
    nu = np.exp(log_nu)
    sigma = np.exp(log_sigma)
    z = (y - X @ w) / sigma
    ll = gammaln((nu + 1) / 2) - gammaln(nu / 2) - 0.5 * np.log(nu * np.pi) - log_sigma \
        - (nu + 1) / 2 * np.log1p(z * z / nu)
    return np.sum(ll)


def dirichlet_multinomial(log_alpha, counts):
    """Dirichlet-multinomial log-likelihood of rows of counts."""
    alpha = np.exp(log_alpha)
    n = np.sum(counts, axis=1)
    a0 = np.sum(alpha)
    ll = gammaln(a0) + gammaln(n + 1) - gammaln(n + a0) + np.sum(gammaln(counts + alpha) - gammaln(alpha)
                                                                 - gammaln(counts + 1), axis=1)
    return np.sum(ll)


def black_scholes(S, K, T, r, sigma):
    """A call's Black-Scholes price, with ndtr."""
    d1 = (np.log(S / K) + (r + 0.5 * sigma ** 2) * T) / (sigma * np.sqrt(T))
    d2 = d1 - sigma * np.sqrt(T)
    return np.sum(S * ndtr(d1) - K * np.exp(-r * T) * ndtr(d2))


def softmax_classifier(W, X, labels):
    """Cross-entropy of a linear classifier, with log_softmax, plus an entropy bonus."""
    logp = log_softmax(X @ W, axis=1)
    p = softmax(X @ W, axis=1)
    return -np.mean(np.take_along_axis(logp, labels[:, None], axis=1)) - 0.01 * np.sum(entr(p))


def von_mises_loglik(mu, log_kappa, theta):
    """von Mises log-likelihood: log I0(kappa) = log i0e(kappa) + kappa."""
    kappa = np.exp(log_kappa)
    return np.sum(kappa * np.cos(theta - mu) - np.log(2 * np.pi) - (np.log(i0e(kappa)) + kappa))


def test_negative_binomial_likelihood():
    y = np.array([0.0, 3.0, 1.0, 0.0, 7.0, 2.0])
    check_grads(differentiate(negbin_loglik, wrt=("log_mu", "log_r")), (rng.standard_normal(6) * 0.3 + 1.0, 0.4, y))


def test_student_t_likelihood():
    X = rng.standard_normal((8, 3))
    y = X @ np.array([0.5, -1.0, 0.3]) + rng.standard_t(4, 8)
    check_grads(differentiate(student_t_loglik, wrt=("w", "log_nu", "log_sigma")),
                (rng.standard_normal(3) * 0.1, 1.2, 0.1, X, y))


def test_dirichlet_multinomial_likelihood():
    counts = rng.integers(0, 6, (5, 4)).astype(float)
    counts[:, 0] += 1
    check_grads(differentiate(dirichlet_multinomial, wrt="log_alpha"), (rng.standard_normal(4) * 0.3, counts))


def test_black_scholes_price():
    S = np.array([90.0, 100.0, 110.0])
    f = differentiate(black_scholes, wrt=("S", "sigma"))
    check_grads(f, (S, 100.0, 0.5, 0.02, 0.25))
    _, (delta, vega) = f.value_and_grad(S, 100.0, 0.5, 0.02, 0.25)
    d1 = (np.log(S / 100.0) + (0.02 + 0.5 * 0.25 ** 2) * 0.5) / (0.25 * np.sqrt(0.5))
    np.testing.assert_allclose(delta, special.ndtr(d1), rtol=1e-12)  # the call's delta is N(d1)
    assert vega == pytest.approx(np.sum(S * np.exp(-d1 ** 2 / 2) / np.sqrt(2 * np.pi) * np.sqrt(0.5)), rel=1e-12)


def test_softmax_classifier():
    X = rng.standard_normal((7, 3))
    labels = rng.integers(0, 4, 7)
    check_grads(differentiate(softmax_classifier, wrt="W"), (rng.standard_normal((3, 4)), X, labels))


def test_von_mises_likelihood():
    theta = rng.vonmises(0.3, 2.0, 9)
    check_grads(differentiate(von_mises_loglik, wrt=("mu", "log_kappa")), (0.1, 0.5, theta))


def _von_mises_norm(k):
    return np.sum(np.log(2 * np.pi * np.i0(k)))


def test_numpy_i0_is_scipys():
    # (np.i0 was refused: "no differentiation rule"; the fifth survey's von Mises mixture)
    from s2sgrad import differentiate
    from s2sgrad.testing import check_grads
    import scipy.special
    k = np.array([0.3, 1.5, 4.0])
    check_grads(_von_mises_norm, (k,))
    np.testing.assert_allclose(differentiate(_von_mises_norm).grad(k), scipy.special.i1(k) / scipy.special.i0(k),
                               rtol=1e-13)
