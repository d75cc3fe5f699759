"""The clear refusals of this stop's new constructs: each at the user's line, naming the construct
and what to write instead (the working forms are tested in test_loop_else.py, test_walrus.py,
test_match.py, test_survey8_regressions.py and test_warn_effects.py)."""
import warnings

import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError

X = np.array([0.3, -0.5, 0.7])


def two_clauses_and_break(x):
    t = 0.0
    for v in (a * b for a in x for b in x):
        t = t + v
        if t > 1.0:
            break
    return t


def next_of_an_iterator(x):
    return next(iter(x)) * 2.0


def warn_with_stacklevel(x):
    warnings.warn("careful", stacklevel=2)
    return np.sum(x)


class MyWarning(UserWarning):
    pass


def warn_with_own_category(x):
    warnings.warn("careful", MyWarning)
    return np.sum(x)


def match_of_a_mapping(x, cfg):
    match cfg:
        case {"scale": s}:
            return np.sum(x) * s
        case _:
            return np.sum(x)


@pytest.mark.parametrize("fn, args, says", [
    (two_clauses_and_break, (X,), r"break or continue over a generator expression of two `for` clauses"),
    (next_of_an_iterator, (X,), r"next\(\) of anything but a generator expression"),
    (warn_with_stacklevel, (X,), r"warnings.warn with other than a message and a category"),
    (warn_with_own_category, (X,), r"not a builtin warning class"),
    (match_of_a_mapping, (X, {"scale": 2.0}), r"this case pattern \(MatchMapping"),
])
def test_a_clear_refusal_at_the_users_line(fn, args, says):
    with pytest.raises(S2SGradError, match=says) as err:
        differentiate(fn, wrt=0).grad(*args)
    assert "test_refusals_stop36.py:" in str(err.value)
