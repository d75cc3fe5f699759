"""scipy.linalg.solve_triangular, cho_factor and cho_solve differentiated end to end
(rules/scipy_linalg.py): gradients against central differences in float64 for every trans, lower
and unit_diagonal and for a vector or matrix b; a's gradient is zero off the triangle scipy reads
(and on the diagonal where unit_diagonal); cho_factor's factor read directly (its other triangle
holds a's own entries, as scipy leaves them); forward mode against reverse mode; the
Hessian-vector product against differences of the gradient; ranks known only when the code runs;
and the refusals."""
import numpy as np
import pytest

scipy_linalg = pytest.importorskip("scipy.linalg")
from scipy.linalg import cho_factor, cho_solve, solve_triangular  # noqa: E402

import s2sgrad  # noqa: E402
from s2sgrad import S2SGradError, differentiate  # noqa: E402
from finite_differences import central  # noqa: E402

RNG = np.random.default_rng(11)
A = RNG.standard_normal((4, 4)) + 4.0 * np.eye(4)  # (both triangles well conditioned)
B1 = RNG.standard_normal(4)
B2 = RNG.standard_normal((4, 3))


def solved(a, b, trans, lower, unit):
    x = solve_triangular(a, b, trans=trans, lower=lower, unit_diagonal=unit)
    return np.sum(np.sin(x) * np.arange(1, x.size + 1).reshape(x.shape))


@pytest.mark.parametrize("b", [B1, B2], ids=["vector", "matrix"])
@pytest.mark.parametrize("trans", [0, 1, "T", "C"])
@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("unit", [False, True])
def test_gradients_and_tangents(b, trans, lower, unit):
    f = differentiate(solved, wrt=("a", "b"))
    value, (ga, gb) = f.value_and_grad(A, b, trans, lower, unit)
    assert value == pytest.approx(solved(A, b, trans, lower, unit), rel=1e-13)
    np.testing.assert_allclose(ga, central(solved, A, b, trans, lower, unit), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gb, central(lambda bb, aa, *o: solved(aa, bb, *o), b, A, trans, lower, unit),
                               rtol=1e-6, atol=1e-8)
    read = np.tril(np.ones((4, 4)), -1 if unit else 0) if lower else np.triu(np.ones((4, 4)), 1 if unit else 0)
    assert not np.any(ga[read == 0])  # (entries scipy never reads)
    va, vb = RNG.standard_normal(A.shape), RNG.standard_normal(b.shape)
    _, tangent = s2sgrad.jvp(solved, (A, b, trans, lower, unit), (va, vb, None, None, None))
    assert tangent == pytest.approx(np.sum(ga * va) + np.sum(gb * vb), rel=1e-10)


def whitened(L, y):
    # a Gaussian's quadratic form through its Cholesky factor, as GP code writes it
    alpha = solve_triangular(L, y, lower=True)
    return 0.5 * np.sum(alpha ** 2) + np.sum(np.log(np.diag(L)))


def test_second_derivatives():
    L = np.tril(A)
    v = RNG.standard_normal(L.shape)
    hv = s2sgrad.hvp(whitened, (L, B1), v)
    g = differentiate(whitened, wrt="L").grad
    eps = 1e-5
    fd = (g(L + eps * v, B1) - g(L - eps * v, B1)) / (2 * eps)
    np.testing.assert_allclose(hv, fd, rtol=1e-6, atol=1e-7)


def overwrites(a, b):
    return np.sum(solve_triangular(a, b, overwrite_b=True))


def trans_computed(a, b, t):
    return np.sum(solve_triangular(a, b, trans=t + 0))


def batched(a, b):
    return np.sum(solve_triangular(a, b, lower=True))


@pytest.mark.parametrize("fn, args, what", [
    (overwrites, (A, B1), "overwrite_b=True"),
    (trans_computed, (A, B1, 1), "'trans' computed at run time"),
    (batched, (np.stack([A, A]), np.stack([B1, B1])), "an a that is not one matrix"),
])
def test_what_is_refused(fn, args, what):
    with pytest.raises(S2SGradError, match=what):
        differentiate(fn, wrt=0).grad(*args)


