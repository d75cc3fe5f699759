"""Findings of the review of functions as values, decorated helpers, super() and the sums of squares
(each was a wrong value, a crash, or a refusal Python would not make; the numbers are the review's)."""
import functools

import numpy as np
import pytest

from s2sgrad import differentiate, hvp
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

X = np.array([0.3, -1.2, 2.0, 0.7])


def relu(z):
    return np.maximum(z, 0.0)


def dense(x, W, act=None):
    if act is None:  # (the optional-activation idiom: the function passed is no None)
        return W * x
    return act(W * x)


def maybe(f, z):
    if f:
        return f(z)
    return z


def passed_functions(x):
    return np.sum(dense(x, 2.0, np.sin)) + np.sum(dense(x, 2.0, act=relu)) + np.sum(dense(x, 3.0)) \
        + np.sum(maybe(np.sin, x))


def test_a_function_passed_to_a_helper_is_no_none_there():
    # (s2sgrad gave 3.6 where Python gives 0.1178: the parameter was None inside the helper)
    assert differentiate(passed_functions).value_and_grad(X)[0] == pytest.approx(passed_functions(X), rel=1e-14)
    check_grads(passed_functions, (X,))


def aliased(f, z):
    keep = f  # (a name for the function passed: the same function)
    return keep(z)


def returned(f, z):
    return f, z


def returns_it(x):
    g, z = returned(np.sin, x)
    return np.sum(g(z))


def test_a_function_passed_to_a_helper_and_returned_by_it_is_refused():
    assert differentiate(lambda_free_alias).value_and_grad(X)[0] == pytest.approx(np.sum(np.sin(X)))
    with pytest.raises(S2SGradError):
        differentiate(returns_it).grad(X)
    with pytest.raises(S2SGradError, match="a function passed to a helper, used there as a value"):
        differentiate(adds_it).grad(X)


def plus_one(f, z):
    return z + f


def adds_it(x):
    return np.sum(plus_one(np.sin, x))


def lambda_free_alias(x):
    return np.sum(aliased(np.sin, x))


def branch_on_square(A):
    e = np.linalg.norm(A) ** 2
    if e >= 0.76:
        return 100.0 * e
    return e


def test_a_norms_square_keeps_the_value_python_computes():
    A = np.array([[0.6, 0.0], [0.0, 0.6], [0.2, 0.0]])  # norm(A) ** 2 is 0.7599999999999999, sum(A*A) 0.76
    assert differentiate(branch_on_square).value_and_grad(A)[0] == branch_on_square(A)


def squares(x, a):
    n = np.linalg.norm(x)
    return n * np.linalg.norm(x) + np.power(n, 2) + abs(a) ** 2


def test_every_spelling_of_a_square_has_its_hessian_at_zero():
    v = np.array([1.0, 0.0, 0.0])
    np.testing.assert_allclose(hvp(squares, (np.zeros(3), 0.0), v), 4 * v)
    assert hvp(squares, (np.zeros(3), 0.0), 1.0, wrt=1) == pytest.approx(2.0)
    check_grads(squares, (np.array([0.3, -0.4, 0.5]), 0.7), wrt=("x", "a"))


def counting(fn):
    calls = [0]

    @functools.wraps(fn)
    def wrapper(x):
        calls[0] += 1
        return fn(x)
    return wrapper


@counting
def energy(x):
    return np.sum(np.exp(x))


def counted(x):
    return energy(x) * 2.0


def keyword_reading(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args) * kwargs.get("w", 5.0)
    return wrapper


@keyword_reading
def weighted(x, w=2.0):
    return np.sum(x ** 2)


def test_decorators_that_count_or_read_their_arguments_are_refused():
    # (a closure list changed: the generated code raised UnboundLocalError; a wrapper reading kwargs
    # was called with every parameter: 27.65 where Python gives 11.06)
    with pytest.raises(S2SGradError, match="changes the module-level list 'calls'"):
        differentiate(counted).grad(X)
    with pytest.raises(S2SGradError, match="reads its \\*args or \\*\\*kwargs"):
        differentiate(weighted).grad(X)


