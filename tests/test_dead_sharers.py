"""An update in place (`y += ...`) of an array that other variables share, where none of them is
read after the update (frontend/aliasing._Sharing._unobserved): accepted, because binding y to a
new array then computes what numpy's in-place change does.  The sharers are followed through
every chain the function makes: aliases, views, tuples unpacked, containers holding the array,
containers joined or copied from those (`c = hs + [z]`, `e = list(hs)`) and containers moved to
another name; where any of them is read after the update, or a chain reaches the caller's array,
the update stays refused.  Liveness follows break (to after the loop) and continue (to the next
pass).

Accepted programs are checked against Python and central differences in float64 along a random
direction; refused ones by their message."""
import numpy as np
import pytest

from s2sgrad import UnsupportedSyntaxError, differentiate

X = np.array([0.4, -1.1, 0.8, 1.7, -0.3, 0.9])


def rows_of_a_helper(x):
    # n27's pattern: a helper unpacks rows of the state (views), the caller then updates it in place
    def rhs(y):
        S, I = y
        return np.stack([-S * I, S * I - 0.3 * I])
    y = np.reshape(x, (2, 3)) * 1.0
    for _ in range(3):
        y += 0.1 * rhs(y)
    return np.sum(y ** 2)


def list_not_read_again(x):
    # y12's pattern: a list holding h is built, read, and never read after h changes
    h = x * 1.0
    for _ in range(3):
        trial = [h, x]
        g = trial[0] * trial[1]
        h -= 0.1 * g
    return np.sum(h ** 2)


def alias_dead_after(x):
    y = x * 2.0
    a = y
    s = np.sum(a * x)
    y += 1.0
    return s + np.sum(y * x)


def break_leaves_it_dead(x):
    y = x * 1.0
    total = 0.0
    for i in range(4):
        v = y[:2]
        total = total + np.sum(v * v)
        y *= 1.1
        if i == 2:
            break
    return total + np.sum(y)


ACCEPTED = [rows_of_a_helper, list_not_read_again, alias_dead_after, break_leaves_it_dead]


@pytest.mark.parametrize("fn", ACCEPTED, ids=lambda f: f.__name__)
def test_accepted_and_exact(fn):
    d = differentiate(fn)
    value, grad = d.value_and_grad(X.copy())
    assert value == pytest.approx(fn(X.copy()), rel=1e-12)
    rng = np.random.default_rng(3)
    for _ in range(3):
        v = rng.standard_normal(X.shape)
        eps = 1e-6
        fd = (fn(X + eps * v) - fn(X - eps * v)) / (2 * eps)
        assert np.dot(grad, v) == pytest.approx(fd, rel=1e-6, abs=1e-9)


def alias_read_after(x):
    y = x * 2.0
    a = y
    y += 1.0
    return np.sum(a * x)  # numpy: a sees the +1


def copied_list_read_after(x):
    h = x * 1.0
    trial = [h]
    e = list(trial)
    h += 1.0
    return np.sum(e[0] * x)  # e[0] is h's array


def moved_list_read_after(x):
    h = x * 1.0
    trial = [h]
    big = trial
    h += 1.0
    return np.sum(big[0] * x)


def joined_list_read_after(x):
    h = x * 1.0
    hs = [h]
    c = hs + [x]
    h += 1.0
    return np.sum(c[0] * x)


def unpacked_read_after(x):
    h = x * 1.0
    z = x * 2.0
    pair = (h, z)
    a, b = pair
    h += 1.0
    return np.sum(a * b)


def view_read_after_break(x):
    y = x * 1.0
    v = y[:2]
    for i in range(4):
        v = y[:2]
        y *= 1.1
        if i == 2:
            break
    return np.sum(v * x[:2])  # the view taken in the pass that broke: numpy shows the *= 1.1


def view_read_at_continue(x):
    y = x * 1.0
    total = 0.0
    v = y[:2]
    for i in range(4):
        y *= 1.1
        if i < 2:
            total = total + np.sum(v)
            continue
        v = y[:2]
    return total


REFUSED = [alias_read_after, copied_list_read_after, moved_list_read_after, joined_list_read_after,
           unpacked_read_after, view_read_after_break, view_read_at_continue]


@pytest.mark.parametrize("fn", REFUSED, ids=lambda f: f.__name__)
def test_a_sharer_read_after_is_refused(fn):
    with pytest.raises(UnsupportedSyntaxError, match="updates the array"):
        differentiate(fn).value_and_grad(X.copy())


def test_the_callers_array_stays_refused():
    def f(x):
        y = x
        y += 1.0  # would change the caller's array
        return np.sum(y)
    with pytest.raises(UnsupportedSyntaxError, match="updates the array"):
        differentiate(f).value_and_grad(X.copy())