SPD = A @ A.T + np.diag([0.5, 0.7, 0.2, 0.9])
SPD[0, 3] += 0.3  # (not symmetric: each triangle is read on its own)


def factored(k, b, lower):
    c, low = cho_factor(k, lower=lower)
    x = cho_solve((c, low), b)
    # (c itself too: its diagonal, as log-determinants read it, and every entry, the other triangle
    # holding k's own)
    return np.sum(np.sin(x)) + np.sum(np.log(np.diag(c))) + 0.1 * np.sum(c * c)


def factored_lower(k, b):
    return factored(k, b, True)


def factored_upper(k, b):
    return factored(k, b, False)


def through_a_name(k, b):
    fac = cho_factor(k)  # (lower=False, scipy's default)
    return np.sum(cho_solve(fac, b) * b)


def kept_in_containers(k, b):
    t = (cho_factor(k, lower=1), 2.0)  # (lower=1: a truth value, as scipy reads it)
    d = {"f": cho_factor(k)}
    first = cho_solve(t[0], [np.sum(b), 1.0, -np.sum(b * b), 2.0])  # (a list written out: the array scipy makes)
    return np.sum(first) * np.sum(b) + np.sum(cho_solve(d["f"], b) ** 2)


@pytest.mark.parametrize("b", [B1, B2], ids=["vector", "matrix"])
@pytest.mark.parametrize("fn", [factored_lower, factored_upper, through_a_name, kept_in_containers],
                         ids=lambda f: f.__name__)
def test_cholesky_pair(fn, b):
    f = differentiate(fn, wrt=("k", "b"))
    value, (gk, gb) = f.value_and_grad(SPD, b)
    assert value == pytest.approx(fn(SPD, b), rel=1e-13)
    np.testing.assert_allclose(gk, central(fn, SPD, b), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gb, central(lambda bb, kk: fn(kk, bb), b, SPD), rtol=1e-6, atol=1e-8)
    vk, vb = RNG.standard_normal(SPD.shape), RNG.standard_normal(b.shape)
    _, tangent = s2sgrad.jvp(fn, (SPD, b), (vk, vb))
    assert tangent == pytest.approx(np.sum(gk * vk) + np.sum(gb * vb), rel=1e-9)


def gp_nll(k, y):
    c, low = cho_factor(k, lower=True)
    alpha = cho_solve((c, low), y)
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(c)))


def test_cholesky_pair_second_derivatives():
    v = RNG.standard_normal(SPD.shape)
    v = v + v.T
    hv = s2sgrad.hvp(gp_nll, (SPD, B1), v)
    g = differentiate(gp_nll, wrt="k").grad
    eps = 1e-5
    fd = (g(SPD + eps * v, B1) - g(SPD - eps * v, B1)) / (2 * eps)
    np.testing.assert_allclose(hv, fd, rtol=1e-6, atol=1e-7)


def ranks_at_run_time(k, b, n):
    # (b's rank depends on n, a count given when running: known only when the code runs)
    if n > 5:
        b = b[:, None]
    c, low = cho_factor(k, lower=True)
    t = solve_triangular(c, b, lower=True)
    return np.sum(np.sin(cho_solve((c, low), t)))


@pytest.mark.parametrize("b", [B1, B2], ids=["vector", "matrix"])
def test_ranks_known_when_running(b):
    value, (gk, gb) = differentiate(ranks_at_run_time, wrt=("k", "b")).value_and_grad(SPD, b, 2)
    assert value == pytest.approx(ranks_at_run_time(SPD, b, 2), rel=1e-13)
    np.testing.assert_allclose(gk, central(ranks_at_run_time, SPD, b, 2), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gb, central(lambda bb, kk, n: ranks_at_run_time(kk, bb, n), b, SPD, 2),
                               rtol=1e-6, atol=1e-8)
    vk, vb = RNG.standard_normal(SPD.shape), RNG.standard_normal(b.shape)
    _, tangent = s2sgrad.jvp(ranks_at_run_time, (SPD, b, 2), (vk, vb, None))
    assert tangent == pytest.approx(np.sum(gk * vk) + np.sum(gb * vb), rel=1e-9)


