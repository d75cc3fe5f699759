"""The rows a survey of real programs asked for, with their numbers: builtin round (no derivative),
scipy.special.expit/log_expit/logit, scipy.stats.norm.logpdf/pdf/cdf/logcdf in x, loc and scale,
np.lib.stride_tricks.sliding_window_view, np.cross of operands whose length is known only at run
time, the index constructors (np.diag/tril/triu_indices and their _from forms) and
np.broadcast_shapes (which hvp through np.random.normal(mu, sigma) reads).  Against finite
differences along random directions (float64), forward mode against reverse mode, known numbers,
second derivatives, and each refusal by its message and the user's line.  The rule-table walks
check every row in every argument form too (tests/rule_specs_survey.py)."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from test_rules_signal import dot_check, fd_check, refused

scipy_special = pytest.importorskip("scipy.special")
scipy_stats = pytest.importorskip("scipy.stats")
from numpy.lib.stride_tricks import sliding_window_view  # noqa: E402
from scipy import stats  # noqa: E402
from scipy.special import expit, log_expit, logit  # noqa: E402
from scipy.stats import norm  # noqa: E402

rng = np.random.default_rng(2024)


def hessian_check(fn, x, *rest, eps=1e-6, rtol=1e-6):
    """s2sgrad.hvp along a random direction against central differences of the gradient."""
    v = rng.standard_normal(np.shape(x))
    hv = s2sgrad.hvp(fn, (x,) + rest, v)
    grad = differentiate(fn, wrt=0).grad
    fd = (grad(x + eps * v, *rest) - grad(x - eps * v, *rest)) / (2 * eps)
    np.testing.assert_allclose(hv, fd, rtol=rtol, atol=1e-7)


# ------------------------------------------------------------------------------ round
def round_count(x, n):
    steps = int(round(float(x[0]) * n))
    return steps * np.sum(x) + round(x[1], 1) * x[2] + round(float(x[2]) * 10) * x[0]


def test_builtin_round_is_a_constant():
    x = np.array([0.33, 1.27, 0.5])
    g = differentiate(round_count, wrt="x").grad(x, 3)
    np.testing.assert_allclose(g, np.ones(3) + [5.0, 0.0, 1.3], rtol=1e-15)  # round(0.99) = 1, round(5.0) = 5
    fd_check(round_count, (x, 3), ("x",))


def round_loop(y, dt):
    n = int(round(1.0 / dt))
    for _ in range(n):
        y = y + dt * np.sin(y)
    return np.sum(y)


def test_round_as_a_loop_count():
    fd_check(round_loop, (np.array([0.4, -1.2]), 0.25), ("y",))


# ------------------------------------------------------------------------------ expit, log_expit, logit
def sigmoids(x):
    return np.sum(expit(x) * np.arange(1.0, 5.0)) + np.sum(log_expit(x)) + np.sum(logit(0.3 + 0.4 * expit(x)))


def sigmoids_array(x):
    return expit(x) + log_expit(2 * x) * logit(0.5 + 0.3 * np.tanh(x))


def test_expit_log_expit_logit_match_finite_differences_and_reverse_mode():
    x = rng.standard_normal(4) * 2
    fd_check(sigmoids, (x,), ("x",))
    dot_check(sigmoids_array, (x,), ("x",))


def test_sigmoid_derivatives_known_numbers():
    g = differentiate(lambda x: np.sum(expit(x))).grad(np.array([0.0, 2.0]))
    np.testing.assert_allclose(g, [0.25, expit(2.0) * expit(-2.0)], rtol=1e-14)
    g = differentiate(lambda x: np.sum(logit(x))).grad(np.array([0.5, 0.2]))
    np.testing.assert_allclose(g, [4.0, 1 / 0.16], rtol=1e-14)
    # log_expit's derivative is expit(-x): exact in both tails (no 1 - expit(x) cancellation)
    x = np.array([-800.0, -40.0, 0.0, 40.0, 800.0])
    g = differentiate(lambda x: np.sum(log_expit(x))).grad(x)
    np.testing.assert_allclose(g, expit(-x), rtol=1e-15)
    assert g[0] == 1.0 and 0.0 < g[3] < 1e-17 and g[4] == 0.0


def test_sigmoids_second_derivatives():
    x = rng.standard_normal(4)
    hessian_check(sigmoids, x)


def lse_terms(x):
    return scipy_special.logsumexp(x) + np.sum(scipy_special.logsumexp(x.reshape(2, 3), axis=1) ** 2)


def test_logsumexp_second_derivatives():
    """Generated tangent code calls s2sgrad's own logsumexp helper, which resolves to the row."""
    hessian_check(lse_terms, rng.standard_normal(6))


