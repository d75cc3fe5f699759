"""`global X` and assignments to X in the differentiated function (survey program u31: a counter of
objective calls, as scipy.optimize code keeps one): X is read from its module at the start of each
run and written back after every assignment, in the forward sweep only (frontend/effects.py
written_through).  The module's value after a call is the plain function's; gradients against
central differences; a global assigned in a helper or bound by a loop is refused at its line."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

N_CALLS = 0
LAST = None
SCALE = 2.0


def counted(x):
    global N_CALLS, LAST
    N_CALLS += 1
    y = np.sum(np.sin(x) * SCALE)
    if y > 0:
        LAST = y  # (a differentiated value, kept as the module's: no adjoint flows back from it)
    return y * N_CALLS


def test_the_module_sees_each_call_and_the_gradient_reads_the_count():
    global N_CALLS
    x = np.array([0.3, 0.8, -0.2])
    d = differentiate(counted)
    N_CALLS = 4
    value, grad = d.value_and_grad(x)
    assert N_CALLS == 5 and LAST == np.sum(np.sin(x) * 2.0)
    assert value == LAST * 5
    np.testing.assert_allclose(grad, 2.0 * np.cos(x) * 5, rtol=1e-15)
    d.grad(x)
    assert N_CALLS == 6  # (compiled once: the count is read when the code runs, not when compiling)
    check_grads(loop_counted, (x, 4), wrt=["x"])  # (a value the count does not change)


def test_forward_mode_and_checkpointing_write_it_once_per_call():
    global N_CALLS
    x = np.array([0.3, 0.8, -0.2])
    N_CALLS = 0
    y, dy = s2sgrad.jvp(counted, (x,), (np.ones(3),))
    assert N_CALLS == 1 and dy == pytest.approx(np.sum(2.0 * np.cos(x)), rel=1e-14)
    N_CALLS = 0
    loop_counted_ck = differentiate(loop_counted, checkpoint=2)
    value, grad = loop_counted_ck.value_and_grad(x, 6)
    assert N_CALLS == 6
    N_CALLS = 0
    assert (value, grad.tolist()) == (lambda v: (v[0], v[1].tolist()))(differentiate(loop_counted).value_and_grad(x, 6))


def makes_a_global(x):
    global NEW_ONE
    NEW_ONE = np.sum(x ** 2)
    return NEW_ONE * 3.0


def test_a_global_the_module_lacks_is_made():
    value, grad = differentiate(makes_a_global).value_and_grad(np.array([1.0, 2.0]))
    assert value == 15.0 and NEW_ONE == 5.0  # noqa: F821 (made by the call)
    np.testing.assert_array_equal(grad, [6.0, 12.0])


def loop_counted(x, n):
    global N_CALLS
    for i in range(n):
        N_CALLS = N_CALLS + 1
        x = np.tanh(x * 1.1)
    return np.sum(x)


def helper_counts(x):
    global N_CALLS
    N_CALLS += 1
    return x * 2.0


def calls_a_counting_helper(x):
    return np.sum(helper_counts(x))


def counts_by_loop(x):
    global N_CALLS
    for N_CALLS in range(3):
        x = x * 2.0
    return np.sum(x)


def test_globals_written_where_s2sgrad_does_not_write_them_through_are_refused():
    with pytest.raises(S2SGradError, match=r"global N_CALLS, then an assignment to it, in a helper") as e:
        differentiate(calls_a_counting_helper).grad(np.ones(2))
    assert "global N_CALLS" in str(e.value)
    with pytest.raises(S2SGradError, match=r"a loop binding the global N_CALLS") as e:
        differentiate(counts_by_loop).grad(np.ones(2))
    assert "for N_CALLS in range(3):" in str(e.value)


# ---------------------------------------------------------------- found by a review of this stop
COUNT = 0
ARR = np.zeros(3)
CALLS = 0


def _times_count(v):
    return v * COUNT


def helper_reads_the_global(x):
    global COUNT
    COUNT = COUNT + 4
    return np.sum(_times_count(x))


def test_a_helper_reading_a_global_the_function_assigns_is_refused():
    # (it read the value compiled in: 0.0 where Python gives 2.8)
    with pytest.raises(S2SGradError, match="the global COUNT is assigned in this function and read by a helper"):
        differentiate(helper_reads_the_global).grad(np.ones(2))


def global_array_loop(x):
    global ARR
    ARR = x * 1.0
    for i in range(2):
        ARR[i] = ARR[i] * 3.0
    return np.sum(ARR * x)


def test_a_global_array_keeps_the_forward_sweeps_values():
    # (the reverse sweep gives its own array its earlier elements back in place: the module has a copy)
    x = np.array([0.3, -0.7, 1.1])
    grad = differentiate(global_array_loop).grad(x)
    np.testing.assert_array_equal(ARR, x * 1.0 * np.array([3.0, 3.0, 1.0]))
    np.testing.assert_allclose(grad, [6 * 0.3, 6 * -0.7, 2 * 1.1], rtol=1e-14)  # (3 x0^2 + 3 x1^2 + x2^2)


def counted_squares(x):
    global CALLS
    CALLS += 1
    return np.sum(x ** 2) * CALLS


def test_a_pullback_reads_the_globals_the_value_read_and_writes_none():
    global CALLS
    x = np.array([0.3, -0.7, 1.1])
    CALLS = 0
    value, pullback = differentiate(counted_squares).vjp(x)
    assert CALLS == 1 and value == pytest.approx(np.sum(x ** 2))
    np.testing.assert_allclose(pullback(1.0), 2 * x, rtol=1e-15)
    np.testing.assert_allclose(pullback(1.0), 2 * x, rtol=1e-15)
    assert CALLS == 1


class Scaled:
    def f(self, v):
        return v * COUNT


SCALED = Scaled()


def method_reads_the_global(x):
    global COUNT
    COUNT = COUNT + 3
    return np.sum(SCALED.f(x))


def counted_pair(x):
    global CALLS
    CALLS += 1
    return np.sum(x * x) * CALLS, x * CALLS


def test_a_method_reading_a_global_the_function_assigns_is_refused_at_the_global():
    # (a second review: a method inlined per signature read the compiled-in value)
    with pytest.raises(S2SGradError, match="read by a helper \\(or a method\\)") as e:
        differentiate(method_reads_the_global).grad(np.ones(2))
    assert "global COUNT" in str(e.value)


def test_a_tuple_output_counts_once_per_call():
    # (the plain run that learns the output's structure wrote the global too: the gradient was the
    # one at CALLS == 2, and CALLS ended at 2)
    global CALLS
    x = np.array([0.8, -0.2, 1.6])
    CALLS = 0
    value, grad = differentiate(counted_pair).value_and_grad(x, seed=(1.0, np.ones(3)))
    assert CALLS == 1
    np.testing.assert_allclose(grad, 2 * x + 1.0, rtol=1e-15)
    value, pullback = differentiate(counted_pair).vjp(x)
    assert CALLS == 2
    np.testing.assert_allclose(pullback((1.0, np.ones(3))), 2 * (2 * x) + 2.0, rtol=1e-15)
    assert CALLS == 2
