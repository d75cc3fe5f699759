"""np.linalg.svd(A) with numpy's default full_matrices=True: for a square matrix the full SVD is the
thin one, which has a derivative (checked when it runs: rules/args._decomposition,
runtime_linalg.square_matrix); any other shape is an ArgumentError saying to pass
full_matrices=False.  Before, every call without full_matrices=False was refused."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import ArgumentError
from s2sgrad.testing import check_grads


def procrustes_like(A):
    U, s, Vt = np.linalg.svd(A)
    return np.sum(s ** 2) + np.sum(U[:, 0] ** 3 * Vt[0])


def test_square_matrices():
    A = np.random.default_rng(0).standard_normal((3, 3))
    check_grads(differentiate(procrustes_like), (A,))
    assert np.allclose(differentiate(lambda_free_frobenius).grad(A), 2 * A, rtol=1e-10)


def lambda_free_frobenius(A):
    return np.sum(np.linalg.svd(A)[1] ** 2)  # sum of squared singular values = |A|_F^2


def test_other_shapes_say_what_to_write():
    with pytest.raises(ArgumentError, match="np.linalg.svd of a 3x2 matrix without full_matrices=False"):
        differentiate(procrustes_like).grad(np.ones((3, 2)) + np.eye(3, 2))