def test_expit_keeps_float32():
    x = rng.standard_normal(4).astype(np.float32)
    g = differentiate(sigmoids).grad(x)
    assert g.dtype == np.float32


def scipy_module_paths(x):
    return np.sum(scipy_special.expit(x)) + np.sum(stats.norm.logpdf(x, scale=2.0))


def test_module_paths_resolve_to_the_same_rows():
    fd_check(scipy_module_paths, (rng.standard_normal(3),), ("x",))


# ------------------------------------------------------------------------------ scipy.stats.norm
def norm_all(x, loc, scale):
    return (np.sum(norm.logpdf(x, loc, scale)) + np.sum(norm.pdf(x, loc=loc, scale=scale) * x)
            + np.sum(norm.cdf(x, loc, scale=scale) ** 2) + np.sum(norm.logcdf(x, scale=scale, loc=loc)))


def norm_array(x, loc, scale):
    return norm.logpdf(x, loc, scale) + norm.pdf(x, loc, scale) + norm.cdf(x, loc, scale) + norm.logcdf(x, loc, scale)


@pytest.mark.parametrize("shapes", [((3, 4), (4,), (3, 1)), ((5,), (), ()), ((), (3,), (2, 1))],
                         ids=["broadcast", "vector", "scalar_x"])
def test_norm_in_x_loc_and_scale(shapes):
    sx, sl, ss = shapes
    x = rng.standard_normal(sx) if sx else 0.4
    loc = 0.3 * rng.standard_normal(sl) if sl else -0.2
    scale = rng.uniform(0.5, 1.5, ss) if ss else 1.3
    fd_check(norm_all, (x, loc, scale), ("x", "loc", "scale"))
    dot_check(norm_array, (x, loc, scale), ("x", "loc", "scale"))


def test_norm_known_numbers():
    g = differentiate(lambda x, s: norm.logpdf(x, 0.0, s), wrt=("x", "s")).grad(1.0, 1.0)
    assert g == (-1.0, 0.0)  # d/dx = -z/s, d/ds = (z^2 - 1)/s at z = 1, s = 1
    g = differentiate(lambda x: norm.cdf(x)).grad(0.0)
    assert np.isclose(g, 1 / np.sqrt(2 * np.pi), rtol=1e-15)
    g = differentiate(lambda m: norm.pdf(0.5, loc=m)).grad(0.0)
    assert np.isclose(g, 0.5 * norm.pdf(0.5), rtol=1e-15)
    # logcdf far in the lower tail: phi/Phi from logarithms (the inverse Mills ratio, about -x)
    x = np.array([-40.0, -10.0, 0.0, 10.0])
    g = differentiate(lambda x: np.sum(norm.logcdf(x))).grad(x)
    assert np.all(np.isfinite(g)) and np.isclose(g[0], 40.025, rtol=1e-4) and g[3] < 1e-20
    np.testing.assert_allclose(g[1:3], norm.pdf(x[1:3]) / norm.cdf(x[1:3]), rtol=1e-12)


def test_norm_second_derivatives():
    x = rng.standard_normal(4)
    hessian_check(lambda x: norm_all(x, 0.2, 1.3), x)
    hessian_check(lambda s: norm_all(np.array([0.3, -1.1]), 0.2, s), 1.2)


def test_norm_float32_argument_gets_float32_gradient():
    x = rng.standard_normal(3).astype(np.float32)
    g = differentiate(lambda x: np.sum(norm.logpdf(x, 0.0, 2.0))).grad(x)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, -x / 4.0, rtol=1e-6)


def bayes_logreg(w, X, y, prior_scale=2.0):  # the survey's p24
    p = expit(X @ w)
    return np.sum(y * np.log(p) + (1 - y) * np.log1p(-p)) + np.sum(norm.logpdf(w, loc=0.0, scale=prior_scale))


def test_bayes_logistic_regression():
    X = np.c_[np.ones(20), rng.standard_normal((20, 2))]
    y = (rng.random(20) < 0.5).astype(float)
    w = 0.3 * rng.standard_normal(3)
    grads = fd_check(bayes_logreg, (w, X, y), ("w",))
    p = expit(X @ w)
    np.testing.assert_allclose(grads[0], X.T @ (y - p) - w / 4.0, rtol=1e-12)


def norm_extra_positional(x): return np.sum(norm.logpdf(x, 0.0, 1.0, 2.0))
def norm_unknown_keyword(x): return np.sum(norm.logpdf(x, foo=1.0))
def norm_frozen(x): return np.sum(norm(0.0, 2.0).logpdf(x))
def norm_logsf(x): return np.sum(norm.logsf(x))


