"""Regressions from an eleventh survey of real programs and two reviews (rules; this stop's new code):
each test failed before its fix.  Silent wrong results first (a cast to int of a list built at run
time, einsum's interleaved form in forward mode, np.arange(..., dtype=int) in forward mode, sinc's
and x ** p's second derivatives, a counter the unrolled body binds again, Hessians and Jacobians of
gradients of a function writing a global), then nan where the function is smooth (np.nansum of NaN
data, np.nanmax's tangent, a value under two wheres of one mask), then bare exceptions that are now
results or refusals at the user's line."""
import math
import re
import warnings

import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate, hessian, hvp, jacfwd, jacrev, jvp
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

HERE = r"test_review11_regressions\.py:\d+:\d+: "


def _fd(f, x, eps=1e-6):
    basis = [e.reshape(x.shape) for e in np.eye(x.size)]
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in basis]).reshape(x.shape)


# ------------------------------------------------------------------ silent wrong results
def int_of_list(x):
    vals = [x[0] * i for i in range(3)]  # [0, 2.7, 5.4] -> [0, 2, 5]
    return np.sum(np.array(vals, dtype=int) * x[0])


def bool_of_list(x):
    vals = []
    for i in range(3):
        vals.append(x[0] * i)
    return np.sum(np.array(vals, dtype=bool) * x[0])


def int_of_list_of_arrays(x):
    L = []
    for i in range(4):
        L.append(x[2 * i:2 * i + 2] * (i + 1.5))
    return np.sum(np.asarray(L, dtype=np.int32) * np.arange(1.0, 9.0).reshape(4, 2))


def test_a_cast_to_int_or_bool_of_a_list_built_at_run_time_has_no_derivative():
    x = np.array([2.7, 3.2, 0.4])
    np.testing.assert_allclose(differentiate(int_of_list).grad(x), [7.0, 0.0, 0.0])  # (was [15.1, 0, 0])
    np.testing.assert_allclose(jvp(int_of_list, (x,), (np.array([1.0, 0.0, 0.0]),))[1], 7.0)
    np.testing.assert_allclose(differentiate(bool_of_list).grad(x), [2.0, 0.0, 0.0])  # (was 10.1)
    np.testing.assert_allclose(jvp(bool_of_list, (x,), (np.array([1.0, 0.0, 0.0]),))[1], 2.0)
    x8 = np.array([0.7, -1.3, 2.2, 0.43, 1.6, -0.8, 0.9, 1.1])
    np.testing.assert_array_equal(differentiate(int_of_list_of_arrays).grad(x8), 0.0)
    assert jvp(int_of_list_of_arrays, (x8,), (np.ones(8),))[1] == 0.0


def einsum_interleaved(M, N):
    return np.sum(np.einsum(M, [0, 1], N, [1, 2], [0, 2]) ** 2)


def test_einsums_interleaved_form_is_refused_in_forward_mode_as_in_reverse():
    M, N = np.ones((3, 4)), np.ones((4, 2))
    for run in (lambda: jvp(einsum_interleaved, (M, N), (M, None)), lambda: differentiate(einsum_interleaved).grad(M, N)):
        with pytest.raises(S2SGradError, match=HERE + "np.einsum: subscripts that are not a string constant"):
            run()  # (forward mode dropped M's tangent: a jvp of 0.0 where it is 15.37)


def arange_int(a):
    return np.sum(np.arange(a, 9.0, 2.0, dtype=int) * a)  # = 20 a near a = 2.7


def test_np_arange_to_int_is_piecewise_constant_in_forward_mode_too():
    a = np.array(2.7)
    assert differentiate(arange_int).grad(a) == 20.0
    assert jvp(arange_int, (a,), (np.array(1.0),))[1] == 20.0  # (was 30.8)
    assert jacfwd(arange_int)(a) == 20.0
    assert hessian(arange_int)(a) == 0.0  # (was 4)


def sinc_sum(x):
    return np.sum(np.sinc(x))


def shifted_sinc(tau):
    return np.sum(np.sinc(np.arange(-3.0, 4.0) - tau) * np.arange(1.0, 8.0))


