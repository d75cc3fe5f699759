"""Lists of tuples built at run time (passes/list_tuples.py) and a second name given to a built
list (passes/list_names.py): `joints = forward_kinematics(angles)` where the helper appends
`(x, y)` pairs, then `ex, ey = joints[-1]` or `for ex, ey in joints`.

Before, both were refused ('the list ... used here in a way s2sgrad cannot differentiate',
'indexing into a tuple or list of differentiable values')."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

rng = np.random.default_rng(21)
A = rng.standard_normal(4)
M = rng.standard_normal((3, 3)) * 0.5


def chain(angles, links=(1.0, 0.8, 0.5, 0.3)):
    x, y, phi = 0.0, 0.0, 0.0
    joints = [(x, y)]
    for theta, L in zip(angles, links):
        phi = phi + theta
        x = x + L * np.cos(phi)
        y = y + L * np.sin(phi)
        joints.append((x, y))
    return joints


def last_joint(a):
    joints = chain(a)
    ex, ey = joints[-1]
    return (ex - 1.2) ** 2 + (ey - 1.1) ** 2


def every_joint(a):
    joints = chain(a)
    s = 0.0
    for k, (px, py) in enumerate(joints):
        s = s + (k + 1.0) * px * py
    return s + len(joints)


def pairs_of_arrays(x, W):
    states = []
    h = x
    for t in range(3):
        z = W @ h
        h = np.tanh(z)
        states.append((z, h))
    loss = 0.0
    for z, h in reversed(states):
        loss = loss + np.sum(z * h)
    z0, h0 = states[0]
    return loss + np.sum(h0 ** 3) + np.sum(states[1][0])


def read_then_index_rebound(a):
    ps = []
    for t in range(3):
        ps.append((np.sin(a[t]), a[t] ** 2))
    i = 0
    p = ps[i]  # the parts are the element at i = 0, whatever i becomes
    i = 2
    return p[0] * 3.0 + p[-1] + ps[i][1]


def alias_still_growing(a):
    hs = []
    alias = hs
    for t in range(3):
        hs.append(a[t] * a[t + 1])
    return np.sum(np.stack(alias) ** 2) + alias[-1]


def trajectory(a):
    traj = []
    x, v = 1.0, 0.0
    for t in range(4):
        v = v - 0.1 * a[t] * x
        x = x + 0.1 * v
        traj.append([x, v])
    path = np.array(traj)
    return np.sum(path[:, 0] ** 2) + np.sum(np.stack(traj)[1:, 1]) + len(traj)


def pairs_into_concatenate(a):
    ps = []
    for t in range(3):
        ps.append((np.sin(a[t]), a[t + 1] ** 2))
    return np.sum(np.concatenate(ps) * np.arange(6.0))


def alias_rebound(a):
    hs = []
    hs.append(a * 2.0)
    alias = hs
    alias = [a]
    return np.sum(hs[0] * alias[0])


@pytest.mark.parametrize("fn", [last_joint, every_joint, read_then_index_rebound, alias_still_growing, trajectory,
                                pairs_into_concatenate, alias_rebound])
def test_against_finite_differences(fn):
    check_grads(differentiate(fn), (A,))


def test_pairs_of_arrays():
    check_grads(differentiate(pairs_of_arrays, wrt=("x", "W")), (A[:3], M))


def test_known_numbers():
    # one joint: (cos a, sin a); d/da of (cos a - 1.2)^2 + (sin a - 1.1)^2 = 2.4 sin a - 2.2 cos a
    def one(a):
        joints = [(0.0, 0.0)]
        joints.append((np.cos(a), np.sin(a)))
        ex, ey = joints[-1]
        return (ex - 1.2) ** 2 + (ey - 1.1) ** 2
    a = 0.7
    assert np.isclose(differentiate(one).grad(a), 2.4 * np.sin(a) - 2.2 * np.cos(a), rtol=1e-12)


def test_generated_code_reads_a_list_per_position():
    d = differentiate(last_joint)
    d.grad(A)
    assert "chain_joints_0.append(chain_x)" in d.grad_source and "chain_joints_1.append(chain_y)" in d.grad_source


def uneven(a):
    ps = []
    ps.append((a[0], a[1]))
    ps.append((a[2],))
    return ps[0][0] * ps[1][0]


def tuple_used_whole(a):
    ps = []
    for t in range(3):
        ps.append((a[t], a[t] * 2.0))
    return np.sum(np.array(ps[-1]))


def summed_pairs(a):
    ps = []
    for t in range(3):
        ps.append((a[t], a[t] * 2.0))
    return np.sum(sum(ps, ()))  # (tuples joined, not added)


def test_appended_tuples_without_parts_are_refused():
    """Before, the adjoint of an element appended as a tuple was silently dropped: the gradient of
    np.array(ps[-1])'s sum was 0 (finite differences 3), in reverse and in forward mode."""
    from s2sgrad import jvp
    for fn in (tuple_used_whole, summed_pairs):
        with pytest.raises(S2SGradError, match="appending a tuple or list of differentiable values"):
            differentiate(fn).grad(A)
        with pytest.raises(S2SGradError, match="appending a tuple or list of differentiable values"):
            jvp(fn, (A,), (np.ones(4),))


