"""numpy's `out=` (and positional out: `np.floor(c, y)`, `np.clip(c, 0, 1, y)`, `np.dot(A, b, y)`)
writes a result into an existing array, which later reads of that array see; s2sgrad binds results
to names, so such calls are refused at the argument (frontend/calls.refuse_out).  Found by review:
with a library function without a rule, np.spacing(c, out=y) was dropped and y read as before
(value 3.0 for 4.4e-16); np.fix(c, y), np.round(c, 0, y), np.clip(c, 0, .5, y), np.dot(A, b, y)
gave wrong values too.  And a library function that may return its argument (np.asfortranarray,
np.require) is a possible view for the alias fence (a write through it changed the argument)."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError

X = np.array([0.3, 1.2, 0.7, 0.45])
A = np.ones((4, 4))


def spacing_out(x):
    y = x * 2.0
    z = np.spacing(np.ones(4), out=y)
    return np.sum(y) + np.sum(z)


def fix_out(x):
    y = x * 2.0
    z = np.fix(x * 1.5, y)
    return np.sum(y * x) + np.sum(z)


def round_out(x):
    y = x * 2.0
    z = np.round(x * 1.5, 0, y)
    return np.sum(y * x) + np.sum(z)


def clip_out(x):
    y = x * 2.0
    z = np.clip(x * 1.5, 0, .5, y)
    return np.sum(y * x) + np.sum(z)


def dot_out(x):
    y = x * 2.0
    z = np.dot(A, x, y)
    return np.sum(y * x) + np.sum(z)


def floor_out(x):
    y = x * 2.0
    z = np.floor(x, y)
    return np.sum(y * x) + np.sum(z)


@pytest.mark.parametrize("fn", [spacing_out, fix_out, round_out, clip_out, dot_out, floor_out])
def test_out_is_refused(fn):
    with pytest.raises(S2SGradError, match="writing its result into an existing array"):
        differentiate(fn).grad(X)


def out_none(x):
    return np.sum(np.clip(x, 0, 0.5, out=None) * x)


def test_out_none_is_fine():
    assert np.allclose(differentiate(out_none).grad(X), np.where(X < 0.5, 2 * X, 0.5))


def through_asfortranarray(x):
    c = np.zeros(2)
    v = np.asfortranarray(c)
    v[0] = x[0] * 3.0
    return np.sum(c * x)


def test_a_library_function_that_may_return_its_argument_is_a_view():
    with pytest.raises(S2SGradError, match="may be a view that shares memory with 'c'"):
        differentiate(through_asfortranarray).grad(np.array([0.5, 1.0]))


def einsum_out(x):
    y = np.zeros(4)
    z = np.einsum("ij,j->i", A, x, out=y)
    return np.sum(y) + np.sum(z)


def test_a_keyword_only_out():
    # np.einsum(*operands, out=None): the subscripts are not an out argument (found by the
    # fuzzer: every np.einsum was refused for a moment); out= is
    assert np.allclose(differentiate(lambda_free_einsum).grad(X), A.sum(axis=0))
    with pytest.raises(S2SGradError, match="writing its result into an existing array"):
        differentiate(einsum_out).grad(X)


def lambda_free_einsum(x):
    return np.sum(np.einsum("ij,j->i", A, x))
