"""A loop over a list that grows after it or in a loop around it (passes/list_trips.py): Runge-Kutta
stages read by zip(row, ks) while ks is built; checked against finite differences, forward mode,
a hand-written derivative and the Hessian; a loop appending to the list it iterates stays refused."""
import numpy as np
import pytest

from s2sgrad import differentiate, hessian
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

A = [[], [0.5], [0.0, 0.5], [0.0, 0.0, 1.0]]   # classic RK4's tableau (ragged: a list of lists)
B = [1 / 6, 1 / 3, 1 / 3, 1 / 6]


def rk4_zip(y, h=0.1):
    ks = []
    for row in A:
        yi = y + h * sum(a * k for a, k in zip(row, ks))
        ks.append(-yi ** 3)
    return np.sum(y + h * sum(b * k for b, k in zip(B, ks)))


def rk4_loop(y, h=0.1):
    ks = []
    for row in A:
        acc = y
        for a, k in zip(row, ks):
            acc = acc + h * a * k
        ks.append(-acc ** 3)
    return np.sum(y + h * sum(b * k for b, k in zip(B, ks)))


def rk4_by_hand(y, h=0.1):
    """The same step written out, and its derivative by the chain rule."""
    f, df = (lambda v: -v ** 3), (lambda v: -3 * v ** 2)
    k1 = f(y)
    y2 = y + h * 0.5 * k1
    k2 = f(y2)
    y3 = y + h * 0.5 * k2
    k3 = f(y3)
    y4 = y + h * k3
    dk1 = df(y)
    dk2 = df(y2) * (1 + h * 0.5 * dk1)
    dk3 = df(y3) * (1 + h * 0.5 * dk2)
    dk4 = df(y4) * (1 + h * dk3)
    return 1 + h * (dk1 + 2 * dk2 + 2 * dk3 + dk4) / 6


@pytest.mark.parametrize("fn", [rk4_zip, rk4_loop])
def test_runge_kutta_stages_read_while_the_list_is_built(fn):
    y = np.array([0.5, 1.0, -0.7])
    np.testing.assert_allclose(differentiate(fn).grad(y), rk4_by_hand(y), rtol=1e-14)
    check_grads(fn, (y,))
    H = hessian(fn)(y)
    eps = 1e-5
    fd = np.array([(differentiate(fn).grad(y + eps * e) - differentiate(fn).grad(y - eps * e)) / (2 * eps)
                   for e in np.eye(3)])
    np.testing.assert_allclose(H, fd, rtol=1e-7, atol=1e-9)


def loops_over_what_it_appends(y):
    hs = [y]
    for h in hs:
        if len(hs) < 4:
            hs.append(np.sin(h))
    return np.sum(hs[-1])


def test_a_loop_appending_to_the_list_it_iterates_is_still_refused():
    with pytest.raises(S2SGradError, match="a loop over the list 'hs' that is appended to"):
        differentiate(loops_over_what_it_appends).grad(np.array([0.3, 0.4]))
