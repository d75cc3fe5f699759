"""det's derivative is the cofactor matrix (runtime_linalg.cofactor), exact at a singular matrix,
where det(A) inv(A)^T is 0 * inf: known numbers, finite differences (det is a polynomial, so they are
exact to rounding there too), forward mode, stacks, and the Hessian away from singular points."""
import numpy as np
import pytest

from s2sgrad import differentiate, hessian, jvp
from s2sgrad.runtime_linalg import cofactor
from s2sgrad.testing import check_grads


def det(A):
    return np.linalg.det(A)


def det_sq_plus(A):
    return np.linalg.det(A) ** 2 + np.linalg.det(A @ A.T + A)


def test_the_cofactor_matrix_at_singular_matrices():
    A = np.array([[1.0, 2.0], [2.0, 4.0]])             # rank 1 of 2: cofactors [[4, -2], [-2, 1]]
    np.testing.assert_allclose(differentiate(det).grad(A), [[4.0, -2.0], [-2.0, 1.0]], atol=1e-14)
    B = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])   # rank 2 of 3
    want = np.array([[-3.0, 6.0, -3.0], [6.0, -12.0, 6.0], [-3.0, 6.0, -3.0]])
    np.testing.assert_allclose(differentiate(det).grad(B), want, atol=1e-12)
    C = np.outer([1.0, -2.0, 0.5], [3.0, 1.0, 2.0])     # rank 1 of 3: every 2x2 minor is 0
    np.testing.assert_allclose(differentiate(det).grad(C), np.zeros((3, 3)), atol=1e-12)
    _, t = jvp(det, (B,), (np.eye(3),))
    assert t == pytest.approx(np.trace(want), abs=1e-12)


def test_singular_and_regular_points_against_finite_differences_and_forward_mode():
    rng = np.random.default_rng(0)
    for A in (np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]), rng.standard_normal((3, 3))):
        check_grads(det_sq_plus, (A,))
    stack = np.stack([np.array([[1.0, 2.0], [2.0, 4.0]]), rng.standard_normal((2, 2))])

    def stacked(S):
        return np.sum(np.linalg.det(S) * np.array([1.5, -0.5]))
    g = differentiate(stacked).grad(stack)
    np.testing.assert_allclose(g[0], 1.5 * np.array([[4.0, -2.0], [-2.0, 1.0]]), atol=1e-14)
    np.testing.assert_allclose(g[1], -0.5 * np.linalg.det(stack[1]) * np.linalg.inv(stack[1]).T, rtol=1e-13)
    check_grads(stacked, (stack,))


def test_the_helper_against_minors_and_the_hessian_of_det():
    rng = np.random.default_rng(1)
    A = rng.standard_normal((4, 4))
    minors = np.array([[(-1) ** (i + j) * np.linalg.det(np.delete(np.delete(A, i, 0), j, 1)) for j in range(4)]
                       for i in range(4)])
    np.testing.assert_allclose(cofactor(A), minors, rtol=1e-12)
    A[3] = A[0] + A[1]                                   # singular: the SVD path
    minors = np.array([[(-1) ** (i + j) * np.linalg.det(np.delete(np.delete(A, i, 0), j, 1)) for j in range(4)]
                       for i in range(4)])
    np.testing.assert_allclose(cofactor(A), minors, atol=1e-12)
    M = rng.standard_normal((3, 3))
    H = hessian(det)(M)                                  # d2 det / dA_ij dA_kl, from cofactor's own row
    g = differentiate(det).grad
    eps = 1e-6
    fd = np.array([(g(M + eps * E) - g(M - eps * E)) / (2 * eps) for E in np.eye(9).reshape(9, 3, 3)]).reshape(3, 3, 3, 3)
    np.testing.assert_allclose(H, fd, atol=1e-8)


def test_the_hessian_of_det_at_singular_and_nearly_singular_matrices():
    """det is a polynomial: its second derivative d2 det / dA_ij dA_kl is the signed determinant of A
    without rows i, k and columns j, l -- exact, from the SVD, where inv(A) is 0 * inf or inaccurate."""
    def exact(A):
        n = len(A)
        H = np.zeros((n, n, n, n))
        for i in range(n):
            for j in range(n):
                for k in range(n):
                    for m in range(n):
                        if i != k and j != m:
                            rows = [r for r in range(n) if r not in (i, k)]
                            cols = [c for c in range(n) if c not in (j, m)]
                            sign = (-1) ** (i + j + k + m) * (1 if (i < k) == (j < m) else -1)
                            H[i, j, k, m] = sign * np.linalg.det(A[np.ix_(rows, cols)]) if rows else sign
        return H
    rng = np.random.default_rng(7)
    B = rng.standard_normal((4, 3))
    for A in (B @ rng.standard_normal((3, 4)),          # rank 3 of 4: inv does not raise, but is wrong
              np.outer([1.0, 2.0, 0.5], [3.0, -1.0, 2.0]),  # rank 1
              np.zeros((3, 3)), rng.standard_normal((3, 3))):
        H = hessian(det)(A)
        np.testing.assert_allclose(H, exact(A), atol=1e-10 * max(1.0, np.max(np.abs(exact(A)))))
