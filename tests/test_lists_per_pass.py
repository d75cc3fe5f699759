"""Lists made anew in a pass of a loop with a `break`, or in a branch inside a loop (survey programs
x06 and x14: Gauss-Newton rows rebuilt in each pass of a converging loop; a helper's `sum` of a
generator called in both branches of an `if` in a loop over trials).  Each binding `L = []` records
the list it replaces and its reverse gives it back, so the reverse of a pass reads that pass's list
(ad/list_scopes.restored).  Gradients against central differences and forward mode (check_grads),
hvp against a difference of gradients, checkpointed gradients against the plain ones; the generated
code is read for the record and the restore.  (backend="numba" refuses lists of arrays built at run
time: their adjoint helpers have no numba version.)"""
import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


def rows_with_break(x, n):
    for _ in range(n):
        rows = []
        for k in range(3):
            rows.append(np.tanh(x * (k + 1)))
        dx = 0.1 * np.sum(np.array(rows), axis=0)
        x = x - dx
        if np.max(np.abs(dx)) < 0.05:
            break
    return np.sum(x ** 2)


def term(t, w):
    return sum(k * np.exp(-k * t) * np.sin(k * w) for k in range(1, 4))


def two_branches(w, ts, cs):
    tot = 0.0
    for t, c in zip(ts, cs):
        if c == 1:
            tot = tot + term(t, 1.0 - w)
        else:
            tot = tot + term(t, w) ** 2
    return tot


def both_sides_own_lists(x, w):
    total = 0.0
    for i in range(4):
        if x[i] > 0:
            terms = [x[i] * w[k] for k in range(3)]
            total = total + sum(terms) * x[i]
        else:
            parts = []
            for k in range(2):
                parts.append(np.sin(x[i] * w[k]))
            total = total + np.sum(np.stack(parts) ** 3) + parts[-1] * parts[0]
    return total


def branch_in_loop_with_break(x):
    y = x
    for it in range(6):
        if np.sum(y) > 0:
            cols = []
            for k in range(2):
                cols.append(y * (0.3 + k))
            y = y - 0.2 * np.concatenate(cols)[: y.shape[0]] ** 2
        else:
            y = y + 0.1
        if np.sum(np.abs(y)) < 0.2:
            break
    return np.sum(np.sin(y))


def nested_passes(x, w):
    out = 0.0
    for i in range(3):
        for j in range(3):
            if (i + j) % 2 == 0:
                acc = []
                for k in range(2):
                    acc.append(x[j] * w[k] + i)
                    if k == 1:
                        acc.append(acc[0] * acc[1])
                out = out + sum(acc) ** 2 / 10.0
    return out


def gauss_newton(ranges, anchors, x0):
    x = x0.copy()
    for it in range(20):
        rows, res = [], []
        for a, rho in zip(anchors, ranges):
            d = x - a
            r = np.linalg.norm(d)
            rows.append(d / r)
            res.append(rho - r)
        H, dr = np.array(rows), np.array(res)
        dx = np.linalg.solve(H.T @ H, H.T @ dr)
        x = x + dx
        if np.linalg.norm(dx) < 1e-10:
            break
    return np.sum((x - np.array([0.3, 0.4])) ** 2)


RNG = np.random.default_rng(17)
ANCHORS = [np.array([0.0, 0.0]), np.array([2.0, 0.1]), np.array([0.2, 1.9]), np.array([1.8, 2.2])]
TRUTH = np.array([0.7, 0.9])
RANGES = np.array([np.linalg.norm(TRUTH - a) for a in ANCHORS]) + 0.01 * RNG.standard_normal(4)

def loops_over_a_pass_list_in_nested_loops(x):
    tot = 0.0
    for j in range(2):
        for i in range(2):
            L = []
            for k in range(2):
                L.append(x * (k + i + j))
            for h in L:  # (refused before: "appended to later (or in a loop around it)")
                tot = tot + np.sum(h ** 2) * (i + 1)
    return tot


def one_name_in_two_loops(x):
    tot = 0.0
    for i in range(3):
        L = [x[i] * k for k in range(2)]
        tot = tot + L[1] * L[0] + np.sum(x) * L[1]
    for i in range(3):
        L = [x[i] ** 2 for k in range(2)]
        tot = tot + L[0] * L[1]
    return tot

def one_name_in_two_branches(x):
    tot = 0.0
    for i in range(3):
        if x[i] > 0:
            L = []
            L.append(x[i] * 2.0)
            L.append(np.sin(x[i]))
            tot = tot + L[0] * L[1]
        else:
            L = []
            L.append(x[i] ** 3)
            tot = tot + L[-1]
    return tot

