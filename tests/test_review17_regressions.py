"""Review 17 (adversarial, of the held index and in-place writes): silent wrong results older than
this stop, each fixed or refused at the user's line.  Values against plain Python, gradients against
central differences."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.testing import check_grads

X5 = np.array([-1.3, 2.2, 0.45, -0.2, 1.7])


def put(h, v):
    h[0] = v
    return np.sum(h * h)


def two_writing_calls(x):
    h = x * 1.0
    s = put(h, 1.0) + put(h, 3.0)          # each value read before the other call writes
    return s + np.sum(h * x)


def closure_writing_twice(x):
    h = x * 1.0

    def clip(v):
        h[np.arange(5) < v] = v
        return np.sum(h)
    s = clip(1.2) + clip(3.5)
    return s + np.sum(h * x)


@pytest.mark.parametrize("fn", [two_writing_calls, closure_writing_twice])
def test_a_helper_writing_into_its_argument_twice_in_one_expression(fn):
    value, _ = differentiate(fn).value_and_grad(X5)
    assert value == fn(X5.copy())          # (two_writing_calls: 38.0175 where Python gives 30.0175)
    check_grads(fn, (X5,))


def bump(h):
    h[0] = 10.0
    return 1.0


def update_with_a_writing_helper(x):
    h = x * 1.0
    h[0] += bump(h)                          # Python reads h[0] before bump writes it
    return np.sum(h * x)


def read_before_the_call(x):
    h = x * 1.0
    s = np.sum(h) + put(h, 1.0)             # Python sums h before put writes into it
    return s + np.sum(h * x)


def read_element_first(x):
    h = x * 1.0
    h[0] = h[0] + bump(h)                   # the left operand, read before the call
    return np.sum(h * x)


@pytest.mark.parametrize("fn", [update_with_a_writing_helper, read_before_the_call, read_element_first])
def test_a_read_python_makes_before_a_helpers_write_comes_first(fn):
    # (update_with_a_writing_helper: -6.3275 where Python gives 8.3625; read_before_the_call: 13.435
    # where Python gives 11.135: the helper's write was lowered before the read)
    value, _ = differentiate(fn).value_and_grad(X5)
    assert value == fn(X5.copy())
    check_grads(fn, (X5,))


def fills(u, dt):
    u[1:-1] = u[1:-1] + dt * (u[2:] - 2 * u[1:-1] + u[:-2])
    return u


def returned_array_of_a_filling_helper(x):
    u = x * 1.0
    for _ in range(3):
        u = fills(u, 0.1)                   # reads only the helper's result: passes
    return np.sum(u ** 2)


def test_a_helper_returning_the_array_it_filled():
    check_grads(returned_array_of_a_filling_helper, (X5,))


def draws_in_tuple_targets(x):
    np.random.seed(3)
    h = x * 1.0
    h[np.random.randint(5)], h[np.random.randint(5)] = np.random.randn() * x[0], 2.0
    return np.sum(h * x)


def test_draws_of_a_tuple_target_in_pythons_order():
    # Python draws the value first, then each target's index (5.7722 before, where Python gives 5.3725)
    value, _ = differentiate(draws_in_tuple_targets).value_and_grad(X5)
    assert value == draws_in_tuple_targets(X5.copy())
    check_grads(draws_in_tuple_targets, (X5,))
