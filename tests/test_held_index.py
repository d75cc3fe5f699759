"""A write whose index reads the array it writes (`h[h < 0] = 0`): the index is computed into a
name before the write (frontend/held_index.py), so the reverse sweep reads the positions the
write chose, not the ones the written array would give.  Gradients against hand-written backprop
and central differences; Hessian-vector products against differences of gradients; values
against plain Python, including where a random draw sits in the index and in the value."""
import numpy as np
import pytest

from s2sgrad import differentiate, hvp
from s2sgrad.testing import check_grads

X3 = np.array([[1.0, -2.0], [0.5, 0.3], [-1.5, 2.5]])


def inplace_relu(W):
    h = X3 @ W
    h[h < 0] = 0
    return np.sum(h * h)


def test_inplace_relu_matches_handwritten_backprop():
    W = np.array([[0.3, -0.2], [0.1, 0.4]])
    g = differentiate(inplace_relu).grad(W)
    h = X3 @ W
    np.testing.assert_allclose(g, X3.T @ (2 * h * (h > 0)), rtol=1e-14)
    # (before, the reverse sweep read `h < 0` after the write: every zeroed position looked positive)
    assert np.count_nonzero(h < 0) > 0


def test_the_generated_code_binds_the_mask_before_the_write():
    src = differentiate(inplace_relu).compiled_for(np.eye(2)).value_and_grad_source
    assert "h_mask = h < 0\n" in src and "h[h_mask] = 0" in src and "grad_h[h_mask] = 0.0" in src, src


def clamp_steps(x, k):
    A = np.outer(x, x) * k
    for _ in range(4):
        A = 1.4 * A + 0.05 * np.roll(A, 1, axis=0)
        A[A > 1.0] = 1.0
        A[A < -0.5] *= 0.25
        A[np.argmax(A[:, 0]), :2] -= 0.1 * A[0, 1]
    return np.sum(A ** 3) + np.sum(A[1] * x)


def test_clamps_in_a_loop_match_finite_differences():
    rng = np.random.default_rng(3)
    x = rng.standard_normal(5)
    check_grads(clamp_steps, (x, 0.7), wrt=("x", "k"), directions=4)


def test_clamps_in_a_loop_hvp_matches_differences_of_gradients():
    rng = np.random.default_rng(4)
    x, v = rng.standard_normal(5), rng.standard_normal(5)
    grad = differentiate(clamp_steps, wrt="x").grad
    eps = 1e-6
    fd = (grad(x + eps * v, 0.7) - grad(x - eps * v, 0.7)) / (2 * eps)
    np.testing.assert_allclose(hvp(clamp_steps, (x, 0.7), v), fd, rtol=1e-6, atol=1e-7)


def parts_of_a_tuple_index(W):
    A = np.tanh(X3 @ W)
    A[1, A[1] < 0] = 0.0                      # one part reads A: bound; the row number is not
    A[:int(np.sum(A[:, 0] > 0)), 1] *= 3.0    # a slice's bound reads A's values
    A[np.arange(A.shape[0]), 0] += 1.0        # reads A's shape only: left as written
    return np.sum(A ** 2)


def test_an_index_with_several_parts():
    W = np.array([[0.3, -0.8], [0.9, 0.4]])
    check_grads(parts_of_a_tuple_index, (W,), directions=4)
    src = differentiate(parts_of_a_tuple_index).compiled_for(W).value_and_grad_source
    assert "A[1, A_mask] = 0.0" in src and "A_index = int(" in src, src


def self_indexed(x):
    y = np.sin(x)
    y[y > 0] = 0.0
    return np.sum(y)


def test_a_mask_of_the_array_itself_of_a_1d_input():
    x = np.array([0.1, 0.5, -0.2, 4.0])
    g = differentiate(self_indexed).grad(x)
    np.testing.assert_allclose(g, np.cos(x) * (np.sin(x) <= 0), rtol=1e-15)


def draws_in_index_and_value(x):
    rng = np.random.default_rng(5)
    y = np.cos(x)
    y[y < rng.uniform(0.0, 1.0)] = rng.normal() * x[0]   # Python draws the value first, then the index
    return np.sum(y * x)


def test_draws_keep_pythons_order():
    x = np.linspace(0.1, 2.0, 6)
    value, g = differentiate(draws_in_index_and_value).value_and_grad(x)
    assert value == draws_in_index_and_value(x)
    check_grads(draws_in_index_and_value, (x,))


def argmax_zeroed(p):
    q = p ** 2
    q[np.argmax(q)] = 0.0
    return np.sum(q * p)


def test_an_integer_index_from_the_array():
    p = np.array([0.3, -1.2, 0.8, 0.5])
    g = differentiate(argmax_zeroed).grad(p)
    keep = np.ones(4)
    keep[1] = 0.0                                         # q's largest element is p[1] ** 2
    np.testing.assert_allclose(g, 3 * p ** 2 * keep, rtol=1e-15)


@pytest.mark.parametrize("wrt", ["x", "k"])
def test_the_numba_backend_agrees_or_refuses_clearly(wrt):
    pytest.importorskip("numba")
    from s2sgrad.errors import S2SGradError
    x = np.linspace(-1.0, 1.0, 5)
    ref = differentiate(clamp_steps, wrt=wrt).value_and_grad(x, 0.7)
    try:
        got = differentiate(clamp_steps, wrt=wrt, backend="numba").value_and_grad(x, 0.7)
    except S2SGradError as e:
        assert "numba" in str(e)
        return
    np.testing.assert_allclose(got[0], ref[0], rtol=1e-12)
    np.testing.assert_allclose(got[1], ref[1], rtol=1e-10, atol=1e-12)


# review 17: an index that reads the target is computed right before its own write, after the
# targets before it (Python assigns `a, b = ...` left to right, computing each index in turn)
X5 = np.array([-1.3, 2.2, 0.45, -0.2, 1.7])


def two_masked_targets(x):
    h = x * 1.0
    h[h < 0], h[h < 1] = 5.0, 7.0
    return np.sum(h * x)


def chained_argmax_targets(x):
    h = x * 1.0
    h[np.argmax(h)] = h[np.argmax(h)] = -10.0
    return np.sum(h * x)


def rebound_then_masked(x):
    h = x * 1.0
    c, h[h < c] = 1.0, 5.0
    return np.sum(h * x)


def starred_targets(x):
    h = x * 1.0
    h[h < 0], *rest, h[h < 1] = 5.0, 6.0, 7.0
    return np.sum(h * x)


@pytest.mark.parametrize("fn", [two_masked_targets, chained_argmax_targets, rebound_then_masked, starred_targets])
def test_several_targets_compute_each_index_after_the_writes_before_it(fn):
    value, g = differentiate(fn).value_and_grad(X5)
    assert value == fn(X5.copy())                 # (two_masked_targets: 0.38 where Python gives 3.38)
    check_grads(fn, (X5,))


def repeated_by_a_name(x):
    h = x * 1.0
    i = int(np.argmax(x))
    h[[i, 1]] += x[0]
    return np.sum(h * x)


def test_a_list_index_holding_a_name_is_checked_for_repeats_when_it_runs():
    from s2sgrad.errors import S2SGradError
    with pytest.raises(S2SGradError, match="names a position twice"):  # (i == 1: the gradient counted x[0] twice)
        differentiate(repeated_by_a_name).grad(X5)
    x = np.array([3.0, 2.2, 0.45, -0.2, 1.7])              # i == 0: distinct positions
    check_grads(repeated_by_a_name, (x,))
