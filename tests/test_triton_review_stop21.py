"""Review of 5939fca..HEAD (direct launches, bound CUDA graphs, looped flat kernels, shape
shortcut, numpy containers moved to the device): regression tests for the defects found.

Each failed before its fix; the fixes: the plan key holds the static parameters' values and walks
containers (launchplan.signature_key), container arrays are dtype-checked, namedtuples are rebuilt
with their fields, a container's gradient keeps its structure, fastlaunch keys constexprs by type
and value, and a failed bound capture falls back to the copy-in graph."""
from collections import namedtuple

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import S2SGradError, differentiate  # noqa: E402
from s2sgrad.triton import fastlaunch, graphs, runtime  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


# ---------------------------------------------------------------- launchplan.signature_key

def _mean_along(x, axis):
    return np.sum(np.tanh(x) * np.mean(x, axis=axis, keepdims=True))


def test_a_static_argument_value_is_part_of_the_plan_key():
    x = np.random.default_rng(0).standard_normal((4, 6))
    tri = differentiate(_mean_along, wrt="x", backend="triton")
    ref = differentiate(_mean_along, wrt="x")
    for axis in (0, 1):
        v, g = tri.value_and_grad(x, axis)
        v0, g0 = ref.value_and_grad(x, axis)
        np.testing.assert_allclose(v, v0, rtol=1e-12)
        np.testing.assert_allclose(g, g0, rtol=1e-12, atol=1e-12)


def _dict_layer(X, p):
    return np.sum(np.tanh(X @ p["W"] + p["b"]))


def _entry_calls_agree(fn, X, W, entry, values):
    """One Triton function called with p = {"W": W, entry: v} for each v in turn: each call's value
    and p[entry]'s gradient (its shape too) are the numpy backend's."""
    tri = differentiate(fn, wrt="p", backend="triton")
    ref = differentiate(fn, wrt="p")
    for val in values:
        p = {"W": W, entry: val}
        v, g = tri.value_and_grad(X, p)
        v0, g0 = ref.value_and_grad(X, p)
        np.testing.assert_allclose(v, v0, rtol=1e-12)
        assert np.shape(g[entry]) == np.shape(g0[entry])
        np.testing.assert_allclose(g[entry], g0[entry], rtol=1e-12, atol=1e-12)


def test_a_dicts_leaf_shapes_are_part_of_the_plan_key():
    rng = np.random.default_rng(1)
    X, W = rng.standard_normal((5, 4)), rng.standard_normal((4, 3))
    _entry_calls_agree(_dict_layer, X, W, "b", (rng.standard_normal(3), rng.standard_normal((5, 3))))


def _scaled_layer(X, p):
    return np.sum(np.tanh(X @ p["W"]) * p["s"])


def test_a_dict_entry_changing_from_number_to_array_gets_its_own_plan():
    rng = np.random.default_rng(2)
    X, W = rng.standard_normal((5, 4)), rng.standard_normal((4, 3))
    _entry_calls_agree(_scaled_layer, X, W, "s", (2.0, np.arange(3.0)))


# ---------------------------------------------------------------- containers of a numpy caller

def _chain(X, ws):
    h = X
    for w in ws:
        h = np.tanh(h @ w)
    return np.sum(h)


