"""Writes and reads through np.tril_indices / triu_indices / diag_indices (and their _from forms):
the usual way to fill a Cholesky factor from a parameter vector (the seventh survey's v17), refused
before as an integer-array write that might repeat a position.  The tuple's arrays are the index's
parts (frontend/expressions.open_mesh), or a name holding such a tuple known when compiling
(ad/analysis.integer_array_parts), so the write is checked for repeats when it runs, as any
integer-array write is.  Gradients against finite differences, forward against reverse."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

RNG = np.random.default_rng(9)


def cholesky_from_vector(v, d):
    L = np.zeros((3, 3))
    L[np.tril_indices(3, -1)] = v
    L[np.diag_indices(3)] = np.exp(d)
    return np.sum((L @ L.T) ** 2)


def named_and_from(v, d):
    L = np.zeros((3, 3))
    idx = np.tril_indices(3, -1)
    L[idx] = v
    L[np.diag_indices_from(L)] = np.exp(d)
    return np.sum((L @ L.T) ** 2) + np.sum(L[np.triu_indices(3)] ** 3)


def read_upper(A):
    return np.sum(np.sin(A[np.triu_indices_from(A, 1)]))


@pytest.mark.parametrize("fn", [cholesky_from_vector, named_and_from])
def test_filled_factor(fn):
    check_grads(fn, (RNG.standard_normal(3), RNG.standard_normal(3)), wrt=(0, 1))


def test_read_through_indices():
    check_grads(read_upper, (RNG.standard_normal((4, 4)),), wrt=0)


def repeated(v):
    L = np.zeros((3, 3))
    idx = (np.array([1, 1]), np.array([0, 0]))
    L[idx[0], idx[1]] = v
    return np.sum(L)


def test_a_repeated_position_is_still_refused():
    with pytest.raises(S2SGradError, match="names a position twice|repeat"):
        differentiate(repeated).grad(RNG.standard_normal(2))
