"""Whole functions by theme (straight-line and control flow) against finite differences."""
import pytest

from corpus_control import CORPUS as CONTROL
from corpus_straight import CORPUS as STRAIGHT
from s2sgrad import differentiate
from s2sgrad.testing import check_grads


def _ids(corpus):
    seen = {}
    out = []
    for fn, _, _ in corpus:
        n = seen.get(fn.__name__, 0)
        seen[fn.__name__] = n + 1
        out.append(fn.__name__ if n == 0 else f"{fn.__name__}-{n}")
    return out


@pytest.mark.parametrize("fn,args,wrt", STRAIGHT, ids=_ids(STRAIGHT))
def test_straight_line(fn, args, wrt):
    check_grads(differentiate(fn, wrt=wrt), args, rtol=1e-6)


@pytest.mark.parametrize("fn,args,wrt", CONTROL, ids=_ids(CONTROL))
def test_control_flow(fn, args, wrt):
    check_grads(differentiate(fn, wrt=wrt), args, rtol=1e-6)


@pytest.mark.parametrize("fn,args,wrt", STRAIGHT + CONTROL, ids=_ids(STRAIGHT + CONTROL))
def test_value_matches_the_original_function(fn, args, wrt):
    import numpy as np
    f = differentiate(fn, wrt=wrt)
    value, _ = f.value_and_grad(*args)
    np.testing.assert_allclose(value, fn(*args), rtol=1e-13, atol=1e-13)
