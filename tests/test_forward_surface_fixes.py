"""Forward mode and the derivatives built on it, at their surface (seventh survey, v21 and v36):

- bound methods (`s2sgrad.jvp(m.loss, (w, x), (dw, None))`): every tangent pairs with its own
  primal, as `differentiate(m.loss).grad(w, x)` pairs arguments; the object's tangent was taken
  from the first one given, and where the object has no floating attribute the remaining tangents
  shifted by one parameter -- a silent wrong JVP.  hvp, hessian, jacfwd, jacrev, the JVP and
  Jacobian of a bound method's gradient and `f.grad` called inside a differentiated function
  likewise (forward_cache.bind_call);
- forward mode specialises on the same static arguments as reverse mode (`season = y[:m] - level`
  of an int m: `season[t % m]` is one number, not a view), and still refuses the real views;
- an `if` decided by a constant (an attribute holding None) is folded, so the generated code holds
  no `None[1]` (a SyntaxWarning on the user's stderr when it was compiled).

Values against central finite differences in float64 and forward against reverse mode."""
import warnings

import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.errors import ArgumentError, UnsupportedSyntaxError
from s2sgrad.testing import check_grads


def fd(fn, args, i, direction, eps=1e-6):
    """The central difference of fn along `direction` in argument i."""
    plus, minus = list(args), list(args)
    plus[i] = args[i] + eps * direction
    minus[i] = args[i] - eps * direction
    return (fn(*plus) - fn(*minus)) / (2 * eps)


def fd_jacobian(fn, args, i, eps=1e-6):
    x = np.asarray(args[i], dtype=float)
    cols = []
    for j in range(x.size):
        e = np.zeros(x.size)
        e[j] = 1.0
        cols.append(np.asarray(fd(fn, args, i, e.reshape(x.shape), eps)))
    return np.stack(cols, axis=-1).reshape(np.shape(cols[0]) + x.shape)


# ------------------------------------------------------------------------------ bound methods
class Scaled:
    def __init__(self, scale):
        self.scale = scale

    def loss(self, w, x):
        return self.scale * np.sum(np.tanh(x @ w) ** 2)

    def response(self, w, x):
        return self.scale * np.tanh(x @ w)


class Counted:
    """An object without floating attributes: its method's `self` takes no tangent at all."""

    def __init__(self, n):
        self.n = n

    def loss(self, w, v):
        return np.sum(np.sin(w) * v ** 3) * self.n


class Amplified:
    """The same loss with a floating attribute: `self` takes a tangent, but None was given for it."""

    def __init__(self, a):
        self.a = a

    def loss(self, w, v):
        return np.sum(np.sin(w) * v ** 3) * self.a


RNG = np.random.default_rng(21)
W, X = RNG.standard_normal(3), RNG.standard_normal((4, 3))
V = RNG.standard_normal(3)
DW, DV = RNG.standard_normal(3), RNG.standard_normal(3)
SCALED, COUNTED = Scaled(1.7), Counted(3)


def test_jvp_of_a_bound_method_takes_one_tangent_per_argument_after_self():
    value, tangent = s2sgrad.jvp(SCALED.loss, (W, X), (DW, None))
    assert value == pytest.approx(SCALED.loss(W, X), rel=1e-12)
    assert tangent == pytest.approx(fd(SCALED.loss, (W, X), 0, DW), rel=1e-7)
    # the dot-product test against reverse mode on the same bound method
    assert tangent == pytest.approx(float(differentiate(SCALED.loss, wrt="w").grad(W, X) @ DW), rel=1e-12)


@pytest.mark.parametrize("obj", [COUNTED, Amplified(1.3)], ids=["no floating attribute", "a floating attribute"])
def test_jvp_of_a_bound_method_with_the_first_tangent_none_was_silently_wrong(obj):
    # tangents (None, dv): the padding for self went at the end, so dv was paired with w (same
    # shape as v) and the JVP along w came back for the JVP along v
    _, along_v = s2sgrad.jvp(obj.loss, (W, V), (None, DV))
    assert along_v == pytest.approx(fd(obj.loss, (W, V), 1, DV), rel=1e-7)
    assert along_v == pytest.approx(s2sgrad.jvp(type(obj).loss, (obj, W, V), (None, None, DV))[1], rel=1e-12)
    _, both = s2sgrad.jvp(obj.loss, (W, V), (DW, DV))  # (was refused: "'self' is not floating" / "a dict")
    expect = fd(obj.loss, (W, V), 0, DW) + fd(obj.loss, (W, V), 1, DV)
    assert both == pytest.approx(expect, rel=1e-7)


