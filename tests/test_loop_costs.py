"""A reverse loop costs the same per iteration however long it runs: no adjoint is copied whole
inside it.  A recurrence over the rows of an array the function builds (`a[t] = tanh(a[t-1] * w)`)
whose adjoint enters the loop as an alias (the caller's seed, or another variable's adjoint) was
copied whole (`grad_a = np.full_like(a, grad_a)`) at every reverse iteration: quadratic in T."""
import re

import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.testing import check_grads, record_counts


def returns_rows(x, w):
    a = np.zeros_like(x)
    a[0] = x[0]
    for t in range(1, x.shape[0]):
        a[t] = np.tanh(a[t - 1] * w + x[t])
    return a


def through_an_alias(x, w):
    a = np.zeros_like(x)
    a[0] = x[0]
    for t in range(1, x.shape[0]):
        a[t] = np.tanh(a[t - 1] * w + x[t])
    b = a * 1.0
    return np.sum(b * b)


def nested(x, w):
    a = x * 1.0
    for k in range(2):
        for t in range(1, x.shape[0]):
            a[t] = np.tanh(a[t - 1] * w) + a[t]
    c = a * 1.0
    return np.sum(c * c)


def _loop_bodies(src):
    """The text of every `for ... in reversed(...)` body of the generated reverse sweep."""
    lines = src.splitlines()
    out = []
    for i, line in enumerate(lines):
        if re.match(r"\s*for .* in reversed\(", line):
            indent = len(line) - len(line.lstrip())
            body = []
            for nxt in lines[i + 1:]:
                if nxt.strip() and len(nxt) - len(nxt.lstrip()) <= indent:
                    break
                body.append(nxt)
            out.append("\n".join(body))
    return out


@pytest.mark.parametrize("fn", [returns_rows, through_an_alias, nested])
def test_no_adjoint_is_copied_whole_inside_a_reverse_loop(fn):
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((6, 3)) * 0.5, rng.standard_normal(3)
    f = differentiate(fn, wrt=("x", "w"))
    check_grads(f, (x, w))  # (a random seed for the rows returned: the seeded variant)
    c = f.compiled_for(x, w)
    for src in (c.value_and_grad_source, c.seeded_source):
        bodies = _loop_bodies(src)
        assert bodies, src
        for body in bodies:
            assert not re.search(r"np\.(full_like|zeros_like|copy)\(|grad_\w+ = grad_\w+\.copy\(\)", body), src


def test_the_recurrence_records_one_step_per_iteration_and_nothing_whole():
    x, w = np.full((50, 4), 0.1), np.full(4, 0.5)
    f = differentiate(returns_rows, wrt=("x", "w"))
    counts = record_counts(f, x, w, seed=np.ones_like(x))
    # the per-step tuple only: the copy per iteration read `a` and made its rows be saved too
    assert counts == {"saved_per_t": 49}, counts
