"""Assignment expressions (`:=`, a survey program's blade-element loop: `change = max(abs(d := a_new
- a), ...)`, then `a = a + relax * d`).  The value is bound where Python evaluates it, in the
statement's prelude -- inside a branch of `and`/`or`/`if-else` only where Python evaluates that
branch -- so a statement that reads the name before its `:=` is refused (Python reads the old value
there).  In a comprehension the name is the function's, as in Python.  Gradients against central
differences and forward mode (s2sgrad.testing.check_grads)."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


def relaxed(x):
    if (s := np.sum(x ** 2)) > 0.1:
        out = s * 2.0
    else:
        out = -s
    change = max(abs(d := x[0] - x[1]), abs(x[2]))
    ys = [y for v in x if (y := np.sin(v)) > -2.0]
    n = 0
    w = x
    while (n := n + 1) < 3:
        w = np.tanh(w) * 1.5
    z = x[0] > 5.0 and (q := x[1] * 3.0) > 0.0  # (q never bound: Python stops at the first operand)
    return out + change * d + sum(ys) * y + np.sum(w) + float(z)


def reads_then_binds(x):
    d = x[0]
    return d + (d := x[1] * 2)


def test_assignment_expressions():
    x = np.array([0.3, -0.5, 0.7])
    assert differentiate(relaxed).value_and_grad(x)[0] == relaxed(x)
    check_grads(relaxed, (x,))


def test_a_name_read_before_its_assignment_expression_is_refused():
    with pytest.raises(S2SGradError, match="reads before it"):
        differentiate(reads_then_binds).grad(np.array([0.3, -0.5]))
