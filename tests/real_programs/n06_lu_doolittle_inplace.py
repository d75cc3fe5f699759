"""LU factorisation by hand (Doolittle, no pivoting) overwriting a copy of A in place with
row operations on slices, then forward/back substitution into preallocated vectors; the
log-determinant and a solve are differentiated wrt the matrix entries."""
import numpy as np


def lu_inplace(A):
    n = A.shape[0]
    LU = A.copy()
    for k in range(n - 1):
        LU[k + 1:, k] /= LU[k, k]
        LU[k + 1:, k + 1:] -= np.outer(LU[k + 1:, k], LU[k, k + 1:])
    return LU


def lu_solve(LU, b):
    n = len(b)
    y = np.zeros(n)
    for i in range(n):
        y[i] = b[i] - LU[i, :i] @ y[:i]
    x = np.zeros(n)
    for i in range(n - 1, -1, -1):
        x[i] = (y[i] - LU[i, i + 1:] @ x[i + 1:]) / LU[i, i]
    return x


def objective(A, b):
    LU = lu_inplace(A)
    logdet = np.sum(np.log(np.abs(np.diag(LU))))
    x = lu_solve(LU, b)
    return logdet + 0.5 * x @ x


rng = np.random.default_rng(6)
n = 5
A = rng.standard_normal((n, n)) + n * np.eye(n)
f = objective
ARGS = (A, rng.standard_normal(n))
