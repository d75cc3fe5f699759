"""Writes through integer-array indices (`L[np.arange(1, n), np.arange(n - 1)] = surv`): numpy keeps
one of two writes to a position, which the reverse sweep cannot tell apart, so the reverse sweep
checks when it runs that the index names each position once (runtime.check_distinct) and raises
ArgumentError naming the line where it does not.  Before, every such write of a differentiated value
was refused when compiling."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import ArgumentError
from s2sgrad.testing import check_grads


def leslie(fec, surv):
    n = len(fec)
    L = np.zeros((n, n))
    L[0, :] = fec
    L[np.arange(1, n), np.arange(n - 1)] = surv
    v = np.ones(n)
    for t in range(3):
        v = L @ v
    return np.sum(v)


def scattered(x, idx):
    y = np.zeros(4)
    y[idx] = x
    return np.sum(y * np.arange(1.0, 5.0))


def test_distinct_positions_against_finite_differences():
    check_grads(differentiate(leslie, wrt=("fec", "surv")), (np.array([0.2, 1.1, 0.9]), np.array([0.6, 0.8])))
    check_grads(differentiate(scattered), (np.array([1.0, 2.0, 3.0]), np.array([0, 2, -1])))
    assert np.allclose(differentiate(scattered).grad(np.array([1.0, 2.0, 3.0]), np.array([3, 0, 1])), [4.0, 1.0, 2.0])


@pytest.mark.parametrize("idx", [[0, 2, 0], [0, 3, -1]])
def test_a_position_named_twice_is_an_error_naming_the_line(idx):
    with pytest.raises(ArgumentError, match="test_index_writes.py:27: this write's integer-array index names a "
                                            "position twice"):
        differentiate(scattered).grad(np.array([1.0, 2.0, 3.0]), np.array(idx))


def masked_write_of_a_number(x, s):
    a = x.copy()
    a[x > 0] = s / (1.5 + np.square(s)) + s
    return np.sum(x / (1.5 + np.square(a)))


def test_a_number_written_through_a_mask_has_its_own_adjoint():
    # fuzzgen seed 136: the number's adjoint was np.copy(unbroadcast(...)), a 0-d array, which the
    # adjoint of s first aliased and then updated with `+=` in place, changing it behind the next
    # term that read it: d/ds 0.5334 where central differences give 0.5419.  A number is not copied.
    x, s = np.array([0.61, 0.62, 0.03, -0.43]), -0.35
    value, (gx, gs) = differentiate(masked_write_of_a_number, wrt=("x", "s")).value_and_grad(x, s)
    eps = 1e-6
    fd = (masked_write_of_a_number(x, s + eps) - masked_write_of_a_number(x, s - eps)) / (2 * eps)
    assert gs == pytest.approx(fd, rel=1e-7)
    check_grads(masked_write_of_a_number, (x, s), wrt=("x", "s"))


def masked_after_an_early_return(q, x):
    a2 = np.tanh(q * x)
    if np.sum(x) > 100.0:
        return 0.0
    h = a2 * 2.0
    return np.sum(np.log(np.where(h > 0, h, 1.0)))


def test_a_where_mask_bound_in_a_branch_keeps_its_value_in_the_reverse_sweep():
    # fuzz_struct --replay 3600283 18: the mask `h > 0`, bound once inside the branch, was restored
    # to the None the records gave it before the branch, and then read by the adjoint still carrying
    # the mask: np.where(None, ...) made the gradient 0 where central differences give 1.70
    q, x = np.array([0.5, -0.3, 0.8]), np.array([1.0, 2.0, -0.5])
    check_grads(masked_after_an_early_return, (q, x), wrt="q")
