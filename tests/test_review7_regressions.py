"""Defects an adversarial review of this stop's features found (~450 programs against the plain
function and finite differences), each a test that fails on the code before its fix."""
from functools import partial
from itertools import pairwise

import numpy as np
import pytest
from scipy.stats import beta, gamma

from s2sgrad import differentiate, jvp
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

X3 = np.array([0.5, -1.0, 2.0])


def smooth(x):  # pairwise over an array written in the body: a holds the item fetched the pass before
    y = x.copy()
    i = 0
    for a, b in pairwise(y):
        y[i + 1] = 0.5 * (a + b)
        i += 1
    return np.sum(y ** 2)


def test_pairwise_fetches_each_item_before_the_body_writes():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    assert differentiate(smooth).value_and_grad(x)[0] == smooth(x)  # (18.08 for 21.75)
    check_grads(smooth, (x,), wrt=0)


def fit_rcond0(A, y):
    return np.sum(np.linalg.lstsq(A, y, rcond=0)[0] * np.arange(1.0, 4.0))


def test_lstsq_rcond_below_the_default_keeps_what_numpy_keeps():
    R = np.random.default_rng(0)
    U, _, Vt = np.linalg.svd(R.standard_normal((6, 3)), full_matrices=False)
    A, y = U @ np.diag([1.0, 0.5, 1e-9]) @ Vt, R.standard_normal(6)
    gy = differentiate(fit_rcond0, wrt="y").grad(A, y)
    exact = np.array([fit_rcond0(A, e) for e in np.eye(6)])  # (linear in y)
    np.testing.assert_allclose(gy, exact, rtol=1e-6)


def too_short(x):
    a, *mid, z = x
    return a * z


def underscore_rebound(x):
    _rest = [x[0] * 100.0]
    a, *_rest = (x[1], x[2], x[0])
    return a * sum(_rest)


def swapped(x, y):
    a = x * 1.0
    b = y * 1.0
    a, *b = b, a
    return np.sum(a * 3 + b[0])


def test_starred_unpacking_reads_before_it_binds_and_checks_the_length():
    with pytest.raises(ValueError, match="not enough values to unpack"):
        differentiate(too_short).grad(np.array([0.7]))
    assert differentiate(underscore_rebound).value_and_grad(X3)[0] == underscore_rebound(X3)  # (-50 for -2.5)
    check_grads(underscore_rebound, (X3,), wrt=0)
    check_grads(swapped, (np.array([1.0, 2.0]), np.array([-0.5, 4.0])), wrt=(0, 1))  # (14.0 for 13.5)


def rows_then_written(X0):
    X = X0 * 1.0
    L = list(X)
    X[1] = np.zeros(2)
    return np.sum(L[1] ** 2)


def test_a_list_of_an_arrays_rows_is_refused():  # (Python's rows are views a write changes: 25.0 for 0.5)
    with pytest.raises(S2SGradError, match="list\\(\\) of an array of 2 dimensions"):
        differentiate(rows_then_written).grad(np.arange(4.0).reshape(2, 2) + 1.0)


def gamma_edge(x, s):
    return np.sum(gamma.logpdf(x, 1.0, scale=s))


def beta_edge(x, b):
    return np.sum(beta.logpdf(x, 1.0, b))


def test_densities_at_the_edge_of_the_support_where_they_are_finite():
    x = np.array([0.0, 0.7])  # (gamma of shape 1 at x == loc: log density -log(scale))
    g = differentiate(gamma_edge, wrt="s").grad(x, 1.5)
    assert g == pytest.approx(-2 / 1.5 + 0.7 / 1.5 ** 2, rel=1e-12)
    gb = differentiate(beta_edge, wrt="b").grad(np.array([0.0, 0.3]), 2.5)
    e = 1e-6
    fd = (beta_edge(np.array([0.0, 0.3]), 2.5 + e) - beta_edge(np.array([0.0, 0.3]), 2.5 - e)) / (2 * e)
    assert gb == pytest.approx(fd, rel=1e-6)


def three(a, b, c):
    return a * b - c


def bump(a):
    a[0] = 5.0 * a[1]
    return a[1]