def test_sincs_second_derivative_at_zero():
    H = hessian(sinc_sum)(np.array([0.0, 0.3]))
    np.testing.assert_allclose(H[0, 0], -math.pi ** 2 / 3, rtol=1e-12)  # (was 0)
    g = differentiate(shifted_sinc).grad
    eps = 1e-5
    np.testing.assert_allclose(hessian(shifted_sinc)(np.array(0.0)),
                               (g(np.array(eps)) - g(np.array(-eps))) / (2 * eps), rtol=1e-5)


def power_of_both(x, p):
    return x ** p


def test_the_mixed_second_derivative_of_x_to_the_p_at_p_zero():
    f = differentiate(power_of_both, wrt=("x", "p"))
    x, p = 2.0, 0.0
    eps = 1e-6
    col = (np.array(f.grad(x, p + eps)) - np.array(f.grad(x, p - eps))) / (2 * eps)
    np.testing.assert_allclose(col, [1 / x, math.log(x) ** 2], rtol=1e-6)  # d/dp of (p x^(p-1), x^p log x)
    np.testing.assert_allclose(jvp(s2sgrad.grad(power_of_both, wrt="x"), (x, p), (0.0, 1.0))[1], 1 / x)  # (was 1)


RNG = np.random.default_rng(0)
LAYERS = [(RNG.standard_normal((3, 3)) * 0.5, RNG.standard_normal(3) * 0.1) for _ in range(4)]
X0 = RNG.standard_normal(3)


def counter_rebound_then_break(x, layers):
    h = x
    for i, (W, b) in enumerate(layers):
        h = np.tanh(W @ h + b)
        i = i + 10
        if np.sum(h) > 0.3:
            break
    return np.sum(h) * i  # (Python: 10 + the pass that ran last)


def counter_rebound_no_break(x, layers):
    h = x
    for i in range(len(layers)):
        W, b = layers[i]
        h = np.tanh(W @ h + b)
        i = i * 2 + 1
    return np.sum(h) * i


def inner_loop_reuses_the_counter(x, layers):
    h = x
    for i in range(len(layers)):
        W, b = layers[i]
        h = np.tanh(W @ h + b)
        for i in range(2):
            h = h * 1.01
        if np.sum(h) > 0.3:
            break
    return np.sum(h) * i


@pytest.mark.parametrize("fn", [counter_rebound_then_break, counter_rebound_no_break, inner_loop_reuses_the_counter])
def test_a_counter_the_unrolled_body_binds_again_keeps_its_last_binding(fn):
    value, _ = differentiate(fn, wrt="x").value_and_grad(X0, LAYERS)
    assert value == pytest.approx(fn(X0, LAYERS), rel=1e-12)  # (was 0.0, 0.0 and 1.45 where it is 3.39)
    check_grads(fn, (X0, LAYERS), wrt="x")


STATE = 2.0


def writes_a_global(x):
    global STATE
    s = STATE
    STATE = s * 0.5 + np.sum(x)
    return np.sum(x ** 3) * s + STATE ** 2


def test_second_derivatives_of_a_function_writing_a_global_see_the_state_one_call_sees():
    global STATE
    x0 = np.array([0.3, -0.7, 1.1])
    true = np.diag(6 * 2.0 * x0) + 2.0  # s * sum(x^3) + (s / 2 + sum(x))^2 at s = 2
    for take in (hessian(writes_a_global), jacfwd(s2sgrad.grad(writes_a_global)), jacrev(s2sgrad.grad(writes_a_global))):
        STATE = 2.0
        np.testing.assert_allclose(take(x0), true, rtol=1e-12)  # (columns at the states of earlier columns)
        assert STATE == pytest.approx(1.7)  # (as one call of the function leaves it)


def list_then_dict_write(x, n):
    d = {"a": x}
    hs = [x, 2 * x]
    for i in range(n):
        hs = [np.sin(h) for h in hs]
    d["b"] = x * 3
    return np.sum(d["a"] + d["b"]) + np.sum(hs[0])


