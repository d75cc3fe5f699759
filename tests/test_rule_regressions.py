"""Regression tests for issue 9, sections A (constructors and casts), B (list literals as
arguments) and E (numpy semantics): each repro with its numbers, and each number checked against
central finite differences as well (`_fd`)."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError

x0 = 0.7
V3 = np.array([0.3, -0.4, 0.9])
YI = np.array([1, 2, 3])


def _fd(fn, args, i=0, eps=1e-6):
    """Central-difference gradient of fn with respect to argument i, element by element."""
    x = np.array(args[i], dtype=float)
    g = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        shifted = []
        for s in (eps, -eps):
            xs = x.copy()
            xs[k] += s
            a = list(args)
            a[i] = xs if np.ndim(args[i]) else float(xs)
            shifted.append(fn(*a))
        g[k] = (shifted[0] - shifted[1]) / (2 * eps)
    return g


def _check(fn, args, expected, wrt=None, value=None):
    """s2sgrad's gradient equals `expected` (and finite differences), its value the function's."""
    f = differentiate(fn, wrt=wrt)
    v, g = f.value_and_grad(*args)
    np.testing.assert_allclose(v, fn(*args) if value is None else value, rtol=1e-12)
    grads = g if isinstance(g, tuple) else (g,)
    expected = expected if isinstance(expected, tuple) else (expected,)
    names = list(f.wrt)
    params = list(__import__("inspect").signature(fn).parameters)
    for name, got, want in zip(names, grads, expected):
        i = params.index(name)
        assert np.shape(got) == np.shape(args[i])
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(got, _fd(fn, args, i), rtol=1e-6, atol=1e-8)


# ------------------------------------------------------------------ A. constructors and casts
def a_array(a, b): return np.sum(np.array([a, b]) ** 2 * np.array([1.0, 3.0]))
def a_nested(x): return np.sum(np.array([[x, 1.0], [0.0, x]]) ** 2)
def a_asarray(x): return np.sum(np.asarray([x, x]))
def a_array_of(x): return np.sum(np.array(x))
def a_full(x): return np.sum(np.full((3,), x) * V3)
def a_full_like(x): return np.sum(np.full_like(V3, x) * V3)
def a_full_like_int(x): return np.sum(np.full_like(YI, x) * 1.0) + x
def a_linspace(x): return np.sum(np.linspace(0.0, x, 5) ** 2)
def a_triu(A): return np.sum(np.triu(A) ** 2)
def a_tril(A): return np.sum(np.tril(A, -1) ** 2)
def a_float64(x): return np.float64(x) * 2
def a_float32(x): return np.float32(x) * 2.0
def a_tuple(v): return np.sum(np.array(tuple(v)) ** 2)
def a_astype_int(x): return np.sum(x.astype(np.int64) * 1.0) + x[0]


def a_rhs(s, w):
    return np.array([w * s[1], -w * s[0]])


def a_rk4_step(state, w, h):
    """One RK4 step of x' = w y, y' = -w x, written with np.array as textbooks do."""
    k1 = a_rhs(state, w)
    k2 = a_rhs(state + h / 2 * k1, w)
    k3 = a_rhs(state + h / 2 * k2, w)
    k4 = a_rhs(state + h * k3, w)
    dx, dy = h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return np.array([state[0] + dx, state[1] + dy])


def a_rk4_loss(w, state, target):
    for _ in range(20):
        state = a_rk4_step(state, w, 0.1)
    return np.sum((state - target) ** 2)


def test_constructors_are_differentiated():
    _check(a_array, (x0, -0.3), (1.4, -1.8), wrt=("a", "b"))          # 2a, 6b
    _check(a_nested, (x0,), 2.8)                                       # 4x
    _check(a_asarray, (x0,), 2.0)
    _check(a_array_of, (x0,), 1.0)                                     # np.sum(np.array(x)) is not 0
    _check(a_full, (x0,), 0.8)                                         # sum(V3)
    _check(a_full_like, (x0,), 0.8)
    _check(a_full_like_int, (x0,), 1.0)                                # an integer fill is constant
    _check(a_linspace, (x0,), 3.75 * x0)                               # x^2 (0 + 1/16 + 1/4 + 9/16 + 1)
    A = np.array([[0.5, -1.0, 2.0], [0.3, 0.7, -0.2], [1.1, -0.4, 0.6]])
    _check(a_triu, (A,), 2 * np.triu(A))
    _check(a_tril, (A,), 2 * np.tril(A, -1))
    _check(a_float64, (x0,), 2.0)
    _check(a_tuple, (V3,), 2 * V3)
    _check(a_astype_int, (np.array([0.7, 1.6]),), np.array([1.0, 0.0]))  # the int cast is constant


def test_float32_cast_is_the_identity():
    f = differentiate(a_float32)
    assert f.grad(x0) == pytest.approx(2.0)


def test_random_normal_mean_is_reparameterised():
    def nrm(mu):
        return np.sum(np.random.normal(mu, 1.0, (2, 3)) ** 2)
    mu = np.array([0.1, 0.2, 0.3])
    f = differentiate(nrm)
    f.grad(mu)  # compile first: shape inference may draw numbers
    np.random.seed(4)
    v, g = f.value_and_grad(mu)
    np.random.seed(4)
    z = np.random.normal(0.0, 1.0, (2, 3))
    assert v == pytest.approx(np.sum((mu + z) ** 2), rel=1e-12)
    np.testing.assert_allclose(g, np.sum(2 * (mu + z), axis=0), rtol=1e-12)


def r_scale(mu, s): return np.sum(np.sin(np.random.normal(mu, s, 4)))
def r_bounds(lo, hi): return np.sum(np.random.uniform(lo, hi, (2, 2)) ** 2)


def test_random_draws_keep_the_draw_for_the_scale_and_bounds():
    """A non-constant scale or bound is written as loc + scale * z (low + (high - low) * u):
    the same numbers as numpy's call, and their gradients through the kept draw."""
    for fn, args in ((r_scale, (0.3, 1.7)), (r_bounds, (-0.5, 2.0))):
        f = differentiate(fn, wrt=tuple(__import__("inspect").signature(fn).parameters))
        f.grad(*args)  # compile first: shape inference may draw numbers
        np.random.seed(7)
        value, grads = f.value_and_grad(*args)
        np.random.seed(7)
        assert value == fn(*args)  # bit for bit: the same draws, the same arithmetic
        for i, g in enumerate(grads):
            def seeded(*a):
                np.random.seed(7)
                return fn(*a)
            assert g == pytest.approx(float(_fd(seeded, args, i)), rel=1e-6)
    np.random.seed(7)
    z = np.random.standard_normal(4)
    f = differentiate(r_scale, wrt="s")
    f.grad(0.3, 1.7)
    np.random.seed(7)
    assert f.grad(0.3, 1.7) == pytest.approx(np.sum(np.cos(0.3 + 1.7 * z) * z), rel=1e-12)