def overwrites_a(k, b):
    return np.sum(cho_solve(cho_factor(k, overwrite_a=True), b))


def lower_at_run_time(k, b):
    return np.sum(cho_solve(cho_factor(k, lower=bool(b[0] > 0)), b))


def lower_given(k, b, lower):
    return np.sum(np.sin(cho_solve(cho_factor(k, lower=lower), b)))


@pytest.mark.parametrize("lower", [True, False])
def test_lower_given_by_the_caller(lower):
    # (a parameter read as an option: the code is generated per value, static_args.py)
    gk = differentiate(lower_given, wrt="k").grad(SPD, B1, lower)
    np.testing.assert_allclose(gk, central(lower_given, SPD, B1, lower), rtol=1e-6, atol=1e-8)


def not_a_pair(k, b):
    c = np.linalg.cholesky(k)
    return np.sum(cho_solve(c @ c.T, b))


@pytest.mark.parametrize("fn, args, what", [
    (overwrites_a, (SPD, B1), "overwrite_a= other than False"),
    (lower_at_run_time, (SPD, B1), "'lower' computed at run time"),
    (not_a_pair, (SPD, B1), "not the pair cho_factor returned"),
])
def test_what_is_refused_of_the_pair(fn, args, what):
    with pytest.raises(S2SGradError, match=what):
        differentiate(fn, wrt=0).grad(*args)


def transition(q, t):
    # a continuous-time Markov chain's transition matrix P(t) = expm(Q t), read as a likelihood
    p = scipy_linalg.expm(q * t)
    return np.sum(np.log(p[0] + 1.0)) + np.sum(p * p)


def stacked(qs):
    return np.sum(np.sin(scipy_linalg.expm(qs)))


@pytest.mark.parametrize("fn, arg", [(transition, 0.5 * A[:3, :3]), (stacked, 0.4 * RNG.standard_normal((2, 3, 3)))],
                         ids=["matrix", "stack"])
def test_expm_first_and_second_derivatives(fn, arg):
    rest = (0.7,) if fn is transition else ()
    value, g = differentiate(fn, wrt=0).value_and_grad(arg, *rest)
    assert value == pytest.approx(fn(arg, *rest), rel=1e-13)
    np.testing.assert_allclose(g, central(fn, arg, *rest), rtol=1e-6, atol=1e-8)
    v = RNG.standard_normal(arg.shape)
    _, tangent = s2sgrad.jvp(fn, (arg,) + rest, (v,) + (None,) * len(rest))
    assert tangent == pytest.approx(np.sum(g * v), rel=1e-10)
    hv = s2sgrad.hvp(fn, (arg,) + rest, v)
    grad = differentiate(fn, wrt=0).grad
    eps = 1e-5
    np.testing.assert_allclose(hv, (grad(arg + eps * v, *rest) - grad(arg - eps * v, *rest)) / (2 * eps),
                               rtol=1e-6, atol=1e-7)


def test_expm_frechet_block_form_against_scipy():
    # (runtime_scipy's block form against scipy's own Frechet derivative, and its adjoint by the
    # dot-product test <L(A, E), G> = <E, L(A^T, G)>)
    from s2sgrad.runtime_scipy import expm_frechet, expm_frechet_adjoint
    a, e, g = (RNG.standard_normal((3, 3)) for _ in range(3))
    np.testing.assert_allclose(expm_frechet(a, e), scipy_linalg.expm_frechet(a, e, compute_expm=False),
                               rtol=1e-12, atol=1e-13)
    assert np.sum(expm_frechet(a, e) * g) == pytest.approx(np.sum(e * expm_frechet(a.T, g)), rel=1e-12)
    ga = expm_frechet_adjoint(a, e, g, 0)
    da = RNG.standard_normal((3, 3))
    eps = 1e-6
    fd = np.sum((expm_frechet(a + eps * da, e) - expm_frechet(a - eps * da, e)) * g) / (2 * eps)
    assert np.sum(ga * da) == pytest.approx(fd, rel=1e-7)
