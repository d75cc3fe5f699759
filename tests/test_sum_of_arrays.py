"""Python's sum() of an array -- a parameter, an expression, `list(x)` kept as an array
(passes/list_arrays.py) -- is 0 + a[0] + a[1] + ...: each row's adjoint is the result's, and its
tangent is sum() of the tangent.  It was refused, with a message that sent `list(x)` users to
np.sum."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.errors import UnsupportedSyntaxError
from s2sgrad.testing import check_grads


def list_written_then_summed(x):
    L = list(x)
    L[0] = x[1] * 2.0
    return sum(L) * x[2]


def rows_summed(X):
    return np.sum(sum(X * 2.0) ** 2)


def vector_summed(x):
    return sum(x) ** 2


def with_start(x):
    return sum(x, 3.0) * x[0]


def a_number_summed(x):
    return sum(np.sum(x))


rng = np.random.default_rng(11)


@pytest.mark.parametrize("fn,shape", [(list_written_then_summed, (4,)), (rows_summed, (3, 2)), (vector_summed, (5,)),
                                      (with_start, (3,))], ids=lambda v: getattr(v, "__name__", str(v)))
def test_against_finite_differences_and_forward_mode(fn, shape):
    x = rng.standard_normal(shape)
    d = differentiate(fn)
    check_grads(d, (x,))
    t = rng.standard_normal(shape)
    _, dv = s2sgrad.jvp(fn, (x,), (t,))
    np.testing.assert_allclose(float(dv), float(np.sum(d.grad(x) * t)), rtol=1e-12)  # the dot-product test


def test_known_numbers():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    # L = [4, 2, 3, 4]: value 13 * 3; d/dx0 = 0 (overwritten), d/dx1 = 3 * (2 + 1), d/dx2 = 3 + 13, d/dx3 = 3
    v, g = differentiate(list_written_then_summed).value_and_grad(x)
    assert v == 39.0
    np.testing.assert_array_equal(g, [0.0, 9.0, 16.0, 3.0])
    X = np.arange(6.0).reshape(3, 2)  # sum(2X) = [12, 18]: d/dX = 2 * 2 * [12, 18] on every row
    np.testing.assert_array_equal(differentiate(rows_summed).grad(X), [[48.0, 72.0]] * 3)
    np.testing.assert_allclose(s2sgrad.hessian(vector_summed)(np.ones(3)), 2.0 * np.ones((3, 3)))


def test_the_generated_line_spreads_the_adjoint_over_the_rows():
    src = differentiate(rows_summed).compiled_for(np.ones((3, 2))).value_and_grad_source
    assert "list_sum_t1 = sum(t1)" in src and "np.broadcast_to(2 * list_sum_t1, np.shape(t1))" in src


def test_sum_of_a_number_is_refused_at_the_line():
    with pytest.raises(UnsupportedSyntaxError, match="neither an array nor a list built with append"):
        differentiate(a_number_summed).grad(np.ones(3))
