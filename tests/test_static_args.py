"""Parameters used where a rule needs a constant (an axis, keepdims, ddof) are compiled per value
(s2sgrad/static_args.py): gradients against central finite differences for every value, the value
in the cache key (switching back reuses the code, never another value's), a clear error for a
value of another kind, the refusal kept for a parameter the function assigns, the standalone
guard, the numba backend's disk cache keyed by the value, and s2sgrad.jit's refusal."""
import os
import textwrap

import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.errors import ArgumentError, S2SGradError
from s2sgrad.testing import check_grads


def mean_along(x, axis):
    return np.sum(np.mean(x, axis=axis) ** 2 * np.tanh(x).sum())


def normalised(x, keep):
    return np.sum(np.sin(x / np.sum(x * x, axis=1, keepdims=keep)))


def spread(x, d, axis):
    return np.sum(np.var(x, axis=axis, ddof=d) + np.std(x, ddof=d))


def rebound(x, axis):
    axis = axis + 0
    return np.sum(np.mean(x, axis=axis) ** 2)


def fd_grad(fn, x, *rest, eps=1e-6):
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        out[i] = (fn(xp, *rest) - fn(xm, *rest)) / (2 * eps)
    return out


X = np.random.default_rng(5).uniform(0.5, 2.0, (3, 4))


@pytest.mark.parametrize("fn,rests", [(mean_along, [(1,), (0,), (None,), ((0, 1),), (-1,), (1,)]),
                                      (normalised, [(True,)]),  # X is 3x4: keepdims=False below
                                      (spread, [(0, 1), (1, 0), (1, None), (0, 0)])])
def test_each_value_gets_its_own_code_and_the_finite_differences(fn, rests):
    f = differentiate(fn)
    for rest in rests:
        value, g = f.value_and_grad(X, *rest)
        assert value == pytest.approx(fn(X, *rest), rel=1e-12)
        np.testing.assert_allclose(g, fd_grad(fn, X, *rest), rtol=1e-6, atol=1e-8)
    assert f._static and len(f._cache) == len(set(rests))


def test_keepdims_false_broadcasts_along_the_last_axis_like_numpy():
    x = np.random.default_rng(2).uniform(0.5, 2.0, (4, 4))  # square: both forms broadcast, differently
    f = differentiate(normalised)
    for keep in (True, False, True):
        np.testing.assert_allclose(f.grad(x, keep), fd_grad(normalised, x, keep), rtol=1e-6, atol=1e-8)
    assert f._static == ("keep",)


def test_another_kind_of_value_is_an_error_at_the_line_that_needs_a_constant():
    f = differentiate(mean_along)
    f.grad(X, 1)
    with pytest.raises(ArgumentError, match="'axis' of mean_along is used here where a constant") as e:
        f.grad(X, 1.0)
    assert "test_static_args.py" in str(e.value) and "axis=axis" in str(e.value)


def test_a_parameter_the_function_assigns_is_still_refused():
    with pytest.raises(S2SGradError, match="computed at run time"):
        differentiate(rebound).grad(X, 1)


def test_the_standalone_guard_checks_the_value():
    from s2sgrad.cli import module_source
    c = differentiate(mean_along).compiled_for(X, 1)
    src = module_source(c)
    assert "axis == 1" in src
    ns = {}
    exec(compile(src, "<generated>", "exec"), ns)
    vg = next(v for k, v in ns.items() if k.endswith("_value_and_grad"))
    np.testing.assert_allclose(vg(X, 1)[1], differentiate(mean_along).grad(X, 1), rtol=1e-12)
    with pytest.raises(AssertionError, match="regenerate"):
        vg(X, 0)


MODULE = """
    import numpy as np


    def mean_along(x, axis):
        return np.sum(np.mean(x, axis=axis) ** 2 * np.tanh(x).sum())
"""


