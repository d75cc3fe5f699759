"""`break` and `return` in a loop over a container, which is unrolled when compiling
(passes/unrolled_stops.py): the copies after a stop do not run.  Gradients against central
differences and forward mode at points where the loop stops at each pass (check_grads), the
value and gradient of a return from inside against hand-written ones (also from a loop nested in
the body), hvp against a difference of gradients, checkpointed against plain; refusals at the
user's line."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


def deep(params, x, tol):
    h = x
    for W, b in params:
        h = np.tanh(W @ h + b)
        if np.max(np.abs(h)) < tol:
            break
    return np.sum(h ** 2)


def early(params, x):
    h = x
    for i, (W, b) in enumerate(params):
        h = np.tanh(W @ h + b)
        if np.sum(h) > 0.5:
            return np.sum(h) * (i + 1)
    return np.sum(h ** 2) - i


def skip_and_stop(params, x):
    h = x
    tot = 0.0
    for k, (W, b) in enumerate(params):
        if k == 1:
            continue
        h = np.tanh(W @ h + b)
        tot = tot + np.sum(h)
        if tot > 1.0:
            break
    return tot + np.sum(h) * k  # (k: the pass that ran last, as Python leaves it)


def by_key(params, x):
    h = x
    for name in params:
        h = np.sin(params[name] * h)
        if name == "b" and np.sum(h) > 0.0:
            return np.sum(h), h
    return np.sum(h ** 3), h * 2


def return_in_an_inner_loop(params, x, at):
    h = x
    for W, b in params:
        for t in range(3):
            h = np.tanh(W @ h + b)
            if np.sum(h) > at:
                return np.sum(h) * (t + 1)
    return np.sum(h)


RNG = np.random.default_rng(0)
P = [(RNG.standard_normal((3, 3)) * 0.5, RNG.standard_normal(3) * 0.1) for _ in range(4)]
X = RNG.standard_normal(3)


def _passes(params, x, tol):  # how many passes deep's loop runs
    h = x
    for n, (W, b) in enumerate(params, 1):
        h = np.tanh(W @ h + b)
        if np.max(np.abs(h)) < tol:
            return n
    return len(params)


CASES = [(deep, (P, X, 0.0)), (deep, (P, X, 0.3)), (deep, (P, X, 0.5)), (deep, (P, X, 10.0)),
         (early, (P, X)), (early, (P, -3 * X)), (early, (P, 0.1 * X)),  # (returns in pass 0, 1; never)
         (skip_and_stop, (P, X)), (skip_and_stop, (P, 0.1 * X)),
         (return_in_an_inner_loop, (P, X, 0.6)), (return_in_an_inner_loop, (P, -0.3 * X, 0.6)),  # (pass 0, 0; 3, 2)
         (return_in_an_inner_loop, (P, X, 0.9))]  # (never)


def test_the_cases_stop_at_different_passes():
    assert [_passes(P, X, t) for t in (0.0, 0.3, 0.5, 10.0)] == [4, 3, 2, 1]


@pytest.mark.parametrize("fn,args", CASES)
def test_gradients_against_finite_differences_and_forward_mode(fn, args):
    check_grads(fn, args, wrt="params")
    check_grads(fn, args, wrt="x")


@pytest.mark.parametrize("fn,args", CASES)
def test_checkpointed_gradients_equal_the_plain_ones(fn, args):
    plain = differentiate(fn, wrt="x").value_and_grad(*args)
    ck = differentiate(fn, wrt="x", checkpoint=True).value_and_grad(*args)
    assert ck[0] == plain[0]
    np.testing.assert_allclose(ck[1], plain[1], rtol=1e-12)


def test_hvp_against_a_difference_of_gradients():
    v = np.array([0.3, -1.0, 0.5])
    g = differentiate(deep, wrt="x").grad
    eps = 1e-6
    np.testing.assert_allclose(s2sgrad.hvp(deep, (P, X, 0.3), v, wrt="x"),
                               (g(P, X + eps * v, 0.3) - g(P, X - eps * v, 0.3)) / (2 * eps), rtol=1e-6, atol=1e-8)


def test_a_tuple_returned_from_inside_against_the_hand_written_gradient():
    d = {"a": np.array([0.3, 0.4]), "b": np.array([1.2, -0.5]), "c": np.array([0.7, 0.9])}
    x = np.array([0.5, 0.8])
    (value, aux), g = differentiate(by_key, has_aux=True).value_and_grad(d, x)
    h1 = np.sin(d["a"] * x)
    h2 = np.sin(d["b"] * h1)
    assert np.sum(h2) > 0  # (returns from the pass of 'b')
    assert value == by_key(d, x)[0] and np.array_equal(aux, h2)
    gh1 = np.cos(d["b"] * h1) * d["b"]
    np.testing.assert_allclose(g["b"], np.cos(d["b"] * h1) * h1, rtol=1e-14)
    np.testing.assert_allclose(g["a"], gh1 * np.cos(d["a"] * x) * x, rtol=1e-14)
    np.testing.assert_array_equal(g["c"], 0.0)


def test_the_generated_code_guards_each_copy_after_the_first():
    d = differentiate(deep)
    d.grad(P, X, 0.3)
    src = d.compiled_for(P, X, 0.3).value_and_grad_source
    assert src.count("stopped = True") == 4 and src.count("= not stopped") == 3


def returns_of_two_lengths(params, x):
    for W, b in params:
        if np.sum(W @ x) > 0:
            return np.sum(x), x
        x = W @ x
    return np.sum(x)  # (Python gives a tuple on one path, a number on the other)


@pytest.mark.parametrize("fn,match", [
    (returns_of_two_lengths, r"test_unrolled_stops\.py:\d+:\d+: this return gives a single value where another gives a tuple")])
def test_returns_of_other_structures_are_refused_at_the_users_line(fn, match):
    with pytest.raises(S2SGradError, match=match):
        differentiate(fn).grad(P, X)
