"""`warnings.warn` in a differentiated function (a survey program, x06, warns when Gauss-Newton does
not converge): kept in the forward sweep, warned from the user's line and module (a filter keyed
on them, `filterwarnings('error', module=...)`, applies as it does to the plain function), once per
run -- a checkpointed loop's recomputed segment runs neither it nor print again."""
import warnings

import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.testing import check_grads


def damped(x, n):
    s = x * 1.0
    for i in range(n):
        if i == 4:
            warnings.warn(f"step {i}")
            warnings.warn("late", RuntimeWarning)
            print("printed", i)
        s = np.sin(s) + 0.1 * x
    return np.sum(s)


X = np.array([0.3, 0.5])


def test_warned_from_the_users_line_once_per_run(capsys):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        differentiate(damped, wrt="x", checkpoint=True).value_and_grad(X, 9)
    assert [(type(w.message), str(w.message)) for w in seen] == [(UserWarning, "step 4"), (RuntimeWarning, "late")]
    assert all(w.filename.endswith("test_warn_effects.py") and w.lineno in (19, 20) for w in seen)
    assert capsys.readouterr().out.count("printed 4") == 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_grads(damped, (X, 9), wrt="x")


def test_a_filter_on_the_users_module_applies():
    with warnings.catch_warnings():
        warnings.filterwarnings("error", module=__name__)
        with pytest.raises(UserWarning, match="step 4"):
            damped(X, 9)
        with pytest.raises(UserWarning, match="step 4"):
            differentiate(damped, wrt="x").value_and_grad(X, 9)
        assert s2sgrad.jvp(damped, (X, 2), (X, None))[0] == damped(X, 2)  # (no warning before step 4)
