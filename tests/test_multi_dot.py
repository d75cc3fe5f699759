"""np.linalg.multi_dot of a list or tuple written in the call: the chain of @ it computes (numpy
picks the order of the products, which changes the value by rounding only), with a vector first or
last as numpy reads it (a row, a column); checked against central differences and forward mode."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import S2SGradError, differentiate
from s2sgrad.testing import check_grads

RNG = np.random.default_rng(5)
A, B = RNG.standard_normal((3, 4)), RNG.standard_normal((4, 3))
V = RNG.standard_normal(3)


def chain(a, b, v):
    return np.sum(np.linalg.multi_dot([v, a, b, a, b]) ** 2)


def quadratic(a, b, v):
    return np.linalg.multi_dot((v, a, b, v))  # (a number: vector first and last)


@pytest.mark.parametrize("fn", [chain, quadratic])
def test_multi_dot_is_the_chain(fn):
    check_grads(fn, (A, B, V), wrt=("a", "b", "v"))
    value = differentiate(fn, wrt="a").value_and_grad(A, B, V)[0]
    assert value == pytest.approx(fn(A, B, V), rel=1e-12)
    g = differentiate(fn, wrt="a").grad(A, B, V)
    t = RNG.standard_normal(A.shape)
    assert s2sgrad.jvp(fn, (A, B, V), (t, None, None))[1] == pytest.approx(np.sum(g * t), rel=1e-10)


def named_list(a, b, v):
    ms = [a, b]
    return np.sum(np.linalg.multi_dot(ms))


def test_a_list_bound_to_a_name_is_refused_with_the_rewrite():
    with pytest.raises(S2SGradError, match=r"write multi_dot\(\[A, B, C\]\)"):
        differentiate(named_list, wrt="a").grad(A, B, V)


def two_stacked(m, s):
    return np.sum(np.linalg.multi_dot([m, s])[0] ** 2)  # (two arrays: np.dot, not @, for 3-D ones)


def test_two_arrays_are_np_dot():
    m, s = RNG.standard_normal((3, 3)), RNG.standard_normal((2, 3, 3))
    check_grads(two_stacked, (m, s), wrt=("m", "s"))
    assert differentiate(two_stacked, wrt="m").value_and_grad(m, s)[0] == pytest.approx(two_stacked(m, s))


def middle_vector(a, b, v):
    return np.sum(np.linalg.multi_dot([a, v, v]))


def test_ranks_numpy_refuses_raise_its_error():
    with pytest.raises(np.linalg.LinAlgError):
        middle_vector(B, A, V)
    with pytest.raises(np.linalg.LinAlgError, match="1-dimensional array given"):
        differentiate(middle_vector, wrt="a").grad(B, A, V)