def test_a_loop_run_again_for_a_list_made_at_run_time_leaves_no_stale_loop_behind():
    check_grads(list_then_dict_write, (np.array([0.4, -0.3, 0.8]), 2), wrt="x")  # (was a bare CarryLoop)


# ------------------------------------------------------------------ nan where the function is smooth
def nansum_of_squares(x, data):
    resid = data - x
    return np.nansum(resid ** 2)


def nanmean_of_log_ratios(x, data):
    return np.nanmean((np.log(data) - np.log(x)) ** 2)


def nanmax_of_readings(gain, readings):
    return np.nanmax(readings * gain)


def test_nan_reductions_of_nan_data_give_finite_gradients_and_tangents():
    data = np.array([1.0, np.nan, 3.0])
    x = np.array([0.5, 0.5, 0.5])
    for fn in (nansum_of_squares, nanmean_of_log_ratios):
        g = differentiate(fn).grad(x, data)  # (was nan where the data is: 2 * nan * 0)
        np.testing.assert_allclose(g, _fd(lambda y: fn(y, data), x), rtol=1e-7, atol=1e-9)
        assert g[1] == 0.0
    readings = np.array([0.2, np.nan, 1.5, -0.3, np.nan])
    gain = np.array([1.0, 2.0, 0.9, 3.0, 1.0])
    v = np.array([0.3, 1.0, -0.4, 0.5, 2.0])
    assert jvp(nanmax_of_readings, (gain, readings), (v, None))[1] == pytest.approx(1.5 * -0.4)  # (was nan)


def sqrt_under_two_wheres(x):
    s = np.sqrt(x)
    return np.sum(np.where(x > 0, s, 0.0)) + np.sum(np.where(x > 0, s ** 2, 0.0))


def arccos_under_two_wheres(x):
    r = np.arccos(x)
    return np.sum(np.where(np.abs(x) < 1, r, 0.0)) + np.sum(np.where(np.abs(x) < 1, r ** 2, 0.0))


def test_a_value_under_two_wheres_of_one_mask_keeps_the_mask():
    x = np.array([-1.5, 0.4])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (sqrt and arccos of what the wheres leave out)
        np.testing.assert_allclose(differentiate(sqrt_under_two_wheres).grad(x), [0.0, 0.5 / np.sqrt(0.4) + 1.0])
        g = differentiate(arccos_under_two_wheres).grad(x)
    r = np.arccos(0.4)
    np.testing.assert_allclose(g, [0.0, -(1 + 2 * r) / np.sqrt(1 - 0.16)])  # (was nan at -1.5)


def eigh_rebuilt(S):
    w, V = np.linalg.eigh(S)
    return np.sum(((V * w) @ V.T) * np.arange(16.0).reshape(4, 4))


def test_eigenvalues_equal_within_rounding_warn_that_the_vector_gradient_is_not_reliable():
    Q = np.linalg.qr(np.random.default_rng(4).standard_normal((4, 4)))[0]
    S = Q @ np.diag([1.0, 2.0, 2.0, 3.0]) @ Q.T
    with pytest.warns(RuntimeWarning, match="np.linalg.eigh has values equal within rounding"):
        differentiate(eigh_rebuilt).grad(S)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # (distinct values: no warning)
        differentiate(eigh_rebuilt).grad(Q @ np.diag([1.0, 2.0, 2.5, 3.0]) @ Q.T)


# ------------------------------------------------------------------ bare exceptions, now refusals or results
def del_an_element(x):
    L = [x[i] for i in range(4)]
    del L[1]
    return np.sum(np.array(L) ** 2)


def pop_an_element(x):
    L = [x[i] for i in range(4)]
    a = L.pop(2)
    return np.sum(np.array(L) ** 2) + a


def dtype_by_position(x):
    L = [x[i] * 2 for i in range(3)]
    return np.sum(np.array(L, int) * x[0])


def concatenate_flat(x):
    L = [x[i:i + 2] for i in range(2)]
    return np.sum(np.concatenate(L, axis=None))


