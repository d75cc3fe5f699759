"""Derivatives of a gradient s2sgrad made (`jvp(grad(f))`, `jacfwd(grad(f))`), and the refusals at
second order: every one names the user's function or line (never s2sgrad's own source or its
generated code) and says what to write instead."""
import re

import numpy as np
import pytest

import s2sgrad
from s2sgrad import custom_jvp
from s2sgrad.errors import S2SGradError

HERE = r"test_higher_of_gradients\.py:\d+:\d+: "


def f(x, y):
    return np.sum(np.sin(x) * x * y) + np.sum(x) ** 2


X = np.array([0.3, 0.5, -0.2])
Y = np.array([1.5, -0.7, 2.0])


def _fd_of_grad(g, args, tangents, eps=1e-6):
    plus = [a + eps * t for a, t in zip(args, tangents)]
    minus = [a - eps * t for a, t in zip(args, tangents)]
    return (g(*plus) - g(*minus)) / (2 * eps)


def test_jvp_of_a_gradient_is_the_hessian_times_the_tangents():
    v, w = np.array([0.1, -1.0, 0.4]), np.array([0.3, 0.2, -0.1])
    g = s2sgrad.grad(f)
    value, tangent = s2sgrad.jvp(g, (X, Y), (v, w))
    np.testing.assert_allclose(value, g(X, Y), rtol=1e-12)
    np.testing.assert_allclose(tangent, _fd_of_grad(g, (X, Y), (v, w)), rtol=1e-7, atol=1e-9)
    # known numbers: d/dx of grad_x f along x alone is H v
    H = 2.0 * np.ones((3, 3)) + np.diag(Y * (2 * np.cos(X) - X * np.sin(X)))
    np.testing.assert_allclose(s2sgrad.jvp(g, (X, Y), (v, None))[1], H @ v, rtol=1e-12)


def test_jacobians_of_a_gradient_are_hessian_blocks():
    g = s2sgrad.grad(f)
    H = s2sgrad.hessian(f)(X, Y)
    np.testing.assert_allclose(s2sgrad.jacfwd(g)(X, Y), H, rtol=1e-12)
    mixed = s2sgrad.jacrev(g, wrt="y")(X, Y)  # d(grad_x f)/dy = diag(sin x + x cos x)
    np.testing.assert_allclose(mixed, np.diag(np.sin(X) + X * np.cos(X)), rtol=1e-12, atol=1e-15)
    cols = [_fd_of_grad(g, (X, Y), (np.zeros(3), e)) for e in np.eye(3)]
    np.testing.assert_allclose(mixed, np.stack(cols, axis=-1), atol=1e-8)


def _refused(call, *, match, at_def=True):
    with pytest.raises(S2SGradError) as info:
        call()
    msg = str(info.value)
    assert re.search(match, msg), msg
    assert "s2sgrad/api.py" not in msg and "<s2sgrad " not in msg.splitlines()[0].split(": ")[0], msg
    if at_def:
        assert re.search(HERE, msg) and "def f(x, y):" in msg, msg
    return msg


def test_derivatives_of_gradients_s2sgrad_does_not_take_are_refused_at_the_users_function():
    g = s2sgrad.grad(f)
    _refused(lambda: s2sgrad.hessian(g)(X, Y), match=r"third derivative.*write s2sgrad\.hessian\(f")
    _refused(lambda: s2sgrad.hvp(g, (X, Y), X), match=r"third derivative.*s2sgrad\.hvp\(f")
    _refused(lambda: s2sgrad.jvp(s2sgrad.grad(f, wrt=("x", "y")), (X, Y), (X, None)),
             match=r"several parameters.*grad\(f, wrt='x'\)")
    _refused(lambda: s2sgrad.jvp(s2sgrad.grad(s2sgrad.grad(f)), (0.3, 0.2), (1.0, 0.0)),
             match="grad of grad of f")
    _refused(lambda: s2sgrad.differentiate(s2sgrad.grad(f)),
             match=r"a derivative s2sgrad generated.*s2sgrad\.hessian", at_def=False)


def cumprod_loss(x):
    return np.sum(np.cumprod(x) * x)


@custom_jvp
def cube(x):
    return x ** 3


@cube.defjvp
def cube_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    return x ** 3, 3 * x ** 2 * dx


def cube_loss(x):
    return np.sum(cube(x) * 2)