def test_numba_disk_cache_is_keyed_by_the_value(tmp_path, monkeypatch):
    pytest.importorskip("numba")
    import importlib.util
    monkeypatch.setenv("S2SGRAD_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "static_mod.py"
    path.write_text(textwrap.dedent(MODULE))
    spec = importlib.util.spec_from_file_location("static_mod_case", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    logs = []
    for axis in (1, 0, 1, None, 0):  # each a new object: a new process would do the same
        f = differentiate(mod.mean_along, backend="numba")
        got = f.value_and_grad(X, axis)
        want = differentiate(mod.mean_along).value_and_grad(X, axis)
        np.testing.assert_allclose(got[0], want[0], rtol=1e-12)
        np.testing.assert_allclose(got[1], want[1], rtol=1e-12)
        logs.append(f._numba.disk_log[-1])
    assert logs == ["miss", "miss", "hit", "miss", "hit"]
    assert os.path.isdir(tmp_path / "cache" / "numba" / "compiled")


def along(x, axis):
    return np.sum(np.mean(x, axis=axis) ** 2)


g_along = differentiate(along)


def descend_along(x, axis, steps):
    for i in range(steps):
        x = x - 0.1 * g_along.grad(x, axis)
    return x


def test_jit_refuses_a_site_compiled_per_value():
    pytest.importorskip("numba")
    from s2sgrad.backends.numba.module import NumbaCompileError
    with pytest.raises(NumbaCompileError, match="compiled per value of 'axis'"):
        s2sgrad.jit(descend_along)(X, 1, 3)
    with pytest.warns(UserWarning, match="runs in Python"):
        out = s2sgrad.jit(descend_along, fallback=True)(X, 1, 3)
    np.testing.assert_allclose(out, descend_along(X, 1, 3), rtol=1e-12)


# ------------------------------------------------------------ a flag that decides a container's shape
class _Dense:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def __call__(self, h):
        return np.tanh(h @ self.W + self.b)


def layers_by_flag(params, x, use_last):
    layers = []
    for W, b in params[:-1]:
        layers.append(_Dense(W, b))
    if use_last:
        layers.append(_Dense(params[-1][0], params[-1][1]))
    h = x
    for layer in layers:
        h = layer(h)
    return np.sum(h)


def keys_by_flag(p, x, with_bias):
    cfg = {"W": p["W"]}
    if with_bias:
        cfg["b"] = p["b"]
    h = x @ cfg["W"]
    if "b" in cfg:
        h = h + cfg["b"]
    return np.sum(np.tanh(h))


def test_a_flag_argument_that_decides_a_container_compiles_per_value():
    # (an if on a parameter leaving a list or dict different on each path: the parameter is made static)
    rng = np.random.default_rng(8)
    params = [(rng.standard_normal((3, 3)), rng.standard_normal(3)) for _ in range(3)]
    x = rng.standard_normal((4, 3))
    f = differentiate(layers_by_flag, wrt="params")
    for flag in (True, False):
        assert f.value_and_grad(params, x, flag)[0] == layers_by_flag(params, x, flag)
        check_grads(layers_by_flag, (params, x, flag), wrt="params")
    p = {"W": params[0][0], "b": params[0][1]}
    g = differentiate(keys_by_flag, wrt="p")
    for flag in (True, False):
        assert g.value_and_grad(p, x, flag)[0] == keys_by_flag(p, x, flag)
    with pytest.raises(S2SGradError, match="'use_last' of layers_by_flag is used here where a constant is needed"):
        f.value_and_grad(params, x, 0.5)


def flags_of_other_forms(p, x, no_bias, n):
    cfg = {"W": p["W"]}
    if not no_bias:
        cfg["b"] = p["b"]
    if n > 1:
        cfg["W2"] = p["W"] * 2.0
    h = x @ cfg["W"]
    if "b" in cfg:
        h = h + cfg["b"]
    if "W2" in cfg:
        h = h @ cfg["W2"]
    return np.sum(np.tanh(h))


def test_flags_negated_compared_and_numpy_bools():
    # (review 25: `if not no_bias:`, `if n > 1:` and np.bool_ flags were refused)
    rng = np.random.default_rng(9)
    p = {"W": rng.standard_normal((3, 3)), "b": rng.standard_normal(3)}
    x = rng.standard_normal((2, 3))
    f = differentiate(flags_of_other_forms, wrt="p")
    for no_bias, n in ((True, 1), (False, 2), (np.False_, 3), (np.True_, 0)):
        assert f.value_and_grad(p, x, no_bias, n)[0] == flags_of_other_forms(p, x, no_bias, n)
    check_grads(flags_of_other_forms, (p, x, np.False_, 2), wrt="p")