def test_rk4_with_np_array_trains():
    s0 = np.array([1.0, 0.0])
    target = s0
    for _ in range(20):
        target = a_rk4_step(target, 1.3, 0.1)
    f = differentiate(a_rk4_loss)
    w = 1.0
    g = f.grad(w, s0, target)
    assert g == pytest.approx(_fd(a_rk4_loss, (w, s0, target)), rel=1e-6)
    assert g == pytest.approx(-2.2585441727, abs=1e-9)
    for _ in range(30):
        w -= 0.2 * f.grad(w, s0, target)
    assert a_rk4_loss(w, s0, target) < 1e-8 and w == pytest.approx(1.3, abs=1e-4)


# ------------------------------------------------------------- B. list literals as arguments
def b_mean(x): return np.mean([x, x + 2])
def b_sum(x): return np.sum([x, 2 * x])
def b_max(x): return np.max([x, -5.0])
def b_exp(x): return np.sum(np.exp([x, x]))
def b_builtin_max(x): return max([x, 0.1, 0.3]) + min(x, 0.1, 2.0)


def test_list_literal_arguments_are_not_dropped():
    _check(b_mean, (x0,), 1.0)
    _check(b_sum, (x0,), 3.0)
    _check(b_max, (x0,), 1.0)
    _check(b_exp, (x0,), 2 * np.exp(x0))
    _check(b_builtin_max, (x0,), 1.0)