def test_a_tangent_for_the_bound_object_is_refused_saying_how_to_differentiate_along_it():
    with pytest.raises(ArgumentError, match="bound method: its object is not a primal") as e:
        s2sgrad.jvp(SCALED.loss, (W, X), ({"scale": 1.0}, DW, None))
    assert "s2sgrad.jvp(Scaled.loss, (obj, *primals)" in str(e.value)
    # what the message says to write: the plain function, the object's tangent a dict by attribute
    _, tangent = s2sgrad.jvp(Scaled.loss, (SCALED, W, X), ({"scale": 1.0}, DW, None))
    assert tangent == pytest.approx(SCALED.loss(W, X) / SCALED.scale + fd(SCALED.loss, (W, X), 0, DW), rel=1e-7)
    with pytest.raises(ArgumentError, match="called without its object: too many positional arguments"):  # as m.loss(w, x, x) would
        s2sgrad.jvp(SCALED.loss, (W, X, X), (DW, None, None))


def test_hvp_and_hessian_of_a_bound_method_count_self_in_wrt_positions_as_differentiate_does():
    grad_w = differentiate(SCALED.loss, wrt="w").grad
    expect = fd(grad_w, (W, X), 0, DW)
    for wrt in ("w", 1):
        assert np.allclose(s2sgrad.hvp(SCALED.loss, (W, X), DW, wrt=wrt), expect, rtol=1e-6, atol=1e-9)
    H = s2sgrad.hessian(SCALED.loss, wrt="w")(W, X)
    assert np.allclose(H, fd_jacobian(grad_w, (W, X), 0), rtol=1e-6, atol=1e-9)
    with pytest.raises(ArgumentError, match="'scale' is an attribute of the bound object"):
        s2sgrad.hvp(SCALED.loss, (W, X), 1.0, wrt="scale")


def test_jacobians_of_a_bound_method_read_the_argument_they_name():
    J = fd_jacobian(SCALED.response, (W, X), 0)  # 4 x 3: w and x differ in shape
    assert np.allclose(s2sgrad.jacfwd(SCALED.response, wrt="w")(W, X), J, rtol=1e-6, atol=1e-9)
    assert np.allclose(s2sgrad.jacrev(SCALED.response, wrt="w")(W, X), J, rtol=1e-6, atol=1e-9)  # (a reshape error)
    # an attribute, as differentiate(m.response, wrt="scale") takes it: reverse mode only
    assert np.allclose(s2sgrad.jacrev(SCALED.response, wrt="scale")(W, X), np.tanh(X @ W), rtol=1e-12)
    with pytest.raises(ArgumentError, match=r"jacrev\(\.\.\., wrt='scale'\)"):
        s2sgrad.jacfwd(SCALED.response, wrt="scale")(W, X)
    for jac in (s2sgrad.jacfwd, s2sgrad.jacrev):  # wrt=0 is self, as for differentiate: not an array
        with pytest.raises(ArgumentError, match="with respect to 'self', a Scaled: give wrt= an array"):
            jac(SCALED.response)(W, X)


def test_derivatives_of_a_bound_methods_gradient_pair_tangents_with_their_arguments():
    g = s2sgrad.grad(COUNTED.loss, wrt="w")
    value, along_v = s2sgrad.jvp(g, (W, V), (None, DV))  # (silently the derivative along w before)
    assert np.allclose(value, g(W, V), rtol=1e-12)
    assert np.allclose(along_v, fd(g, (W, V), 1, DV), rtol=1e-6, atol=1e-9)
    _, along_w = s2sgrad.jvp(g, (W, V), (DW, None))
    assert np.allclose(along_w, fd(g, (W, V), 0, DW), rtol=1e-6, atol=1e-9)
    assert np.allclose(s2sgrad.jacfwd(g, wrt="v")(W, V), fd_jacobian(g, (W, V), 1), rtol=1e-6, atol=1e-9)


INNER = differentiate(Scaled(0.8).loss, wrt="w")


def gradient_penalty(w, x):
    g = INNER.grad(w, x)
    return np.sum(g ** 2) + np.sum(w ** 2)


def test_a_bound_methods_grad_inside_a_differentiated_function_gets_a_cotangent_per_argument():
    # (the rule returned one more cotangent than the call has arguments: self's)
    check_grads(gradient_penalty, (W, X), wrt=("w", "x"))


