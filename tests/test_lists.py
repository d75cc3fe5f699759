"""Lists of arrays built at run time (issue 10, item 3): append in a loop, reads by index (also
negative, also the loop counter), for over the list, np.stack / np.concatenate / np.array of it,
builtin sum, list comprehensions, reversed."""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate

rng = np.random.default_rng(5)
W = rng.standard_normal((4, 4)) * 0.5
U = rng.standard_normal((4, 3))
XS = rng.standard_normal((6, 3))


def fd_dir(fn, args, i, d, eps=1e-6):
    a1, a2 = list(args), list(args)
    a1[i] = args[i] + eps * d
    a2[i] = args[i] - eps * d
    return (fn(*a1) - fn(*a2)) / (2 * eps)


def check(fn, args, wrt_idx):
    f = differentiate(fn, wrt=tuple(wrt_idx))
    value, grads = f.value_and_grad(*args)
    assert value == pytest.approx(fn(*args), rel=1e-13)
    grads = grads if isinstance(grads, tuple) else (grads,)
    for i, g in zip(wrt_idx, grads):
        d = rng.standard_normal(np.shape(args[i]))
        assert np.sum(g * d) == pytest.approx(fd_dir(fn, args, i, d), rel=1e-6, abs=1e-9)
    return f


def rnn(W, U, xs):
    hs = []
    h = np.zeros(4)
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + U @ xs[t])
        hs.append(h)
    H = np.stack(hs)
    return np.sum(H ** 2) + np.sum(hs[-1]) + np.sum(hs[0] * hs[2])


def test_rnn_with_a_list_of_hidden_states():
    f = check(rnn, (W, U, XS), (0, 1))
    assert "hs.append(h)" in f.grad_source


def comprehension_and_sum(W, xs):
    outs = [np.tanh(W[:, :3] @ x) for x in xs]
    total = sum([np.sum(o * o) for o in outs])
    flat = np.concatenate(outs)
    return total + np.sum(flat * np.arange(24.0)) + np.sum(np.array(outs)[1])


def test_comprehension_sum_concatenate_array():
    check(comprehension_and_sum, (W, XS), (0,))


def loop_over_list(W, xs):
    hs = []
    for t in range(xs.shape[0]):
        hs.append(np.sin(W[:, :3] @ xs[t]))
    acc = 0.0
    for h in hs:
        acc = acc + np.sum(h * h)
    for k in range(len(hs)):
        acc = acc + np.sum(hs[k]) * (k + 1.0)
    return acc


def test_for_over_the_list_and_indexing_with_the_counter():
    check(loop_over_list, (W, XS), (0,))


def rebuilt_in_a_loop(W, xs):
    total = 0.0
    for t in range(2):
        hs = []
        hs.append(W)
        total = total + np.sum(hs[0])
    return total


def popped_at(W):
    hs = []
    hs.append(W)
    hs.pop(0)  # (pop() of the last element is supported: test_list_building.py)
    return np.sum(W)


def rebuilt_and_read_after(W, xs):
    total = 0.0
    for t in range(2):
        hs = []
        hs.append(W * t)
        total = total + np.sum(hs[0])
    return total + np.sum(hs[0])  # (the last pass's list, read after the loop)


def test_a_list_made_in_each_pass_of_a_loop():
    # (refused before: "created inside a loop"; one pass's list now, ad/lists.loop_lists)
    from s2sgrad.testing import check_grads
    check_grads(rebuilt_in_a_loop, (W, XS), wrt=0)
    np.testing.assert_allclose(differentiate(rebuilt_in_a_loop, wrt=0).grad(W, XS), np.full(W.shape, 2.0))


def test_lists_used_otherwise_are_refused_at_their_line():
    with pytest.raises(s2sgrad.UnsupportedSyntaxError, match="created inside a loop"):
        differentiate(rebuilt_and_read_after).grad(W, XS)
    with pytest.raises(s2sgrad.S2SGradError, match=r"hs.pop\(i\) of a list built at run time"):
        differentiate(popped_at).grad(W)
