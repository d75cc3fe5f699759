"""checkpoint=True / checkpoint=S (ad/checkpoint.py): the same gradient as without (to round-off;
here bit for bit, the reverse iterations run in the same order), at a fraction of the memory."""
import tracemalloc

import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


def oscillators(p, x0, steps):
    x = x0
    v = np.zeros_like(x0)
    for i in range(steps):
        a = -p[0] * x - p[1] * v + np.sin(x) * 0.1
        v = v + 0.01 * a
        x = x + 0.01 * v
    return np.sum(x ** 2)


def stencil_in_place(u0, c, steps):
    u = u0 * 1.0
    for t in range(2, steps, 3):           # a range with a start and a step
        new = u * (1 - 2 * c)
        new[1:] = new[1:] + c * u[:-1]     # in-place writes: snapshots must copy
        new[:-1] = new[:-1] + c * u[1:]
        u = new * 1.0
        if np.sum(u) > 0:                  # a branch inside: its flags are recomputed too
            u = u + 0.001 * t * u ** 2
        for k in range(2):                 # a nested loop: recomputed with its records
            u = np.tanh(u) * 1.01
    return np.sum(u ** 2)


def carried_in_place(u0, steps):
    u = u0 * 1.0
    for t in range(steps):
        left = u[:-1] * 1.0
        u[1:] = 0.5 * u[1:] + 0.5 * np.sin(left)   # the carried array itself written in place
    return np.sum(u ** 2)


def with_break(x, n):
    for i in range(n):
        x = np.sin(x) + 0.5
        if np.sum(x) > 100.0:
            break
    return np.sum(x)


CASES = [
    (oscillators, (np.array([1.3, 0.2]), np.linspace(-1, 1, 8), 37), "p"),
    (oscillators, (np.array([1.3, 0.2]), np.linspace(-1, 1, 8), 1), "p"),
    (oscillators, (np.array([1.3, 0.2]), np.linspace(-1, 1, 8), 0), "p"),
    (stencil_in_place, (np.linspace(0.1, 1.0, 6), 0.2, 23), "u0"),
    (with_break, (np.array([0.1, 0.2]), 9), "x"),
    (carried_in_place, (np.linspace(0.1, 1.0, 5), 11), "u0"),
]


@pytest.mark.parametrize("snapshots", [True, 1, 3, 1000])
@pytest.mark.parametrize("fn,args,wrt", CASES)
def test_same_gradient_as_without_checkpointing(fn, args, wrt, snapshots):
    plain = differentiate(fn, wrt=wrt).value_and_grad(*args)
    ck = differentiate(fn, wrt=wrt, checkpoint=snapshots)
    value, grad = ck.value_and_grad(*args)
    assert value == plain[0]
    np.testing.assert_allclose(grad, plain[1], rtol=1e-14, atol=1e-300)
    check_grads(ck, args)


def test_the_schedule_is_in_the_generated_code():
    f = differentiate(oscillators, wrt="p", checkpoint=True)
    f.grad(np.array([1.3, 0.2]), np.ones(4), 10)
    src = f.grad_source
    assert "a snapshot of (x, v) every ceil(sqrt(n)) steps" in src
    assert "x, v = snapshots_" in src and "for start_" in src


def test_twenty_thousand_steps_use_ten_times_less_memory():
    p, x0 = np.array([1.3, 0.2]), np.linspace(-1, 1, 64)
    plain, ck = differentiate(oscillators, wrt="p"), differentiate(oscillators, wrt="p", checkpoint=True)
    plain.grad(p, x0, 5)
    ck.grad(p, x0, 5)

    def peak(f):
        tracemalloc.start()
        try:
            g = f.grad(p, x0, 20000)
            return g, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    g0, m0 = peak(plain)
    g1, m1 = peak(ck)
    np.testing.assert_array_equal(g0, g1)
    assert m0 / m1 > 10, (m0, m1)


def appends(x, n):
    hs = []
    for i in range(n):
        x = np.sin(x) * 1.1
        hs.append(x * (i + 1))
    return np.sum(np.stack(hs) ** 2)


def reads_back(x, n):
    hs = []
    for i in range(n):
        x = np.sin(x) + (hs[-1] if hs else 0.0)
        hs.append(x)
    return np.sum(np.stack(hs))


def test_a_trajectory_appended_in_the_loop_is_made_once_and_recomputed_without_appends():
    # (the forward sweep makes the list whole; a recomputed segment skips its appends)
    x = np.array([0.3, -1.2])
    plain = differentiate(appends).value_and_grad(x, 17)
    for snapshots in (True, 3):
        ck = differentiate(appends, checkpoint=snapshots)
        value, g = ck.value_and_grad(x, 17)
        assert value == plain[0]
        np.testing.assert_allclose(g, plain[1], rtol=1e-13)
    check_grads(differentiate(appends, checkpoint=True), (x, 5))
    src = ck.compiled_for(x, 17).value_and_grad_source
    appends_made = [line for line in src.splitlines() if line.strip().startswith("hs.append(")]
    assert len(appends_made) == 1  # (the forward sweep's; none in the reverse sweep's recomputation)


def test_a_loop_reading_the_list_it_appends_to_is_refused():
    with pytest.raises(S2SGradError, match="appends to the list 'hs'"):
        differentiate(reads_back, checkpoint=True).grad(np.ones(2), 3)


def test_bad_checkpoint_values_are_refused():
    with pytest.raises(ValueError, match="checkpoint must be True or a number of snapshots"):
        differentiate(oscillators, checkpoint=0)


def test_a_value_the_loop_overwrites_and_the_code_before_it_reads_is_in_the_snapshot():
    """`t` is written before it is read in the body, and read by the adjoint of `y = t * x` before
    the loop: the snapshot must hold it (found in review: a wrong gradient for every S)."""
    def pre_used(x, n):
        t = np.sin(x)
        y = t * x
        for i in range(n):
            t = np.cos(y) * 0.5
            y = y + t
        return np.sum(y)
    x = np.array([0.37, -0.71, 1.13])
    plain = differentiate(pre_used).grad(x, 6)
    for snapshots in (True, 1, 2, 3, 100):
        np.testing.assert_allclose(differentiate(pre_used, checkpoint=snapshots).grad(x, 6), plain, rtol=1e-14)
