"""Dynamic-programming tables and assembly loops whose sizes or indices are known only at run time
(the fourth survey's CTC loss and truss, refused before):
- `alpha[t - 1, s]` of `alpha = np.full((T, S), ...)` with S = len(a run-time list) is one number,
  not a view (the rank of a table sized at run time is known: passes/shapes.py);
- a run-time list of ints read inside an index (`logp[t, ext[s]]`) needs no adjoint;
- a helper building a list, inlined twice, makes two lists (passes/list_names.py);
- `K[di, dj] += ke[i, j]` with di read from a module-level list of tuples is checked when it runs
  (runtime.check_distinct): an int passes, a repeated integer array is refused there."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import ArgumentError
from s2sgrad.testing import check_grads


def ctc_like(logp, labels):
    T = logp.shape[0]
    ext = [0]
    for l in labels:
        ext += [l, 0]
    S = len(ext)
    alpha = np.full((T, S), -1e30)
    alpha[0, 0] = logp[0, ext[0]]
    alpha[0, 1] = logp[0, ext[1]]
    for t in range(1, T):
        for s in range(S):
            a = alpha[t - 1, s]
            if s >= 1:
                a = np.logaddexp(a, alpha[t - 1, s - 1])
            if s >= 2 and ext[s] != 0 and ext[s] != ext[s - 2]:
                a = np.logaddexp(a, alpha[t - 1, s - 2])
            alpha[t, s] = a + logp[t, ext[s]]
    return -np.logaddexp(alpha[T - 1, S - 1], alpha[T - 1, S - 2])


def two_sequences(W, xs, label_seqs):
    return sum(ctc_like(np.log(softmax(x @ W)), lab) for x, lab in zip(xs, label_seqs))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


RNG = np.random.default_rng(11)


def test_table_sized_at_run_time():
    logp = np.log(softmax(RNG.standard_normal((7, 4))))
    check_grads(ctc_like, (logp, [1, 2, 2]))
    check_grads(ctc_like, (logp, [3]))  # (another length, the same compiled code)


def test_helper_building_a_list_inlined_twice():
    W = 0.5 * RNG.standard_normal((3, 4))
    xs = [RNG.standard_normal((6, 3)), RNG.standard_normal((5, 3))]
    check_grads(two_sequences, (W, xs, [[1, 2], [3, 1, 1]]))


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
