"""Dynamic-programming tables and assembly loops whose sizes or indices are known only at run time
(the fourth survey's CTC loss and truss, refused before):
- `alpha[t - 1, s]` of `alpha = np.full((T, S), ...)` with S = len(a run-time list) is one number,
  not a view (the rank of a table sized at run time is known: passes/shapes.py);
- a run-time list of ints read inside an index (`logp[t, ext[s]]`) needs no adjoint;
- a helper building a list, inlined twice, makes two lists (passes/list_names.py);
- `K[di, dj] += ke[i, j]` with di read from a module-level list of tuples is checked when it runs
  (runtime.check_distinct): an int passes, a repeated integer array is refused there."""
import os
import sys

import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import ArgumentError
from s2sgrad.testing import check_grads

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "real_programs"))
from harness import load  # noqa: E402


# the fourth survey's CTC loss itself: its forward table, and its batch of two sequences
CTC = load("s16_ctc_loss")


RNG = np.random.default_rng(11)


def test_table_sized_at_run_time():
    logits = RNG.standard_normal((7, 5))
    check_grads(CTC.ctc_neg_log_lik, (logits, [1, 2, 2]), wrt=0)
    check_grads(CTC.ctc_neg_log_lik, (logits, [3]), wrt=0)  # (another length, the same compiled code)


def test_helper_building_a_list_inlined_twice():
    W = 0.5 * RNG.standard_normal((3, 5))
    xs = [RNG.standard_normal((6, 3)), RNG.standard_normal((5, 3))]
    check_grads(CTC.batch_ctc, (W, xs, [[1, 2], [3, 1, 1]]), wrt=0)


PAIRS = [(0, 1), (1, 2), (0, 2)]


def assemble(k, n):
    K = np.eye(n)
    for (a, b), kk in zip(PAIRS, k):
        for di in (a, b):
            for dj in (a, b):
                K[di, dj] += kk if di == dj else -kk
    return np.linalg.slogdet(K)[1]


def test_write_through_indices_read_from_a_list_of_tuples():
    k = RNG.uniform(0.5, 1.5, 3)
    check_grads(assemble, (k, 3))
    s = 1.0 + k[0] + k[2]  # K[0, 0] after the loop: d logdet / d k0 by hand from the adjugate
    K = np.eye(3)
    for (a, b), kk in zip(PAIRS, k):
        K[np.ix_([a, b], [a, b])] += kk * np.array([[1, -1], [-1, 1]])
    Kinv = np.linalg.inv(K)
    g0 = Kinv[0, 0] + Kinv[1, 1] - 2 * Kinv[0, 1]
    np.testing.assert_allclose(differentiate(assemble, wrt=0).grad(k, 3)[0], g0, rtol=1e-10)
    assert s > 0


ROWS = [(0, 1), (1, 1)]


def repeated(x):
    y = np.zeros(3)
    for pos in ROWS:  # pos a tuple: y[(1, 1)] is y[1, 1] of a 2-d array, y[np.array(pos)] repeats
        y[np.array(pos)] = x[: 2]
    return np.sum(y * np.arange(3.0))


def test_a_repeated_index_known_at_run_time_is_refused_when_it_runs():
    with pytest.raises(ArgumentError, match="names a position twice"):
        differentiate(repeated).grad(np.ones(4))


def read_while_growing(x, n):
    st = [0]
    y = 0.0
    for t in range(n):
        y = y + x[st[-1]] * t  # (the reverse sweep would read st[-1] of the grown list)
        st.append(t % 3)
    return y


def test_a_list_of_ints_changed_after_an_inline_read_is_refused():
    from s2sgrad.errors import S2SGradError
    with pytest.raises(S2SGradError, match="the list 'st'"):
        differentiate(read_while_growing).grad(np.ones(4), 5)