# ------------------------------------------------------------------------- static arguments
def holt_winters(params, y, m=2):
    alpha = 1.0 / (1.0 + np.exp(-params[0]))
    level = y[:m].mean()
    season = y[:m] - level
    sse = 0.0
    for t in range(len(y)):
        s = season[t % m]
        sse += (y[t] - level - s) ** 2
        season[t % m] = alpha * (y[t] - level) + (1 - alpha) * s
    return sse


def seasonal_rows(params, y, m=2):
    alpha = 1.0 / (1.0 + np.exp(-params[0]))
    table = np.outer(y[:m], params) * 1.0
    sse = 0.0
    for t in range(len(y)):
        row = table[t % m]
        sse += np.sum((y[t] - row) ** 2)
        table[t % m] = alpha * y[t] + (1 - alpha) * row
    return sse


def seasonal_slice(params, y, m=2):
    alpha = 1.0 / (1.0 + np.exp(-params[0]))
    season = y[:m] * alpha
    rest = season[1:]
    season[0] = alpha * y[0]
    return np.sum(rest ** 2) + season[0]


def row_of_a_table(params, y):
    table = np.outer(y[:3], params) * 1.0
    row = table[1]
    table[1] = params * 2.0
    return np.sum(row ** 2) + np.sum(table)


P, Y = np.array([0.3]), np.array([1.0, 2.0, 3.0, 4.0, 2.5, 1.5])


@pytest.mark.parametrize("m", [2, 4])
def test_forward_mode_specialises_on_a_size_argument_as_reverse_mode_does(m):
    # season[t % m] of a 1-D season sized by m: one number once m is known (it was refused as a view)
    value, tangent = s2sgrad.jvp(holt_winters, (P, Y, m), (np.ones(1), None, None))
    assert value == pytest.approx(holt_winters(P, Y, m), rel=1e-12)
    assert tangent == pytest.approx(fd(holt_winters, (P, Y, m), 0, np.ones(1)), rel=1e-6)
    assert tangent == pytest.approx(differentiate(holt_winters).grad(P, Y, m)[0], rel=1e-12)
    J = s2sgrad.jacfwd(holt_winters)(P, Y, m)  # (the batched forward code: specialised too)
    assert np.allclose(J, fd_jacobian(holt_winters, (P, Y, m), 0), rtol=1e-6)


def test_forward_mode_on_the_functions_own_object_shares_its_static_arguments():
    f = differentiate(holt_winters)
    _, t2 = s2sgrad.jvp(f, (P, Y), (np.ones(1), None))
    _, t3 = s2sgrad.jvp(f, (P, Y, 3), (np.ones(1), None, None))  # another value: another compilation
    assert t2 == pytest.approx(fd(holt_winters, (P, Y), 0, np.ones(1)), rel=1e-6)
    assert t3 == pytest.approx(fd(holt_winters, (P, Y, 3), 0, np.ones(1)), rel=1e-6, abs=1e-9)
    assert f._static == ("m",)
    with pytest.raises(ArgumentError, match="'m' of holt_winters is used here where a constant is needed"):
        s2sgrad.jvp(f, (P, Y, 2.5), (np.ones(1), None, None))


@pytest.mark.parametrize("fn,view", [(seasonal_slice, "rest = season[1:]"), (row_of_a_table, "row = table[1]")])
def test_real_views_written_through_stay_refused_in_both_modes(fn, view):
    # a row of a 2-D table and a slice share memory with what is written later, and are read after
    # that write: refused
    with pytest.raises(UnsupportedSyntaxError, match=f"'{view.replace('[', '.').replace(']', '.')}' may be a view"):
        s2sgrad.jvp(fn, (P, Y), (np.ones(1), None))
    with pytest.raises(UnsupportedSyntaxError, match="may be a view"):
        differentiate(fn).grad(P, Y)


def test_a_row_read_only_before_the_write_into_its_table_is_copied_in_both_modes():
    # row = table[t % m] is read by the write into the table and never after it: the generated code
    # copies it where it is bound (passes/views.py), which nothing in the program can tell apart
    src = differentiate(seasonal_rows).compiled_for(P, Y).value_and_grad_source
    assert "row = table[t % 2].copy()" in src  # (m = 2, its default, is a constant here)
    value, tangent = s2sgrad.jvp(seasonal_rows, (P, Y), (np.ones(1), None))
    assert value == pytest.approx(seasonal_rows(P, Y), rel=1e-12)
    assert tangent == pytest.approx(fd(seasonal_rows, (P, Y), 0, np.ones(1)), rel=1e-6)
    assert differentiate(seasonal_rows).grad(P, Y)[0] == pytest.approx(tangent, rel=1e-12)


