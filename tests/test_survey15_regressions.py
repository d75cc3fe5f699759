"""Findings of survey 15 (the numpy long tail, derivatives of every order), each with its numbers:
squares of norms and absolute values have their exact Hessian at 0 (passes/smooth_squares.py);
a mask written in place (`s[x > 0]`) keeps the elements it leaves out at exactly 0 through an
infinite partial before it; np.where with one value is refused at its line; np.polyval takes a
list of coefficients."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate, hvp
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


def norm_squared(x):
    return np.linalg.norm(x) ** 2


def rows_squared(p):
    return np.sum(np.linalg.norm(p, axis=1) ** 2)


def pair_distances_squared(p):
    return np.sum(np.linalg.norm(p[:, None, :] - p[None, :, :], axis=-1) ** 2)


def ridge(w, X, y, lam):
    r = X @ w - y
    n = np.linalg.norm(w)  # (a name bound to the norm, squared later)
    return 0.5 * np.sum(r ** 2) + 0.5 * lam * n ** 2 + np.sum(np.abs(w) ** 2)


def test_squares_of_norms_have_their_hessian_at_zero():
    v = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(hvp(norm_squared, (np.zeros(3),), v), 2 * v)  # (was 0)
    np.testing.assert_allclose(s2sgrad.hessian(norm_squared)(np.zeros(3)), 2 * np.eye(3))
    V = np.array([[1.0, -1.0], [0.5, 0.25]])
    np.testing.assert_allclose(hvp(rows_squared, (np.array([[0.0, 0.0], [1.0, 2.0]]),), V), 2 * V)
    P = np.array([[0.0, 1.0], [2.0, -1.0], [0.0, 1.0]])  # points 0 and 2 coincide
    W = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 2.0]])
    np.testing.assert_allclose(hvp(pair_distances_squared, (P,), W).ravel(), [12, -12, 0, 0, -12, 12])
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 3)), rng.standard_normal(20)
    H = X.T @ X + (1.0 + 2.0) * np.eye(3)  # (lam = 1, and the |w|^2 term's 2)
    np.testing.assert_allclose(hvp(ridge, (np.zeros(3), X, y, 1.0), np.eye(3)[0]), H[0], rtol=1e-12)
    check_grads(ridge, (np.array([0.3, -0.2, 0.5]), X, y, 1.0), wrt="w")
    assert differentiate(ridge, wrt="w").value_and_grad(np.zeros(3), X, y, 1.0)[0] == \
        pytest.approx(ridge(np.zeros(3), X, y, 1.0), rel=1e-14)


def spectral_squared(A):
    return np.linalg.norm(A, ord=2) ** 2  # (the largest singular value: no sum of squares)


def test_a_norm_that_is_no_sum_of_squares_is_left_alone():
    A = np.array([[2.0, 1.0], [0.5, 3.0]])
    g = differentiate(spectral_squared).grad(A)
    U, s, Vt = np.linalg.svd(A)
    np.testing.assert_allclose(g, 2 * s[0] * np.outer(U[:, 0], Vt[0]), rtol=1e-10)


def masked_after_sqrt(x):
    s = np.sqrt(x)
    return np.sum(s[x > 0] ** 3)


def distances_of_distinct_pairs(p):
    d2 = np.sum((p[:, None, :] - p[None, :, :]) ** 2, axis=-1)
    d = np.sqrt(d2)
    return np.sum(d[d2 > 0])


def test_a_mask_written_in_place_keeps_what_it_leaves_out_at_zero():
    g = differentiate(masked_after_sqrt).grad(np.array([0.0, 0.5, 2.0]))
    np.testing.assert_allclose(g, [0.0, 1.5 * 0.5 ** 0.5, 1.5 * 2 ** 0.5], rtol=1e-14)  # (was nan at 0)
    p = np.random.default_rng(0).standard_normal((4, 2))
    check_grads(distances_of_distinct_pairs, (p,))


def where_one_value(x):
    return np.sum(np.where(x > 0, x))


def polyval_of_a_list(x):
    return np.sum(np.polyval([1.0, 2.0, -1.0], x))


def test_where_with_one_value_is_refused_and_polyval_takes_a_list():
    with pytest.raises(S2SGradError, match="np.where with a condition and one value"):
        differentiate(where_one_value).grad(np.ones(3))
    x = np.array([0.5, 2.0])
    assert differentiate(polyval_of_a_list).value_and_grad(x)[1] == pytest.approx(2 * x + 2)
    np.testing.assert_allclose(hvp(polyval_of_a_list, (x,), np.ones(2)), [2.0, 2.0])


def newton_step_with_fallback(x, A):
    J = A + np.diag(x ** 2)
    try:
        step = np.linalg.solve(J, x)
    except np.linalg.LinAlgError:
        step = 0.1 * x
    return np.sum(step ** 2) + np.linalg.slogdet(J)[1]


def test_second_derivatives_through_a_try_and_slogdet():
    # (the generated code's try probe, `succeeds(np.linalg.solve, ..., catching=(np.linalg.LinAlgError,))`,
    # was refused when differentiated again: the function and the exception class read as values)
    A = np.array([[2.0, 0.3, 0.1], [0.2, 1.5, 0.4], [0.1, 0.3, 1.8]])
    x, v = np.array([0.3, -0.5, 0.8]), np.array([1.0, -2.0, 0.5])
    d = differentiate(newton_step_with_fallback, wrt="x")
    eps = 1e-6
    fd = (d.grad(x + eps * v, A) - d.grad(x - eps * v, A)) / (2 * eps)
    np.testing.assert_allclose(hvp(newton_step_with_fallback, (x, A), v), fd, rtol=1e-6, atol=1e-8)
