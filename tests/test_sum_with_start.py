"""Python's `sum(seq, start)` runs as Python's sum from start (`list_sum(seq, start)`: builtins.sum at
run time; each item's adjoint is the result's, and so is start's), and `sum([a, b], start)` is
(start + a) + b: Python's order of additions and its types.  It was `start + sum(seq)`, which summed
a float32 list in float32 before the float64 start came in: [1e8, 1, -1e8] gave 0.0 for Python's
1.0.  (A first fix, the loop Python runs written out, dropped the start of `sum([*ws, x], s)` and
refused running sums over a list still growing: the review's cases are below.)  Gradients against
finite differences and forward mode."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.testing import check_grads


def float32_terms_float64_start(x):
    terms = []
    for k in range(3):
        terms.append((x[k] * np.float32(1.0)).astype(np.float32))
    return sum(terms, np.float64(0.0)) * 1.0


def list_with_array_start(x, s):
    ws = []
    for k in range(3):
        ws.append(x * (k + 1.0))
    return np.sum(sum(ws, s) ** 2)


def rows_with_start(X, s):
    return np.sum(sum(X, start=s) ** 3)


def literal_with_start(a, b, c):
    return np.sum(sum([a * b, b], c) * a)


def generator_start(x):
    return sum((x[k] ** 2 for k in range(3)), x[3])


def starred_literal(x, s):
    ws = [x, x * 2.0]
    return np.sum(sum([*ws, x], s) ** 2)


def running_sum_of_a_growing_list(x, s):
    ws = [x]
    for k in range(3):
        ws.append(np.sin(sum(ws, s)) * 0.5)
    return np.sum(ws[-1] ** 2)


def sum_in_a_while_condition(x, s):
    ws = [x * 0.1]
    while np.sum(sum(ws, s) ** 2) < 50.0 and len(ws) < 20:
        ws.append(x * 0.5)
    return np.sum(sum(ws, s) ** 2)


def flattened_index_lists(x):
    ll = [[0, 1], [3]]
    return np.sum(x[sum(ll, [])] ** 2)


def start_broadcast_then_added_to(x, s):
    ws = [x]
    r = sum(ws, s)
    r += x
    return np.sum(r ** 2)


def test_python_order_and_types():
    x = np.array([1e8, 1.0, -1e8])
    v, g = differentiate(float32_terms_float64_start).value_and_grad(x)
    assert v == float32_terms_float64_start(x) == 1.0  # float64 from the first addition on
    np.testing.assert_array_equal(g, [1.0, 1.0, 1.0])


rng = np.random.default_rng(3)


@pytest.mark.parametrize("fn,shapes", [(list_with_array_start, [(4,), (4,)]), (rows_with_start, [(3, 2), (2,)]),
                                       (literal_with_start, [(3,), (3,), (3,)]), (generator_start, [(4,)]),
                                       (starred_literal, [(4,), (4,)]), (running_sum_of_a_growing_list, [(4,), (4,)]),
                                       (sum_in_a_while_condition, [(4,), (4,)]), (flattened_index_lists, [(4,)]),
                                       (start_broadcast_then_added_to, [(4,), (3, 1)])],
                         ids=lambda v: getattr(v, "__name__", str(v)))
def test_against_finite_differences_and_forward_mode(fn, shapes):
    args = tuple(rng.standard_normal(s) for s in shapes)
    d = differentiate(fn, wrt=tuple(range(len(args))))
    v, gs = d.value_and_grad(*args)
    np.testing.assert_allclose(v, fn(*args), rtol=1e-13)
    check_grads(d, args)
    ts = tuple(rng.standard_normal(s) for s in shapes)
    _, dv = s2sgrad.jvp(fn, args, ts)
    np.testing.assert_allclose(float(dv), sum(float(np.sum(g * t)) for g, t in zip(gs, ts)), rtol=1e-10)


def test_the_review_numbers():
    x, s = np.array([1.0, 2.0, 3.0, 4.0]), np.full(4, 0.5)
    assert differentiate(starred_literal, wrt=(0, 1)).value_and_grad(x, s)[0] == 521.0  # (480.0: s dropped)
    assert differentiate(flattened_index_lists).value_and_grad(x)[0] == 21.0


def test_known_numbers():
    a, b, c = np.array([1.0, 2.0]), np.array([3.0, 4.0]), np.array([0.5, 0.5])
    # sum([a*b, b], c) = c + a*b + b = [6.5, 12.5]; times a: [6.5, 25]: 31.5
    v, (ga, gb, gc) = differentiate(literal_with_start, wrt=(0, 1, 2)).value_and_grad(a, b, c)
    assert v == 31.5
    np.testing.assert_array_equal(ga, [6.5 + 3.0, 12.5 + 8.0])  # (c + ab + b) + a * b
    np.testing.assert_array_equal(gb, [2.0, 6.0])                # a * (a + 1)
    np.testing.assert_array_equal(gc, a)


def too_many(x):
    return sum([x, x], x, x)


def unknown_keyword(x):
    return sum([x, x], begin=x)


@pytest.mark.parametrize("fn", [too_many, unknown_keyword], ids=lambda f: f.__name__)
def test_other_arguments_are_refused_at_the_line(fn):
    from s2sgrad.errors import S2SGradError
    with pytest.raises(S2SGradError, match=r"test_sum_with_start.py:\d+:\d+: sum\(\) of more than a sequence and a "
                                           r"start value") as info:
        differentiate(fn).value_and_grad(np.ones(3))
    assert "return sum(" in str(info.value) and "^" in str(info.value)
