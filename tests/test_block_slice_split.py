"""np.block (frontend/listbuild.block: the concatenations it stands for), slice() as a value
(`idx = [slice(None)] * n; idx[axis] = i; x[tuple(idx)]`, printed slice(...) outside an index), and
np.split at indices known only when it runs (`np.split(theta, [p])` with p from a shape): each
against central differences and Python's value."""
import numpy as np
import pytest

from s2sgrad import S2SGradError, differentiate
from finite_differences import central

X = np.array([0.3, -0.2, 0.5, 0.9])


def blocks(x):
    A = np.outer(x[:3], x[:3])
    b = x[:3, None] * 2
    K = np.block([[A, b], [b.T, np.ones((1, 1)) * np.sum(x)]])  # (2 x 2 blocks of a 4 x 4 matrix)
    v = np.block([x, 3.0, x[:2]])  # (a scalar block promoted, as np.block does)
    return np.sum(K @ K) + np.sum(v ** 2)


def slices(x):
    psi = x.reshape(2, 2) * 1.0
    idx = [slice(None)] * 2
    idx[0] = 1
    row = psi[tuple(idx)]
    corner = psi[slice(0, 1), slice(None, None, 2)]
    return np.sum(row ** 2) + np.sum(corner * 3)


def split_at_a_shape(theta, A):
    p = A.shape[0]
    w, rest = np.split(theta, [p])  # (the count of pieces is the list's: two)
    return np.sum(A @ w[:2] ** 2) + np.sum(np.sin(rest))


@pytest.mark.parametrize("fn,args", [(blocks, (X,)), (slices, (X,)), (split_at_a_shape, (X, np.eye(2)))])
def test_against_finite_differences(fn, args):
    value, grad = differentiate(fn).value_and_grad(*args)
    assert value == fn(*args)
    np.testing.assert_allclose(grad, central(lambda x: fn(x, *args[1:]), args[0]), rtol=1e-7, atol=1e-9)


def deep_block(x):
    return np.sum(np.block([[[x]]]))


def test_a_deeper_block_is_refused():
    with pytest.raises(S2SGradError, match="np.block nested more than two lists deep"):
        differentiate(deep_block).grad(X)
