"""itertools.pairwise, itertools.accumulate and functools.partial, written as the loops and lambdas
they stand for (frontend/control.pairwise_, frontend/folds.accumulate_call, frontend/partials.py),
and slices of lists built at run time used as lists (passes/list_slices._copied).  Refused before
(the sixth survey's u14 and u37: pairwise, accumulate; u02/u03: partial).  Every form is checked
against finite differences and forward mode against reverse (check_grads does both)."""
import operator
from functools import partial
from itertools import accumulate, pairwise

import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

RNG = np.random.default_rng(11)


def curve_length(c):  # pairwise of an array in a generator expression: its rows
    return sum(np.linalg.norm(b - a) for a, b in pairwise(c))


def chained(c):  # pairwise of a list literal: unrolled over the container
    tot = 0.0
    for a, b in pairwise([c[0], c[1] * 2, c[2] ** 2]):
        tot = tot + (b - a) ** 2
    return tot


def discount(fwd):  # accumulate with a lambda and initial=, sliced, made an array
    dfs = list(accumulate(fwd, lambda acc, r: acc / (1.0 + r), initial=1.0))[1:]
    return np.sum(np.array(dfs) * np.arange(1.0, len(fwd) + 1))


def running(x):  # accumulate's default (addition), iterated
    s = 0.0
    for v in accumulate(x):
        s = s + v ** 2
    return s


def products(x):  # operator.mul, summed
    return sum(accumulate(x, operator.mul))


def keyed_max(x):  # func= by keyword, of a list literal, read by index
    ps = list(accumulate([x[0], x[1] * 2, x[2]], func=max))
    return ps[-1] * ps[0]


def scan(step, carry, xs):
    ys = []
    for x in xs:
        carry, y = step(carry, x)
        ys.append(y)
    return carry, np.stack(ys)


def rnn_step(W, h, x, scale=1.0):
    h = np.tanh(W * h + x) * scale
    return h, h ** 2


def bound_in_call(W, xs):  # partial passed to a helper that calls it
    h, ys = scan(partial(rnn_step, W), 0.5, xs)
    return np.sum(h) + np.sum(ys)


def bound_by_name(W, xs):  # partial bound to a name, a keyword bound too
    step = partial(rnn_step, W, scale=2.0)
    h, ys = scan(step, 0.5, xs)
    return np.sum(h) + np.sum(ys)


def bound_then_rebound(W, xs):  # partial holds the value a had when it was called
    a = W * 2
    step = partial(rnn_step, a)
    a = a * 100
    h, ys = scan(step, 0.5, xs)
    return np.sum(h) + np.sum(ys) + np.sum(a)


def of_nested_def(W, xs):
    def inner(c, h, x):
        return h * c + x, h
    h, ys = scan(partial(inner, W[0]), 1.0, xs)
    return h * np.sum(ys)


def stacked_list(c, t):  # a comprehension over range(len(c)): np.stack of it has a shape (passes/shape_ranks)
    n = len(c) - 1
    basis = np.stack([t ** k * (1 - t) ** (n - k) for k in range(n + 1)], axis=1)
    curve = basis @ c
    return ((curve[None, :, :] - c[:, None, :]) ** 2).sum(axis=-1).min(axis=1).mean()


@pytest.mark.parametrize("fn,shape", [(curve_length, (5, 2)), (chained, (3,)), (running, (4,)),
                                      (products, (3,)), (keyed_max, (3,))])
def test_itertools_forms(fn, shape):
    check_grads(fn, (RNG.standard_normal(shape),), wrt=0)


def test_accumulate_initial_and_slice():
    fwd = 0.02 + 0.01 * RNG.random(6)
    check_grads(discount, (fwd,), wrt=0)
    src = differentiate(discount).compiled_for(fwd).value_and_grad_source
    assert "for dfs_k in range(len(partials))[1:]:" in src  # the slice, a list of its own


@pytest.mark.parametrize("fn", [bound_in_call, bound_by_name, bound_then_rebound, of_nested_def])
def test_partial(fn):
    check_grads(fn, (RNG.standard_normal(3), RNG.standard_normal(4)), wrt=(0, 1))


def test_partial_value_is_taken_when_called():
    W, xs = RNG.standard_normal(3), RNG.standard_normal(4)
    v, (gW, _) = differentiate(bound_then_rebound, wrt=("W", "xs")).value_and_grad(W, xs)
    assert v == pytest.approx(bound_then_rebound(W, xs), rel=1e-14)


def test_stacked_list_of_known_length():
    check_grads(stacked_list, (RNG.standard_normal((4, 2)), np.linspace(0.0, 1.0, 7)), wrt=0)


def partial_of_numpy(x, xs):
    return np.sum(scan(partial(np.add, x), 0.0, xs)[1])


def pairwise_as_value(x):
    return len(list(pairwise(x))) * np.sum(x)


def accumulate_three_args(x):
    return sum(accumulate(x, operator.add, 0.0))


@pytest.mark.parametrize("fn,msg", [
    (partial_of_numpy, "partial of something that is not a function of yours"),
    (pairwise_as_value, "s2sgrad reads pairwise only as the iterable of a for loop"),
    (accumulate_three_args, "accumulate() takes a sequence, an optional function and initial= by keyword"),
])
def test_refused_with_a_message(fn, msg):
    x = RNG.standard_normal(3)
    args = (x, x) if fn is partial_of_numpy else (x,)
    with pytest.raises(S2SGradError, match=None) as e:
        differentiate(fn, wrt=0).grad(*args)
    assert msg in str(e.value)
