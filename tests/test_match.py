"""`match` statements (a survey program, x28, picks the Dixon-Coles correction with one on the score
tuple): lowered to the if/elif chain they decide (frontend/matching.py) -- literals compared with
==, None with is, `_`, captures, `as`, alternatives, tuple patterns against a subject written as a
tuple, guards reading the captured names.  Values against the plain function, gradients against
central differences and forward mode; class, mapping and starred patterns are refused."""
import math

import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


def tau(hg, ag, lam, mu, rho):
    match (hg, ag):
        case (0, 0):
            return 1.0 - lam * mu * rho
        case (0, 1) | (1, 0):
            return 1.0 + lam * rho
        case (1, 1):
            return 1.0 - rho
        case (2, n) if n > 2:
            return 1.0 + n * rho
        case _:
            return 1.0


def act(kind, x):
    match kind:
        case "relu":
            return np.maximum(x, 0.0)
        case "tanh" | "th":
            return np.tanh(x)
        case None:
            return x
        case other:
            return x * len(other)


def scored(x, rho):
    out = 0.0
    for hg, ag in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 3), (2, 1), (3, 3)]:
        out = out + math.log(tau(hg, ag, x[0], x[1], rho)) * (hg + 1)
    for k in ["relu", "tanh", None, "ab", "th"]:
        out = out + np.sum(act(k, x) ** 2)
    return out


def test_match_statements():
    x = np.array([0.3, 0.7])
    assert differentiate(scored, wrt=(0, 1)).value_and_grad(x, 0.1)[0] == scored(x, 0.1)
    check_grads(scored, (x, 0.1), wrt=(0, 1))


def class_pattern(x, p):
    match p:
        case complex(real=r):
            return x * r
        case _:
            return x


def sequence_of_a_name(x, pair):
    match pair:
        case (0, 1):
            return x * 2.0
        case _:
            return x


@pytest.mark.parametrize("fn, args, why", [(class_pattern, (1.0, 2j), "class, mapping or starred"),
                                           (sequence_of_a_name, (1.0, (0, 1)), "not written as a tuple")])
def test_patterns_whose_test_s2sgrad_does_not_decide_are_refused(fn, args, why):
    with pytest.raises(S2SGradError, match=why):
        differentiate(fn).grad(*args)
