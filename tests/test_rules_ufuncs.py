"""The rows of rules/ufuncs.py with their numbers: np.add/multiply/maximum/minimum/logaddexp.reduce
(numpy's default axis=0), np.add/subtract/multiply.outer (any rank), np.nanmax/np.nanmin (ties
shared as np.max shares them, NaN elements and all-NaN slices get zero) and np.nanargmax/
np.nanargmin (no gradient); against finite differences, known numbers and reverse mode, and each
refusal naming its option and the user's line."""
import numpy as np
import pytest

from s2sgrad import differentiate
from test_rules_signal import dot_check, fd_check, refused

rng = np.random.default_rng(99)


# ------------------------------------------------------------------------------ ufunc.reduce
def add_default(x): return np.add.reduce(x)
def add_axis(x): return np.add.reduce(x, 1, None, None, True)
def add_none(x): return np.add.reduce(x, axis=None)
def mul_default(x): return np.multiply.reduce(x)
def max_default(x): return np.maximum.reduce(x)
def min_axis(x): return np.minimum.reduce(x, axis=-1, keepdims=True)
def max_all(x): return np.maximum.reduce(x, axis=(0, 1))
def lse_default(x): return np.logaddexp.reduce(x)
def lse_axis(x): return np.logaddexp.reduce(x, axis=1)
def max_like_np(x): return np.sum(np.max(x, axis=0) * np.arange(1.0, 3.0))
def max_reduce_w(x): return np.sum(np.maximum.reduce(x) * np.arange(1.0, 3.0))


def test_reduce_defaults_to_axis_0_not_to_all_axes():
    x = rng.standard_normal((3, 4))
    g = differentiate(add_default).grad(x, seed=np.arange(4.0))
    np.testing.assert_array_equal(g, np.broadcast_to(np.arange(4.0), (3, 4)))
    src = differentiate(add_default).compiled_for(x).value_and_grad_source
    assert "np.add.reduce(x, axis=0)" in src


@pytest.mark.parametrize("fn", [add_default, add_axis, add_none, mul_default, max_default, min_axis, max_all,
                                lse_default, lse_axis])
def test_reduce_forward_and_reverse(fn):
    x = rng.standard_normal((3, 4))
    if fn is mul_default:
        x[1, 2] = 0.0  # products stay exact at a zero
    dot_check(fn, (x,), ("x",))


