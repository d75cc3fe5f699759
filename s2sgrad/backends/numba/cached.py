"""Functions compiled once per argument types and kept in numba's disk cache, which the generated
code calls directly (direct.py decides where): allocations and the vector products.

numba compiles its own implementation of `np.empty`, `np.zeros_like`, `@`... (and the small
overload functions of helpers.py) inside each process that first uses them, 0.02-0.3 s each: for
the RNN's gradient they were half of a first call's compile time.  A call of one of these instead
loads machine code from the disk cache (milliseconds) in every process after the first on a
machine.  Each does what the numpy call it replaces does.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def new_empty(shape, dtype):
    return np.empty(shape, dtype)


@njit(cache=True)
def new_zeros(shape, dtype):
    return np.zeros(shape, dtype)


@njit(cache=True)
def new_empty_like(x):
    return np.empty_like(x)


@njit(cache=True)
def new_zeros_like(x):
    return np.zeros_like(x)


@njit(cache=True, fastmath={"reassoc", "contract"})
def mat_vec(a, v):
    """a @ v for a matrix and a vector of one float dtype (each row's dot product reassociated, so
    LLVM vectorises it, as BLAS does)."""
    if a.shape[1] != v.shape[0]:
        raise ValueError("matmul: the inner dimensions differ")
    out = np.empty(a.shape[0], a.dtype)
    for i in range(a.shape[0]):
        out[i] = 0
        s = out[i]  # the accumulator in the arrays' type (float32 stays float32, as in sgemv)
        for k in range(a.shape[1]):
            s += a[i, k] * v[k]
        out[i] = s
    return out


@njit(cache=True, fastmath={"contract"})
def vec_mat(v, a):
    """v @ a for a vector and a matrix of one float dtype (along a's rows: independent in j)."""
    if v.shape[0] != a.shape[0]:
        raise ValueError("matmul: the inner dimensions differ")
    out = np.zeros(a.shape[1], a.dtype)
    for k in range(a.shape[0]):
        vk = v[k]
        for j in range(a.shape[1]):
            out[j] += vk * a[k, j]
    return out


@njit(cache=True)
def mat_mat(a, b):
    """a @ b for two matrices of one float dtype (numba's BLAS call)."""
    return a @ b


@njit(cache=True)
def outer_of(x, y):
    """np.outer of two vectors of one dtype, as two plain loops."""
    out = np.empty((x.size, y.size), x.dtype)
    for i in range(x.size):
        for j in range(y.size):
            out[i, j] = x[i] * y[j]
    return out


NAMES = ("new_empty", "new_zeros", "new_empty_like", "new_zeros_like", "mat_vec", "vec_mat", "mat_mat", "outer_of")
