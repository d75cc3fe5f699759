"""Review 18 (adversarial, of this stop's changes): a helper writing into an array of the caller's
read by an earlier operand of a call, a tuple or list, or a comparison (Python reads that operand
first); a container parameter changed through a name bound to it before `if cfg:`; `assert ws` of
a differentiated list.  Values against plain Python, gradients against central differences."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

X3 = np.array([0.7, -1.3, 2.1])


def put(h, v):
    h[0] = v
    return np.sum(h)


def g2(a, b):
    return 2.0 * a + b


def call_arguments(x):
    h = x * 1.0
    return g2(np.sum(h), put(h, 1.0)) + np.sum(h * x)   # (5.4 where Python gives 4.8, before)


def keyword_arguments(x):
    h = x * 1.0
    return g2(b=put(h, 1.0), a=np.sum(h * h))


def tuple_items(x):
    h = x * 1.0
    a, b = np.sum(h), put(h, 1.0)
    return a * b + np.sum(h * x)


def list_items(x):
    h = x * 1.0
    return sum([np.sum(h), put(h, 1.0)]) + np.hypot(np.sum(h), put(h, 2.0))


def comparison(x):
    h = x * 1.0
    return np.sum(h[0] < put(h, -100.0)) + np.sum(h * x)  # (-98.2 where Python gives -99.2, before)


@pytest.mark.parametrize("fn", [call_arguments, keyword_arguments, tuple_items, list_items, comparison])
def test_an_earlier_operand_is_read_before_a_later_helper_writes(fn):
    value, _ = differentiate(fn).value_and_grad(X3)
    assert value == fn(X3.copy())
    check_grads(fn, (X3,))


def changed_through_a_second_name(x, ws):
    w2 = ws
    w2.append(1.0)
    if ws:                     # (decided from the [] given before: 6.59 where Python gives 1.5)
        return np.sum(x)
    return np.sum(x * x)


def through_a_helper(x):
    return changed_through_a_second_name(x, [])


def test_a_container_changed_through_another_name_is_not_decided_from_what_was_given():
    try:
        value, g = differentiate(through_a_helper).value_and_grad(X3)
    except S2SGradError as e:  # (the alias fence refuses it: a clear refusal is right too)
        assert "test_review18_regressions.py:" in str(e)
        return
    assert value == through_a_helper(X3.copy())
    np.testing.assert_allclose(g, np.ones(3))


def asserted(x, ws):
    assert ws, "need weights"
    return np.sum(x) * ws[0]


def test_assert_of_a_differentiated_list_is_refused():
    # (a bare ValueError from the array's truth before; with [0.0] an AssertionError Python does not raise)
    with pytest.raises(S2SGradError, match="tests its truth"):
        differentiate(asserted, wrt=(0, 1)).value_and_grad(X3, [0.0, 0.5])
