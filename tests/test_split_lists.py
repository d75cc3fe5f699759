"""np.split and its relatives bound to a name are the list of arrays they return: indexing,
for loops, enumerate, comprehensions, len, np.stack / np.concatenate of it (frontend/listbuild.py
lowers the pieces as appends; ad/lists.py differentiates the list).  Checked against finite
differences (check_grads, which also runs forward mode against the gradient)."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.errors import UnsupportedSyntaxError
from s2sgrad.testing import LAST_FORWARD_CHECK, check_grads

rng = np.random.default_rng(3)


def stacked_comprehension(x):
    parts = np.split(x, 3)
    return np.sum(np.stack([p * 2 for p in parts]) ** 2)


def enumerated(x):
    parts = np.split(x, 3)
    t = 0.0
    for i, p in enumerate(parts):
        t = t + np.sum(np.sin(p)) * (i + 1)
    return t


def indexed(x):
    parts = np.split(x, 3)
    return np.sum(parts[0] * parts[-1]) + len(parts) * np.sum(parts[1] ** 2)


def loop_over(x):
    parts = np.array_split(x, 2, axis=1)
    t = 0.0
    for p in parts:
        t = t + np.sum(np.tanh(p @ p.T))
    return t


def concatenated(x):
    rows = np.vsplit(x, 2)
    cols = np.hsplit(x, [1, 3])
    return np.sum(np.concatenate(rows, axis=1) ** 2 * 0.5) + np.sum(np.concatenate(cols, axis=1)[0] * x[1]) + np.sum(cols[2] * cols[0])


def unpacked_later(x):
    parts = np.split(x, 3)
    a, b, c = parts
    return np.sum(a * c + np.exp(b))


def summed(x):
    parts = np.split(x, [2, 5])
    return np.sum(sum([np.sum(p ** 3) for p in parts]) * parts[2])


@pytest.mark.parametrize("fn,shape", [(stacked_comprehension, (9,)), (enumerated, (9,)), (indexed, (6, 2)),
                                      (loop_over, (3, 5)), (concatenated, (4, 4)), (unpacked_later, (9,)),
                                      (summed, (8,))])
def test_split_list_gradients(fn, shape):
    x = rng.standard_normal(shape)
    assert check_grads(fn, (x,)) < 1e-5


def test_forward_mode_checked():
    check_grads(enumerated, (rng.standard_normal(9),))
    assert LAST_FORWARD_CHECK["result"] == "agrees"


def test_known_values():
    x = np.arange(6.0)
    g = differentiate(enumerated).grad(x)
    assert np.allclose(g, np.cos(x) * np.repeat([1.0, 2.0, 3.0], 2))
    v, g = differentiate(indexed).value_and_grad(np.arange(6.0).reshape(6, 1))
    assert v == 0 * 4 + 1 * 5 + 3 * (4 + 9)
    assert np.allclose(g.ravel(), [4, 5, 12, 18, 0, 1])


def test_generated_code_keeps_the_list():
    f = differentiate(indexed)
    src = f.compiled_for(np.ones((6, 2))).value_and_grad_source
    assert "parts = []" in src and "parts.append(" in src and "len(parts)" in src


def test_split_list_in_a_loop():
    # (refused at first; a list made in each pass of a loop is one pass's list now: ad/lists.loop_lists)
    def in_loop(x):
        t = 0.0
        for i in range(3):
            parts = np.split(x * i, 3)
            t = t + np.sum(parts[0] ** 2)
        return t
    x = np.arange(1.0, 10.0)
    np.testing.assert_allclose(differentiate(in_loop).grad(x), np.r_[2 * x[:3] * 5.0, np.zeros(6)])


def test_split_list_in_a_loop_read_after_it_is_refused_with_what_to_write():
    def read_after(x):
        t = 0.0
        for i in range(2):
            parts = np.split(x, 3)
            t = t + np.sum(parts[0]) * i
        return t + np.sum(parts[1])
    with pytest.raises(UnsupportedSyntaxError, match=r"unpack the pieces into names instead") as e:
        differentiate(read_after).grad(np.ones(9))
    assert "parts = np.split(x, 3)" in str(e.value) and "test_split_lists.py" in str(e.value)


def test_unknown_section_count_still_refused():
    def dyn(x, n):
        parts = np.split(x, n)
        return np.sum(parts[0])
    with pytest.raises(UnsupportedSyntaxError, match="number of pieces must be known when compiling"):
        s2sgrad.grad(dyn)(np.ones(4), 2)


def _sliced(x):
    cols = np.hsplit(x, 2)
    return np.sum(np.concatenate(cols[::-1], axis=1) * np.arange(8.0).reshape(2, 4))


def test_slice_of_a_list_is_a_list_of_its_own():
    # (refused before; passes/list_slices._copied: a loop appending cols' elements in reverse)
    x = np.random.default_rng(2).standard_normal((2, 4))
    g = differentiate(_sliced).grad(x)
    np.testing.assert_array_equal(g, np.hstack(np.hsplit(np.arange(8.0).reshape(2, 4), 2)[::-1]))


def _overlapping_list(v):
    parts = np.split(v, [8, 3])  # numpy's pieces: v[:8], v[8:3] (empty), v[3:] -- overlapping
    return np.sum(parts[0] ** 2) + np.sum(parts[1]) + np.sum(parts[2] ** 3)


def _overlapping_unpacked(v):
    a, b, c = np.split(v, [5, -8])  # v[:5], v[5:-8] (empty), v[-8:] = v[2:]
    return np.sum(a ** 2) + np.sum(b) + np.sum(np.sin(c))


@pytest.mark.parametrize("fn", [_overlapping_list, _overlapping_unpacked])
def test_overlapping_sections_add_their_adjoints(fn):
    # the pieces' adjoints were written with `=` (disjoint pieces), losing the overlap's share
    v = np.random.default_rng(3).standard_normal(10)
    assert check_grads(fn, (v,)) < 1e-6
    g = differentiate(fn).grad(v)
    if fn is _overlapping_list:
        want = np.zeros(10)
        want[:8] += 2 * v[:8]
        want[3:] += 3 * v[3:] ** 2
    else:
        want = np.zeros(10)
        want[:5] += 2 * v[:5]
        want[2:] += np.cos(v[2:])
    assert np.allclose(g, want, rtol=1e-13, atol=0)


def test_np_sum_of_a_comprehension_says_what_to_write():
    # np.sum of a list comprehension is np.sum of its array, as numpy reads it (passes/list_arrays.py;
    # it was refused, naming the comprehension's list)
    def pieces(x):
        parts = np.split(x, 3)
        return np.sum([np.sum(p ** 2) for p in parts])
    np.testing.assert_allclose(differentiate(pieces).grad(np.arange(6.0)), 2 * np.arange(6.0))

    def written(x):
        parts = np.split(x, 3)
        return sum([np.sum(p ** 2) for p in parts]) + np.sum(np.stack([np.sum(p) for p in parts]))
    x = np.arange(6.0)
    assert check_grads(written, (x,)) < 1e-6
    assert np.allclose(differentiate(written).grad(x), 2 * x + 1, rtol=1e-14)
