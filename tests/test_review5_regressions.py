"""Regressions from this stop's adversarial review (higher order, custom rules, checkpointing,
backends, caches), each failing on the code before:
- an index mixing an integer array with a slice open at its end (`X[1:, idx]`, `X[idx, 2:]`): the
  reverse sweep's np.add.at read `1:` as slice(1), which is `:1` (a silent wrong gradient, and a
  bare ValueError for other shapes);
- custom rules: two custom_vjp markers sharing one fwd function used one bwd for both; two
  custom_jvp markers of one plain function one jvp for both; defvjp/defjvp given again after
  compiling kept the old rule; a local named like a rule function (`sp_fwd = x * 2`) shadowed it
  (a bare TypeError from generated code);
- f.vjp's pullback read the caller's arrays, so an in-place update between vjp() and pullback()
  changed the cotangents;
- jacrev of a has_aux function raised a bare ValueError (the others refused without naming has_aux)."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import custom_jvp, custom_vjp, differentiate, hessian, jvp
from s2sgrad.errors import ArgumentError
from s2sgrad.testing import check_grads

IDX = np.array([0, 2])


def rows_from(X):
    return np.sum(X[1:, IDX] ** 2)


def cols_from(X):
    return np.sum(X[np.array([0, 1]), 2:] ** 2) + np.sum(X[-1:, IDX] * 3.0) + np.sum(X[IDX[:1], ::2])


@pytest.mark.parametrize("fn", [rows_from, cols_from])
def test_integer_array_with_an_open_slice(fn):
    X = np.arange(12.0).reshape(3, 4) * 0.1 + 0.05
    check_grads(fn, (X,))
    expected = np.zeros_like(X)
    if fn is rows_from:
        expected[1:, IDX] = 2 * X[1:, IDX]
        np.testing.assert_allclose(differentiate(fn).grad(X), expected)
        np.testing.assert_allclose(hessian(fn)(X).reshape(12, 12).sum(1), (expected != 0).ravel() * 2.0)


def shared_fwd(x):
    return x * 1.0, None


def bwd2(res, g):
    return (2.0 * g,)


def bwd3(res, g):
    return (3.0 * g,)


@custom_vjp
def times2(x):
    return x * 1.0


@custom_vjp
def times3(x):
    return x * 1.0


times2.defvjp(shared_fwd, bwd2)
times3.defvjp(shared_fwd, bwd3)


def both(x):
    return np.sum(times2(x)) + 10.0 * np.sum(times3(x))


def only2(x):
    return np.sum(times2(x))


def base(x):
    return x * 1.0


slope2, slope5 = custom_jvp(base), custom_jvp(base)
slope2.defjvp(lambda p, t: (p[0] * 1.0, 2.0 * t[0]))
slope5.defjvp(lambda p, t: (p[0] * 1.0, 5.0 * t[0]))


def slopes(x):
    return np.sum(slope2(x)) + 10.0 * np.sum(slope5(x))


def test_markers_sharing_functions_keep_their_own_rules():
    x = np.ones(2)
    d2 = differentiate(only2)
    differentiate(both).grad(x)
    np.testing.assert_allclose(d2.grad(x), [2.0, 2.0])
    np.testing.assert_allclose(differentiate(both).grad(x), [32.0, 32.0])
    assert jvp(slopes, (x,), (np.ones(2),))[1] == pytest.approx(104.0)


@custom_vjp
def rescaled(x):
    return x * 1.0


rescaled.defvjp(shared_fwd, bwd2)


def uses_rescaled(x):
    return np.sum(rescaled(x))


def test_a_rule_given_again_compiles_again():
    d = differentiate(uses_rescaled)
    np.testing.assert_allclose(d.grad(np.ones(2)), [2.0, 2.0])
    rescaled.defvjp(shared_fwd, bwd3)
    try:
        np.testing.assert_allclose(d.grad(np.ones(2)), [3.0, 3.0])
    finally:
        rescaled.defvjp(shared_fwd, bwd2)


@custom_vjp
def softplus(x):
    return np.log1p(np.exp(x))


def softplus_fwd(x):
    return np.log1p(np.exp(x)), x


def softplus_bwd(x, g):
    return (g / (1 + np.exp(-x)),)


softplus.defvjp(softplus_fwd, softplus_bwd)


def shadows(x):
    softplus_fwd = x * 2.0  # a local named like the rule's function
    return np.sum(softplus(softplus_fwd))


def test_a_local_named_like_a_rule_function():
    x = np.array([0.3, -0.7, 1.1])
    np.testing.assert_allclose(differentiate(shadows).grad(x), 2.0 / (1 + np.exp(-2 * x)), rtol=1e-13)


def product(x, y):
    return np.sum(x * y)


def test_the_pullback_reads_the_arguments_as_they_were():
    x, y = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    _, pullback = differentiate(product, wrt=("x", "y")).vjp(x, y)
    y[:] = 100.0  # an in-place update before the backward pass
    gx, gy = pullback(1.0)
    np.testing.assert_allclose(gx, [3.0, 4.0])
    np.testing.assert_allclose(gy, [1.0, 2.0])


def with_aux(x):
    y = np.sin(x)
    return np.sum(y * x ** 2), y


@pytest.mark.parametrize("call", [lambda d, x: s2sgrad.jacrev(d)(x), lambda d, x: s2sgrad.jacfwd(d)(x),
                                  lambda d, x: s2sgrad.hessian(d)(x), lambda d, x: jvp(d, (x,), (x,))])
def test_higher_derivatives_of_a_has_aux_function_are_refused(call):
    d = differentiate(with_aux, has_aux=True)
    with pytest.raises(ArgumentError, match="has_aux=True"):
        call(d, np.array([0.5, -1.0, 2.0]))


def ravel_any(X):
    return np.sum(np.ravel(X, order='A') * np.arange(6.0))


def flat_f(X):
    return np.sum(np.ravel(X, order='F') ** 2)


@pytest.mark.parametrize("fn", [ravel_any, flat_f])
def test_orders_other_than_c_are_refused(fn):
    # (order='A' of an F-contiguous argument (x.T) laid values out as the adjoint did not: a wrong
    # value and gradient; jacfwd of order='F' gave a diagonal.  order='F' is differentiated in
    # reverse mode: its adjoint reshapes back in that order)
    from s2sgrad.errors import S2SGradError
    X = np.arange(1.0, 7.0).reshape(3, 2).T
    calls = [lambda: s2sgrad.jacfwd(fn)(X), lambda: jvp(fn, (X,), (X,))]
    if fn is ravel_any:
        calls.append(lambda: differentiate(fn).grad(X))
    else:
        np.testing.assert_allclose(differentiate(fn).grad(X), 2 * X)
    for call in calls:
        with pytest.raises(S2SGradError, match="order="):
            call()


def split_advanced(X):
    return X[np.array([0, 1, 1, 0]), :, 0] * 2.0


def split_advanced_sum(X):
    return np.sum(np.sin(X[np.array([0, 1]), :, -1]))


def test_jacfwd_of_integer_arrays_split_by_a_slice():
    # (the batch axis moved behind numpy's broadcast axes: a transposed Jacobian, or a bare ValueError)
    X = np.arange(4.0).reshape(2, 1, 2)
    np.testing.assert_allclose(s2sgrad.jacfwd(split_advanced)(X), s2sgrad.jacrev(split_advanced)(X))
    Y = np.ones((2, 2, 3))
    np.testing.assert_allclose(s2sgrad.jacfwd(split_advanced_sum)(Y), differentiate(split_advanced_sum).grad(Y))


def two_index_arrays(X):
    return np.sum(X[np.array([2, 0]), np.array([1])] ** 2)


def rows_added(X):
    return np.sum(X[np.array([0, 2, 0])] * np.arange(4.0))


def test_numba_scatter_broadcasts_its_indices():
    # (numba's add_at paired idx[0][k] with idx[1][k] past idx[1]'s end: a wrong gradient or a segfault)
    pytest.importorskip("numba")
    X = np.arange(12.0).reshape(3, 4) * 0.1
    for fn in (two_index_arrays, rows_added):
        np.testing.assert_allclose(differentiate(fn, backend="numba").grad(X), differentiate(fn).grad(X))


@custom_vjp
def dropout(x):
    return x * (np.random.rand(x.shape[0]) > 0.5) * 2.0


def dropout_fwd(x):
    mask = (np.random.rand(x.shape[0]) > 0.5) * 2.0
    return x * mask, mask


def dropout_bwd(mask, g):
    return (g * mask,)


dropout.defvjp(dropout_fwd, dropout_bwd)


def dropped(x):
    return np.sum(dropout(x) ** 2)


def dropped_in_a_loop(x, n):
    h = x
    for i in range(n):
        h = np.tanh(dropout(h) * 0.5 + 0.1)
    return np.sum(h)


def test_a_rule_that_draws():
    # (compiling ran the fwd on placeholders and moved numpy's generator: the first call's draws
    # were others than the plain function's; a checkpointed loop recomputed the fwd with new masks)
    x = np.array([0.3, -0.5, 0.8, 0.1])
    np.random.seed(7)
    plain = dropped(x)
    d = differentiate(dropped)
    for _ in range(2):
        np.random.seed(7)
        v, g = d.value_and_grad(x)
        assert v == plain
    np.random.seed(7)
    mask = (np.random.rand(4) > 0.5) * 2.0
    np.testing.assert_allclose(g, 2 * x * mask * mask)
    with pytest.raises(s2sgrad.S2SGradError, match="calls a rule of yours"):
        differentiate(dropped_in_a_loop, wrt=0, checkpoint=True).grad(x, 3)


@custom_vjp
def triple(x):
    return x * 3.0


def triple_fwd(x):
    return x * 3.0, None


def triple_bwd(res, g):
    g *= 3.0  # in place
    return (g,)


triple.defvjp(triple_fwd, triple_bwd)


def shares_its_adjoint(x):
    y = x * 1.0
    return np.sum((triple(y) + y) * x)


def test_a_rule_changing_its_cotangent_in_place():
    # (the adjoint array was passed itself: [10, 20] for [8, 16]; a broadcast view: a bare ValueError)
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(differentiate(shares_its_adjoint).grad(x), [8.0, 16.0])
    np.testing.assert_allclose(differentiate(lambda_free_sum).grad(x), [3.0, 3.0])


def lambda_free_sum(x):
    return np.sum(triple(x))


def squeezed(w, x):
    return 3.0 * np.squeeze(w.T @ x)


def mean_of_rows(X):
    return np.sum(np.mean(X, axis=0) ** 2)


def test_a_folded_seed_and_an_empty_axis():
    # (a seed folded to the number 3.0 got `.reshape`: a bare AttributeError; np.mean's adjoint
    # computed 1 / X.shape[0] of Python ints: ZeroDivisionError for an empty axis)
    w, x = np.array([[0.5], [-1.0], [2.0]]), np.array([[1.0], [2.0], [3.0]])
    np.testing.assert_allclose(differentiate(squeezed).grad(w, x), 3.0 * x)
    with np.errstate(all="ignore"):
        assert differentiate(mean_of_rows).grad(np.zeros((0, 3))).shape == (0, 3)


def diffs(X):
    return np.diff(X, axis=0)


@custom_vjp
def sq(x):
    return x * x


sq.defvjp(lambda x: (x * x, x), lambda r, g: (2 * r * g,))  # two lambdas on one line


def uses_sq(x):
    return np.sum(sq(x))


@custom_vjp
def scale(x, a=3.0):
    return a * x


def scale_fwd(x, a=3.0):
    return a * x, a


def scale_bwd(a, g):
    return (a * g, None)  # JAX's convention: one cotangent per parameter, defaults included


scale.defvjp(scale_fwd, scale_bwd)


def uses_scale(x):
    return np.sum(scale(x))


def test_rules_and_empty_jacobians():
    # (jacrev of an empty output: a bare ValueError; two lambdas on the line of defvjp refused as
    # a stale source; a default left to a rule's function: one cotangent too many)
    assert s2sgrad.jacrev(diffs)(np.array([[0.5, 1.0, 2.0]])).shape == (0, 3, 1, 3)
    np.testing.assert_allclose(differentiate(uses_sq).grad(np.ones(2)), [2.0, 2.0])
    np.testing.assert_allclose(differentiate(uses_scale).grad(np.ones(3)), [3.0, 3.0, 3.0])


def averaged(X):
    return np.average(X, axis=1, weights=np.array([1.0, 2.0, 3.0, 4.0]))


def over_list(x, ws):
    h = x
    for w in ws:
        h = np.tanh(h * w)
    return np.sum(h)


def test_numba_refusals_are_clear():
    # (a TypeError from numba's typing of np.average(axis=) escaped fallback=True; an empty list
    # argument raised numba's bare ValueError)
    pytest.importorskip("numba")
    X = np.arange(12.0).reshape(3, 4) * 0.1
    seed = np.array([1.0, -1.0, 0.5])
    with pytest.warns(UserWarning, match="fallback=True"):
        g = differentiate(averaged, backend="numba", fallback=True).grad(X, seed=seed)
    np.testing.assert_allclose(g, differentiate(averaged).grad(X, seed=seed))
    with pytest.raises(s2sgrad.S2SGradError, match="'ws' is a list"):
        differentiate(over_list, wrt="x", backend="numba").grad(np.array([0.5, -1.0]), [])


def diff_n0(x):
    return np.sum(np.diff(x, n=0, prepend=1.0) ** 2)


def diff_f32(x):
    return np.sum(np.diff(x, prepend=0.1))


def lae_tail(x):
    return np.sum(np.logaddexp.accumulate(x)[2:])


def text_value(x, y):
    return len(f"{np.float32(0.1)}") * np.sum(x) + len(f"{y[0]}") * np.sum(x)


def test_review_of_this_stops_rows():
    # (np.diff(n=0, prepend=) was padded; a Python-float padding kept a float32 x's dtype where numpy
    # gives float64; logaddexp.accumulate after leading -inf gave a nan gradient; f"{v}" was str(v),
    # not format(v, ''), which differ for np.float32)
    x = np.array([0.5, 2.0])
    np.testing.assert_allclose(differentiate(diff_n0).value_and_grad(x)[1], 2 * x)
    x32 = np.array([0.3, 1.7, 2.2], dtype=np.float32)
    assert differentiate(diff_f32).value_and_grad(x32)[0] == diff_f32(x32)
    y = np.array([-np.inf, -np.inf, 0.5, 1.0])
    g = differentiate(lae_tail).grad(y)
    np.testing.assert_allclose(g, [0.0, 0.0, 1.0 + np.exp(0.5 - np.logaddexp(0.5, 1.0)), np.exp(1.0 - np.logaddexp(0.5, 1.0))])
    z = np.array([0.1], dtype=np.float32)
    assert differentiate(text_value, wrt=0).value_and_grad(x, z)[0] == text_value(x, z)


def hstacked(x):
    hs = []
    for k in range(2):
        hs.append(x * (k + 1))
    return np.sum(np.hstack(hs) * np.arange(12.0).reshape(2, 6))


def keyed_like_names(p, x):
    return np.sum(p["np"] * x) + np.sum(p["a"] * x)


PAIRS_AND_TUPLES = [((0, 1), 1)]
POINTS = [(1, 1), (0, 2)]


def tuple_rows(x):
    y = np.zeros((3, 2))
    for p in PAIRS_AND_TUPLES:
        y[p] = x[0]
    return np.sum(y * np.arange(6.0).reshape(3, 2))


def tuple_points(x):
    y = np.zeros((3, 3))
    for k, p in enumerate(POINTS):
        y[p] = x[k] * 2.0
    return np.sum(y * np.arange(9.0).reshape(3, 3))


def test_review_crashes_of_this_stops_forms():
    # (np.hstack of a run-time list of 2-D arrays split its adjoint along axis 0: an IndexError; a dict
    # key 'np' or 'True' became a variable of that name; an index held in a tuple read from a
    # module-level list: a ValueError, or (1, 1) taken for a repeated position)
    W = np.arange(12.0).reshape(2, 6)
    np.testing.assert_allclose(differentiate(hstacked).grad(np.ones((2, 3))), W[:, :3] + 2 * W[:, 3:])
    p = {"np": np.array([3.0, 4.0]), "a": np.ones(2), "True": np.ones(2)}
    g = differentiate(keyed_like_names, wrt=(0, 1)).grad(p, np.array([0.5, 0.25]))
    np.testing.assert_allclose(g[0]["np"], [0.5, 0.25])
    np.testing.assert_allclose(g[0]["True"], [0.0, 0.0])
    x = np.array([0.5, 2.0])
    np.testing.assert_allclose(differentiate(tuple_rows).grad(x), [4.0, 0.0])
    np.testing.assert_allclose(differentiate(tuple_points).grad(x), [8.0, 4.0])