def pair(v):
    return v[0] * 2.0, v[0] * 3.0


def cfg(v):
    return {"b": v[0] * 2.0, "c": v[0] * 3.0}


def f_star(x):
    y = x * 1.0
    return three(bump(y), *pair(y))


def f_kw(x):
    y = x * 1.0
    return three(bump(y), **cfg(y))


def mul(c, v):
    return c * v


def make_mul(c):
    return lambda v: c * v


def apply2(s, f, v):
    return s * f(v)


def with_partial(x):
    y = x * 1.0
    return np.sum(apply2(bump(y), partial(mul, y[0] * 1.0), x))


def with_factory(x):
    y = x * 1.0
    return np.sum(apply2(bump(y), make_mul(y[0] * 1.0), x))


@pytest.mark.parametrize("fn", [f_star, f_kw, with_partial, with_factory])
def test_arguments_are_evaluated_in_the_order_written(fn):
    assert differentiate(fn).value_and_grad(X3)[0] == fn(X3)  # (-2.5 for 25.0; -0.75 for 7.5)
    check_grads(fn, (X3,), wrt=0)


def appended_by_a_nested_def(x):
    hs = [x]

    def push(v):
        hs.append(v)
        return v
    y = push(x * 2)
    return np.sum(y) + np.sum(hs[-1])


def test_a_nested_def_appending_to_the_enclosing_list():  # (9.0 for 12.0; a NameError with seed=)
    x = np.array([1.0, 2.0])
    v, g = differentiate(appended_by_a_nested_def).value_and_grad(x)
    assert v == 12.0
    np.testing.assert_array_equal(g, [4.0, 4.0])
    np.testing.assert_array_equal(differentiate(appended_by_a_nested_def).grad(x, seed=1.0), [4.0, 4.0])


def deleted_first(x):
    hs = [x]
    hs.append(x * 2)
    hs.append(x * 4)
    del hs[0]
    return np.sum(hs[0] * hs[1])


def test_del_of_a_run_time_lists_first_element_is_refused():  # (taken for a pop of the last)
    with pytest.raises(S2SGradError, match="del hs\\[i\\] of a list built at run time"):
        differentiate(deleted_first).grad(np.array([1.0, -2.0]))


def and_or_value(y):
    n = y.shape[0]
    return np.sum((n > 100 and y * 3) or y * 2)


def and_or_named(y, c):
    t = c and y * 3
    return np.sum(t or y * 2) if not c else np.sum(t * y) + np.sum(c or y)


def test_and_or_as_values_are_differentiated_through_the_value_taken():  # (a zero gradient; a crash)
    np.testing.assert_array_equal(differentiate(and_or_value).grad(X3), [2.0, 2.0, 2.0])
    check_grads(and_or_named, (X3, False), wrt=0)
    check_grads(and_or_named, (X3, True), wrt=0)


class Model:
    @classmethod
    def cm(cls, w, x):
        return np.sum(w * np.sin(x))


def test_a_classmethod_is_refused_at_its_def():  # (a bare TypeError from the generated code)
    for f in (Model.cm, Model().cm):
        with pytest.raises(S2SGradError, match="is a classmethod"):
            differentiate(f).grad(X3[:2], X3[1:])
        with pytest.raises(S2SGradError, match="is a classmethod"):
            jvp(f, (X3[:2], X3[1:]), (X3[:2], X3[1:]))


def clipped(x, lo, hi=np.inf, scale=1.0):
    return np.sum(np.minimum(np.maximum(x, lo), hi) ** 2) * scale


def partial_keyword_then_open(x):  # (partial binds lo by keyword; hi and scale after it stay open)
    return apply2(1.0, partial(clipped, lo=-1.0), x)


def spread_with_inf_default(x):
    d = {"lo": -1.0}
    return clipped(x, **d)


def test_defaults_of_inf_and_parameters_after_a_keyword_partial_binds():
    x = np.array([0.5, -2.0, 3.0])
    check_grads(partial_keyword_then_open, (x,), wrt=0)
    check_grads(spread_with_inf_default, (x,), wrt=0)
