"""custom_vjp / custom_jvp: the user's rules are used (the generated code calls them by name), their
results are checked, and each is refused in the mode it has no rule for."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import custom_jvp, custom_vjp, differentiate
from s2sgrad.errors import ArgumentError, S2SGradError
from s2sgrad.testing import check_grads


@custom_vjp
def softplus(x):
    return np.log1p(np.exp(x))


def softplus_fwd(x):
    return np.log1p(np.exp(x)), (x,)


def softplus_bwd(res, g):
    (x,) = res
    return (g / (1 + np.exp(-x)),)


softplus.defvjp(softplus_fwd, softplus_bwd)


@custom_vjp
def clipped_identity(x, scale):
    """Identity forward; the rule clips the cotangent (a rule that is NOT the true derivative: the
    test sees it is the user's rule that runs)."""
    return x * 1.0


def clipped_identity_fwd(x, scale):
    return x * 1.0, None


def clipped_identity_bwd(res, g):
    return (np.clip(g, -1.0, 1.0), None)


clipped_identity.defvjp(clipped_identity_fwd, clipped_identity_bwd)


def model(w, x):
    return np.sum(softplus(x @ w) ** 2)


def recurrent(w, x):
    h = x
    for i in range(4):
        h = softplus(h * w) - 0.5   # residuals of every step are recorded for the reverse sweep
    return np.sum(h)


def test_custom_vjp_gradient_against_finite_differences_and_called_by_name():
    rng = np.random.default_rng(0)
    w, x = rng.standard_normal(3), rng.standard_normal((4, 3))
    f = differentiate(model)
    check_grads(f, (w, x))
    f.grad(w, x)
    src = f.grad_source
    assert "softplus_fwd(" in src and "softplus_bwd(softplus_res, " in src


def test_custom_vjp_inside_a_loop_records_each_steps_residuals():
    rng = np.random.default_rng(1)
    check_grads(differentiate(recurrent), (rng.standard_normal(3), rng.standard_normal(3)))


def test_the_users_rule_is_used_even_where_it_is_not_the_derivative():
    def f(x):
        return np.sum(clipped_identity(x, 2.0) * 5.0)
    g = differentiate(f).grad(np.array([1.0, -2.0]))
    np.testing.assert_array_equal(g, [1.0, 1.0])  # the cotangent 5 clipped by the user's rule (not 5)


def _bad_rule(returned):
    @custom_vjp
    def h(x, y):
        return x * y

    def h_fwd(x, y):
        return x * y, (x, y)

    def h_bwd(res, g):
        return returned(res, g)
    h.defvjp(h_fwd, h_bwd)
    return h


def test_wrong_number_of_cotangents_is_an_error_naming_the_function_and_the_line():
    h = _bad_rule(lambda res, g: (g * res[1],))

    def uses(x, y):
        return np.sum(h(x, y))
    with pytest.raises(ArgumentError, match="returned 1 cotangents for the 2 arguments of h"):
        differentiate(uses, wrt=("x", "y")).grad(np.ones(2), np.ones(2))


def test_wrong_cotangent_shape_is_an_error():
    h = _bad_rule(lambda res, g: (np.sum(g), g))

    def uses(x, y):
        return np.sum(h(x, y))
    with pytest.raises(ArgumentError, match=r"cotangent of shape \(\) for argument 1, of shape \(2,\)"):
        differentiate(uses, wrt=("x", "y")).grad(np.ones(2), np.ones(2))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_none_cotangent_is_zeros_of_the_arguments_shape_and_dtype(dtype):
    """None from f_bwd is an array argument's zero gradient: an array of its shape and dtype (it was
    the number 0.0, of no shape)."""
    h = _bad_rule(lambda res, g: (np.sum(g * res[1], axis=0), None))

    def uses(x, y):
        return np.sum(h(x, y) * 2.0)
    x, y = np.array([1.0, 2.0, 3.0], dtype), np.array([[0.5, -1.0, 4.0], [1.0, 1.0, 1.0]], dtype)
    gx, gy = differentiate(uses, wrt=("x", "y")).grad(x, y)
    np.testing.assert_allclose(gx, [3.0, 0.0, 10.0])  # 2 * (y[0] + y[1]), from the user's rule
    assert isinstance(gy, np.ndarray) and gy.shape == (2, 3) and gy.dtype == dtype
    np.testing.assert_array_equal(gy, np.zeros((2, 3)))


def test_a_none_cotangent_of_a_number_is_zero():
    h = _bad_rule(lambda res, g: (None, g * res[0]))

    def uses(x, y):
        return np.sum(h(x, y))
    gx, gy = differentiate(uses, wrt=("x", "y")).grad(2.5, np.array([1.0, 3.0]))
    assert gx == 0.0 and np.ndim(gx) == 0
    np.testing.assert_array_equal(gy, [2.5, 2.5])


def test_a_custom_vjp_without_its_rule_is_refused():
    @custom_vjp
    def bare(x):
        return x

    def uses(x):
        return np.sum(bare(x))
    with pytest.raises(S2SGradError, match=r"call bare.defvjp\(fwd, bwd\)"):
        differentiate(uses).grad(np.ones(2))


@custom_jvp
def cube(x):
    return x ** 3


@cube.defjvp
def cube_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    return x ** 3, 3 * x ** 2 * dx


def test_custom_jvp_in_forward_mode_and_called_by_name():
    def g(x):
        return np.sum(cube(x) * 2)
    x = np.array([0.5, -1.5, 2.0])
    v = np.array([1.0, 2.0, -1.0])
    value, tangent = s2sgrad.jvp(g, (x,), (v,))
    assert value == pytest.approx(np.sum(2 * x ** 3))
    assert tangent == pytest.approx(np.sum(6 * x ** 2 * v))
    assert "cube_jvp((x,), (dot_x,))" in s2sgrad.jvp_source(g, x)


def test_each_custom_rule_is_refused_in_the_mode_it_has_no_rule_for():
    def g(x):
        return np.sum(cube(x))
    with pytest.raises(S2SGradError, match="forward rule only"):
        differentiate(g).grad(np.ones(2))
    with pytest.raises(S2SGradError, match="reverse rule only"):
        s2sgrad.jvp(model, (np.ones(3), np.ones((2, 3))), (np.ones(3), np.zeros((2, 3))))


# ---------------------------------------------------------------- names independent of the process's history
def _make_cube(scale, fails_above=np.inf):
    @custom_vjp
    def cube(x):
        return x ** 3

    def cube_fwd(x):
        return x ** 3, x

    def cube_bwd(x, g):
        if scale > fails_above:
            raise ValueError("bwd boom")
        return (scale * 3 * x ** 2 * g,)
    cube.defvjp(cube_fwd, cube_bwd)
    return cube


def _make_square(scale):
    @custom_jvp
    def square(x):
        return x * x

    def square_jvp(primals, tangents):
        return primals[0] * primals[0], scale * 2 * primals[0] * tangents[0]
    square.defjvp(square_jvp)
    return square


CUBE_1, CUBE_2 = _make_cube(1.0), _make_cube(2.0)
SQUARE_1, SQUARE_2 = _make_square(1.0), _make_square(3.0)


def cube_loss_1(x):
    return np.sum(CUBE_1(x))


def cube_loss_2(x):
    return np.sum(CUBE_2(x))


def cube_loss_local(x):
    cube_fwd = x * 2.0  # the user's own local of that name: the rule keeps a suffix here
    return np.sum(CUBE_2(cube_fwd))


def square_loss_1(x):
    return np.sum(SQUARE_1(x))


def square_loss_2(x):
    return np.sum(SQUARE_2(x))


def test_rule_names_in_generated_code_do_not_depend_on_what_was_compiled_before():
    """Two markers whose functions share names (a factory, a cell run twice): the second compiled
    used to call `cube_fwd_2`, `square_jvp_2` -- names that depended on what the process had
    compiled before.  Each module now calls the user's names, and each runs its own rule."""
    x = np.array([1.0, 2.0])
    d1, d2 = differentiate(cube_loss_1), differentiate(cube_loss_2)
    np.testing.assert_allclose(d1.grad(x), [3.0, 12.0])
    np.testing.assert_allclose(d2.grad(x), [6.0, 24.0])  # the second marker's own rule (scale 2)
    for d in (d1, d2):
        c = d.compiled_for(x)
        src = c.value_and_grad_source + c.grad_source
        assert "cube_fwd(x)" in src and "cube_bwd(cube_res, " in src and "cube_fwd_" not in src and "cube_bwd_" not in src
    # the same text but for the function's name and the source lines quoted
    def text(d, k):
        return [line for line in d.grad_source.replace(f"cube_loss_{k}", "L").replace(f"CUBE_{k}", "C").splitlines()
                if "py:" not in line]
    assert text(d1, 1) == text(d2, 2)
    local = differentiate(cube_loss_local)
    np.testing.assert_allclose(local.grad(x), 2.0 * 2.0 * 3 * (2 * x) ** 2)
    assert "cube_fwd = x * 2.0" in local.grad_source and "cube_fwd_" in local.grad_source  # no clash
    t1 = s2sgrad.jvp(square_loss_1, (x,), (np.ones(2),))
    t2 = s2sgrad.jvp(square_loss_2, (x,), (np.ones(2),))
    assert float(t1[1]) == 6.0 and float(t2[1]) == 18.0
    src = s2sgrad.jvp_source(square_loss_2, x)
    assert "square_jvp(" in src and "square_jvp_" not in src


FAIL_1, FAIL_2 = _make_cube(1.0, fails_above=1.5), _make_cube(2.0, fails_above=1.5)


def failing_loss_1(x):
    return np.sum(FAIL_1(x))


def failing_loss_2(x):
    return np.sum(FAIL_2(x))


def test_an_error_in_a_renamed_rule_still_names_the_users_line():
    """The review's case: the second marker's rule, called by the user's name, raised without the
    note naming the user's line (the source map compared the renamed text with the IR's)."""
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(differentiate(failing_loss_1).grad(x), [3.0, 12.0])
    with pytest.raises(ValueError, match="bwd boom") as info:
        differentiate(failing_loss_2).grad(x)
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "test_custom_rules.py" in notes and "return np.sum(FAIL_2(x))" in notes, notes