def qr_of_a_wide_matrix(A):
    Q, R = np.linalg.qr(A)
    return np.sum(R ** 3)


def median_over_two_axes(X):
    return np.sum(np.median(X, axis=(0, 2)) ** 2)


def running_max_of_a_list(x):
    L = []
    for i in range(3):
        L.append(x[2 * i:2 * i + 2] * (i + 1.5))
    return np.sum(np.maximum.accumulate(L, axis=1) ** 2)


X6 = np.array([0.7, -1.3, 2.2, 0.43, 1.6, -0.8])


@pytest.mark.parametrize("run,match", [
    (lambda: differentiate(del_an_element).grad(X6), "pop\\(i\\) or del of an element of a list built at run time"),
    (lambda: jvp(pop_an_element, (X6,), (np.ones(6),)), "pop\\(i\\) or del of an element of a list built at run time"),
    (lambda: differentiate(dtype_by_position).grad(X6), "np.array\\(...\\) of the list 'L' with arguments other than a "
                                                        "dtype given by keyword"),
    (lambda: differentiate(concatenate_flat).grad(X6), "np.concatenate\\(..., axis=None\\) of the list 'L'"),
    (lambda: differentiate(qr_of_a_wide_matrix).grad(np.arange(1.0, 16.0).reshape(3, 5)), "np.linalg.qr of a wide matrix"),
    (lambda: jvp(qr_of_a_wide_matrix, (np.arange(1.0, 16.0).reshape(3, 5),), (np.ones((3, 5)),)),
     "np.linalg.qr of a wide matrix"),
    (lambda: differentiate(median_over_two_axes).grad(np.arange(24.0).reshape(2, 3, 4) ** 1.5),
     "np.median: an axis tuple"),
    (lambda: jvp(running_max_of_a_list, (X6,), (np.ones(6),)), "the list 'L' given to 'np.maximum.accumulate'"),
], ids=["del", "pop-jvp", "dtype-by-position", "concatenate-axis-none", "qr-wide", "qr-wide-jvp", "median-axes",
        "accumulate-of-list-jvp"])
def test_refused_at_the_users_line_instead_of_a_bare_exception(run, match):
    with pytest.raises(S2SGradError, match=HERE + match):
        run()


@pytest.mark.parametrize("width", [(1,), ((1,),), [1], (1, 2), ((1, 2),), ((1, 0), (2, 1)), 2, [[1], [2]]],
                         ids=str)
@pytest.mark.parametrize("mode", ["constant", "symmetric", "edge", "wrap", "reflect"])
def test_pad_widths_in_every_form_numpy_reads(width, mode):
    M = np.arange(1.0, 13.0).reshape(3, 4) ** 0.5
    weights = np.arange(1.0, 1.0 + np.pad(M, width, mode=mode).size).reshape(np.pad(M, width, mode=mode).shape)

    def padded(M):
        return np.sum(np.pad(M, width, mode=mode) ** 2 * weights)
    g = differentiate(padded).grad(M)  # ((1,) was a ValueError when compiling)
    np.testing.assert_allclose(g, _fd(padded, M), rtol=1e-6)


def item_of_0d(x):
    return x[()] ** 2


def test_second_derivatives_and_tangents_of_a_0d_array():
    assert hessian(item_of_0d)(np.array(0.7)) == 2.0  # (was TypeError: a float basis vector)
    assert jvp(item_of_0d, (np.array(0.7),), (1.0,))[1] == pytest.approx(1.4)  # (a float tangent for it)


def calibration(cal, raw, ref):  # (survey program z34: sensor dropouts stored as NaN)
    calibrated = cal["gain"][:, None] * raw + cal["offset"][:, None]
    err = np.nanmean((calibrated - ref[None, :]) ** 2)
    peaks = np.nanmax(calibrated, axis=1)
    centred = calibrated - np.nanmean(calibrated, axis=1, keepdims=True)
    return err + 0.1 * np.sum((peaks - ref.max()) ** 2) + 0.01 * np.sum(np.nanmean(centred ** 2, axis=1))


