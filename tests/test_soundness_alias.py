"""Regression tests for issue 9, section D: aliasing and in-place updates (numpy semantics).

`+=` on an array mutates it, slices are views, and a write through one name changes every name
that shares the array.  s2sgrad either differentiates such a program exactly or refuses it at the
user's line with the rewrite to use -- never a gradient of a different program."""
import re

import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.testing import check_grads

X3 = np.array([[1.0, -2.0], [0.5, 1.0], [-1.0, 0.3]])


def refused(fn, *args, match, line):
    """The error names the user's file:line and says what to write instead."""
    with pytest.raises(s2sgrad.UnsupportedSyntaxError) as info:
        differentiate(fn).grad(*args)
    msg = str(info.value)
    assert re.search(match, msg), msg
    assert line in msg, msg  # the source line is quoted under the message
    assert re.search(r"test_soundness_alias\.py:\d+:\d+:", msg), msg
    return msg


# D.1: an in-place masked write whose mask reads the written array
def inplace_relu(W):
    h = X3 @ W
    h[h < 0] = 0
    return np.sum(h * h)


def relu_rewritten(W):
    h = X3 @ W
    h = np.maximum(h, 0)
    return np.sum(h * h)


def test_inplace_masked_write_is_differentiated_with_the_mask_it_wrote_through():
    # (refused until 2026-12-01; the index is now computed into a name first: frontend/held_index.py)
    W = np.array([[0.3, -0.2], [0.1, 0.4]])
    h = X3 @ W
    assert np.count_nonzero(h < 0) > 0
    np.testing.assert_allclose(differentiate(inplace_relu).grad(W), X3.T @ (2 * h * (h > 0)), rtol=1e-14)


def test_the_suggested_rewrite_is_differentiated():
    W = np.array([[0.3, -0.2], [0.1, 0.4]])
    g = differentiate(relu_rewritten).grad(W)
    h = X3 @ W
    np.testing.assert_allclose(g, X3.T @ (2 * h * (h > 0)))


# D.2: a slice read before a write to the same array (the read is a view)
def slice_update(s):
    y = np.array([1.0, 2.0, 3.0])
    v = y.copy()
    v[:-1] *= s
    return np.sum(v * v)


def test_slice_update_reads_the_values_before_the_write():
    g = differentiate(slice_update).grad(1.5)
    assert g == pytest.approx(2 * 1.5 * (1.0 + 4.0))  # d/ds (s^2 (1 + 4) + 9) = 15


def self_overlapping_copy(x):
    a = x.copy()
    a[1:3] = a[:2]
    return np.sum(np.array([1.0, 2.0, 3.0, 4.0]) * a)


def test_overlapping_slice_copy_within_one_array():
    g = differentiate(self_overlapping_copy).grad(np.array([0.3, 0.5, 0.9, 1.2]))
    np.testing.assert_allclose(g, [1.0 + 2.0, 3.0, 0.0, 4.0])  # x0 -> a0, a1; x1 -> a2; x2 lost


# D.3: augmented assignment through an alias, a loop element or a view; on an argument
def alias_then_update(v):
    v = v * 1.0
    w = v
    w += 1.0
    return np.sum(v * v)


def rows_updated(z):
    z = z * 1.0
    for row in z:
        row *= 2.0
    return np.sum(z)


def view_updated(x):
    y = x * 1.0
    v = y[:, 1:]
    v -= 1.0
    return np.sum(y * y)


def argument_updated(x, c):
    x *= c
    return np.sum(x)


def float_argument_updated(x, c):
    c *= 2.0
    return np.sum(x) * c


def owned_array_updated(x):
    y = np.sin(x)
    y += x
    y *= 2.0
    return np.sum(y)


def test_update_through_an_alias_is_refused():
    refused(alias_then_update, np.ones(3), match=r"'w \+= \.\.\.'.*share it with 'v'", line="w += 1.0")


def test_update_of_a_loop_element_is_the_write_into_its_array():
    # (refused before; `row *= 2.0` of `for row in z` is z[i] *= 2.0: frontend/row_updates.py)
    np.testing.assert_array_equal(differentiate(rows_updated).grad(np.ones((2, 3))), np.full((2, 3), 2.0))


def test_update_of_a_view_is_refused():
    refused(view_updated, np.ones((2, 3)), match=r"'v -= \.\.\.'.*share it with 'y'", line="v -= 1.0")