def test_gradients_of_a_list_of_arrays_of_different_shapes():
    rng = np.random.default_rng(3)
    X, ws = rng.standard_normal((5, 4)), [rng.standard_normal((4, 4)), rng.standard_normal((4, 2))]
    v, g = differentiate(_chain, wrt="ws", backend="triton").value_and_grad(X, ws)
    v0, g0 = differentiate(_chain, wrt="ws").value_and_grad(X, ws)
    np.testing.assert_allclose(v, v0, rtol=1e-12)
    for a, b in zip(g, g0):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_a_dict_with_another_float_type_gives_numpys_value_or_a_clear_error():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((5, 4)).astype(np.float32)
    p = {"W": rng.standard_normal((4, 3)).astype(np.float32), "s": np.array(1.5)}
    differentiate(_scaled_layer, wrt="p").value_and_grad(X, p)  # numpy promotes to float64
    with pytest.raises(S2SGradError, match="one float type"):  # torch's products would refuse, raw
        differentiate(_scaled_layer, wrt="p", backend="triton").value_and_grad(X, p)
    p["u"] = np.arange(3, dtype=np.uint32)
    with pytest.raises(S2SGradError, match="uint32 array inside a dict"):
        differentiate(_scaled_layer, wrt="p", backend="triton").value_and_grad(X, p)
    with pytest.raises(S2SGradError, match="one float type"):  # (a numpy float64 scalar: the same)
        differentiate(_scaled_layer, wrt="p", backend="triton").value_and_grad(X, {"W": p["W"], "s": np.float64(1.5)})
    p = {"W": p["W"], "s": np.array(1.5, np.float32)}  # one float type: numpy's value
    v, g = differentiate(_scaled_layer, wrt="p", backend="triton").value_and_grad(X, p)
    v0, g0 = differentiate(_scaled_layer, wrt="p").value_and_grad(X, p)
    np.testing.assert_allclose(v, v0, rtol=1e-5)
    np.testing.assert_allclose(g["W"], g0["W"], rtol=1e-4, atol=1e-5)


_Params = namedtuple("_Params", ["W", "b"])


def _indexed_layer(X, p):
    return np.sum(np.tanh(X @ p[0] + p[1]))


def test_a_namedtuple_of_arrays_beside_the_differentiated_array():
    rng = np.random.default_rng(5)
    X, p = rng.standard_normal((5, 4)), _Params(rng.standard_normal((4, 3)), rng.standard_normal(3))
    v, g = differentiate(_indexed_layer, wrt="X", backend="triton").value_and_grad(X, p)
    v0, g0 = differentiate(_indexed_layer, wrt="X").value_and_grad(X, p)
    np.testing.assert_allclose(v, v0, rtol=1e-12)
    np.testing.assert_allclose(g, g0, rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------- fastlaunch

class _FakeCompiled:
    def __init__(self, log, spec):
        self.log, self.spec = log, spec

    def __getitem__(self, grid):
        def runner(*args):
            self.log.append(("direct", self.spec, args))
        return runner


class _FakeJIT:
    def __init__(self):
        self.log, self.compiles = [], 0

        def kern(x_ptr, N, FLAG):
            pass
        self.fn = kern

    def __getitem__(self, grid):
        def run(*args, **consts):
            self.compiles += 1
            self.log.append(("jit", self.compiles, args))
            return _FakeCompiled(self.log, self.compiles)
        return run


def test_constexprs_that_compare_equal_but_differ_in_type_are_different_keys():
    k, x = _FakeJIT(), torch.zeros(64)
    for flag in (1, True, 1.0):
        fastlaunch.launch(k, (4,), (x, 32), {"FLAG": flag})
    assert [e[0] for e in k.log] == ["jit", "jit", "jit"]


# ---------------------------------------------------------------- graphs

class _FailSecondCapture(graphs.RerunCapture):
    count = 0

    def capture(self, fn):
        _FailSecondCapture.count += 1
        if _FailSecondCapture.count >= 2:  # the bound graph's capture: out of memory for a second pool
            raise torch.OutOfMemoryError("CUDA out of memory (simulated)")
        return super().capture(fn)


def _scaled(x, a):
    return np.sum(np.tanh(x) * a + 0.1 * x * x)


def test_a_failed_bound_capture_falls_back_to_the_static_graph(monkeypatch):
    monkeypatch.setattr(runtime.OPTIONS, "cuda_graphs", True)
    monkeypatch.setitem(graphs.CAPTURE, "cls", _FailSecondCapture)
    _FailSecondCapture.count = 0
    # (on the plan's device: CPU tensors on a GPU machine are the call's own copies, never bound)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    x = torch.linspace(-1, 1, 50, dtype=torch.float64, device=device)
    f = differentiate(_scaled, wrt="x", backend="triton")
    g0 = differentiate(_scaled, wrt="x").grad(x.cpu().numpy(), 0.5)
    for _ in range(3):
        v, g = f.value_and_grad(x, 0.5)
        np.testing.assert_allclose(g.cpu().numpy(), g0, rtol=1e-12)
