"""np.tensordot with its axes written every way numpy takes them: a count (positional, axes=,
numpy's default 2), a pair of axes, a pair of tuples or lists, pairs given crosswise
(axes=((2, 1), (1, 0)): the contracted axes a tensordot leaves over come in their own operand's
order, not the pairing's), on the numpy backend (the rule, and the helper for ranks known only at
run time) and the numba backend (the einsum loop it is lowered to)."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.runtime_grads import tensordot_grad
from s2sgrad.testing import check_grads

rng = np.random.default_rng(17)
T = rng.standard_normal((2, 3, 4))
W_cross = rng.standard_normal((3, 4, 2))   # T's axes 2, 1 with W's 1, 0 (T's 1 is W's 0)
W_lists = rng.standard_normal((4, 5))


def crosswise(T, W):
    return np.sum(np.tensordot(T, W, ((2, 1), (1, 0))) ** 2)


def as_lists(T, W):
    return np.sum(np.sin(np.tensordot(T, W, axes=[[-1], [0]])))


def keyword_count(T, W):
    return np.sum(np.tensordot(T, W, axes=1) ** 2)


def default_count(T, W):
    return np.sum(np.tensordot(T, W) ** 2)


CASES = [(crosswise, (T, W_cross)), (as_lists, (T, W_lists)),
         (keyword_count, (T, W_lists)), (default_count, (T, rng.standard_normal((3, 4, 5))))]


@pytest.mark.parametrize("fn,args", CASES)
def test_gradients_against_finite_differences(fn, args):
    assert check_grads(fn, args, wrt=("T", "W")) < 1e-6


def test_crosswise_pairs_known_gradient():
    # d/dT sum(y^2), y[i, k] = sum_jl T[i, j, l] W[j, l, k]
    W = W_cross
    y = np.einsum("ijl,jlk->ik", T, W)
    gT, gW = differentiate(crosswise, wrt=("T", "W")).grad(T, W)
    assert gT.shape == T.shape and gW.shape == W.shape  # gT was (2, 4, 3)
    assert np.allclose(gT, np.einsum("ik,jlk->ijl", 2 * y, W), rtol=1e-13, atol=0)
    assert np.allclose(gW, np.einsum("ijl,ik->jlk", T, 2 * y), rtol=1e-13, atol=0)


@pytest.mark.parametrize("axes", [((2, 1), (1, 0)), ((1, 2), (0, 1)), ((2, 0), (0, 2))])
def test_runtime_helper_crosswise(axes):
    a = rng.standard_normal((2, 3, 4))
    shape_b = [5, 5, 5]
    for i, j in zip(*axes):
        shape_b[j] = a.shape[i]
    b = rng.standard_normal(shape_b)
    g = rng.standard_normal(np.tensordot(a, b, axes).shape)
    da, db = rng.standard_normal(a.shape), rng.standard_normal(b.shape)
    eps = 1e-6
    fd = (np.sum(g * np.tensordot(a + eps * da, b + eps * db, axes))
          - np.sum(g * np.tensordot(a - eps * da, b - eps * db, axes))) / (2 * eps)
    ga, gb = tensordot_grad(g, a, b, axes, 0), tensordot_grad(g, a, b, axes, 1)
    assert ga.shape == a.shape and gb.shape == b.shape
    assert np.isclose(np.sum(ga * da) + np.sum(gb * db), fd, rtol=1e-6)


@pytest.mark.parametrize("fn,args", CASES)
def test_numba_gives_numpys_numbers(fn, args):
    pytest.importorskip("numba", reason="numba is not installed: the numba backend's half is skipped")
    v0, g0 = differentiate(fn, wrt=("T", "W")).value_and_grad(*args)
    v1, g1 = differentiate(fn, wrt=("T", "W"), backend="numba").value_and_grad(*args)  # was refused
    assert np.allclose(v0, v1, rtol=1e-12, atol=0)
    for x, y in zip(g0, g1):
        assert x.shape == y.shape and np.allclose(x, y, rtol=1e-12, atol=1e-14)