def maybe_bound(x, c):
    if c > 0:
        act = np.sin
    return np.sum(act(x))


def shape_in_branch(Y, flag):
    if flag:
        k = Y.shape[1]
    d = {c: np.sum(Y[:, c]) for c in range(k)}
    return d[0]


def test_names_python_may_find_unbound_are_refused():
    with pytest.raises(S2SGradError, match="bound to a function in a branch or loop and read after it"):
        differentiate(maybe_bound).grad(X, -1.0)
    with pytest.raises(S2SGradError, match="'k' is computed at run time"):
        differentiate(shape_in_branch).grad(np.ones((2, 3)), False)


class A:
    def __init__(self, W):
        self.W = W

    def f(self, x):
        return self.W * x


class B(A):
    pass


class C(A):
    pass


class D(B, C):
    def f(self, x):
        return super().f(x) + 1.0  # (D, B, C, A: A.f, until C gets an f of its own)


def diamond(W, x):
    return np.sum(D(W).f(x))


def test_super_compiles_again_when_a_class_it_searched_gets_the_method():
    W, x = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    d = differentiate(diamond)
    assert d.value_and_grad(W, x)[0] == pytest.approx(0.5)
    C.f = lambda self, x: self.W * x * 10.0
    try:
        assert d.value_and_grad(W, x)[0] == pytest.approx(diamond(W, x)) == pytest.approx(-13.0)
    finally:
        del C.f


ACTS = [relu, np.tanh, np.sin]


def apply(f, z):
    return f(z)


def picked_by_index(x, i):
    fs = [np.add, np.sin]
    acts = [np.sin, np.cos]
    return np.sum(fs[i](x)) + np.sum(apply(acts[i], x)) + np.sum(apply(ACTS[i], x)) + len(ACTS)


def test_table_entries_passed_on_and_a_ufunc_of_two_arguments_in_a_table():
    # (fs[i](x) crashed inside the printer: np.add given one argument in its branch)
    for i in (1, -1):
        assert differentiate(picked_by_index, wrt="x").value_and_grad(X, i)[0] == pytest.approx(picked_by_index(X, i))
        check_grads(picked_by_index, (X, i), wrt="x")
    with pytest.raises(TypeError, match="add\\(\\) takes from 2 to 3 positional arguments"):
        differentiate(picked_by_index, wrt="x").value_and_grad(X, 0)


def norm_then_rebound(x):
    n = np.linalg.norm(x)
    x = x * 2.0  # (the norm's square is of the x before this line)
    return n ** 2 + np.sum(x)


def star(*zs): return zs[0] * 2.0  # noqa: E704 - (a one-line def with *args)


def one_line_star(x):
    return np.sum(star(x))


def test_second_review_a_rebound_parameter_and_a_one_line_star_helper():
    # (the square read the new x: [4.4, -7.6, 18, 7.6] where 2x + 2 is [2.6, -0.4, 6, 3.4]; the
    # one-line def crashed inside libcst)
    np.testing.assert_allclose(differentiate(norm_then_rebound).grad(X), 2 * X + 2, rtol=1e-14)
    check_grads(norm_then_rebound, (X,))
    np.testing.assert_allclose(differentiate(one_line_star).grad(X), 2.0 * np.ones(4))


def literal_table(x, i):
    return np.sum([np.sin, np.arctan2, np.maximum][i](x, 0.5))


def test_a_literal_table_of_ufuncs_called_at_once():
    # (refused for every i: np.sin's branch took 0.5 for an out= array)
    d = differentiate(literal_table, wrt="x")
    for i in (1, 2):
        assert d.value_and_grad(X, i)[0] == pytest.approx(literal_table(X, i), rel=1e-14)
        check_grads(literal_table, (X, i), wrt="x")
    with pytest.raises(TypeError):  # (as numpy: np.sin(x, 0.5))
        d.value_and_grad(X, 0)