def one_name_in_both_branches(x):
    if x[0] > 0:
        L = [x * 2.0]
        y = L[0]
    else:
        L = [x * 3.0, x]
        y = L[1] * L[0]
    return np.sum(y)


CASES = [
    (rows_with_break, (np.array([0.4, -0.7, 1.1]), 8), ("x",)),  # breaks after a few passes
    (rows_with_break, (np.array([0.4, -0.7, 1.1]), 2), ("x",)),  # never breaks
    (two_branches, (0.4, np.array([0.3, 0.5, 0.2, 0.9]), np.array([0, 1, 1, 0])), ("w",)),
    (both_sides_own_lists, (np.array([0.5, -0.3, 1.2, -0.8]), np.array([0.7, -1.1, 0.4])), ("x", "w")),
    (branch_in_loop_with_break, (np.array([0.6, 0.2, -0.1]),), ("x",)),
    (branch_in_loop_with_break, (np.array([-0.6, 0.05, -0.1]),), ("x",)),
    (nested_passes, (np.array([0.5, -0.3, 1.2]), np.array([0.7, -1.1])), ("x", "w")),
    (gauss_newton, (RANGES, ANCHORS, np.array([1.0, 1.0])), ("ranges",)),
    (loops_over_a_pass_list_in_nested_loops, (np.array([0.3, -0.6]),), ("x",)),
    # one name for the lists of two loops or branches (refused before: "created twice")
    (one_name_in_two_loops, (np.array([0.3, -0.5, 1.2]),), ("x",)),
    (one_name_in_two_branches, (np.array([0.3, -0.5, 1.2]),), ("x",)),
    (one_name_in_both_branches, (np.array([0.3, -0.5, 1.2]),), ("x",)),
    (one_name_in_both_branches, (np.array([-0.3, -0.5, 1.2]),), ("x",)),
]
IDS = [f"{f.__name__}-{i}" for i, (f, _, _) in enumerate(CASES)]


@pytest.mark.parametrize("fn,args,wrt", CASES, ids=IDS)
def test_gradients_against_finite_differences_and_forward_mode(fn, args, wrt):
    check_grads(fn, args, wrt=list(wrt))


@pytest.mark.parametrize("fn,args,wrt", CASES, ids=IDS)
def test_checkpointed_gradients_equal_the_plain_ones(fn, args, wrt):
    plain = differentiate(fn, wrt=list(wrt)).value_and_grad(*args)
    ck = differentiate(fn, wrt=list(wrt), checkpoint=True).value_and_grad(*args)
    assert ck[0] == plain[0]
    for a, b in zip(np.atleast_1d(ck[1]) if len(wrt) == 1 else ck[1], np.atleast_1d(plain[1]) if len(wrt) == 1
                    else plain[1]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("fn,args,wrt", [c for c in CASES if c[0] is not gauss_newton],
                         ids=[i for i, c in zip(IDS, CASES) if c[0] is not gauss_newton])
def test_hvp_against_a_difference_of_gradients(fn, args, wrt):
    i = fn.__code__.co_varnames.index(wrt[0])
    v = np.random.default_rng(3).standard_normal(np.shape(args[i]))
    hv = s2sgrad.hvp(fn, args, v, wrt=i)
    g = differentiate(fn, wrt=wrt[0]).grad
    eps = 1e-6
    up, down = list(args), list(args)
    up[i], down[i] = args[i] + eps * v, args[i] - eps * v
    np.testing.assert_allclose(hv, (g(*up) - g(*down)) / (2 * eps), rtol=1e-5, atol=1e-7)


def test_the_reverse_of_a_pass_gets_its_own_list_back():
    src = differentiate(rows_with_break).grad_source
    assert "saved_rows.append(rows)\n        rows = []" in src
    assert "pos_rows = len(rows)" in src and "rows = saved_rows.pop()" in src
    # the pass's list comes back before the reverse of the pass before it reads its length
    assert src.index("rows = saved_rows.pop()") > src.index("pos_rows = len(rows)")


def read_after_the_loop(x):
    for i in range(5):
        rows = []
        for k in range(2):
            rows.append(x * k)
        x = x - 0.1 * np.sum(np.array(rows), axis=0)
        if np.sum(x) < 0:
            break
    return np.sum(np.array(rows))


def test_a_list_of_a_pass_read_after_the_loop_is_refused_at_its_line():
    with pytest.raises(S2SGradError, match=r"created inside a loop or a branch, and s2sgrad cannot tell which list") as e:
        differentiate(read_after_the_loop).grad(np.array([0.5, -0.2, 0.3]))
    assert "rows = []" in str(e.value)
