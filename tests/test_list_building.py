"""Lists built at run time by more than `append`: `hs.extend([...])`, `hs += [h]`, `hs.extend(gs)`,
`hs, gs = [], []`, and read backwards: `for h in reversed(hs)`, `enumerate(reversed(hs))`,
`zip(xs, reversed(hs))`; reversed() of containers known when compiling and of arrays.

Before, extend and `+=` were refused ('expression statement', 'changed other than by append'),
`hs, gs = [], []` made the lists temporaries ('the list t_1 used here in a way...'), reversed() of
a list built at run time was refused, and `hs.pop()` was refused as an array method without a rule.
"""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import UnsupportedSyntaxError
from s2sgrad.testing import check_grads

rng = np.random.default_rng(9)
X = rng.standard_normal(3)
W = rng.standard_normal((3, 3)) * 0.5


def extended_by_literals(x, W):
    hs = []
    h = x
    for t in range(3):
        h = np.tanh(W @ h)
        hs.extend([h, h * 2.0])
    return np.sum(np.stack(hs) ** 2)


def extended_by_plus(x, W):
    hs = [x]
    for t in range(3):
        hs += [np.cos(W @ hs[-1])]  # reads the list before the append, as Python does
    return np.sum(hs[-1]) + np.sum(hs[1] * hs[2])


def extended_by_another_list(x, W):
    gs = []
    for t in range(2):
        gs.append(W @ x * (t + 1.0))
    hs = []
    hs.append(x)
    hs.extend(gs)
    hs.extend((np.sin(x),))
    return np.sum(np.stack(hs) ** 2)


def two_lists_at_once(x, W):
    hs, gs = [], []
    for t in range(3):
        hs.append(np.sin(W @ x + t))
        gs.append(np.cos(x * t))
    s = 0.0
    for h, g in zip(hs, gs):
        s = s + np.sum(h * g)
    return s


def read_backwards(x, W):
    hs = []
    h = x
    for t in range(3):
        h = np.tanh(W @ h * 1.5)
        hs.append(h)
    s = 0.0
    for h in reversed(hs):
        s = s * 0.5 + np.sum(h ** 2)
    return s


def enumerate_backwards(x, W):
    hs = []
    for t in range(3):
        hs.append(np.sin(W @ x * t))
    s = 0.0
    for i, h in enumerate(reversed(hs)):
        s = s + (i + 1) * np.sum(h * x)
    return s


def zip_with_backwards(x, W):
    hs = []
    gs = []
    for t in range(3):
        hs.append(np.sin(x + t))
        gs.append(W @ x * t)
    s = 0.0
    for g, h in zip(gs, reversed(hs)):
        s = s + np.sum(g * h)
    return s


def backwards_over_containers(p):
    s = 0.0
    for k in reversed(p['d']):  # a dict's keys, last first
        s = s * 0.5 + np.sum(p['d'][k] ** 2)
    h = p['x']
    for i, V in enumerate(reversed(p['layers'])):
        h = np.tanh(V @ h) * (i + 1)
    for row in reversed(p['layers'][0]):
        s = s * 0.5 + np.sum(row * h)
    return s


@pytest.mark.parametrize("fn", [extended_by_literals, extended_by_plus, extended_by_another_list,
                                two_lists_at_once, read_backwards, enumerate_backwards, zip_with_backwards])
def test_lists_match_finite_differences(fn):
    check_grads(differentiate(fn, wrt=("x", "W")), (X, W))


def test_containers_backwards_match_finite_differences():
    p = {'x': X, 'layers': [W, W.T * 0.7], 'd': {'a': X * 2, 'b': X[:2], 'c': W}}
    check_grads(differentiate(backwards_over_containers, wrt="p"), (p,))


def test_known_numbers_backwards():
    # hs = [sin(0), sin(x), sin(2x)] at W = I; reversed with weights 1, 2, 3
    x = np.array([0.3, -0.2, 0.5])
    g = differentiate(enumerate_backwards, wrt="x").grad(x, np.eye(3))
    want = 3 * np.sin(0 * x) + 2 * (np.sin(x) + x * np.cos(x)) + 1 * (np.sin(2 * x) + 2 * x * np.cos(2 * x))
    np.testing.assert_allclose(g, want)


def test_the_generated_code_reads_like_the_source():
    src = differentiate(read_backwards, wrt="x").compiled_for(X, W).value_and_grad_source
    assert "for i_h in range(len(hs) - 1, -1, -1):" in src
    src = differentiate(extended_by_literals, wrt="x").compiled_for(X, W).value_and_grad_source
    assert src.count("hs.append(") == 2 and "hs.append(h)" in src


def popped_at(x):
    hs = []
    for t in range(3):
        hs.append(x * t)
    h = hs.pop(0)
    return np.sum(h)


def inserted(x):
    hs = [x]
    hs.insert(0, x * 2.0)
    return np.sum(hs[0] * hs[1])


def extended_by_itself(x):
    hs = [x]
    hs.extend(hs)
    return np.sum(hs[1])


@pytest.mark.parametrize("fn, words, line", [
    (popped_at, "hs.pop(i) of a list built at run time", "h = hs.pop(0)"),
    (inserted, "hs.insert() changes the container 'hs'", "hs.insert(0, x * 2.0)"),
    (extended_by_itself, "extending the list 'hs' with items read from 'hs' itself", "hs.extend(hs)"),
])
def test_changes_other_than_appends_are_refused(fn, words, line):
    with pytest.raises(UnsupportedSyntaxError) as e:
        differentiate(fn).grad(X)
    assert words in str(e.value) and line in str(e.value)


