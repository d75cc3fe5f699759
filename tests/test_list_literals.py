"""Lists of arrays the structure fuzzer found refused: a list that starts from a literal and is
appended to (`hs = [x]`), and a list read in an `if` or `while` test (`if np.sum(np.stack(hs)) > 0`),
which was refused with a message recommending the np.stack it refused.  Each is checked against
the plain function and finite differences (values, gradients, forward mode)."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.testing import check_grads


def stacked_in_tests(W, x):
    hs = []
    h = x
    for t in range(3):
        h = np.tanh(W @ h)
        hs.append(h)
        if np.max(np.stack(hs)) > 0.9:
            h = h * 0.5
    if np.sum(np.stack(hs)) > 0:
        h = h * 2.0
    while np.sum(sum(hs)) > 1.0 and len(hs) < 6:
        h = h * 0.7
        hs.append(h)
    return np.sum(h * hs[-1])


def starts_with_the_input(W, x):
    hs = [x]
    h = x
    for t in range(3):
        h = np.tanh(W @ h)
        hs.append(h)
    return np.sum(np.stack(hs) ** 2) + np.sum(hs[0] * hs[-1])


def two_literals_then_more(W, x):
    hs = [x, W @ x]
    hs.append(np.sin(hs[1]))
    total = 0.0
    for h in hs:
        total = total + np.sum(h * h)
    return total * len(hs)


def in_a_helper(W, x):
    def run(v):
        out = [v]
        out.append(np.tanh(W @ v))
        return np.concatenate(out)
    return np.sum(run(x) ** 3)


@pytest.mark.parametrize("fn", [stacked_in_tests, starts_with_the_input, two_literals_then_more, in_a_helper],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("scale", [0.2, 1.0, -1.0])
def test_list_literals_and_lists_in_tests(fn, scale):
    rng = np.random.default_rng(5)
    W, x = rng.standard_normal((4, 4)), scale * rng.standard_normal(4)
    check_grads(differentiate(fn, wrt=("W", "x")), (W, x))


def test_stacked_in_tests_takes_each_branch():
    """(the parametrisation above runs the if's and the while's both ways)"""
    rng = np.random.default_rng(5)
    W, x0 = rng.standard_normal((4, 4)), rng.standard_normal(4)
    seen = set()
    for scale in (0.2, 1.0, -1.0):
        h, hs = scale * x0, []
        for t in range(3):
            h = np.tanh(W @ h)
            hs.append(h)
            seen.add(("max", bool(np.max(np.stack(hs)) > 0.9)))
            h = h * 0.5 if np.max(np.stack(hs)) > 0.9 else h
        seen.add(("sum", bool(np.sum(np.stack(hs)) > 0)))
        seen.add(("while", bool(np.sum(sum(hs)) > 1.0)))
    assert seen == {(k, v) for k in ("max", "sum", "while") for v in (True, False)}, seen


def test_the_literal_is_the_first_appends():
    d = differentiate(starts_with_the_input, wrt=("W", "x"))
    d.grad(np.eye(4), np.ones(4))
    src = d.grad_source
    assert "hs = []\n    hs.append(x)\n" in src and "# grad of: hs = [x]" in src, src


def rebound_reading_its_old_length(x):
    lst = [x, x]
    lst = [x * len(lst), x]  # the old list's length: 2
    lst.append(x)
    return np.sum(np.stack(lst)[0])


def rebound_reading_its_old_items(x):
    lst = [x]
    lst.append(x * 2.0)
    lst = [lst[1], lst[0] * 3.0, np.sum(np.stack(lst), axis=0)]
    lst.append(x)
    return np.sum(np.stack(lst) ** 2)


@pytest.mark.parametrize("fn", [rebound_reading_its_old_length, rebound_reading_its_old_items],
                         ids=lambda f: f.__name__)
def test_a_list_rebound_to_a_literal_reads_the_old_list_in_its_elements(fn):
    """`hs = [f(hs), ...]` of a list the function appends to: the elements read the list hs held
    before (Python evaluates them first).  They read the new, empty list: 0.0 for 6.0, silently,
    and an IndexError or numpy's 'need at least one array to stack' (found by fuzz_struct seed 22)."""
    x = np.array([0.5, 1.5, 2.5])
    v, g = differentiate(fn).value_and_grad(x)
    assert v == pytest.approx(fn(x), rel=1e-13)
    check_grads(differentiate(fn), (x,))
