"""A factory's ifs decided when compiling, and its body read in the caller (frontend/factories.py,
frontend/factory_branches.py): what review 23 found silently wrong, each now exact or refused.
Exact programs are checked against Python and central differences; the others by refusal."""
import numpy as np
import pytest

from s2sgrad import S2SGradError, differentiate
from s2sgrad.testing import check_grads

X = np.array([0.3, -1.2, 0.7, 2.0])
W = 2.0
CFG = {"tanh": 1.0, "sin": 2.0}


def relu(z):
    return np.maximum(z, 0.0)


def get_activation(name):
    if name == "relu":
        return relu
    if name == "tanh":
        return np.tanh
    if name == "sin":
        return np.sin
    return lambda z: z * 1.5


def make_walrus(s=1.0):
    if (s := 2.0) > 0:  # (binds s: the returned function reads 2.0)
        pass
    return lambda z: s * z


def walrus(x):
    k = make_walrus()
    return np.sum(k(x) * x)


def make_changing(opts):
    opts[0] = 9.0
    if opts[0] == 1.0:
        return lambda z: z * 2.0
    return lambda z: z * 5.0


def changed_argument(x):
    k = make_changing([1.0, 2.0])  # (a list the factory changes: not a constant)
    return np.sum(k(x) * x)


def make_reading_w(s):
    c = W * s  # (the module's W)
    return lambda W: W * c  # (the lambda's own W)


def caller_binds_w(x):
    W = 10.0
    k = make_reading_w(1.0)
    return np.sum(k(x) * x) * W


def caller_defines_relu(x):
    def relu(z):  # (the caller's own relu: get_activation's return relu is the module's)
        return z * 3.0
    act = get_activation("relu")
    return np.sum(act(x) * x) + np.sum(relu(x))


def make_k(k):
    return lambda z: z * k


def target_named_like_the_parameter(x):
    k = make_k(2.0)
    return np.sum(k(x) * x)


def over_module_keys(x):
    total = 0.0
    for act in [get_activation(n) for n in CFG.keys()]:
        total = total + np.sum(act(x) * x)
    return total


@pytest.mark.parametrize("fn", [walrus, changed_argument, caller_binds_w, caller_defines_relu],
                         ids=lambda f: f.__name__)
def test_exact_or_refused(fn):
    try:
        d = differentiate(fn)
        value = d.value_and_grad(X.copy())[0]
    except S2SGradError:
        return
    assert value == pytest.approx(fn(X.copy()), rel=1e-12)
    check_grads(fn, (X.copy(),))


def test_the_clash_with_a_module_name_is_refused():
    # (review 23: 602.0 where Python gives 120.4 -- the factory's W read as the caller's)
    with pytest.raises(S2SGradError, match="reads the module's 'W'"):
        differentiate(caller_binds_w).grad(X.copy())
    with pytest.raises(S2SGradError, match="reads the module's 'relu'"):
        differentiate(caller_defines_relu).grad(X.copy())


def test_a_target_named_like_a_parameter():
    check_grads(target_named_like_the_parameter, (X.copy(),))  # (a KeyError before)


def test_module_keys_added_compile_again():
    d = differentiate(over_module_keys)
    first = d.value_and_grad(X.copy())[0]
    assert first == pytest.approx(over_module_keys(X.copy()), rel=1e-12)
    CFG["relu"] = 3.0
    try:
        assert d.value_and_grad(X.copy())[0] == pytest.approx(over_module_keys(X.copy()), rel=1e-12)
    finally:
        del CFG["relu"]
    assert d.value_and_grad(X.copy())[0] == pytest.approx(first, rel=1e-12)


def make_default(kind="tanh"):
    if kind == "tanh":
        return np.tanh
    return np.sin


def by_default(x):
    f = make_default()
    return np.sum(f(x) * x)


def test_a_changed_default_compiles_again():
    d = differentiate(by_default)
    first = d.value_and_grad(X.copy())[0]
    saved = make_default.__defaults__
    make_default.__defaults__ = ("sin",)
    try:
        assert d.value_and_grad(X.copy())[0] == pytest.approx(by_default(X.copy()), rel=1e-12)
        assert by_default(X.copy()) != pytest.approx(first)
    finally:
        make_default.__defaults__ = saved