def test_maximum_reduce_ties_share_like_np_max():
    x = np.array([[1.0, 3.0], [3.0, 3.0], [2.0, -1.0]])
    g = differentiate(max_reduce_w).grad(x)
    np.testing.assert_array_equal(g, [[0.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
    np.testing.assert_array_equal(g, differentiate(max_like_np).grad(x))


def test_logaddexp_reduce_gives_the_softmax():
    x = rng.standard_normal((4, 3))
    g = differentiate(lse_default).grad(x, seed=np.ones(3))
    np.testing.assert_allclose(g, np.exp(x) / np.exp(x).sum(axis=0), rtol=1e-12)


def add_initial(x): return np.add.reduce(x, initial=1.0)
def max_where(x): return np.maximum.reduce(x, where=x > 0, initial=-10.0)
def max_dtype(x): return np.maximum.reduce(x, dtype=np.float32)
def add_out(x, o): return np.add.reduce(x, 0, None, o)
def add_reduceat(x): return np.sum(np.add.reduceat(x, [0, 2]))


@pytest.mark.parametrize("fn,args,words", [
    (add_initial, (np.ones(3),), ("initial=",)),
    (max_where, (np.ones(3),), ("where=",)),
    (max_dtype, (np.ones(3),), ("dtype=", "not supported")),
    (add_out, (np.ones(3), np.zeros(())), ("out=",)),
    (add_reduceat, (np.ones(3),), ("np.add.reduceat", "no differentiation rule")),
], ids=["initial", "where", "dtype", "out", "reduceat"])
def test_reduce_options_and_other_methods_refused_by_name(fn, args, words):
    refused(fn, args, *words)


# ------------------------------------------------------------------------------ ufunc.outer
def mul_outer(a, b): return np.multiply.outer(a, b)
def add_outer(a, b): return np.add.outer(a, b)
def sub_outer(a, b): return np.subtract.outer(a, b)
def mul_outer_w(a, b): return np.sum(np.multiply.outer(a, b) * np.arange(12.0).reshape(3, 4))


@pytest.mark.parametrize("fn", [mul_outer, add_outer, sub_outer])
@pytest.mark.parametrize("sa,sb", [((3,), (4,)), ((2, 3), (4,)), ((3,), (2, 2)), ((2, 1), (3, 2)), ((), (3,)),
                                   ((2,), ())])
def test_outer_of_any_rank(fn, sa, sb):
    a = rng.standard_normal(sa) if sa else 0.7
    b = rng.standard_normal(sb) if sb else -1.3
    assert np.shape(fn(a, b)) == tuple(sa) + tuple(sb)
    dot_check(fn, (a, b), ("a", "b"))


def test_multiply_outer_known_numbers():
    a, b = rng.standard_normal(3), rng.standard_normal(4)
    W = np.arange(12.0).reshape(3, 4)
    ga, gb = differentiate(mul_outer_w, wrt=("a", "b")).grad(a, b)
    np.testing.assert_allclose(ga, W @ b)
    np.testing.assert_allclose(gb, a @ W)
    src = differentiate(mul_outer_w, wrt=("a", "b")).compiled_for(a, b).value_and_grad_source
    assert "@ b" in src and "a @" in src


# ------------------------------------------------------------------------------ nanmax, nanmin
def nanmax0(x): return np.nanmax(x, axis=0)
def nanmin1(x): return np.nanmin(x, axis=1, keepdims=True)
def nanmax_all(x): return np.nanmax(x)
def nanmin_all(x): return np.nanmin(x) * 2.0
def nanarg(x): return np.sum(x * np.nanargmax(x)) + np.sum(x * np.nanargmin(x, axis=0))
def nan_loss(x): return np.sum(np.sin(np.nanmax(x, axis=1)) + np.nanmin(x))


XN = np.array([[0.3, np.nan, -0.7, 0.9], [np.nan, 0.5, 0.2, -0.1], [0.8, -0.4, np.nan, 0.6]])


@pytest.mark.parametrize("fn", [nanmax0, nanmin1, nanmax_all])
def test_nan_extrema_forward_and_reverse(fn):
    dot_check(fn, (XN,), ("x",))


def test_nan_extrema_against_finite_differences_away_from_the_nans():
    g = fd_check(nan_loss, (np.where(np.isnan(XN), 0.1, XN),), ("x",))[0]
    assert np.all(np.isfinite(g))
    g = differentiate(nan_loss).grad(XN)
    assert np.all(g[np.isnan(XN)] == 0.0) and np.all(np.isfinite(g))


def test_nan_extrema_known_numbers_ties_and_all_nan_slices():
    x = np.array([[2.0, np.nan, 1.0], [2.0, np.nan, 4.0], [np.nan, np.nan, 4.0]])
    with np.errstate(invalid="ignore"), pytest.warns(RuntimeWarning):
        g = differentiate(nanmax0).grad(x, seed=np.array([1.0, 5.0, 2.0]))
    np.testing.assert_array_equal(g, [[0.5, 0.0, 0.0], [0.5, 0.0, 1.0], [0.0, 0.0, 1.0]])
    g = differentiate(nanmin_all).grad(np.array([np.nan, -1.0, 3.0, -1.0]))
    np.testing.assert_array_equal(g, [0.0, 1.0, 0.0, 1.0])


def test_nanargmax_and_nanargmin_have_no_gradient():
    x = XN.copy()
    g = differentiate(nanarg).grad(x)
    want = np.nanargmax(x) + np.broadcast_to(np.nanargmin(x, axis=0), x.shape)
    np.testing.assert_array_equal(g[~np.isnan(x)], want[~np.isnan(x)])


def _kept(x):
    keep = x > -10.0
    return x[keep]


def rt_mul_outer(a, b): return np.multiply.outer(_kept(a), b)
def rt_sub_outer(a, b): return np.subtract.outer(a, _kept(b))


@pytest.mark.parametrize("fn", [rt_mul_outer, rt_sub_outer])
def test_outer_of_operands_whose_rank_is_known_at_run_time_only(fn):
    a, b = rng.standard_normal(3), rng.standard_normal((2, 2))
    src = differentiate(fn, wrt=("a", "b")).compiled_for(a, b).seeded_source
    assert "np.shape(" in src, src
    dot_check(fn, (a, b), ("a", "b"))