# -------------------------------------------------------------------- branches decided by constants
class Weighted:
    def __init__(self, class_weight=None):
        self.class_weight = class_weight

    def loss(self, w, y):
        if self.class_weight:
            sw = np.where(y > 0, self.class_weight[1], self.class_weight[-1])
        else:
            sw = np.ones_like(y)
        return np.sum(sw * (w * y) ** 2)

    def loss_checked(self, w, y):
        if self.class_weight is not None and len(self.class_weight) == 2:
            sw = np.where(y > 0, self.class_weight[1], self.class_weight[-1])
        else:
            sw = np.ones_like(y)
        return np.sum(sw * (w * y) ** 2)

    def loss_chosen(self, w, y):
        c = self.class_weight[1] if self.class_weight else 1.0
        return np.sum(c * (w * y) ** 2)


NO_WEIGHTS = None


def weighted_by_global(w, y):
    if NO_WEIGHTS is not None:
        w = w * NO_WEIGHTS[0]
    return np.sum(np.sin(w * y))


YS = np.array([1.0, -1.0, 2.0])


@pytest.mark.parametrize("weights,method", [(None, "loss"), (None, "loss_checked"), (None, "loss_chosen"),
                                            ({1: 3.0, -1: 0.5}, "loss"), ({1: 3.0, -1: 0.5}, "loss_checked")])
def test_a_branch_on_an_attribute_holding_none_compiles_without_a_syntax_warning(weights, method):
    fn = getattr(Weighted(weights), method)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a SyntaxWarning from compiling generated code fails the test
        d = differentiate(fn, wrt="w")
        value, g = d.value_and_grad(0.5, YS)
        value_f, tangent = s2sgrad.jvp(fn, (0.5, YS), (1.0, None))
        check_grads(fn, (0.5, YS), wrt="w")
        sources = (d.grad_source, s2sgrad.jvp_source(fn, 0.5, YS))
    assert value == value_f == pytest.approx(fn(0.5, YS), rel=1e-15)
    assert g == pytest.approx(fd(fn, (0.5, YS), 0, 1.0), rel=1e-7)
    assert tangent == pytest.approx(g, rel=1e-12)
    for src in sources:
        assert "None[" not in src
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            compile(src, "<generated>", "exec")
    if weights is None and method == "loss":  # the branch not taken is gone, with its record
        assert "if " not in sources[0] and "np.ones_like(y)" in sources[0]


def test_a_branch_on_a_global_holding_none_is_folded_too():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f = differentiate(weighted_by_global)
        g = f.grad(0.7, YS)
        assert "None[" not in f.grad_source
    assert g == pytest.approx(np.sum(YS * np.cos(0.7 * YS)), rel=1e-12)


def test_only_tests_constants_decide_are_folded():
    from s2sgrad.ir import Call, Const, Name
    from s2sgrad.passes.constant_tests import truth
    none, x = Const(None), Name("x")
    assert truth(none) is False and truth(Const((1, 2))) is None  # (a tuple constant: left alone)
    assert truth(Call("is_not", (none, none))) is False and truth(Call("is_", (none, none))) is True
    assert truth(Call("not_", (none,))) is True
    assert truth(Call("bool_and", (none, x))) is False  # Python stops at None
    assert truth(Call("bool_or", (Const(0), Const("a")))) is True
    # a name read first is evaluated at run time (it may raise, as numpy's truth of an array does)
    assert truth(Call("bool_and", (x, Const(False)))) is None
    assert truth(Call("is_", (Const(3), Const(3)))) is None  # identity of ints is CPython's business


class _Scaled:
    def __init__(self, s):
        self.s = s

    def loss(self, w, x):
        return np.sum((w * self.s - x) ** 2)


def test_a_bound_methods_gradient_with_an_object_too_many_is_refused():
    # (it was taken for self: the gradient of another object's loss, where Python raises TypeError)
    m, w, x = _Scaled(2.0), np.array([1.0, 2.0]), np.array([0.5, 0.1])
    d = differentiate(m.loss, wrt="w")
    np.testing.assert_allclose(d.grad(w, x), 2 * (w * 2.0 - x) * 2.0)
    with pytest.raises(ArgumentError, match="a bound method, called without its object"):
        d.grad(_Scaled(5.0), w, x)
