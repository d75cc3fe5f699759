"""The shape inference's shortcut for big placeholders (passes/shape_shortcut.py): the same shapes
and dtypes as evaluating on full-size placeholders, without computing a big array's elements."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s2sgrad import differentiate
from s2sgrad.ir import Attr, Call, Const, Name
from s2sgrad.passes import shape_shortcut as S
from s2sgrad.passes.shapes import Arr, _run, evaluate
from s2sgrad.runtime import NAMESPACE

NS = dict(NAMESPACE)
DTYPES = [np.float32, np.float64, np.int64, np.bool_]


def _ph(shape, dtype):
    return np.broadcast_to(np.ones((), dtype), shape)


def _full(e, local):
    from s2sgrad.ir import expr_src
    return _run(compile(expr_src(e), "<t>", "eval"), NS, dict(local))


def _recording_run(seen):
    def run(code, values):
        seen.extend(v.size for v in values.values() if isinstance(v, np.ndarray))
        return _run(code, NS, values)
    return run


MAPS = ["add", "sub", "mul", "truediv", "pow", "lt", "np.maximum", "np.tanh", "np.exp", "neg", "np.where"]


@settings(max_examples=60, deadline=None)
@given(op=st.sampled_from(MAPS), rows=st.sampled_from([1, 130]), cols=st.sampled_from([1, 200]),
       da=st.sampled_from(DTYPES[:3]), db=st.sampled_from(DTYPES[:3]), scalar=st.sampled_from([None, 2.0, 3]))
def test_maps_agree_with_numpy_and_compute_no_big_array(op, rows, cols, da, db, scalar):
    local = {"_v0": _ph((130, 200), da), "_v1": _ph((rows, cols), db)}
    if op in ("np.tanh", "np.exp", "neg"):
        e = Call(op, (Name("_v0"),))
    elif op == "np.where":
        local["_v2"] = _ph((rows, 1), np.bool_)
        e = Call(op, (Name("_v2"), Name("_v0"), Name("_v1")))
    else:
        e = Call(op, (Name("_v0"), Const(scalar) if scalar is not None else Name("_v1")))
    seen = []
    got = S.shortcut(e, local, _recording_run(seen))
    want = _full(e, local)
    assert got is not None and got.shape == want.shape and got.dtype == want.dtype
    assert max(seen) == 1  # only one-element stand-ins were computed on


def test_nested_products_and_transposes_agree():
    local = {"_v0": _ph((300, 60), np.float32), "_v1": _ph((80, 60), np.float32), "_v2": _ph((300, 80), np.float64)}
    e = Call("mul", (Call("matmul", (Name("_v0"), Attr(Name("_v1"), "T"))), Call("gt", (Name("_v2"), Const(0)))))
    seen = []
    got = S.shortcut(e, local, _recording_run(seen))
    want = _full(e, local)
    assert (got.shape, got.dtype) == (want.shape, want.dtype) == ((300, 80), np.float32) and max(seen) == 1
    vec = Call("matmul", (Name("_v0"), Call("@T", (Name("_v0"),))))
    assert S.shortcut(vec, local, _recording_run([])).shape == (300, 300)
    dot = Call("matmul", (Call("@T", (Name("_v3"),)), Name("_v3")))
    v = S.shortcut(dot, {"_v3": _ph((20000,), np.float64)}, _recording_run([]))
    assert isinstance(v, np.float64)  # a vector dot vector is numpy's scalar, as numpy gives it


@pytest.mark.parametrize("e, local", [
    (Call("matmul", (Name("_v0"), Name("_v1"))), {"_v0": _ph((300, 60), np.float64), "_v1": _ph((61, 2), np.float64)}),
    (Call("add", (Name("_v0"), Name("_v1"))), {"_v0": _ph((300, 60), np.float64), "_v1": _ph((300, 61), np.float64)}),
    (Call("np.cumsum", (Name("_v0"),)), {"_v0": _ph((300, 60), np.float64)}),
    (Call(".sum", (Name("_v0"),), (("where", Name("_v0")),)), {"_v0": _ph((300, 60), np.bool_)}),
    (Call("add", (Name("_v0"), Name("_v0"))), {"_v0": _ph((3, 4), np.float64)}),
])
def test_what_it_does_not_decide_it_leaves_to_the_full_evaluation(e, local):
    assert S.shortcut(e, local, _recording_run([])) is None


def test_evaluate_still_reports_a_mismatch_as_unknown():
    env = {"a": Arr((300, 60), np.dtype("f8")), "b": Arr((61, 2), np.dtype("f8"))}
    assert evaluate(Call("matmul", (Name("a"), Name("b"))), env, NS).shape is None


def test_a_big_network_compiles_without_computing_on_two_big_arrays(monkeypatch):
    """The two-layer net at 8192x4096x4096x1024: its products and maps (13 s of evaluation on every
    backend's first call before the shortcut) get one-element stand-ins; what still sees a big
    placeholder is a one-argument reduction (the loss's sum), and the gradient code is the one
    compiled for small arrays of the same ranks."""
    from s2sgrad.passes import shapes

    def mlp(W1, W2, X, y):
        h = np.maximum(X @ W1, 0)
        return np.square(h @ W2 - y).sum()
    real = shapes._run
    pairs = []

    def run(code, namespace, local):
        big = [v for v in local.values() if isinstance(v, np.ndarray) and v.size >= S.BIG]
        pairs.append(len(big))
        return real(code, namespace, local)
    monkeypatch.setattr(shapes, "_run", run)
    sizes = ((4096, 4096), (4096, 1024), (8192, 4096), (8192, 1024))
    f = differentiate(mlp, wrt=(0, 1))
    f.compiled_for(*[_ph(s, np.float32) for s in sizes])
    assert pairs and max(pairs) <= 1
    g = differentiate(mlp, wrt=(0, 1))
    g.compiled_for(*[_ph((s[0] // 256, s[1] // 256), np.float32) for s in sizes])
    body = [ln for ln in f.grad_source.splitlines() if not ln.startswith("#")]  # (the header names the shapes)
    assert body == [ln for ln in g.grad_source.splitlines() if not ln.startswith("#")]


@settings(max_examples=80, deadline=None)
@given(op=st.sampled_from([".sum", "np.sum", ".mean", "np.max", ".min", ".any"]),
       shape=st.sampled_from([(130, 200), (130, 1, 150), (1, 20000), (40, 30, 20)]),
       axis=st.sampled_from([None, 0, 1, -1, (0, 1)]), keepdims=st.sampled_from([None, True, False]),
       dtype=st.sampled_from([np.float32, np.float64, np.int64, np.bool_]))
def test_reductions_along_constant_axes_agree_with_numpy(op, shape, axis, keepdims, dtype):
    local = {"_v0": _ph(shape, dtype)}
    kwargs = tuple((k, v) for k, v in (("axis", Const(axis)), ("keepdims", Const(keepdims)))
                   if v.value is not None)
    e = Call(op, (Name("_v0"),), kwargs)
    try:
        want = _full(e, local)
    except Exception:
        return  # numpy refuses (an axis out of range): the caller's full evaluation raises it too
    seen = []
    got = S.shortcut(e, local, _recording_run(seen))
    assert got is not None
    assert np.shape(got) == np.shape(want) and np.asarray(got).dtype == np.asarray(want).dtype
    assert type(got) is type(want) or isinstance(got, np.ndarray) == isinstance(want, np.ndarray)
    assert max(seen) <= 4 * 3 * 2  # the stand-in: axes of lengths 2, 3, 4


def test_the_max_adjoint_of_a_big_row_softmax_is_shortcut():
    """softmax cross-entropy at 4096x50257 (a GPT-2 vocabulary): the max's adjoint, a map of a
    comparison over its row count, cost 9 s of the first call before reductions were shortcut."""
    local = {"_v0": _ph((4096, 1), np.float32), "_v1": _ph((4096, 50257), np.float32),
             "_v2": _ph((4096, 1), np.float32)}
    eq = Call("eq", (Name("_v1"), Name("_v2")))
    count = Call(".sum", (eq,), (("axis", Const(1)), ("keepdims", Const(True)), ("dtype", Attr(Name("_v1"), "dtype"))))
    e = Call("mul", (Name("_v0"), Call("truediv", (eq, count))))
    seen = []
    got = S.shortcut(e, local, _recording_run(seen))
    assert got.shape == (4096, 50257) and got.dtype == np.float32 and max(seen) <= 6  # (2x3 for the count)


def test_an_accumulated_adjoint_is_shortcut():
    """`grad_x += g * t2 * (1 - tanh_x * tanh_x)`: the generated code's in-place sums (iadd, which
    the shape inference evaluates as g + c) are maps too.  At 1e8 float32 elements they cost 1.8 s
    of the elementwise row's first call on the H200 (2.5 s in all) before they were shortcut."""
    ns = dict(NS, iadd=lambda a, b: a + b)  # (as shapes.infer binds it)
    e = Call("iadd", (Name("_v0"), Call("mul", (Name("_v1"), Call("sub", (Const(1), Call(
        "mul", (Name("_v2"), Name("_v2")))))))))
    for n, dtype in ((20000, np.float32), (30000, np.float64)):
        local = {"_v0": _ph((n,), dtype), "_v1": _ph((n,), dtype), "_v2": _ph((1,), np.float64)}
        seen = []
        got = S.shortcut(e, local, lambda code, values: (seen.extend(
            v.size for v in values.values() if isinstance(v, np.ndarray)), _run(code, ns, values))[1])
        from s2sgrad.ir import expr_src
        full = _run(compile(expr_src(e), "<t>", "eval"), ns, dict(local))
        assert got.shape == full.shape == (n,) and got.dtype == full.dtype and max(seen) == 1


@pytest.mark.parametrize("backend", ["numpy", "triton"])
def test_the_elementwise_row_compiles_without_computing_on_a_big_array(monkeypatch, backend):
    """bench/workloads.py's elementwise value+grad at 1e8-like sizes: only the loss's sum (a
    one-argument reduction over the input's own placeholder) sees a big array -- on the Triton
    backend too, whose lowering infers the shapes of the accumulated adjoint (`grad_x += ...`)."""
    from s2sgrad.passes import shapes
    if backend == "triton":
        torch = pytest.importorskip("torch")
        pytest.importorskip("triton")

    def elementwise(x):
        return np.sum(np.tanh(x) * (1 / (1 + np.exp(-x))) + np.exp(-x ** 2))
    real = shapes._run
    big = []

    def run(code, namespace, local):
        if set(code.co_names) - set(local):  # a computation (not a bare name, `g = x`)
            big.append(sum(1 for v in local.values() if isinstance(v, np.ndarray) and v.size >= S.BIG))
        return real(code, namespace, local)
    monkeypatch.setattr(shapes, "_run", run)
    if backend == "numpy":
        differentiate(elementwise).compiled_for(_ph((1 << 20,), np.float32))
    else:
        x = torch.linspace(-2, 2, 1 << 20, dtype=torch.float32)
        if torch.cuda.is_available():
            x = x.cuda()
        differentiate(elementwise, backend="triton").value_and_grad(x)
    assert big and max(big) <= 1 and sum(big) <= 2


@pytest.mark.parametrize("op", ["np.zeros_like", "np.ones_like", "np.empty_like"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.bool_])
def test_zeros_like_of_a_big_array_is_shortcut(op, dtype):
    """np.zeros_like(log_probs) in the cross-entropy's adjoint allocated and zeroed 4096x50257
    floats: 1.9 s of its first call (0.7 s on the H200's host)."""
    local = {"_v0": _ph((300, 70), dtype)}
    e = Call(op, (Name("_v0"),))
    seen = []
    got = S.shortcut(e, local, _recording_run(seen))
    full = _full(e, local)
    assert got.shape == full.shape == (300, 70) and got.dtype == full.dtype and max(seen) == 1
    assert S.shortcut(Call(op, (Name("_v0"),), (("dtype", Const("float32")),)), local, _recording_run([])) is None