def test_list_literal_in_an_operator_is_refused():
    def f(x): return np.sum([x, 1.0] * np.ones(2))
    with pytest.raises(S2SGradError, match="list or tuple literal"):
        differentiate(f).grad(x0)


# ------------------------------------------------------------------ E. numpy semantics
def e_dot3(A, B): return np.sum(np.sin(np.dot(A, B)))
def e_dot_scalar(x): return np.sum(np.dot(x, 2.0) * V3)
def e_dot_scalar_left(A): return np.sum(np.dot(3.0, A) ** 2)
def e_vec_dot_3d(v, T): return np.sum(np.sin(np.dot(v, T)))
def e_vec_matmul_3d(v, T): return np.sum(np.sin(v @ T))
def e_power_base0(y): return np.sum(np.power(0.0, y))
def e_pow0(x): return x ** 0.0
def e_sum_axis_0d(s): return np.sum(s, axis=0) * 3.0
def e_float_shape_ops(s):
    return (np.sum(np.ravel(s)) + np.squeeze(s) + np.sum(np.expand_dims(s, 0)) + np.mean(s)
            + np.sum(np.outer(s, V3) * V3) + np.transpose(s))
def e_mask_max(x): return np.sum(V3 - np.maximum(x, 0.1))
def e_mask_clip(x): return np.sum(-np.clip(x, -.5, .5))
def e_clip_kw(x): return np.sum(np.clip(x, a_min=-1, a_max=1) * V3)
def e_clip_bounds(lo, hi): return np.sum(np.clip(V3, lo, hi) ** 2)
def e_fancy(x): return np.sum(x[[0, 1, 2], :, :] ** 2)
def e_transpose_args(x): return np.sum(x.transpose(1, 0, 2) * np.arange(24.0).reshape(3, 2, 4))
def e_transpose_list(x): return np.sum(x.transpose([1, 0]) * np.arange(6.0).reshape(3, 2))
def e_empty_mean(x): return np.mean(x[:0]) + np.sum(x)


