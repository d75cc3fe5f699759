"""`*args` and `**kwargs` forwarded through helpers and methods (frontend/spread.py), starred
elements in tuple and list literals, and starred shape arguments: all refused before ("**kwargs
parameters", "*args parameters", "*args / **kwargs in a call"; the fifth survey's PyTorch-style
`__call__(self, *args, **kwargs): return self.forward(*args, **kwargs)` and
`x.reshape(*x.shape[:-1], -1)`)."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads


def fwd(x, *rest, scale=1.0):
    return x * scale + sum(rest)


def wrap(*args, **kwargs):
    return fwd(*args, **kwargs)


def forwarded(x, y):
    return np.sum(wrap(x, y, y, scale=3.0) ** 2) + np.sum(wrap(x))


def options(**kw):
    return kw.get("scale", 1.0) * kw["shift"]


def read_as_dict(x):
    return np.sum(options(shift=x, scale=2.0)) + np.sum(options(shift=x ** 2))


class Module:
    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)


class Dense(Module):
    def __init__(self, W):
        self.W = W

    def forward(self, x, activate=True):
        h = x @ self.W
        return np.tanh(h) if activate else h


def layered(W, V, x):
    return np.sum(Dense(V)(Dense(W)(x), activate=False) ** 2)


def changes_kwargs(**kw):
    kw.pop("scale")
    return kw["shift"]


def popped(x):
    return np.sum(changes_kwargs(shift=x, scale=2.0))


def shapes(x):
    y = x.reshape(*x.shape[:-1], 2, -1)
    z = np.zeros((*x.shape, 2))
    z[..., 0] = x
    return np.sum(y ** 2 * np.arange(2.0)[:, None]) + np.sum(z ** 3) + np.sum(x.transpose(*range(x.ndim - 2), -1, -2)
                                                                              * np.arange(4.0)[:, None])


RNG = np.random.default_rng(8)
X, Y = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))


def test_args_and_kwargs_forwarded_through_helpers():
    check_grads(forwarded, (X, Y), wrt=(0, 1))
    gx = differentiate(forwarded, wrt=0).grad(X, Y)
    np.testing.assert_allclose(gx, 2 * (3 * X + 2 * Y) * 3 + 1, rtol=1e-13)
    check_grads(read_as_dict, (X,))


def test_pytorch_style_call_forwarding_to_forward():
    W, V = RNG.standard_normal((4, 4)), RNG.standard_normal((4, 2))
    check_grads(layered, (W, V, X), wrt=(0, 1, 2))


def test_kwargs_changed_in_the_helper_are_refused():
    with pytest.raises(S2SGradError, match=r"'\*\*kw' changed in the function \(.pop\(\)\)"):
        differentiate(popped).grad(X)


def test_starred_shapes_and_elements():
    check_grads(shapes, (X,))


kw_scale = 100.0


def reads_a_global_named_like_its_keyword(x, **kw):
    return x * kw["scale"] + kw_scale


def global_named_like(x):
    return np.sum(reads_a_global_named_like_its_keyword(x, scale=3.0))


def g(x, scale=1.0):
    return x * scale


def rebinds_by_loop(x, **kw):
    for kw in [{}]:
        pass
    return g(x, **kw)


def nested_own_kwargs(x, **kw):
    inner = lambda **kw: g(x, **kw)  # noqa: E731
    return inner()


def use_rebinds(x):
    return np.sum(rebinds_by_loop(x, scale=3.0))


def use_nested(x):
    return np.sum(nested_own_kwargs(x, scale=3.0))


def defaults_then_args(x, scale=1.0, *args):
    return x * scale + sum(args)


def after_a_default(x):
    return np.sum(defaults_then_args(x, 2.0, x, x ** 2))


def test_review_of_the_spread():
    # (the parameter made for a keyword shadowed a global of that name: 15 for 209; **kw bound again
    # by a for or a nested lambda's own **kw was read as the call's keywords: 9 for 3; *args after a
    # defaulted parameter raised libcst's CSTValidationError)
    x = np.array([1.0, 2.0])
    assert differentiate(global_named_like).value_and_grad(x)[0] == pytest.approx(209.0)
    for use in (use_rebinds, use_nested):
        with pytest.raises(S2SGradError, match=r"'\*\*kw' changed in the function"):
            differentiate(use).grad(x)
    check_grads(after_a_default, (x,))