def test_plus_on_an_array_is_still_addition():
    def f(x):
        y = x * 1.0
        y += [1.0, 2.0, 3.0]  # an array: numpy adds elementwise
        return np.sum(y * y)
    g = differentiate(f).grad(X)
    np.testing.assert_allclose(g, 2 * (X + [1.0, 2.0, 3.0]))


def slices_read_by_element(x, W):
    hs = [x]
    for t in range(3):
        hs.append(np.tanh(W @ hs[-1]))
    loss = 0.0
    for t, h in enumerate(hs[1:]):
        loss += np.sum(h * t)
    for a, b in zip(hs[1:], hs[:-1]):
        loss += np.sum(a * b)
    for h in hs[::-2]:
        loss += np.sum(h ** 2)
    return loss


def test_slices_of_a_list_read_by_element():
    # (a slice of a list built at run time was refused as 'a new list'; passes/list_slices.py)
    check_grads(differentiate(slices_read_by_element, wrt=("x", "W")), (X, W))
    src = differentiate(slices_read_by_element, wrt="x").compiled_for(X, W).value_and_grad_source
    assert "seq_at = range(len(hs))[1:]" in src and "h = hs[h_at]" in src


def slice_used_whole(x):
    hs = [x, x * 2.0, x * 3.0]
    hs.append(np.sin(x))
    return np.sum(np.stack(hs[1:]) ** 2) + sum(hs[::-2])[0]


def test_a_slice_of_a_list_used_whole_is_a_list_of_its_own():
    # (refused as 'a new list' before: passes/list_slices._copied writes the loop appending its elements)
    check_grads(differentiate(slice_used_whole), (X,))


def test_a_slice_of_a_list_used_whole_in_a_loop_is_still_refused():
    def f(x):
        hs = [x, x * 2.0, x * 3.0]
        tot = 0.0
        for k in range(2):
            tail = hs[k:]
            tot = tot + np.sum(np.stack(tail))
            hs.append(x * tot)
        return tot
    with pytest.raises(UnsupportedSyntaxError, match="a slice of the list 'hs'"):
        differentiate(f).grad(X)


def popped_literal(x):
    terms = [np.sum(x ** 2), 1e-2 * np.sum(np.abs(x)), np.sum(np.sin(x))]
    last = terms.pop()
    first = terms.pop(0)
    return terms[0] + last * first + len(terms)


def popped_through_another_name(x):
    terms = [x, 2.0 * x]
    other = terms
    terms.pop()
    return np.sum(other[-1])


def test_pop_of_a_list_literal():
    # (a list literal the function never appends to is known when compiling: pop reads it)
    check_grads(differentiate(popped_literal), (X,))
    with pytest.raises(UnsupportedSyntaxError, match=r"would also change 'other' .* \(terms = list\(terms\)\)"):
        differentiate(popped_through_another_name).grad(X)


def stack_machine(x, W):
    hs = []
    h = x
    for t in range(4):
        h = np.tanh(W @ h)
        hs.append(h)
    top = hs.pop()
    nxt = hs.pop()
    hs.append(top * nxt)
    s = 0.0
    for g in hs:
        s = s + np.sum(g ** 2)
    return s + np.sum(hs[-1])


def popped_in_a_loop(x, W):
    hs = [x, W @ x, 3.0 * x]
    hs.append(x ** 2)
    s = 0.0
    for i in range(3):
        v = hs.pop()
        s = s + np.sum(v * (i + 1))
    return s + np.sum(hs[0])


def test_pop_of_a_list_built_at_run_time():
    # (it was refused; the reverse sweep puts the element back: pos_hs = pos_hs + 1)
    check_grads(differentiate(stack_machine, wrt=("x", "W")), (X, W))
    check_grads(differentiate(popped_in_a_loop, wrt=("x", "W")), (X, W))
    src = differentiate(popped_in_a_loop, wrt="x").compiled_for(X, W).value_and_grad_source
    assert "v = hs[-1]\n        hs.pop()" in src and "pos_hs = pos_hs + 1" in src


def test_changes_a_pop_would_hide_are_refused_and_a_loop_before_a_pop_runs():
    def loop_then_pop(x):
        hs = [x, 2.0 * x]
        hs.append(x)
        s = 0.0
        for h in hs:
            s = s + np.sum(h)
        hs.pop()
        return s

    def concatenated(x):
        hs = [x, 2.0 * x]
        hs.append(x)
        hs.pop()
        return np.sum(np.concatenate(hs))
    # (a loop over the list before it is popped: its count bound before it, passes/list_trips.py)
    check_grads(differentiate(loop_then_pop), (X,))
    with pytest.raises(UnsupportedSyntaxError, match="np.concatenate of the list 'hs', which is popped from"):
        differentiate(concatenated).grad(X)


def trajectory(x):
    traj = [x]
    y = x
    for i in range(3):
        y = np.sin(y) * 1.5
        traj.append(y)
    traj = np.array(traj)  # the name moves on to the stacked array
    return np.sum(traj ** 2) + np.sum(traj[-1])


def test_a_list_name_bound_again_once_the_list_is_built():
    # (it was refused as 'the list traj is changed other than by append()'; passes/list_names.py)
    check_grads(differentiate(trajectory), (X,))

    def appended_after(x):
        traj = [x]
        traj = np.array(traj)
        traj.append(x)
        return np.sum(traj)
    with pytest.raises(UnsupportedSyntaxError, match="the list 'traj' is changed other than by append"):
        differentiate(appended_after).grad(X)
