"""An adversarial review of the container, literal and list changes (passes/flatten_stmts.py,
unroll_flow.py, objects.hold_elements, frontend/listbuild.literal_list): each program here gave
a silent wrong value or gradient or a raw crash on the reviewed code (numbers in the comments).
Each is now right (checked against the plain function and finite differences) or refused at its
line."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError, UnsupportedSyntaxError
from s2sgrad.testing import check_grads

X = np.array([1.0, 2.0])


def while_reads_a_rebound_dict(x):
    d = {'a': x}
    i = 0
    acc = 0.0
    while np.sum(d['a']) < 10.0 and i < 5:  # the test reads the dict the last pass bound
        d = {'a': x * (i + 2.0)}
        acc = acc + np.sum(d['a'])
        i = i + 1
    return acc  # 27.0; was 60.0 (the first dict read on every pass)


def appended_through_another_name(p, x):
    hs = [x * 3]
    gs = hs
    gs.append(x * 2)
    return np.sum(np.stack(hs)) + np.sum(p['a'])  # 18.0; was 12.0


def appended_to_an_argument_list(p, x):
    lst = p['l']
    lst.append(x * 2)
    return np.sum(np.stack(p['l']))  # 21.0; was 15.0 (an older bug)


def appended_and_read_by_another_name(x):
    hs = [x]
    gs = hs
    gs.append(x * 2)
    return np.sum(np.stack(hs))  # was NameError: name 'list_append' is not defined


def a_list_built_twice(x):
    hs = [x * 2.0]
    hs.append(x)
    s = np.sum(hs[0])
    hs = [x * 5.0]
    hs.append(x)
    return s + np.sum(hs[0])  # gradient [7, 7]; was [5, 5]


def starred_unpacking(x):
    t = (x, x * 2, x * 3)
    a, *rest = t
    return np.sum(rest[0])  # 6.0; was 2.0


def too_few_names(x):
    t = (x, x * 2, x * 3)
    a, b = t  # Python raises ValueError; was 9.0
    return np.sum(a + b)


def unpacking_a_dict_argument(p, x):
    a, b = p  # Python gives the keys; was the values, then a raw TypeError
    return np.sum(x)


@pytest.mark.parametrize("fn, args, wrt, message", [
    (appended_through_another_name, ({'a': X}, X), "x", "this write into 'gs' would also change 'hs'"),
    (appended_to_an_argument_list, ({'a': X, 'l': [X * 5]}, X), "x", "append to a list or tuple known when compiling"),
    (appended_and_read_by_another_name, (X,), "x", "this write into 'gs' would also change 'hs'"),
    (too_few_names, (X,), "x", "unpacking 3 values into 2 names"),
    (unpacking_a_dict_argument, ({'a': X, 'b': X}, X), "x", "unpacking a dict or an object"),
], ids=lambda v: getattr(v, "__name__", None) if callable(v) else None)
def test_refused_at_the_line(fn, args, wrt, message):
    with pytest.raises(UnsupportedSyntaxError) as e:
        differentiate(fn, wrt=wrt).value_and_grad(*args)
    assert message in str(e.value) and "test_review_structure.py:" in str(e.value), str(e.value)


def test_a_list_built_twice_is_two_lists():
    # (refused once the silent [5, 5] was found; a later stop reads the second list under a name of
    # its own: passes/list_names.py)
    np.testing.assert_allclose(differentiate(a_list_built_twice).grad(np.ones(2)), [7.0, 7.0])
    check_grads(a_list_built_twice, (X,))


def test_starred_unpacking_reads_the_middle_elements():
    # (refused once the silent 2.0 was found; frontend/simple.starred_assign binds rest to the list
    # of the middle elements since)
    v, g = differentiate(starred_unpacking).value_and_grad(np.ones(3))
    assert v == 6.0
    np.testing.assert_array_equal(g, [2.0, 2.0, 2.0])
    check_grads(starred_unpacking, (X,))


def repeated_dict_key(x):
    d = {'x': x, 'x': x * 2}  # noqa: F601 -- the case under test
    return np.sum(d['x'])  # 6.0; was 3.0


def held_then_viewed_with_copy_false(x):
    y = x * 2.0
    z = y.astype(np.float64, copy=False)  # y itself
    z[0] = 5.0
    return np.sum(y ** 2)  # the gradient was 12.86 where finite differences give 1.10


def test_a_repeated_dict_key_holds_its_last_value():
    check_grads(differentiate(repeated_dict_key), (np.array([1.0, 2.0]),))
    assert np.isclose(differentiate(repeated_dict_key).value_and_grad(np.array([1.0, 2.0]))[0], 6.0)


def test_copy_false_is_a_view_for_the_alias_fence():
    with pytest.raises(UnsupportedSyntaxError, match="shares memory with .y., and .z. is assigned into later"):
        differentiate(held_then_viewed_with_copy_false).grad(np.array([1.0, 2.0]))


def break_of_an_inner_loop(x, W):
    acc = 0.0
    for v in (x, W @ x):  # unrolled: a loop over a tuple known when compiling
        for j in range(3):
            if j * np.sum(v) > 2.0:
                break  # stops the inner loop only
            acc = acc + np.sum(v * v) * (j + 1)
    return acc


def test_a_break_of_an_inner_loop_inside_an_unrolled_loop():
    """(was refused at the outer loop as 'break or return in a loop over a container')"""
    rng = np.random.default_rng(3)
    for scale in (0.1, 1.0):
        check_grads(differentiate(break_of_an_inner_loop, wrt=("x", "W")),
                    (scale * rng.standard_normal(2), rng.standard_normal((2, 2))))


# ------------------------------------------------------------ the second review
def array_into_two_names(x):
    a, b = x  # x has 3 rows: Python raises ValueError; was value 3.0
    return np.sum(a * b)


def shape_into_two_names(x):
    n, m = x.shape  # a 3-d x
    return np.sum(x) * n


def pairs_of_a_literal(x):
    acc = 0.0
    for u, v in (x, x * 2):  # each item has 3 elements
        acc = acc + np.sum(u * v)
    return acc


def list_into_two_names(x):
    hs = []
    for i in range(3):
        hs.append(x * i)
    a, b = hs  # known at run time only: an assert in the generated code
    return np.sum(a * b)


@pytest.mark.parametrize("fn, x", [
    (array_into_two_names, np.arange(6.0).reshape(3, 2)),
    (shape_into_two_names, np.ones((2, 2, 2))),
    (pairs_of_a_literal, np.ones(3)),
], ids=lambda v: getattr(v, "__name__", None) if callable(v) else None)
def test_unpacking_checks_the_length(fn, x):
    with pytest.raises(UnsupportedSyntaxError, match="unpacking 3 values into 2 names"):
        differentiate(fn).value_and_grad(x)


def test_unpacking_a_list_checks_its_length_at_run_time():
    d = differentiate(list_into_two_names)
    with pytest.raises(AssertionError, match="unpacking into 2 names"):
        d.value_and_grad(np.ones(2))
    assert "assert len(hs) == 2" in d.grad_source


def negative_int_key(x):
    d = {-1: x * 2, 1: x}
    return np.sum(d[-1] * d[1])  # was: internal error, generated code named d_-1


def looped_then_appended(x):
    hs = [x]
    ys = [h * 2 for h in hs]
    hs.append(x * 3)
    return np.sum(np.stack(hs)) + np.sum(ys[0])  # was a raw IndexError (pop from empty list)


def test_a_negative_int_key():
    check_grads(differentiate(negative_int_key), (np.array([1.0, 2.0]),))


def test_a_loop_over_a_list_appended_to_later_runs_its_count_before_the_append():
    # (once refused; passes/list_trips.py binds the loop's count before it)
    check_grads(differentiate(looped_then_appended), (np.array([1.0, 2.0]),))
    assert differentiate(looped_then_appended).grad(np.array([1.0, 2.0])).tolist() == [6.0, 6.0]


# ------------------------------------------------------------ the structure fuzzer, extended to literals
def del_a_key(x):
    d = {'a': x * 2.0, 'b': x * 3.0}
    del d['a']  # was dropped: d.get('a', 0.0) still found it (15 for 9)
    return np.sum(d.get('a', 0.0)) + np.sum(d['b'])


def starred_in_a_literal(x):
    t = (x * 2.0, x * 3.0)
    u = (*t, x)  # was one element for *t: u[1] was x (3 for 9)
    return np.sum(u[1])


def got_then_updated(x):
    d = {'w': x * 1.0}
    a = d.get('w', 0.0)
    a *= 2.0  # changes d['w'] too (10 for 5 before)
    return np.sum(d['w'] * x)


def test_del_of_an_element():
    # refused before (and dropped before that: d.get('a', 0.0) still found it); the key is gone now
    assert differentiate(del_a_key).value_and_grad(X)[0] == pytest.approx(np.sum(X * 3.0))
    np.testing.assert_allclose(differentiate(del_a_key).grad(X), np.full(X.shape, 3.0))


def test_a_while_reading_a_rebound_dict():
    # refused before ("the next pass reads it before binding it"): the dict's key a loop variable now
    check_grads(while_reads_a_rebound_dict, (X,))
    assert differentiate(while_reads_a_rebound_dict).value_and_grad(X)[0] == pytest.approx(
        while_reads_a_rebound_dict(X))


def test_a_starred_element_in_a_literal_is_its_elements():
    # (refused once the wrong length was found; a later stop builds tuple(t) + (x,), as Python does)
    check_grads(starred_in_a_literal, (X,))
    np.testing.assert_allclose(differentiate(starred_in_a_literal).grad(X), np.full(X.shape, 3.0))


def test_a_value_got_from_a_dict_is_shared_with_it():
    with pytest.raises(UnsupportedSyntaxError, match="'a \\*= ...' updates the array a in place, and a may share it"):
        differentiate(got_then_updated).grad(np.array([1.0, 2.0]))
