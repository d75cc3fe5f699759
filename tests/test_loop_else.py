"""`for ... else` and `while ... else` (a survey program, x06, searched satellites with one): the
else block runs after the loop exactly when none of the loop's own breaks ran -- each break sets a
flag first (frontend/control._flag_breaks); a break of a loop inside it leaves only that loop; a
while whose test needs statements (an inlined helper) ends through its own break, which sets no
flag.  Values against the plain function, gradients against central differences and forward mode
(s2sgrad.testing.check_grads), on inputs where the break runs and where it does not."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.testing import check_grads


def search(x, n, cap):
    y = x
    for i in range(n):
        y = np.sin(y) + 0.5 * y
        if np.max(np.abs(y)) > cap:
            y = y * 0.1
            break
    else:
        y = y * 2.0
    for j in range(2):
        for k in range(3):
            if k == 1:
                break
        else:
            y = y + 100.0  # (never: the inner loop always breaks)
        y = y * 1.5
    else:
        y = y ** 2
    return np.sum(y)


def settle(x, limit):
    y, k = x, 0
    while k < 4:
        y = np.tanh(y) * 2.0
        k += 1
        if np.sum(y) > limit:
            break
    else:
        y = y - 1.0
    return np.sum(y * y)


def energy(v):
    return np.sum(v * v)


def shrink(x):
    y = x
    while energy(y) > 0.5:  # (the test inlines a helper: a loop ended by its own break)
        y = y * 0.8
    else:
        y = y + 0.25 * y ** 3
    return np.sum(y)


X = np.array([0.3, -0.4, 0.9])


@pytest.mark.parametrize("cap", [0.2, 50.0])  # the break runs / never runs
def test_for_else(cap):
    assert differentiate(search, wrt="x").value_and_grad(X, 3, cap)[0] == search(X, 3, cap)
    check_grads(search, (X, 3, cap), wrt="x")


@pytest.mark.parametrize("limit", [0.5, 100.0])
def test_while_else(limit):
    check_grads(settle, (X, limit), wrt="x")


def test_while_else_with_a_test_that_needs_statements():
    check_grads(shrink, (2.0 * X,))
    check_grads(shrink, (0.1 * X,))


def test_the_else_runs_once_after_the_loop_and_never_after_a_break():
    got = differentiate(search, wrt="x").value_and_grad(X, 3, 50.0)[1]
    # no break: y = (sin-step)^3 of x, doubled, then the second loop; the gradient is the plain chain
    y, dy = X, np.ones(3)
    for _ in range(3):
        y, dy = np.sin(y) + 0.5 * y, (np.cos(y) + 0.5) * dy
    y, dy = 2.0 * 1.5 * 1.5 * y, 2.0 * 1.5 * 1.5 * dy
    np.testing.assert_allclose(got, 2 * y * dy, rtol=1e-12)