def test_an_array_under_several_nan_reductions_keeps_the_masks_joined():
    rng = np.random.default_rng(34)
    raw = 20 + rng.standard_normal((3, 12))
    raw[rng.random((3, 12)) < 0.2] = np.nan
    ref = 20 + np.sin(np.linspace(0, 3, 12))
    cal = {"gain": np.array([1.0, 0.9, 1.1]), "offset": np.array([0.1, -0.2, 0.3])}
    g = differentiate(calibration).grad(cal, raw, ref)  # (was nan: 0 * nan in grad_calibrated * raw)
    for k in ("gain", "offset"):
        def along(v, k=k):
            return calibration({**cal, k: v}, raw, ref)
        np.testing.assert_allclose(g[k], _fd(along, cal[k]), rtol=1e-6)


TAKE_AT = np.array([-1, 0, 3, 5, 7, -6, 2])


def take_wrapped(x):
    return np.sum(np.take(x, TAKE_AT, mode="wrap") ** 2 * np.arange(1.0, 8.0))


def take_clipped(x):
    return np.sum(np.take(x, TAKE_AT, mode="clip") ** 2 * np.arange(1.0, 8.0))


def take_wrapped_on_an_axis(x):
    return np.sum(np.take(x, TAKE_AT[:3], axis=1, mode="wrap") ** 3)


def fortran_order(x):
    return np.sum(x.reshape(3, 4, order="F") ** 2 * np.arange(12.0).reshape(3, 4)) + np.sum(np.ravel(x, order="F")[:5] ** 3)


@pytest.mark.parametrize("fn,x", [(take_wrapped, np.arange(5.0) + 0.5), (take_clipped, np.arange(5.0) + 0.5),
                                  (take_wrapped_on_an_axis, np.arange(12.0).reshape(3, 4) * 0.1),
                                  (fortran_order, np.arange(12.0).reshape(4, 3) * 0.1 + 0.3)])
def test_take_with_wrap_and_clip_and_reshapes_in_fortran_order(fn, x):
    # (survey programs z16, a ring attractor's periodic neighbours, and z06/z28: refused before)
    np.testing.assert_allclose(differentiate(fn).grad(x), _fd(fn, x), rtol=1e-7, atol=1e-8)
    if fn is not fortran_order:  # (forward mode refuses order='F': a batch of tangents lays it out otherwise)
        check_grads(fn, (x,))


def sqrt_sliced(x):
    return np.sum(np.sqrt(x)[1:])


def mds_stress(Y, D):
    diff = Y[:, None, :] - Y[None, :, :]
    d = np.sqrt(np.sum(diff ** 2, axis=-1))  # (a zero diagonal, which np.triu_indices(n, 1) leaves out)
    iu = np.triu_indices(len(Y), k=1)
    return np.sum((d[iu] - D[iu]) ** 2)


def angles_off_the_diagonal(V):
    U = V / np.linalg.norm(V, axis=1, keepdims=True)
    ang = np.arccos(np.clip(U @ U.T, -1.0, 1.0))  # (arccos' is -inf on the unit diagonal)
    return np.sum(np.exp(-ang[~np.eye(len(U), dtype=bool)]))


@pytest.mark.parametrize("fn,args", [
    (sqrt_sliced, (np.array([0.0, 1.2, 0.7, 2.1]),)),
    (mds_stress, (np.random.default_rng(0).standard_normal((4, 2)), np.abs(np.random.default_rng(1).standard_normal((4, 4))))),
    (angles_off_the_diagonal, (np.random.default_rng(37).standard_normal((5, 3)),))])
def test_a_singular_partial_at_an_entry_the_function_leaves_out_gives_no_nan(fn, args):
    # (survey programs z03, z37: the adjoint read through the index is zero outside it, a mask the
    # rules before keep: 0 there, where 0.5 * g / sqrt(0) was 0 * inf = nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        g = differentiate(fn).grad(*args)
    np.testing.assert_allclose(g, _fd(lambda x: fn(x, *args[1:]), args[0]), rtol=1e-6, atol=1e-9)


