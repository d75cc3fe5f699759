"""Named tuples holding arrays: as arguments read by field (`p.w`; refused before: "attribute '.w'
of something that is not an object argument"), made in the function (`P(x * 2, b=x)`; refused
before: "'P' takes no arguments"), `p._replace(b=...)`, unpacked and indexed, and carried through a
loop that runs at run time.  A named-tuple argument's gradient is the same named tuple."""
from collections import namedtuple
from typing import NamedTuple

import numpy as np
import pytest

from s2sgrad import differentiate, jvp
from s2sgrad.testing import check_grads

P = namedtuple("P", "w b")


class State(NamedTuple):
    w: np.ndarray
    scale: float = 1.0


X = np.array([0.5, -1.0])


def by_field(p, x):
    return np.sum(p.w * x + p.b ** 2)


def scaled(s, x):
    return np.sum(s.w ** 2 * x) * s.scale


def made(x):
    p = P(x * 2, b=x)
    w, b = p
    q = p._replace(b=np.sin(p.b))
    return np.sum(p.w * q.b) + np.sum(w * b) + np.sum(p[1])


def relaxed(x, n):
    s = State(x)
    for _ in range(n):
        s = s._replace(w=np.tanh(s.w * 1.5))
    return np.sum(s.w) * s.scale


def test_an_argument_gradient_is_the_same_named_tuple():
    g = differentiate(by_field).grad(P(X * 2, X + 1), X)
    assert type(g) is P
    np.testing.assert_allclose(g.w, X)
    np.testing.assert_allclose(g.b, 2 * (X + 1))
    g = differentiate(scaled).grad(State(X * 2, 1.5), X)
    assert type(g) is State and g.scale == pytest.approx(np.sum((X * 2) ** 2 * X))


@pytest.mark.parametrize("f, args", [(by_field, (P(X * 2, X + 1), X)), (scaled, (State(X * 2, 1.5), X)),
                                     (made, (X,)), (relaxed, (X, 3))])
def test_gradients(f, args):
    check_grads(f, args)


def test_forward_mode_takes_named_tuple_tangents():
    t = P(np.array([0.2, 0.1]), np.array([-0.3, 0.4]))
    _, dot = jvp(by_field, (P(X * 2, X + 1), X), (t, np.zeros(2)))
    g = differentiate(by_field).grad(P(X * 2, X + 1), X)
    assert dot == pytest.approx(float(np.sum(g.w * t.w) + np.sum(g.b * t.b)))
