"""Checkpointed loops whose body binds a name before reading it only inside an inner loop or a
branch (found by the higher-order fuzzer: the snapshot called `.copy()` on a value not bound yet,
an AttributeError on None), and one whose name is first bound in a later iteration than it is
updated in place.  Each gradient equals the unchecked one to round-off and finite differences."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.testing import check_grads


def copy_in_an_inner_loop(x, W, s):
    for r in W:
        for i in range(2):
            a = x.copy()
            a[0] = s * np.sum(r)
        x = x + 0.1 * a
    return np.sum(W) + np.sum(x ** 2)


def copy_in_a_branch(x, W, s):
    for r in W:
        if np.sum(r) > 0.0:
            a = x.copy()
            a[0] = s
            x = np.tanh(a + r)
    return np.sum(W * s) + np.sum(x)


def read_after_the_loop(x, s):
    for i in range(3):
        if i > 0:
            a = x.copy()
            a[0] = a[0] * s
    return np.sum(a)


def bound_in_the_first_pass(x, s):
    for i in range(4):
        if i == 0:
            a = x.copy()
        else:
            a *= s
        x = x * 1.1
    return np.sum(a * x)


def updated_in_place_after_a_first_pass_binding(x, s):
    for i in range(4):
        if i == 0:
            a = x.copy()
        a[0] = a[0] * s + x[1]  # the snapshot copies a, which is not bound when the loop starts
        x = x * 1.1
    return np.sum(a * x)


CASES = [(copy_in_an_inner_loop, ("x", "W", "s")), (copy_in_a_branch, ("x", "W", "s")),
         (read_after_the_loop, ("x", "s")), (bound_in_the_first_pass, ("x", "s")),
         (updated_in_place_after_a_first_pass_binding, ("x", "s"))]


@pytest.mark.parametrize("fn, wrt", CASES, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("checkpoint", [True, 1, 2, 3])
def test_checkpointed_loops_binding_in_branches(fn, wrt, checkpoint):
    x = np.array([0.1, -0.2, 0.3, 0.4])
    W = np.array([[0.5, 0.2, -0.1, 0.3], [-0.4, 0.1, 0.2, 0.6], [0.3, 0.3, -0.2, 0.1]])
    args = (x, W, 0.7) if len(wrt) == 3 else (x, 0.7)
    v0, g0 = differentiate(fn, wrt=wrt).value_and_grad(*args)
    d = differentiate(fn, wrt=wrt, checkpoint=checkpoint)
    v, g = d.value_and_grad(*args)
    np.testing.assert_allclose(v, v0, rtol=1e-14)
    for a, b in zip(g, g0):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    check_grads(d, args)
    assert "checkpointed (line" in d.grad_source
