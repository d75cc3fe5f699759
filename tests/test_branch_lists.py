"""Lists built at run time inside a branch (ad/lists.branch_lists): the rest of a function after a
guard clause's `return`, a list comprehension in one side of an `if` -- checked on every path
against central differences, in reverse and forward mode and for the Hessian."""
import numpy as np
import pytest

from s2sgrad import UnsupportedSyntaxError, differentiate, hessian, jvp
from finite_differences import central

X = np.array([0.3, -0.2, 0.5])


def guarded(d):
    if d[0] < -1.0:  # a guard clause: the rest of the function is its else branch
        return 0.0
    u = [3.0 * v for v in d]
    return u[0] ** 2 + u[1] ** 2


def test_a_comprehension_after_a_guard_clause():
    value, grad = differentiate(guarded).value_and_grad([0.5, 0.25])
    assert value == pytest.approx(2.8125) and grad == pytest.approx([9.0, 4.5])
    np.testing.assert_array_equal(differentiate(guarded).grad([-2.0, 0.25]), [0.0, 0.0])


def paths(x, c):
    if c > 5:
        return np.sum(x)
    hs = []
    h = x
    for i in range(3):
        h = np.tanh(h * 1.5 + i)
        hs.append(h)
    z = np.stack(hs)
    if c > 1:
        parts = [h * k for k in range(2)]  # (a list of this branch alone)
        return np.sum(z ** 2) + np.sum(parts[1] * hs[-1])
    else:
        ys = []
        ys.append(x * 2)
        ys.append(np.sin(ys[0]))
        return np.sum(ys[1]) + np.sum(z)


@pytest.mark.parametrize("c", [0.0, 2.0, 6.0])
def test_lists_of_one_branch_on_every_path(c):
    value, grad = differentiate(paths).value_and_grad(X, c)
    assert value == pytest.approx(paths(X, c), rel=1e-12)
    np.testing.assert_allclose(grad, central(lambda x: paths(x, c), X), rtol=1e-6, atol=1e-8)
    t = np.array([0.2, 0.1, -0.4])
    _, dy = jvp(lambda x: paths(x, c), (X,), (t,))
    assert dy == pytest.approx(float(grad @ t), rel=1e-10, abs=1e-12)  # forward against reverse
    g = lambda x: differentiate(paths).grad(x, c)
    fd = np.array([(g(X + 1e-5 * e) - g(X - 1e-5 * e)) / 2e-5 for e in np.eye(3)])
    np.testing.assert_allclose(hessian(lambda x: paths(x, c))(X), fd, atol=1e-6)


def read_after_the_branch(x, c):
    if c > 0:
        hs = []
        hs.append(x * 2)
    return np.sum(hs[0])  # (read outside the branch that made it: not a list of one branch)


def test_a_list_read_outside_its_branch_is_still_refused():
    with pytest.raises(UnsupportedSyntaxError, match="the list 'hs' is created"):
        differentiate(read_after_the_branch).grad(X, 1.0)