@pytest.mark.parametrize("fn,words", [
    (norm_extra_positional, ("norm.logpdf with arguments after x, loc and scale",)),
    (norm_unknown_keyword, ("the keyword argument 'foo=' of norm.logpdf",)),
    (norm_frozen, ("'norm' has no differentiation rule",)),
    (norm_logsf, ("'norm.logsf' has no differentiation rule",)),
], ids=["fourth_positional", "keyword", "frozen", "logsf"])
def test_norm_refusals(fn, words):
    refused(fn, (np.ones(3),), *words)


# ------------------------------------------------------------------------------ sliding_window_view
def windows_2d(x):
    return np.sum(sliding_window_view(x, (2, 3)) ** 2 * np.arange(6.0).reshape(2, 3))


def windows_axis(x):
    return np.sin(np.lib.stride_tricks.sliding_window_view(x, 2, axis=-1)) * 1.5


def windows_repeated_axis(x):
    return np.sum(sliding_window_view(x, (2, 3), axis=(1, 1)) ** 3)


def moving_average(x, k):
    return np.mean(sliding_window_view(x, k), axis=1)


def conv2d_loss(w, x):  # the survey's p07: the window's shape read from w
    F, C, kh, kw = w.shape
    win = sliding_window_view(x, (kh, kw), axis=(2, 3))
    out = np.einsum("nchwij,fcij->nfhw", win, w)
    return np.sum(np.maximum(out, 0) ** 2)


def test_sliding_windows_match_finite_differences_and_reverse_mode():
    fd_check(windows_2d, (rng.standard_normal((4, 5)),), ("x",))
    dot_check(windows_axis, (rng.standard_normal((2, 3, 5)),), ("x",))
    fd_check(windows_repeated_axis, (rng.standard_normal((2, 7)),), ("x",))
    dot_check(moving_average, (rng.standard_normal(9), 4), ("x",))
    fd_check(conv2d_loss, (0.3 * rng.standard_normal((2, 3, 3, 3)), rng.standard_normal((2, 3, 6, 6))), ("w", "x"))


