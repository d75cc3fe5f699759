"""Regressions from the fifth survey of real programs (tests/real_programs/t01-t40), each failing
on the code before:
- a write into a factor of np.linalg.svd / eigh / qr (`U[:, -1] *= -1`, the Kabsch/ARAP reflection
  fix) changed the packed factors the adjoint reads (runtime_linalg.linalg_part returned a view):
  a silent wrong gradient (-0.99677652 by differences, 0.04347177 given);
- a list made by repetition and filled by index (`d = [0.0] * len(c); d[j] = ...`, a hand-written
  chebder): its constant value outlived the writes (6 for 1), or saving an overwritten item called
  `.copy()` on a float (a bare AttributeError); a list literal of constants written into was refused."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.testing import check_grads

W = np.array([[1.0, 2.0, 0.1], [-0.5, 0.3, 0.7], [0.2, -1.0, 0.4]])


def svd_flip(A):
    U, s, Vt = np.linalg.svd(A)
    U[:, -1] *= -1
    return np.sum((U @ Vt) * W)


def eigh_sign(A):
    w, V = np.linalg.eigh(A + A.T)
    V[:, 0] *= -1
    return np.sum(V * W)


def qr_rows(A):
    Q, R = np.linalg.qr(A)
    R[0, :] *= 2.0
    return np.sum(R * W)


def svd_truncate(A):
    U, s, Vt = np.linalg.svd(A)
    s[0] = 0.0
    return np.sum((U * s) @ Vt * W)


@pytest.mark.parametrize("fn", [svd_flip, eigh_sign, qr_rows, svd_truncate])
def test_writes_into_decomposition_factors(fn):
    A = np.random.default_rng(4).standard_normal((3, 3))
    check_grads(fn, (A,))


def repeated_constant(c):
    d = [1.0] * 2
    d[0] = c[0]
    return np.array(d) @ np.array([1.0, 5.0])


def repeated_by_length(c):
    d = [0.0] * len(c)
    for j in range(len(c)):
        d[j] = 2.0 * c[j]
    return np.sum(np.array(d) ** 2)


def repeated_at_run_time(c, n):
    d = [0.0] * n
    for j in range(n):
        d[j] = 2.0 * c[j] * d[j - 1] + c[j] if j else c[0]
    return np.sum(np.array(d) ** 2)


def literal_written(c):
    d = [1.0, 1.0]
    d[0] = c[0]
    return np.array(d) @ np.array([1.0, 5.0])


def test_lists_made_by_repetition_and_filled_by_index():
    c = np.arange(1.0, 6.0) / 4
    np.testing.assert_allclose(differentiate(repeated_constant).grad(c[:2]), [1.0, 0.0])
    np.testing.assert_allclose(differentiate(repeated_by_length).grad(c), 8.0 * c)
    check_grads(repeated_by_length, (c,))
    check_grads(repeated_at_run_time, (c, 5), wrt=0)
    check_grads(literal_written, (c[:2],))


def _coating(thick, indices, lam):
    M = np.eye(2, dtype=complex)
    for n, d in zip(indices, thick):
        delta = 2 * np.pi * n * d / lam
        M = M @ np.array([[np.cos(delta), 1j * np.sin(delta) / n], [1j * n * np.sin(delta), np.cos(delta)]])
    B, C = M @ np.array([1.0, 1.52])
    return np.abs((B - C) / (B + C)) ** 2


def test_a_python_list_of_complex_numbers_is_read_item_by_item():
    # (refused before: its items' dtype unknown, "np.abs: an argument whose dtype is known only at run
    # time, in a function that holds complex values"; the fifth survey's thin films)
    check_grads(_coating, (np.array([95.0, 60.0, 110.0]), [1.38 + 0.0j, 2.1 + 0.01j, 1.46 + 0.0j], 550.0))
