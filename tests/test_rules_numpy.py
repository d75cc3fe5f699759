"""Regression tests with their numbers for the rows added for numpy coverage (issue 11)."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


@pytest.mark.parametrize("ord_", [None, 2, 1, 3, 0.5, np.inf, -np.inf])
def test_vector_norm_at_zero_has_subgradient_zero(ord_):
    """np.linalg.norm at 0 gave NaN (x / |x| = 0 / 0); torch gives 0 there, and so does s2sgrad."""
    @differentiate
    def f(x):
        return np.linalg.norm(x, ord_) + np.sum(x)
    g = f.grad(np.zeros(3))
    assert np.all(np.isfinite(g))
    np.testing.assert_array_equal(g, np.ones(3) if ord_ not in (1,) else np.ones(3))


def m_fro(x): return np.linalg.norm(x, "fro")
def m_nuc(x): return np.linalg.norm(x, "nuc")
def m_2(x): return np.linalg.norm(x, 2)
def m_1(x): return np.linalg.norm(x, 1)
def m_inf(x): return np.linalg.norm(x, np.inf)


@pytest.mark.parametrize("fn", [m_fro, m_nuc, m_2, m_1, m_inf])
def test_matrix_norm_at_zero_is_finite(fn):
    g = differentiate(fn).grad(np.zeros((2, 3)))
    assert np.all(np.isfinite(g))
    if fn is m_fro:
        np.testing.assert_array_equal(g, np.zeros((2, 3)))


def test_power_of_zero_base_wrt_exponent_is_zero():
    """d/dp 0 ** p = 0 for p > 0: the guard against log(0) compared an expression with == (always
    False in the rule builder), so the gradient was NaN."""
    @differentiate(wrt="p")
    def f(x, p):
        return np.sum(x ** p)
    g = f.grad(np.array([0.0, 2.0]), np.array([1.5, 1.5]))
    np.testing.assert_allclose(g, [0.0, 2.0 ** 1.5 * np.log(2.0)])


def test_norm_rows_with_axis_at_zero():
    @differentiate
    def f(x):
        return np.sum(np.linalg.norm(x, axis=1) * np.array([1.0, 2.0]))
    x = np.array([[0.0, 0.0], [3.0, 4.0]])
    np.testing.assert_allclose(f.grad(x), [[0.0, 0.0], [1.2, 1.6]])


def test_prod_with_zeros_is_exact():
    @differentiate
    def f(x):
        return np.prod(x)
    np.testing.assert_allclose(f.grad(np.array([2.0, 0.0, 3.0])), [0.0, 6.0, 0.0])
    np.testing.assert_allclose(f.grad(np.array([0.0, 0.0, 3.0])), [0.0, 0.0, 0.0])


def test_cumprod_with_zero_is_exact():
    @differentiate
    def f(x):
        return np.sum(np.cumprod(x))
    # d/dx (x0 + x0 x1 + x0 x1 x2) at (2, 0, 3): (1 + x1 + x1 x2, x0 + x0 x2, x0 x1) = (1, 8, 0)
    np.testing.assert_allclose(f.grad(np.array([2.0, 0.0, 3.0])), [1.0, 8.0, 0.0])


def test_std_of_a_constant_has_subgradient_zero():
    @differentiate
    def f(x):
        return np.std(x)
    np.testing.assert_array_equal(f.grad(np.full(4, 2.5)), np.zeros(4))


def test_median_even_length_splits_between_the_middle_pair():
    @differentiate
    def f(x):
        return np.median(x)
    np.testing.assert_allclose(f.grad(np.array([4.0, 1.0, 3.0, 2.0])), [0.0, 0.0, 0.5, 0.5])


def test_logsumexp_written_by_hand():
    @differentiate
    def lse(x):
        m = np.max(x, axis=1, keepdims=True)
        return np.sum(m[:, 0] + np.log(np.sum(np.exp(x - m), axis=1)))
    x = np.array([[1.0, 2.0, 3.0], [0.5, 0.5, -1.0]])
    e = np.exp(x - x.max(axis=1, keepdims=True))
    np.testing.assert_allclose(lse.grad(x), e / e.sum(axis=1, keepdims=True), rtol=1e-12)
    check_grads(lse, (x,))


def s_split(x):
    a, b = np.split(x, 2)
    return np.sum(a * np.sin(b))


def s_split_axis(x):
    a, b, c = np.split(x, [1, 3], axis=1)
    return np.sum(a ** 2) + np.sum(b * 3.0) + np.sum(np.cos(c))


def s_array_split(x):
    a, b, c = np.array_split(x, 3, axis=-1)
    return np.sum(a * 2.0) + np.sum(b ** 3) + np.sum(c * b[:, :1])


def s_vsplit_hsplit(x):
    top, bottom = np.vsplit(x, [1])
    left, right = np.hsplit(x, 2)
    return np.sum(top ** 2) + np.sum(bottom * 0.5) + np.sum(left * right)


def s_dsplit(x):
    a, b = np.dsplit(x, 2)
    return np.sum(a * b)


def s_split_stack(x):
    return np.sum(np.stack(np.split(x, 3)) ** 2 * np.arange(3.0)[:, None])


@pytest.mark.parametrize("fn, shape", [(s_split, (6,)), (s_split_axis, (2, 5)), (s_array_split, (3, 7)),
                                       (s_vsplit_hsplit, (3, 4)), (s_dsplit, (2, 3, 4)), (s_split_stack, (6,))])
def test_split_pieces_are_differentiated(fn, shape):
    x = np.random.default_rng(4).standard_normal(shape)
    f = differentiate(fn)
    np.testing.assert_allclose(f.value_and_grad(x)[0], fn(x), rtol=1e-12)
    check_grads(f, (x,))


def test_split_refuses_an_unequal_division_as_numpy_does():
    f = differentiate(s_split)
    with pytest.raises(ValueError, match="equal division"):
        f.grad(np.ones(5))


def test_split_adjoint_writes_slices():
    f = differentiate(s_split)
    f.grad(np.ones(4))
    src = f.grad_source
    assert "np.add.at" not in src and "split_bounds(x.shape, 2, 0, True, False)" in src


def test_sort_follows_the_permutation():
    @differentiate
    def f(x):
        return np.sum(np.sort(x) * np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(f.grad(np.array([0.5, -1.0, 2.0])), [2.0, 1.0, 3.0])


def test_take_with_repeated_indices_accumulates():
    @differentiate
    def f(x):
        return np.sum(np.take(x, np.array([0, 0, 2])) * np.array([1.0, 2.0, 4.0]))
    np.testing.assert_allclose(f.grad(np.array([0.5, -1.0, 2.0])), [3.0, 0.0, 4.0])


def test_in_place_sort_method_is_refused():
    def f(x):
        y = x * 1.0
        y.sort()
        return np.sum(y)
    with pytest.raises(Exception, match="sort"):
        differentiate(f).grad(np.array([2.0, 1.0]))


def l_eigh(a):
    w, v = np.linalg.eigh(a)
    return np.sum(w ** 2) + np.sum(np.sin(v[:, -1]) * np.abs(v[0, -1]))


def l_svd(a):
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    return np.sum(s) + np.sum((u[:, 0] * vt[0, 0]) ** 2)


def l_qr(a):
    q, r = np.linalg.qr(a)
    return np.sum(q * 1.5) + np.sum(np.triu(r) ** 2)


def l_slogdet(a):
    sign, logdet = np.linalg.slogdet(a)
    return sign * logdet


def l_solve_chol(a):
    spd = a @ a.T + 3.0 * np.eye(3)
    l = np.linalg.cholesky(spd)
    x = np.linalg.solve(spd, np.array([1.0, -2.0, 0.5]))
    return np.sum(l) + np.sum(x ** 2) + np.linalg.det(spd) * 0.01


@pytest.mark.parametrize("fn, shape", [(l_eigh, (3, 3)), (l_svd, (4, 3)), (l_qr, (4, 3)), (l_slogdet, (3, 3)),
                                       (l_solve_chol, (3, 3))])
def test_decompositions_unpack_and_match_finite_differences(fn, shape):
    a = np.random.default_rng(8).standard_normal(shape) + 2.0 * np.eye(*shape)
    f = differentiate(fn)
    np.testing.assert_allclose(f.value_and_grad(a)[0], fn(a), rtol=1e-12)
    check_grads(f, (a,))


def test_slogdet_gradient_is_inverse_transpose():
    @differentiate
    def f(a):
        sign, logdet = np.linalg.slogdet(a)
        return logdet
    a = np.array([[2.0, 1.0], [0.5, 3.0]])
    np.testing.assert_allclose(f.grad(a), np.linalg.inv(a).T, rtol=1e-12)


def test_svd_with_full_matrices_is_refused():
    # (a square matrix's full SVD is its thin one: differentiated; another shape says what to
    # write when it runs, tests/test_svd_default.py)
    def f(a):
        u, s, vt = np.linalg.svd(a)
        return np.sum(s)
    np.testing.assert_allclose(differentiate(f).grad(np.diag([1.0, 2.0, 3.0])), np.eye(3), atol=1e-12)
    with pytest.raises(Exception, match="full_matrices=False"):
        differentiate(f).grad(np.ones((3, 2)))


def test_triton_host_code_refuses_rows_whose_torch_twin_differs():
    """torch.var is unbiased, torch.median takes the lower middle: the Triton backend's host code
    would change the value silently, so it refuses the rows added for issue 11."""
    from s2sgrad.errors import UnsupportedSyntaxError
    from s2sgrad.ir import Call, Name
    from s2sgrad.rules import NUMPY_ONLY
    from s2sgrad.triton.lower import host_expr
    assert {"np.var", "np.std", "np.median", "np.sort", ".var", "prod_grad", "np.einsum"} <= NUMPY_ONLY
    assert "np.sum" not in NUMPY_ONLY and "np.exp" not in NUMPY_ONLY
    with pytest.raises(UnsupportedSyntaxError, match="backend='triton'"):
        host_expr(Call("np.var", (Name("x"),)))


def test_math_functions_without_numpy_twins():
    import math

    @differentiate
    def f(x):
        return math.erf(x) + math.lgamma(x) + math.gamma(x)
    x = 1.7
    h = 1e-6
    fd = (f.__wrapped_py__(x + h) - f.__wrapped_py__(x - h)) / (2 * h) if hasattr(f, "__wrapped_py__") else None
    expected = 2 / math.sqrt(math.pi) * math.exp(-x * x) + 0.2085478749 + math.gamma(x) * 0.2085478749
    np.testing.assert_allclose(f.grad(x), expected, rtol=1e-8)
    if fd is not None:
        np.testing.assert_allclose(f.grad(x), fd, rtol=1e-6)


def test_an_output_array_given_by_position_is_refused():
    def f(x):
        out = np.zeros(2)
        return np.sum(np.take(x, np.array([0, 1]), 0, out))
    with pytest.raises(Exception, match="out"):
        differentiate(f).grad(np.array([1.0, 2.0, 3.0]))


def f32_mix(x):
    a, b = np.split(x, 2, axis=1)
    w, v = np.linalg.eigh(a.T @ a + np.eye(2, dtype=np.float32))
    return (np.var(x) + np.sum(np.cumsum(x, axis=0)) + np.einsum('ij,ij', a, b) + np.sum(np.sort(x, axis=None)[:3])
            + np.sum(w) + np.median(x) + np.percentile(x, 30.0) + np.sum(np.pad(x, 1, mode='edge')))


def test_float32_in_float32_gradient_out():
    """quantile_grad computed in float64 and made the whole gradient float64 (the first
    contribution sets the adjoint's dtype): the run-time helpers keep the input's dtype."""
    x = np.random.default_rng(1).standard_normal((3, 4))
    f = differentiate(f32_mix)
    g32 = f.grad(x.astype(np.float32))
    assert g32.dtype == np.float32
    np.testing.assert_allclose(g32, f.grad(x), rtol=1e-4, atol=1e-5)


def test_scipy_logsumexp_and_the_math_predicates():
    """scipy.special.logsumexp has a row (weights b refused); math.isnan/isinf/isfinite/ldexp map
    onto numpy's rows."""
    import math
    scipy_special = pytest.importorskip("scipy.special")
    logsumexp = scipy_special.logsumexp

    def f(x):
        return np.sum(logsumexp(x, axis=1) ** 2) + logsumexp(x)
    x = np.random.default_rng(0).standard_normal((3, 4))
    check_grads(differentiate(f), (x,))

    def weighted(x):
        return logsumexp(x, b=x)
    with pytest.raises(S2SGradError, match="keyword argument 'b='"):
        differentiate(weighted).grad(x)

    def g(t):
        y = math.ldexp(t, 3)
        if math.isnan(y) or math.isinf(y) or not math.isfinite(y):
            return 0.0
        return y * math.sin(t)
    check_grads(differentiate(g), (0.7,))


def _diff_padded(x, p):
    return np.sum(np.diff(x, prepend=p) ** 2) + np.sum(np.diff(x, append=0.5) ** 3)


def _diff_padded_rows(X, p):
    return np.sum(np.diff(X, axis=0, prepend=p, append=X[:1] * 2) ** 2) + np.sum(np.diff(X, 2, -1, 0.0) ** 2)


def test_diff_with_prepend_and_append():
    # (refused before: "the keyword argument 'prepend=' of np.diff"; the fifth survey's trading costs)
    from s2sgrad.testing import check_grads
    rng = np.random.default_rng(2)
    x, X = rng.standard_normal(5), rng.standard_normal((4, 3))
    check_grads(_diff_padded, (x, 0.3), wrt=(0, 1))
    check_grads(_diff_padded_rows, (X, rng.standard_normal((1, 3))), wrt=(0, 1))
    check_grads(_diff_padded_rows, (X, 0.7), wrt=(0, 1))
    from s2sgrad import differentiate
    assert differentiate(_diff_padded, wrt=1).grad(x, 0.3) == pytest.approx(-2 * (x[0] - 0.3))


def _edges(img):
    gy, gx = np.gradient(img)
    return np.sum(np.sqrt(gx ** 2 + gy ** 2 + 1e-3))


def _edges_spaced(img):
    gy, gx = np.gradient(img, 0.5, 2.0)
    return np.sum(gx * gy)


def test_gradient_of_an_image_unpacked_by_axis():
    # (refused before: "indexing into a tuple or list of differentiable values"; the fifth survey's
    # tone curve): np.gradient(img, axis=k) for each name
    rng = np.random.default_rng(6)
    img = rng.standard_normal((4, 5))
    check_grads(_edges, (img,))
    check_grads(_edges_spaced, (img,))
    with pytest.raises(AssertionError, match="unpacking into 2 names"):
        differentiate(_edges).grad(rng.standard_normal((3, 4, 5)))


def _collocation(c, x):
    d2 = np.polynomial.chebyshev.chebval(x, np.polynomial.chebyshev.chebder(c, 2))
    return np.sum((d2 + np.polynomial.chebyshev.chebval(x, c) - np.exp(x)) ** 2)


def test_chebyshev_collocation_residual():
    # (refused before: "'C.chebval' has no differentiation rule"; the fifth survey's collocation)
    from numpy.polynomial import chebyshev as C
    rng = np.random.default_rng(4)
    c, x = rng.standard_normal(6), np.cos(np.pi * np.arange(7) / 6)
    check_grads(_collocation, (c, x))
    V, D2 = C.chebvander(x, 5), C.chebder(np.eye(6), 2)
    by_hand = 2 * (V[:, :4] @ D2 + V).T @ (C.chebval(x, C.chebder(c, 2)) + C.chebval(x, c) - np.exp(x))
    np.testing.assert_allclose(differentiate(_collocation, wrt=0).grad(c, x), by_hand, rtol=1e-12)