def test_dot_follows_numpy():
    rng = np.random.default_rng(9)
    A, B = rng.standard_normal((2, 3, 4)), rng.standard_normal((5, 4, 2))
    f = differentiate(e_dot3, wrt=("A", "B"))
    gA, gB = f.grad(A, B)
    np.testing.assert_allclose(gA, _fd(e_dot3, (A, B), 0), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gB, _fd(e_dot3, (A, B), 1), rtol=1e-6, atol=1e-8)
    _check(e_dot_scalar, (np.array([0.1, 0.2, 0.3]),), 2 * V3)
    M = np.array([[0.1, 0.2], [0.3, 0.4]])
    _check(e_dot_scalar_left, (M,), 18 * M)
    v, T = rng.standard_normal(3), rng.standard_normal((2, 3, 4))
    for fn in (e_vec_dot_3d, e_vec_matmul_3d):
        gv, gT = differentiate(fn, wrt=("v", "T")).grad(v, T)
        np.testing.assert_allclose(gv, _fd(fn, (v, T), 0), rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(gT, _fd(fn, (v, T), 1), rtol=1e-6, atol=1e-8)


def test_powers_at_zero():
    _check(e_power_base0, (np.array([0.5, 1.5, 2.0]),), np.zeros(3))  # not NaN
    f = differentiate(e_pow0)
    assert f.value_and_grad(0.0) == (1.0, 0.0)  # no ZeroDivisionError


def test_reductions_and_shape_ops_of_numbers():
    _check(e_sum_axis_0d, (0.5,), 3.0)
    _check(e_sum_axis_0d, (np.float64(0.5),), 3.0)
    _check(e_float_shape_ops, (0.5,), 5.0 + np.sum(V3 * V3))


def test_masks_are_never_negated():
    _check(e_mask_max, (np.array([0.05, 0.5, 0.9]),), np.array([0.0, -1.0, -1.0]))
    _check(e_mask_max, (0.3,), -3.0)
    _check(e_mask_clip, (np.array([0.3, 0.6, -0.7]),), np.array([-1.0, 0.0, 0.0]))


def test_clip_keywords_and_bounds():
    _check(e_clip_kw, (np.array([0.3, 1.6, -0.7]),), np.array([0.3, 0.0, 0.9]))
    # V3 = [0.3, -0.4, 0.9] clipped to [-0.1, 0.5]: -0.4 -> lo, 0.9 -> hi
    _check(e_clip_bounds, (-0.1, 0.5), (-0.2, 1.0), wrt=("lo", "hi"))


def test_fancy_index_and_transposes():
    x = np.arange(24.0).reshape(4, 3, 2) / 10
    want = 2 * x
    want[3] = 0.0
    _check(e_fancy, (x,), want)
    _check(e_transpose_args, (np.ones((2, 3, 4)),), np.arange(24.0).reshape(3, 2, 4).transpose(1, 0, 2))
    _check(e_transpose_list, (np.ones((2, 3)),), np.arange(6.0).reshape(3, 2).T)


def test_mean_of_empty_is_nan_like_numpy():
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        v, g = differentiate(e_empty_mean).value_and_grad(np.array([0.5, 1.0]))
    assert np.isnan(v)
    np.testing.assert_allclose(g, [1.0, 1.0])  # the mean of nothing reads no element


# ------------------------------------------------------------------------ keyword arguments
def k_where(x): return np.var(x, where=x > 0)  # (sum, prod, mean, max and min take it: test_rewritten_calls.py)
def k_initial(x): return np.nansum(x, initial=1.0)
def k_out(x): return np.sum(np.exp(x, out=np.empty(3)))
def k_order(x): return np.sum(x.reshape(3, order="F"))
def k_clip_reversed(x): return np.sum(np.clip(x, a_max=0.5, a_min=-0.5) * x)
def k_full_like(x): return np.sum(np.full_like(V3, fill_value=x) * V3)
def k_linspace(x): return np.sum(np.linspace(start=0.0, stop=x, num=5) ** 2)


def test_keywords_that_carry_a_derivative_reach_the_rule():
    x = np.array([0.3, -0.6, 0.9])
    _check(k_clip_reversed, (x,), np.array([0.6, -0.5, 0.5]))  # clip(x) + x * inside
    _check(k_full_like, (x0,), 0.8)
    _check(k_linspace, (x0,), 3.75 * x0)


@pytest.mark.parametrize("fn, what", [(k_where, "where="), (k_initial, "initial="), (k_out, "out=")])
def test_keywords_the_rules_ignore_are_refused(fn, what):
    with pytest.raises(S2SGradError, match=what) as e:
        differentiate(fn).grad(np.array([0.3, -0.6, 0.9]))
    assert "test_rule_regressions.py:" in str(e.value)  # at the user's line


# ------------------------------------------------------------------- subscripted literals
def l_list_item(x): return [x, 2 * x][1]
def l_tuple_item(x): return (x, 2 * x)[-1] * 1.0
def l_computed(x, i): return [x, 2 * x][i]
def l_slice(x): return np.sum(np.asarray([x, 2 * x][0:1]))


def test_subscripted_literal_is_not_dropped():
    _check(l_list_item, (x0,), 2.0)  # was a silent 0
    _check(l_tuple_item, (x0,), 2.0)
    with pytest.raises(S2SGradError, match="constant position"):
        differentiate(l_computed).grad(x0, 1)
    with pytest.raises(S2SGradError, match="constant position"):
        differentiate(l_slice).grad(x0)


# --------------------------------------------------------- reduction options given by position
def p_mean_keepdims(x): return np.sum(np.mean(x, 1, None, None, True) * x)
def p_max_keepdims(x): return np.sum(x.max(1, None, True) * x)
def p_norm_axis(x): return np.sum(np.linalg.norm(x, None, 1) * np.array([1.0, 2.0, 3.0]))
def p_norm_2_axis(x): return np.sum(np.linalg.norm(x, 2, 1) * np.array([1.0, 2.0, 3.0]))
def p_reshape_f(x): return np.sum(np.reshape(x, (12,), "F") * np.arange(12.0))
def p_ravel_f(x): return np.sum(np.ravel(x, "F") * np.arange(12.0))


def test_reduction_options_given_by_position():
    X = np.arange(12.0).reshape(3, 4) / 7 - 0.6
    # keepdims by position was ignored: the cotangent was spread along the wrong axis
    _check(p_mean_keepdims, (X,), np.broadcast_to(X.mean(1, keepdims=True) + X.sum(1, keepdims=True) / 4, X.shape))
    top = (X == X.max(1, keepdims=True))
    _check(p_max_keepdims, (X,), X.max(1, keepdims=True) + top * X.sum(1, keepdims=True))
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    _check(p_norm_axis, (X,), np.array([[1.0], [2.0], [3.0]]) * X / norms)  # crashed
    _check(p_norm_2_axis, (X,), np.array([[1.0], [2.0], [3.0]]) * X / norms)  # a vector 2-norm
    for fn in (p_reshape_f, p_ravel_f):  # order by position was ignored: a silent wrong gradient
        _check(fn, (X,), np.arange(12.0).reshape(4, 3).T)  # (element k of the F-order ravel weighs k)
        with pytest.raises(S2SGradError, match="order='F' in forward mode"):
            s2sgrad.jvp(fn, (X,), (X,))
    _check(k_order, (np.array([0.3, -0.6, 0.9]),), np.ones(3))


def o_power_out(x): return np.sum(np.power(x, 2.0, np.empty(3)))


def test_an_output_array_by_position_is_refused():
    with pytest.raises(S2SGradError, match="writing its result into an existing array"):
        differentiate(o_power_out).grad(np.array([0.1, 0.2, 0.3]))


def c_concat_flat(x, y): return np.sum(np.sin(np.concatenate([x, y], axis=None)) * np.arange(10.0))


def test_concatenate_flattened():
    x, y = np.arange(4.0).reshape(2, 2) / 5, np.arange(6.0).reshape(3, 2) / 7  # crashed (axis None)
    flat = np.concatenate([x.ravel(), y.ravel()])
    want = np.cos(flat) * np.arange(10.0)
    _check(c_concat_flat, (x, y), (want[:4].reshape(2, 2), want[4:].reshape(3, 2)), wrt=("x", "y"))


def c_concat_unknown(p, s): return np.sum(np.sin(np.concatenate([np.full((2,), s), p])) * np.arange(5.0))


def test_concatenate_of_shapes_known_only_at_run_time():
    """A Python float through np.full leaves the shapes to run time: split there (was refused)."""
    p, s = np.array([0.3, -0.2, 0.8]), 0.4
    w = np.cos(np.concatenate([[s, s], p])) * np.arange(5.0)
    _check(c_concat_unknown, (p, s), (w[2:], w[0] + w[1]), wrt=("p", "s"))


def r_nested(s, a): return np.random.normal(np.random.normal(s, a), a * a + 0.5)


def test_nested_draws_are_drawn_once_each():
    """The draw's shape reads loc and scale: a loc that is itself a draw is computed once."""
    f = differentiate(r_nested, wrt=("s", "a"))
    f.grad(0.3, 0.7)
    np.random.seed(3)
    value, grads = f.value_and_grad(0.3, 0.7)
    np.random.seed(3)
    assert value == r_nested(0.3, 0.7)
    np.random.seed(3)
    z1, z2 = np.random.standard_normal(), np.random.standard_normal()
    np.testing.assert_allclose(grads, (1.0, z1 + 2 * 0.7 * z2), rtol=1e-12)


def m_ravel_of_max(p, s): return np.sin(np.ravel(max(p[0], s))[0])


def test_shape_op_of_a_value_that_is_a_python_or_numpy_scalar():
    """Python's max returns one of its operands: a numpy scalar or a Python float (no .shape)."""
    f = differentiate(m_ravel_of_max, wrt=("p", "s"))
    p = np.array([0.1, 0.2, 0.3])
    gp, gs = f.grad(p, 0.5)  # s wins: a Python float went through np.ravel's rule (crashed)
    assert gs == pytest.approx(np.cos(0.5)) and not gp.any()
    gp, gs = f.grad(np.array([0.9, 0.2, 0.3]), 0.5)
    assert gp[0] == pytest.approx(np.cos(0.9)) and gs == 0.0


def s_arange_step(p): return np.sum((np.arange(0.0, p[1], p[0]) + 1.0) * np.arange(1.0, 4.0))


def test_arange_with_array_scalar_bounds():
    # the length is 3 at p = [1.2, 3.3]; shape inference ran np.arange(0.0, 1.0, 1.0) (length 1),
    # so the cotangent of the arange was summed to one element: 18.0 instead of 8.0, silently
    f = differentiate(s_arange_step)
    np.testing.assert_allclose(f.grad(np.array([1.2, 3.3])), [8.0, 0.0])


def test_the_max_adjoint_of_a_float32_input_stays_float32():
    """The tie share of np.max is computed in x's precision before the cotangent multiplies it: with
    the seed folded to 1.0, `1.0 * mask` made a float64 adjoint cast back at the end."""
    def peak(x):
        return np.max(x)

    def peak_sq(x):
        return np.max(x * x) * 3.0
    x = np.array([[0.5, 2.0, -1.0], [2.0, 0.25, 1.5]], np.float32)
    for fn, want in ((peak, [[0, 0.5, 0], [0.5, 0, 0]]), (peak_sq, [[0, 6.0, 0], [6.0, 0, 0]])):
        f = differentiate(fn)
        g = f.grad(x)
        assert g.dtype == np.float32
        np.testing.assert_allclose(g, want, rtol=1e-6)
        np.testing.assert_allclose(f.grad(x.astype(np.float64)), want, rtol=1e-12)
        src = f.compiled_for(x).value_and_grad_source
        assert "astype" not in src and "1.0 * mask" not in src, src
    x64 = np.array([[0.5, 2.1, -1.0], [2.0, 0.25, 1.5]])
    np.testing.assert_allclose(differentiate(peak_sq).grad(x64), _fd(peak_sq, (x64,)), rtol=1e-6, atol=1e-8)


def test_a_number_cotangent_spread_for_a_float32_reduction_stays_float32():
    """A Python-number cotangent spread to a float32 result's shape for a rule that needs it whole
    (the max along an axis) is np.full_like of that result, not a float64 np.broadcast_to."""
    def row_peaks(x):
        return np.mean(np.max(x, axis=1))
    x = np.array([[0.5, 2.0, -1.0], [3.0, 3.0, 0.1]], np.float32)
    f = differentiate(row_peaks)
    g = f.grad(x)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, [[0, 0.5, 0], [0.25, 0.25, 0]], rtol=1e-6)
    assert "astype" not in f.compiled_for(x).value_and_grad_source
    x64 = np.array([[0.5, 2.0, -1.0], [3.0, 2.9, 0.1]])
    np.testing.assert_allclose(f.grad(x64), _fd(row_peaks, (x64,)), rtol=1e-6, atol=1e-8)


