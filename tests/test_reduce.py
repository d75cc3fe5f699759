"""functools.reduce lowered to the loop it stands for (frontend/folds.py): refused before ("'reduce'
has no differentiation rule"; the fourth survey's s06 chained ABCD matrices with it).  Each form is
checked against finite differences, and forward mode against reverse (check_grads does both)."""
import functools
import operator
from functools import reduce

import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


def chain(mats, x):  # no initial value: the first matrix starts the product
    return np.sum(reduce(lambda M, E: E @ M, mats) @ x)


def product(x, n):  # a run-time list built by a comprehension, operator.mul, an initial number
    terms = [np.sin(x * (k + 1)) for k in range(n)]
    return np.sum(functools.reduce(operator.mul, terms, 1.0))


def named(p, x):  # a named lambda, a list literal, the initial value an argument
    combine = lambda a, b: a * np.tanh(b)  # noqa: E731
    return np.sum(reduce(combine, [p["u"], p["v"], x], x))


def helper(a, b):
    return a + b ** 2


def by_def(xs):  # a module function, on a tuple argument
    return reduce(helper, xs).sum()


def np_add(x):  # a numpy ufunc, the list evaluated once
    return np.sum(reduce(np.add, [x, 2 * x, x ** 2]))


def shadow(x, acc):  # the lambda's parameter named like a variable of the function
    item = 3.0
    return np.sum(reduce(lambda acc, item: acc * item + 1.0, [x, x], acc)) * item


RNG = np.random.default_rng(7)


def test_chain_of_matrices():
    mats = [RNG.standard_normal((3, 3)) for _ in range(4)]
    check_grads(chain, (mats, RNG.standard_normal(3)), wrt=(0, 1))


def test_run_time_list_and_operator():
    x = RNG.uniform(0.2, 1.0, 5)
    check_grads(product, (x, 4), wrt=0)
    d = differentiate(product, wrt=0)
    np.testing.assert_allclose(d.value_and_grad(x, 4)[0], product(x, 4), rtol=1e-14)
    assert d.grad(x, 2).shape == (5,)  # (the list's length known only at run time: another count)


def test_named_lambda_function_and_ufunc():
    p = {"u": RNG.standard_normal(4), "v": RNG.standard_normal(4)}
    check_grads(named, (p, RNG.standard_normal(4)), wrt=(0, 1))
    check_grads(by_def, ((RNG.standard_normal(3), RNG.standard_normal(3), RNG.standard_normal(3)),))
    check_grads(np_add, (RNG.standard_normal(6),))


def test_lambda_parameters_do_not_capture_the_functions_names():
    x, acc = RNG.standard_normal(3), RNG.standard_normal(3)
    check_grads(shadow, (x, acc), wrt=(0, 1))
    g = differentiate(shadow, wrt=0).grad(x, acc)  # d/dx of 3 * sum((acc * x + 1) * x + 1)
    np.testing.assert_allclose(g, 3.0 * (2 * acc * x + 1.0), rtol=1e-12)


def starred(x):
    return np.sum(reduce(lambda *a: a[0] * a[1], [x, x]))


def keyword(x):
    return np.sum(reduce(operator.add, [x, x], initial=x))


@pytest.mark.parametrize("fn, says", [(starred, "lambda with other than two plain parameters"),
                                      (keyword, "written out by position")])
def test_other_forms_are_refused_at_the_line(fn, says):
    with pytest.raises(S2SGradError, match=says) as e:
        differentiate(fn).grad(np.ones(2))
    assert "test_reduce.py:" in str(e.value)
