"""np.linalg.lstsq (rules/lstsq.py: its four results as four rows) and starred unpacking
(frontend/simple.starred_assign), refused before: the sixth survey's u34 wrote
`coef, *_ = np.linalg.lstsq(scores, y, rcond=None)`.  Gradients against finite differences and
forward mode against reverse (check_grads), the value against numpy's."""
import numpy as np
import pytest

from s2sgrad import differentiate, jvp
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

RNG = np.random.default_rng(5)
TALL = RNG.standard_normal((7, 3))
WIDE = RNG.standard_normal((3, 6))


def fit(A, y):
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    return np.sum((y - A @ coef) ** 2) + np.sum(np.sin(coef))


def first_only(A, y):
    return np.sum(np.linalg.lstsq(A, y, rcond=None)[0] ** 3)


def residuals(A, y):
    coef, res, rank, sv = np.linalg.lstsq(A, y, rcond=None)
    return np.sum(res) * rank + np.sum(sv ** 2) + np.sum(coef)


def truncated(A, y):  # rcond drops the small singular value: constant rank
    coef, *_ = np.linalg.lstsq(A, y, rcond=1e-3)
    return np.sum(coef * np.arange(1.0, 4.0))


@pytest.mark.parametrize("fn", [fit, first_only, residuals])
@pytest.mark.parametrize("y_shape", [(7,), (7, 2)])
def test_tall(fn, y_shape):
    check_grads(fn, (TALL, RNG.standard_normal(y_shape)), wrt=(0, 1))


@pytest.mark.parametrize("y_shape", [(3,), (3, 2)])
def test_wide_minimum_norm(y_shape):  # underdetermined: the minimum-norm solution, no residuals
    check_grads(first_only, (WIDE, RNG.standard_normal(y_shape)), wrt=(0, 1))
    check_grads(residuals, (WIDE, RNG.standard_normal(y_shape)), wrt=(0, 1))


def test_rank_deficient_along_matrices_of_that_rank():
    # A = B C of rank 2: lstsq's default cutoff drops the third singular value (~1e-16), and along
    # A(t) = (B + t dB)(C + t dC) the rank stays 2, so finite differences see the constant-rank derivative
    B, C, dB, dC = (RNG.standard_normal(s) for s in ((6, 2), (2, 3), (6, 2), (2, 3)))
    y, dy = RNG.standard_normal(6), RNG.standard_normal(6)
    gA, gy = differentiate(truncated_default, wrt=(0, 1)).grad(B @ C, y)
    e = 1e-6
    fd = (truncated_default((B + e * dB) @ (C + e * dC), y + e * dy)
          - truncated_default((B - e * dB) @ (C - e * dC), y - e * dy)) / (2 * e)
    assert np.sum(gA * (dB @ C + B @ dC)) + gy @ dy == pytest.approx(fd, rel=1e-6)


def truncated_default(A, y):
    return np.sum(np.linalg.lstsq(A, y, rcond=None)[0] * np.arange(1.0, 4.0))


def test_rcond_dropping_a_value_that_is_not_zero_is_refused():
    U, _, Vt = np.linalg.svd(RNG.standard_normal((6, 3)), full_matrices=False)
    A = U @ np.diag([2.0, 1.0, 1e-5]) @ Vt
    d = differentiate(truncated, wrt=(0, 1))
    with pytest.raises(S2SGradError, match="drops the singular value 1e-05"):
        d.grad(A, RNG.standard_normal(6))
    check_grads(truncated, (U @ np.diag([2.0, 1.0, 0.5]) @ Vt, RNG.standard_normal(6)), wrt=(0, 1))  # (none dropped)


def test_values_are_numpys():
    y = RNG.standard_normal(7)
    v = differentiate(residuals, wrt=(0, 1)).value_and_grad(TALL, y)[0]
    assert v == residuals(TALL, y)


def test_jvp_of_solution():
    A, y = TALL, RNG.standard_normal(7)
    dA, dy = RNG.standard_normal(A.shape), RNG.standard_normal(7)
    _, t = jvp(first_only, (A, y), (dA, dy))
    e = 1e-6
    fd = (first_only(A + e * dA, y + e * dy) - first_only(A - e * dA, y - e * dy)) / (2 * e)
    assert t == pytest.approx(fd, rel=1e-6)


def layers(params, x):  # a tuple of tuples: the hidden layers starred, the last by name
    *hidden, last = params
    for W, b in hidden:
        x = np.tanh(W @ x + b)
    W, b = last
    return np.sum(W @ x + b)


def middle(x):
    a, *mid, z = (x[0], x[1] * 2, x[2] ** 2, x[3])
    return a * z + sum(mid)


def head(xs):  # a run-time list's head and tail
    hs = []
    for k in range(4):
        hs.append(xs * (k + 1.0))
    first, *rest = hs
    return np.sum(first * np.stack(rest))


def discarded(x):  # a starred '_' of an array's rows is not bound
    first, *_, last = x
    return np.sum(first * last)


def test_starred_targets():
    params = tuple((RNG.standard_normal((3, 3)), RNG.standard_normal(3)) for _ in range(3))
    check_grads(layers, (params, RNG.standard_normal(3)), wrt=(0, 1))
    check_grads(middle, (RNG.standard_normal(4),), wrt=0)
    check_grads(head, (RNG.standard_normal(3),), wrt=0)
    check_grads(discarded, (RNG.standard_normal((4, 2)),), wrt=0)


def rows_as_list(x):
    first, *rest = x
    return np.sum(first) * len(rest)


def lstsq_rcond(A, y, rc):
    return np.sum(np.linalg.lstsq(A, y, rcond=rc)[0])


def test_an_arrays_items_starred_are_a_list_read_by_element():
    check_grads(rows_as_list, (RNG.standard_normal(3),), wrt=0)  # (passes/list_arrays.rows_as_array)
    # a 2-D array's list holds views of its rows, which a write into the array would change: refused
    with pytest.raises(S2SGradError, match="list\\(\\) of an array of 2 dimensions"):
        differentiate(rows_as_list).grad(RNG.standard_normal((3, 2)))


@pytest.mark.parametrize("fn,args,msg", [
    (lstsq_rcond, (TALL, RNG.standard_normal(7), 1e-3), "rcond that is not None or a number"),
])
def test_refused(fn, args, msg):
    with pytest.raises(S2SGradError) as e:
        differentiate(fn, wrt=0).grad(*args)
    assert msg in str(e.value)