def test_sliding_window_known_numbers():
    # each element counted once per window that reads it
    g = differentiate(lambda x: np.sum(sliding_window_view(x, 3))).grad(np.zeros(6))
    np.testing.assert_array_equal(g, [1, 2, 3, 3, 2, 1])
    g = differentiate(lambda x: np.sum(sliding_window_view(x, (2, 2)))).grad(np.zeros((3, 3)))
    np.testing.assert_array_equal(g, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


def test_sliding_window_second_derivatives_and_float32():
    hessian_check(lambda x: np.sum(sliding_window_view(x, 3) ** 3), rng.standard_normal(6))
    g = differentiate(windows_2d).grad(rng.standard_normal((4, 5)).astype(np.float32))
    assert g.dtype == np.float32


def windows_writeable(x): return np.sum(sliding_window_view(x, 2, writeable=True))
def windows_subok(x): return np.sum(sliding_window_view(x, 2, subok=True))
def windows_flag(x, flag): return np.sum(sliding_window_view(x, 2, writeable=flag))


def test_sliding_window_refusals():
    refused(windows_writeable, (np.ones(4),), "writeable=True")
    refused(windows_subok, (np.ones(4),), "subok=True")
    with pytest.raises(S2SGradError, match="'writeable=' computed at run time"):
        differentiate(windows_flag, wrt="x").grad(np.ones(4), False)


def windows_then_write(a):
    x = a * 1.0
    w = sliding_window_view(x, 2)
    x[0] = 5.0
    return np.sum(w ** 2)


def test_a_window_view_of_an_array_written_later_is_refused():
    # (it was differentiated as a copy: gradient 10 at a[0] where finite differences give 0); the
    # refusal names the view's line and its .copy() rewrite
    with pytest.raises(S2SGradError) as info:
        differentiate(windows_then_write).grad(np.array([0.3, -0.2, 0.5, 0.7]))
    msg = str(info.value)
    import inspect
    line = inspect.getsourcelines(windows_then_write)[1] + 2  # w = sliding_window_view(x, 2)
    assert f"test_rules_survey.py:{line}:" in msg and "shares memory with 'x'" in msg and ".copy()" in msg


# ------------------------------------------------------------------------------ cross, length at run time
def bundle_cross(params, n):  # the survey's p29: the operands' shapes depend on n
    cams = params[:n * 6].reshape((n, 6))
    return np.sum(np.cross(cams[:, :3], cams[:, 3:]) ** 2) + np.sum(np.cross(cams[:, :3], params[-3:]) * 0.5)


def cross_of(a, b, n):
    return np.cross(a[:n], b[:n])


def test_cross_with_a_length_known_at_run_time():
    p = rng.standard_normal(15)
    fd_check(bundle_cross, (p, 2), ("params",))
    hessian_check(bundle_cross, p, 2)
    src = differentiate(bundle_cross, wrt="params").compiled_for(p, 2).value_and_grad_source
    assert "cross_adjoint(" in src
    a, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    dot_check(cross_of, (a, b, 3), ("a", "b"))
    ga, gb = differentiate(lambda a, b, n: np.sum(cross_of(a, b, n) * np.ones(3)), wrt=("a", "b")).grad(a, b, 4)
    np.testing.assert_allclose(ga, np.cross(b, np.ones(3)), rtol=1e-15)
    np.testing.assert_allclose(gb, np.cross(np.ones(3), a), rtol=1e-15)


def cross_2d_late(a, b, n):
    return np.sum(np.cross(a[:, :n], b[:, :n]))


def cross_2d_known(a, b):
    return np.sum(np.cross(a, b))


def _numpy_crosses_2_vectors():
    """numpy 2.0-2.4 cross 2-vectors with a DeprecationWarning; numpy 2.5 raises ValueError."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            np.cross(np.ones(2), np.ones(2))
        except ValueError:
            return False
    return True


def test_cross_of_other_lengths_is_refused():
    a, b = rng.standard_normal((3, 3)), rng.standard_normal((3, 3))
    if _numpy_crosses_2_vectors():  # the forward pass runs (warning), the gradient is refused
        with pytest.raises(ValueError, match="3-vectors along the last axis only; here the last axes have lengths 2 and 2"):
            with pytest.warns(DeprecationWarning):  # (numpy's own warning about 2-vectors, from the forward pass)
                differentiate(cross_2d_late, wrt=("a", "b")).grad(a, b, 2)
    else:  # numpy itself raises in the forward pass (seen with numpy 2.5.2 on the GPU machine)
        with pytest.raises(ValueError, match="3-dimensional vectors"):
            differentiate(cross_2d_late, wrt=("a", "b")).grad(a, b, 2)
    refused(cross_2d_known, (a[:, :2].copy(), b[:, :2].copy()), "vectors other than 3-vectors along the last axis")


# ------------------------------------------------------------------------------ index constructors, broadcast_shapes
def lower_triangle(A, n):
    i, j = np.tril_indices(n, -1)
    u, v = np.triu_indices_from(A, k=1)
    d = np.diag_indices_from(A)
    e = np.diag_indices(n)
    return np.sum(A[i, j] ** 2) + np.sum(A[u, v] * 3.0) + np.sum(np.exp(A[d])) + np.sum(A[e])


def test_index_constructors_are_constants():
    A = rng.standard_normal((4, 4))
    g = differentiate(lower_triangle, wrt="A").grad(A, 4)
    want = np.where(np.tri(4, k=-1, dtype=bool), 2 * A, 0.0) + np.triu(np.full((4, 4), 3.0), 1) + np.diag(np.exp(np.diag(A)) + 1)
    np.testing.assert_allclose(g, want, rtol=1e-14)
    fd_check(lower_triangle, (A, 4), ("A",))


def normal_draw(mu, sigma):
    z = np.random.normal(mu, sigma)
    return np.sum(z ** 2)


@pytest.mark.parametrize("wrt", [0, 1], ids=["mu", "sigma"])
def test_hvp_and_hessian_through_a_normal_draw(wrt):
    """The draw's shape is np.broadcast_shapes(np.shape(mu), np.shape(sigma)) (rules/args.py): the
    generated tangent code differentiated again reads that row."""
    mu, sigma = np.array([0.3, -0.2, 0.5]), np.array([0.7, 1.1, 0.4])
    args = [mu, sigma]
    v = np.array([0.2, -0.4, 0.9])
    np.random.seed(3)
    hv = s2sgrad.hvp(normal_draw, tuple(args), v, wrt=wrt)
    np.random.seed(3)
    H = s2sgrad.hessian(normal_draw, wrt=wrt)(mu, sigma)
    grad = differentiate(normal_draw, wrt=("mu", "sigma")).grad
    eps = 1e-6

    def g_at(t):
        np.random.seed(3)
        a = list(args)
        a[wrt] = a[wrt] + t * v
        return grad(*a)[wrt]
    fd = (g_at(eps) - g_at(-eps)) / (2 * eps)
    np.testing.assert_allclose(hv, fd, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(H @ v, fd, rtol=1e-7, atol=1e-9)
    np.random.seed(3)
    z = np.random.standard_normal(3)
    want = 2 * np.diag(np.ones(3) if wrt == 0 else z ** 2)  # d2/dmu2 = 2, d2/dsigma2 = 2 z^2
    np.testing.assert_allclose(H, want, rtol=1e-12)