def concatenate_literal_list(v):
    return np.sum(np.concatenate([v, [1.0, 2.0]]) ** 2 * np.arange(5.0))


def stack_literal_row(v):
    return np.sum(np.stack([v, [1.0, 2.0, 3.0]]) ** 3)


def heaviside_number_first(v):
    return np.sum(np.heaviside(0.5, v) * v * v) + np.sum(np.power(2.0, v))


@pytest.mark.parametrize("fn", [concatenate_literal_list, stack_literal_row, heaviside_number_first],
                         ids=lambda f: f.__name__)
def test_literal_items_and_number_arguments(fn):
    """A literal list inside np.concatenate's list was taken for a number: its gradient was split on
    a 0-d shape (ZeroDivisionError from inside s2sgrad).  Rules comparing a literal argument with a
    constant (heaviside's `x == 0`) fold to a number instead of printing `(0.5 == 0)`."""
    f = differentiate(fn)
    g = f.grad(V3)
    np.testing.assert_allclose(g, _fd(fn, [V3]), rtol=1e-7, atol=1e-9)
    assert "== 0)" not in f.grad_source


def test_a_long_list_literal_of_one_name(tmp_path):
    """np.array([s, s, ..., s]) of 1100 items: the gradient of s summed 1100 contributions as one
    chain 1100 calls deep, and s2sgrad hit Python's recursion limit (a raw RecursionError)."""
    import importlib.util
    path = tmp_path / "long_list.py"
    path.write_text("import numpy as np\n\n\ndef f(x, s):\n    return np.sum(np.array([" + ", ".join(["s"] * 1100)
                    + "]) / (1.5 + np.square(x)))\n")
    spec = importlib.util.spec_from_file_location("long_list", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    x = np.linspace(-1.0, 1.0, 1100)
    gx, gs = differentiate(mod.f, wrt=(0, 1)).grad(x, 0.5)
    np.testing.assert_allclose(gs, np.sum(1.0 / (1.5 + x * x)), rtol=1e-12)
    np.testing.assert_allclose(gx, -0.5 * 2 * x / (1.5 + x * x) ** 2, rtol=1e-12)


# x ** p with p known only at run time, at x = 0 where p is 0 (third survey of real programs: a
# mass-action rate np.prod(c ** orders) with zero orders and zero concentrations; a polynomial
# sum of c[k] * x ** k from k = 0): x ** 0 is 1, so its derivative there is 0 -- the rule gave
# 0 * inf = nan, in reverse and forward mode.
def _zero_orders(x):
    return np.sum(np.prod(x[None, :] ** np.array([[0, 1], [1, 1]]), axis=1))


def _polynomial(x, c):
    s = 0.0
    for k in range(3):
        s = s + c[k] * x ** k
    return np.sum(s)


def test_power_with_a_zero_exponent_at_zero_has_derivative_zero():
    from s2sgrad import jvp
    x = np.array([0.0, 2.0])
    g = differentiate(_zero_orders).grad(x)
    assert np.array_equal(g, [2.0, 1.0]) and np.allclose(g, _fd(_zero_orders, (x,)), atol=1e-8)
    c = np.array([1.0, 2.0, 3.0])
    g = differentiate(_polynomial).grad(x, c)
    assert np.allclose(g, [2.0, 14.0], rtol=1e-12) and np.allclose(g, _fd(_polynomial, (x, c)), rtol=1e-6)
    assert np.isclose(jvp(_polynomial, (x, c), (np.ones(2), np.zeros(3)))[1], 16.0, rtol=1e-12)
    assert np.array_equal(differentiate(lambda_free_power).grad(np.array([0.0, 3.0])), [0.0, 6.0])


def lambda_free_power(x):
    return np.sum(np.power(x, np.array([0.0, 2.0])))