def test_second_order_refusals_inside_generated_code_point_at_the_users_line():
    x = np.array([0.3, 0.5, -0.2])
    msg = _refused(lambda: s2sgrad.hessian(cumprod_loss)(x), match=r"of np\.cumprod.*as a loop", at_def=False)
    assert re.search(HERE, msg) and "return np.sum(np.cumprod(x) * x)" in msg, msg
    for call in (lambda: s2sgrad.hessian(cube_loss)(x), lambda: s2sgrad.hvp(cube_loss, (x,), x)):
        msg = _refused(call, match=r"through 'cube', a custom_jvp function.*plain version of cube", at_def=False)
        assert re.search(HERE, msg) and "return np.sum(cube(x) * 2)" in msg, msg
    # forward mode itself uses the rule
    np.testing.assert_allclose(s2sgrad.jacfwd(cube_loss)(x), 6 * x ** 2)


inner = s2sgrad.differentiate(cumprod_loss)


def meta(w):
    w2 = w - 0.1 * inner.grad(w)
    return np.sum(w2 * w2)


def test_a_grad_inside_a_differentiated_function_refuses_at_the_users_line():
    msg = _refused(lambda: s2sgrad.differentiate(meta).grad(np.array([0.3, 0.5, 0.7])),
                   match=r"of np\.cumprod.*as a loop", at_def=False)
    assert re.search(HERE, msg) and "return np.sum(np.cumprod(x) * x)" in msg, msg


def test_differentiating_a_method_of_a_differentiated_function_names_the_users_def():
    df = s2sgrad.differentiate(f)
    for method in ("grad", "value_and_grad"):
        with pytest.raises(S2SGradError, match=rf"differentiating f\.{method}, a derivative s2sgrad generated.*"
                           r"s2sgrad\.hessian\(f\)") as e:
            s2sgrad.differentiate(getattr(df, method))
        text = str(e.value)
        assert "test_higher_of_gradients.py:" in text and "def f(x, y):" in text and "^" in text


def split_loss(x):
    return np.sum(np.tanh(np.split(x, [1])[1]) ** 3) + np.sum(np.array_split(x, 2)[0] ** 4)


def sample_var_loss(a):
    return np.sum(np.var(a, axis=0, ddof=1) ** 2) + np.std(a, ddof=1) ** 3


@pytest.mark.parametrize("fn,shape", [(split_loss, (5,)), (sample_var_loss, (3, 2))])
def test_shape_helpers_of_the_generated_code_need_no_rule_at_second_order(fn, shape):
    # np.split's bounds and var/std's 1 / (N - ddof) are computed from shapes only: their helpers
    # (split_bounds, ddof_scale) were refused as 'a run-time helper with no rule of its own'
    rng = np.random.default_rng(8)
    x, v = rng.standard_normal(shape), rng.standard_normal(shape)
    g = s2sgrad.grad(fn)
    _, t = s2sgrad.jvp(g, (x,), (v,))
    assert np.allclose(t, _fd_of_grad(g, (x,), (v,)), rtol=1e-6, atol=1e-9)
    H = s2sgrad.hessian(fn)(x)
    assert np.allclose(np.tensordot(H, v, axes=v.ndim), t, rtol=1e-9, atol=1e-12)


CALLS = 0


def counted(x):
    global CALLS
    CALLS += 1
    return np.sum(np.sin(x) ** 2)


def rows_and_repeated_list(x, n):
    A = np.outer(x, x) + 1.0
    for row in A:  # (check_rows in the generated code)
        row /= row.sum()
    c = [0.0] * n  # (list_as_array and check_number_item)
    for i in range(n):
        c[i] = np.sum(A[i] * x) ** 2
    return sum(c)


def test_hessians_of_functions_whose_generated_code_checks_rows_or_writes_globals():
    # the generated tangent code read again calls global_read/global_write, check_rows,
    # list_as_array and check_number_item: effects and rule rows, as in the user's function
    x = np.array([0.3, 0.2, 0.5])
    v = np.array([1.0, -0.5, 0.3])
    before = CALLS
    np.testing.assert_allclose(s2sgrad.hessian(counted)(x), np.diag(2 * np.cos(2 * x)), rtol=1e-12, atol=1e-15)
    assert CALLS > before  # (the counter is written through at second order too)
    g = s2sgrad.grad(rows_and_repeated_list)
    np.testing.assert_allclose(s2sgrad.hvp(rows_and_repeated_list, (x, 3), v),
                               _fd_of_grad(lambda y: g(y, 3), (x,), (v,)), rtol=1e-7, atol=1e-9)