def test_update_of_an_array_argument_is_refused():
    with pytest.raises(s2sgrad.UnsupportedSyntaxError, match="caller's argument"):
        differentiate(argument_updated).grad(np.ones(3), 2.0)


def test_update_of_a_float_argument_is_fine():
    g = differentiate(float_argument_updated, wrt=("x", "c")).grad(np.ones(3), 2.0)
    np.testing.assert_allclose(g[0], [4.0, 4.0, 4.0])
    assert g[1] == pytest.approx(6.0)


def test_update_of_an_owned_array_is_differentiated():
    x = np.array([0.3, -0.7, 1.1])
    np.testing.assert_allclose(differentiate(owned_array_updated).grad(x), 2 * (np.cos(x) + 1))


# writes through a name that shares its array
def write_after_alias(x):
    y = np.zeros(3)
    a = y
    y[0] = np.sum(x)
    return np.sum(a * x)


def write_into_argument(x):
    x[0] = 0.0
    return np.sum(x ** 2)


def view_kept_then_written(x):
    w = np.outer(x, x)
    r = w[0]
    w[0, 1] = 5.0
    return np.sum(r * x)


def scalar_read_then_written(x):
    y = x * 1.0
    r = y[0]
    y[0] = 5.0
    return r * np.sum(y)


def alias_after_last_write(x):
    y = x * 1.0
    y[0] = 2.0
    a = y
    return np.sum(a * x)


def test_write_through_a_shared_array_is_refused_at_the_write():
    refused(write_after_alias, np.ones(3), match=r"would also change 'a'", line="y[0] = np.sum(x)")
    refused(write_into_argument, np.ones(3), match=r"caller's array", line="x[0] = 0.0")


def test_view_kept_under_a_name_then_written_is_refused():
    refused(view_kept_then_written, np.ones(3), match=r"'r = w\[0\]'.*\.copy\(\)", line="r = w[0]")


def view_unpacked_then_written(x):
    y = x * 2.0
    r, q = y[1:], y[:2]
    y[1] = 0.0
    return np.sum(r * x[1:])


def test_a_view_from_tuple_unpacking_is_named_by_its_expression():
    """The unpacking's temporary names (t_1, t_2) are not the user's: the message quotes the slice
    (the first of the two, every run: the shares are a set, walked in a fixed order)."""
    refused(view_unpacked_then_written, np.ones(3), match=r"'y\[1:\]' may be a view.*'y\[1:\]\.copy\(\)'",
            line="r, q = y[1:], y[:2]")


def test_scalar_read_out_of_a_written_array_is_a_copy():
    x = np.array([0.3, -0.7, 1.1])
    check_grads(differentiate(scalar_read_then_written), [x])


def test_alias_made_after_the_last_write_is_fine():
    x = np.array([0.3, -0.7, 1.1])
    check_grads(differentiate(alias_after_last_write), [x])


# D.4: a write through a fancy index that repeats a position
def repeated_constant_index(b):
    v = np.zeros(3)
    v[[2, 0, 2]] = 2.0 * b
    return np.sum(v * np.array([1.0, 2.0, 3.0]))


def runtime_integer_index(b):
    v = np.zeros(3)
    idx = np.array([2, 0, 2])
    v[idx] = 2.0 * b
    return np.sum(v)


def mask_write(b):
    v = np.zeros(3)
    v[b > 0] = 2.0 * b[b > 0]
    return np.sum(v * v)


def test_repeated_constant_index_is_refused():
    refused(repeated_constant_index, np.ones(3), match="repeats index 2", line="v[[2, 0, 2]] = 2.0 * b")


def test_integer_array_index_of_a_differentiated_value_is_refused():
    # (checked when the reverse sweep runs: an index naming a position twice is an error there,
    # tests/test_index_writes.py)
    with pytest.raises(s2sgrad.S2SGradError, match="integer-array index names a position twice"):
        differentiate(runtime_integer_index).grad(np.ones(3))


def test_mask_write_is_differentiated():
    b = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(differentiate(mask_write).grad(b), 8 * b * (b > 0))


def test_a_name_written_in_place_that_later_holds_a_number():
    """`a2` is written through an index, then rebound to a float: the adjoint that refers to its
    value must not call .copy() on the number (found by the fuzzer with forward mode added)."""
    def f(x, s):
        a2 = x.copy()
        a2[1:3] = x[:2]
        a2 = s
        a2 *= np.sqrt(np.square(np.exp(np.clip(s, -3.0, 3.0)) * s) + 1.0)
        return np.sum(a2) + np.sum(x)
    check_grads(differentiate(f, wrt=("x", "s")), (np.array([0.1, -0.3, 0.5, 0.7]), 0.4))


