"""Objects read from a global or a closure (`criterion = FocalLoss(gamma=2.0, ...)` at module level,
then `criterion(logits, y)` or `criterion.forward(x)` in the function): read like an object
argument that is not differentiated -- methods inlined, arrays and numbers read from the object
when the code runs, each attribute guarded (rebinding one compiles again).  Before, refused
("calling 'criterion', a FocalLoss object read from a global or a closure: pass it as an argument")."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


class Scaled:
    def __init__(self, w, power=2.0, mode="sum"):
        self.w = w
        self.power = power
        self.mode = mode

    def __call__(self, x):
        y = self.w * np.abs(x) ** self.power
        return np.sum(y) if self.mode == "sum" else np.mean(y)

    def forward(self, x):
        return np.tanh(x * self.w)


CRIT = Scaled(np.array([1.0, 2.0, 3.0]))
X = np.array([0.5, -1.2, 0.8])


def calls_it(x):
    return CRIT(x) + np.sum(CRIT.forward(x))


def writes_into_it(x):
    CRIT.w[0] = 5.0
    return CRIT(x)


def test_against_finite_differences():
    check_grads(differentiate(calls_it), (X,))


def test_changes_between_calls():
    d = differentiate(calls_it)
    g = d.grad(X)
    try:
        CRIT.power = 3.0  # rebound: compiled again
        assert np.isclose(d.value_and_grad(X)[0], calls_it(X), rtol=1e-14)
        check_grads(d, (X,))
        CRIT.w[1] = -2.0  # changed in place: read when the code runs
        assert np.isclose(d.value_and_grad(X)[0], calls_it(X), rtol=1e-14)
        CRIT.mode = "mean"
        assert np.isclose(d.value_and_grad(X)[0], calls_it(X), rtol=1e-14)
    finally:
        CRIT.power, CRIT.mode, CRIT.w[1] = 2.0, "sum", 2.0
    assert np.allclose(d.grad(X), g)


def test_a_write_into_it_is_refused():
    with pytest.raises(S2SGradError):
        differentiate(writes_into_it).grad(X)
    assert CRIT.w[0] == 1.0


def test_a_closure_object():
    crit = Scaled(np.array([0.5, 0.5, 0.5]), power=1.5, mode="mean")

    def f(x):
        return crit(x * 2.0)
    check_grads(differentiate(f), (X,))


def test_the_other_backends_refuse_clearly():
    pytest.importorskip("numba")
    with pytest.raises(S2SGradError, match="the global `CRIT` has no numba version"):
        differentiate(calls_it, backend="numba").grad(X)
    pytest.importorskip("triton")
    pytest.importorskip("torch")
    with pytest.raises(S2SGradError, match="a Scaled object read from the function's globals"):
        differentiate(calls_it, backend="triton").grad(X)