def test_uneven_tuples_are_refused():
    with pytest.raises(S2SGradError):
        differentiate(uneven).grad(A)


def mean_of_losses(a):
    losses = []
    for t in range(3):
        losses.append(np.sum((a * t - 1.0) ** 2))
    hs = []
    for t in range(2):
        hs.append(np.tanh(a * (t + 1.0)))
    return np.mean(losses) + np.sum(hs) + np.max(np.linalg.norm(hs, axis=1)) + np.std(losses)


def test_a_list_read_as_an_array_by_numpy():
    """np.mean(losses), np.sum(hs), np.linalg.norm(hs, axis=1): numpy reads the list as
    np.array(losses) (passes/list_arrays.py); before, refused ('the list 'losses' given to
    'np.mean' used here in a way s2sgrad cannot differentiate')."""
    check_grads(differentiate(mean_of_losses), (A,))


def changed_after_append(x):
    pts = []
    v = x * 1.0
    pts.append((v, x[0]))
    v *= 2.0  # the tuple in pts holds v's array: numpy changes it too
    a, b = pts[0]
    return np.sum(a) * b


def written_after_append(x):
    pts = []
    v = np.zeros(2)
    for i in range(2):
        v[0] = x[i]
        pts.append((v, x[i]))
    a, b = pts[0]
    return np.sum(a)


def test_an_array_in_an_appended_tuple_changed_in_place_is_refused():
    """Found by review: the alias fence saw arrays appended to a list, not arrays inside an appended
    tuple; the value was 3.0 for Python's 6.0 and the gradient [4, 1] for [8, 2]."""
    for fn in (changed_after_append, written_after_append):
        with pytest.raises(S2SGradError, match="the list 'pts' it was appended to"):
            differentiate(fn).grad(np.array([1.0, 2.0]))


# ---------------------------------------------------------------- a stack of tuples: pop() and L[i][j]

def _pava_program():
    """Pool-adjacent-violators as a statistics student writes it (corpus program o32): blocks
    [mean, weight, count] pushed, popped two at a time and merged while they violate the order."""
    import os
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "real_programs"))
    import harness
    return harness.load("o32_isotonic_pava_lists")


def test_a_stack_of_tuples_popped_and_read_by_position():
    rng = np.random.default_rng(32)
    x = np.sort(rng.uniform(0, 1, 12))
    y, w = x ** 2 + 0.15 * rng.standard_normal(12), rng.uniform(0.5, 2.0, 12)
    mod = _pava_program()
    d = differentiate(mod.calib_loss, wrt=("y", "w"))
    assert d.value_and_grad(y, w, x ** 2)[0] == pytest.approx(mod.calib_loss(y, w, x ** 2), rel=1e-14)
    check_grads(mod.calib_loss, (y, w, x ** 2), wrt=("y", "w"))
    assert len(set(np.round(mod.pava(y, w), 12))) < 12  # (some blocks pooled at this point)


def popped_pair(y):
    st = []
    for v in y:
        st.append((v, 2.0 * v))
    a, b = st.pop()
    t = st.pop()
    return a * b + t[0] * t[1] + len(st)


def test_unpacking_and_indexing_a_popped_tuple():
    y = np.array([0.1, 0.5, 0.3])
    g = differentiate(popped_pair).grad(y)
    np.testing.assert_allclose(g, [0.0, 4 * 0.5, 4 * 0.3], rtol=1e-15)