def test_a_float_written_into_an_integer_or_boolean_buffer_has_no_derivative():
    """`a = np.zeros(3, dtype=bool); a[0] = x[0] * 5.0`: the write truncates, so x[0] gets nothing
    through it (both modes gave it a slope; found in review)."""
    import s2sgrad

    def boolbuf(x):
        a = np.zeros(3, dtype=bool)
        a[0] = x[0] * 5.0
        return np.sum(a * x)

    def intbuf(x):
        a = np.zeros(3, dtype=np.int64)
        a[0] = x[0] * 5.0
        return a * x + x
    x = np.array([1.37, -0.71, 1.13])
    check_grads(differentiate(boolbuf), (x,))
    np.testing.assert_allclose(s2sgrad.jacrev(intbuf)(x), np.diag([7.0, 1.0, 1.0]))
    np.testing.assert_allclose(s2sgrad.jacfwd(intbuf)(x), np.diag([7.0, 1.0, 1.0]))


def test_a_write_of_the_whole_0d_array_through_an_empty_index():
    """`a[()] = ...` on a 0-d array the function owns is the write of its one element; `a[()] += x`
    reads it too (the read crashed the reverse transform with an internal ValueError)."""
    def built(x):
        a = np.zeros(())
        a[()] = x * 2
        return a * 3

    def updated(x):
        a = np.ones(())
        a[()] += x
        return a * a

    def copied(x, y):
        a = x.copy()
        a[()] = a * y
        a[()] += np.sin(y)
        return a * x
    np.testing.assert_allclose(differentiate(built).grad(np.array(1.5)), 6.0)
    np.testing.assert_allclose(differentiate(updated).grad(np.array(1.5)), 5.0)  # 2 * (1 + x)
    np.testing.assert_allclose(s2sgrad.hessian(updated)(np.array(1.5)), 2.0)
    x, y = np.array(0.7), np.array(-1.3)
    gx, gy = differentiate(copied, wrt=("x", "y")).grad(x, y)
    np.testing.assert_allclose([gx, gy], [2 * x * y + np.sin(y), x * x + x * np.cos(y)])
    for fn, args in ((built, (np.array(1.5),)), (updated, (np.array(-0.4),)), (copied, (x, y))):
        check_grads(differentiate(fn), args)


# ------------------------------------------------------------- a helper's array returned in a loop
def _forces(x, k):
    F = np.zeros_like(x)
    F[1:] += k * (x[1:] - x[:-1])
    F[:-1] -= k * (x[1:] - x[:-1])
    return F


def returned_in_a_loop(x, k):
    """The sixth survey's u26: `F = forces(...)` then `F[0] = 0.0` in a loop; the helper's own name
    for F is bound anew before anything reads it again, so the write changes no other name's array
    (refused before as an alias of the helper's F: frontend/aliasing.py's live names)."""
    v = np.zeros_like(x)
    for _ in range(4):
        F = _forces(x, k)
        F[0] = 0.0
        v = 0.9 * v + 0.1 * F
        x = x + 0.1 * v
    return np.sum(x ** 2)


def alias_read_next_pass(x):
    a = x * 1.0
    out = 0.0
    for i in range(3):
        b = a  # a is read again in the next pass: b shares its array
        b[0] = i * 1.0
        out = out + np.sum(a * x)
    return out


def alias_then_rebound(x):
    a = x * 1.0
    out = 0.0
    for i in range(3):
        b = a  # a is bound anew before anything reads it: b owns the array
        a = x * (i + 2.0)
        b[0] = 5.0
        out = out + np.sum(b * x) + np.sum(a)
    return out


def test_a_helpers_array_returned_in_a_loop_is_the_callers():
    check_grads(differentiate(returned_in_a_loop, wrt=("x", "k")), (np.linspace(0.0, 1.0, 5), 0.7))


def test_an_alias_read_in_the_next_pass_is_still_refused():
    with pytest.raises(s2sgrad.errors.S2SGradError, match="would also change 'a'|share"):
        differentiate(alias_read_next_pass).grad(np.linspace(0.5, 1.0, 4))


def test_an_alias_whose_source_is_bound_anew_is_differentiated():
    check_grads(differentiate(alias_then_rebound), (np.linspace(0.5, 1.0, 4),))