# ------------------------------------------------------------------ a review of the masks (this stop's)
def two_draws_two_masks(x):
    s = np.sqrt(x - 1)
    m1 = np.random.rand(4) > 0.5
    y = np.where(m1, 0.0, s)
    m2 = np.random.rand(4) > 0.5  # (the same expression as m1, another value)
    z = np.where(m2, 0.0, s)
    return np.sum(y) + np.sum(z)


def test_masks_made_by_one_expression_of_draws_are_two_masks():
    x = np.array([1.5, 2.0, 3.0, 4.0])
    np.random.seed(2)
    g = differentiate(two_draws_two_masks).grad(x)
    np.random.seed(2)
    m1, m2 = np.random.rand(4) > 0.5, np.random.rand(4) > 0.5
    np.testing.assert_allclose(g, ((~m1).astype(float) + ~m2) * 0.5 / np.sqrt(x - 1))  # (was 0 at m2 only)


def wheres_of_numbers(x, k1, k2):
    s = np.sqrt(x)
    return np.sum(np.where(k1, s, 0.0)) + np.sum(np.where(k2, s, 0.0))


def nested_wheres_of_numbers(x, k1, k2):
    return np.sum(np.sin(np.where(k1, np.where(k2, x, 0.0), 0.0)))


@pytest.mark.parametrize("k1,k2", [(np.array([1, 0, 1, 0]), np.array([0, 1, 0, 0])),
                                   (np.array([1.0, 0.0, 0.5, 0.0]), np.array([0.0, 2.0, 0.0, 0.0]))],
                         ids=["int", "float"])
def test_where_conditions_that_are_numbers_are_joined_logically(k1, k2):
    x = np.array([1.5, 2.0, 3.0, 4.0])
    # (reverse: `~k2 & ~k1` is -2 for ints -- a zero gradient -- and a TypeError for floats)
    np.testing.assert_allclose(differentiate(wheres_of_numbers, wrt="x").grad(x, k1, k2),
                               ((k1 != 0).astype(float) + (k2 != 0)) * 0.5 / np.sqrt(x))
    k1, k2 = k1 * 2 if k1.dtype.kind == "i" else k1, k2 + 1 if k2.dtype.kind == "i" else k2
    on = (k1 != 0) & (k2 != 0)
    v = np.ones(4)
    # (forward: `k2 & k1` is 2 & 1 = 0 for ints -- a zero jvp -- and a TypeError for floats)
    assert jvp(nested_wheres_of_numbers, (x, k1, k2), (v, None, None))[1] == pytest.approx(np.sum(np.where(on, np.cos(x), 0)))
    np.testing.assert_allclose(hvp(nested_wheres_of_numbers, (x, k1, k2), v, wrt="x"), np.where(on, -np.sin(x), 0.0))


def deleted(x):
    return np.sum(np.delete(x, [0, 2], axis=1) ** 3) + np.sum(np.delete(x, 1) ** 2 * np.arange(11.0))


def inserted(x, v):
    return np.sum(np.insert(x, [1, 3, 3], v, axis=1) ** 2 * np.arange(21.0).reshape(3, 7)) + np.sum(np.insert(x, 2, 0.5) ** 3)


def test_np_delete_and_np_insert():
    # (survey program z01, a life table with np.insert: refused before, no rule)
    X = np.arange(12.0).reshape(3, 4) * 0.1 + 0.2
    check_grads(deleted, (X,))
    check_grads(inserted, (X, np.array([[0.3], [-0.2], [0.5]])), wrt=["x", "v"])
    check_grads(inserted, (X, 0.7), wrt=["x", "v"])  # (one value inserted at three places: summed)


def items_of_an_array(x):
    return sum(v for v in x.items())


def test_a_dict_method_of_an_array_is_refused_at_its_line():
    # (a read of this stop's change: the refusal had become unreachable behind the del/pop one, and
    # the generated code raised a bare AttributeError)
    with pytest.raises(S2SGradError, match=HERE + "'items\\(\\)' of something that is not a dict, list or tuple"):
        differentiate(items_of_an_array).grad(np.ones(3))
