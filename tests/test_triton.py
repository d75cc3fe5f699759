"""The Triton backend agrees with the numpy backend, compiles for a real GPU, and fuses as promised.

Runs on the CPU in Triton's interpreter (conftest sets TRITON_INTERPRET=1 when there is no GPU)."""
import os
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.triton import TritonUnavailableError, check_available, runtime  # noqa: E402
from triton_cases import CASES, MORE_BINARY, MORE_CASES, MORE_UNARY, SPECIAL, cast  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


@pytest.fixture(autouse=True)
def canaries():
    runtime.CANARY["on"] = True
    yield
    runtime.CANARY["on"] = False


def _flat(g):
    return g if isinstance(g, tuple) else (g,)


def run_both(name, dtype):
    fn, wrt, args = {**CASES, **MORE_CASES}[name]
    args = cast(args, dtype)
    tri = differentiate(fn, wrt=wrt, backend="triton")
    ref = differentiate(fn, wrt=wrt)
    v, g = tri.value_and_grad(*args)
    v64, g64 = ref.value_and_grad(*cast(args, np.float64))
    return tri, (v, _flat(g)), (v64, _flat(g64))


@pytest.mark.parametrize("name", sorted(CASES))
def test_float64_agrees_with_numpy_backend(name):
    _, (v, g), (v64, g64) = run_both(name, np.float64)
    np.testing.assert_allclose(v, v64, rtol=1e-12)
    for a, b in zip(g, g64):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12 * np.max(np.abs(b)))


@pytest.mark.parametrize("name", sorted(CASES))
def test_float32_agrees_with_float64(name):
    tri, (v, g), (v64, g64) = run_both(name, np.float32)
    np.testing.assert_allclose(np.float64(v), v64, rtol=1e-4)
    for a, b in zip(g, g64):
        assert np.asarray(a).dtype == np.float32 or np.ndim(a) == 0
        np.testing.assert_allclose(np.asarray(a, np.float64), b, rtol=1e-4, atol=1e-4 * np.max(np.abs(b)))


def test_torch_tensors_in_torch_tensors_out():
    fn, wrt, args = CASES["two_layer"]
    f = differentiate(fn, wrt=wrt, backend="triton")
    targs = [torch.from_numpy(a) for a in args]
    v, (g1, g2) = f.value_and_grad(*targs)
    assert isinstance(g1, torch.Tensor) and g1.shape == targs[0].shape
    ref = differentiate(fn, wrt=wrt).grad(*args)
    np.testing.assert_allclose(g1.numpy(), ref[0], rtol=1e-12, atol=1e-12 * np.abs(ref[0]).max())


def test_cpu_tensors_go_to_the_gpu_and_tensors_on_two_devices_are_refused():
    """On a GPU, numpy arrays and CPU tensors are computed on the device and come back (seen on an
    H200: CPU tensors reached the launcher, which cannot read host memory); tensors on two devices
    are refused as torch refuses them.  (`meta` stands in for a second device here.)"""
    from s2sgrad import S2SGradError
    from s2sgrad.triton import _cpu_tensors_only, _to_cpu
    assert _cpu_tensors_only([torch.ones(2), np.ones(2), 3.0]) is True
    assert _cpu_tensors_only([np.ones(2)]) is False
    with pytest.raises(S2SGradError, match="tensor arguments on cpu and meta"):
        _cpu_tensors_only([torch.ones(2), torch.empty(2, device="meta")])
    back = _to_cpu((torch.ones(2), (torch.zeros(1), 2.0)))
    assert back[0].device.type == "cpu" and back[1][1] == 2.0
    # a 0-d CPU tensor beside tensors on another device is a number (torch takes it so)
    assert _cpu_tensors_only([torch.tensor(2.0), torch.empty(2, device="meta")]) is False
    assert _cpu_tensors_only([torch.tensor(2.0)]) is True
    w = torch.ones(2, requires_grad=True) * 2
    back = _to_cpu({"W": w, "b": [w]})
    assert not back["W"].requires_grad and not back["b"][0].requires_grad


def _dict_layer(X, p):
    return np.sum(np.tanh(X @ p["W"] + p["b"]))


def test_a_numpy_caller_with_a_dict_of_parameters_gets_numpy_gradients():
    rng = np.random.default_rng(2)
    X, p = rng.standard_normal((5, 4)), {"W": rng.standard_normal((4, 3)), "b": rng.standard_normal(3)}
    v, g = differentiate(_dict_layer, wrt="p", backend="triton").value_and_grad(X, p)
    v0, g0 = differentiate(_dict_layer, wrt="p").value_and_grad(X, p)
    assert isinstance(g, dict) and all(isinstance(a, np.ndarray) for a in g.values())
    np.testing.assert_allclose(v, v0, rtol=1e-12)
    for k in g0:
        np.testing.assert_allclose(g[k], g0[k], rtol=1e-12, atol=1e-12)


def test_seed_for_a_non_scalar_output():
    def f(x):
        return np.tanh(x) * 3.0
    x = np.linspace(-2, 2, 77)
    tri = differentiate(f, backend="triton")
    seed = np.cos(x)
    np.testing.assert_allclose(tri.grad(x, seed=seed), differentiate(f).grad(x, seed=seed), rtol=1e-12)


def test_vjp_on_the_triton_backend():
    def f(x):
        return np.exp(x) * x
    x = np.linspace(-1, 1, 40)
    value, pullback = differentiate(f, backend="triton").vjp(x)
    np.testing.assert_allclose(value, f(x), rtol=1e-12)
    v = np.sin(x)
    # (at x = -1 the exact value is 0; a GPU's fused multiply-add leaves ~1e-17 there)
    np.testing.assert_allclose(pullback(v), v * np.exp(x) * (1 + x), rtol=1e-12, atol=1e-15)


def test_program_names_that_kernels_use_themselves():
    def f(x, rows):
        mask = x > 0.1
        acc = np.where(mask, x * rows, 0.5 * x)
        offs = np.tanh(acc) + rows
        return np.sum(offs * acc)
    rng = np.random.default_rng(5)
    x, rows = rng.standard_normal((7, 9)), rng.standard_normal(9)
    tri = differentiate(f, wrt=("x", "rows"), backend="triton")
    for a, b in zip(tri.grad(x, rows), differentiate(f, wrt=("x", "rows")).grad(x, rows)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_canaries_catch_an_unwritten_output():
    t = runtime.alloc((4, 3), torch.float64, "cpu")
    t[:2] = 1.0
    with pytest.raises(AssertionError, match="unwritten"):
        runtime.check_canaries("k")
    t2 = runtime.alloc((2,), torch.float64, "cpu")
    t2[:] = 0.0
    t2.view(-1).storage()  # the view's buffer has a NaN tail; writing into it is an overrun
    base = runtime._canaries[-1][0]
    base[3] = 5.0
    with pytest.raises(AssertionError, match="past the end"):
        runtime.check_canaries("k")


@pytest.mark.parametrize("name,dtype", [(n, d) for n in ("two_layer", "softmax_xent", "elementwise", "linreg",
                                                          "loop_branch", "more_unary", "more_select")
                                        for d in (np.float32, np.float64)])
def test_every_kernel_compiles_for_a_gpu(name, dtype):
    from s2sgrad.triton.gpucheck import compile_logged
    runtime.LAUNCH_LOG.update(on=True, launches=[])
    try:
        tri, _, _ = run_both(name, dtype)
        launches = list(runtime.LAUNCH_LOG["launches"])
    finally:
        runtime.LAUNCH_LOG.update(on=False, launches=[])
    assert launches
    out = compile_logged(tri.kernels_source, launches)
    assert set(out) == {getattr(k, "__name__", None) or k.fn.__name__ for k, _, _ in launches}
    assert all(r["ptx"] > 1000 for r in out.values())  # PTX came out


def step_counts(name, dtype=np.float64):
    fn, wrt, args = CASES[name]
    args = [torch.from_numpy(a) if isinstance(a, np.ndarray) else a for a in cast(args, dtype)]
    f = differentiate(fn, wrt=wrt, backend="triton")
    f.value_and_grad(*args)  # compile
    runtime.CANARY["on"] = False
    runtime.STATS.reset()
    with runtime.count_host_ops() as mode:
        _, grads = f.value_and_grad(*args)
    return runtime.STATS, mode.calls, args, grads


def test_two_layer_step_in_at_most_six_launches():
    stats, torch_ops, _, _ = step_counts("two_layer")
    assert stats.kernels == 5, stats.launches
    assert stats.kernels + len(torch_ops) <= 6, torch_ops


def test_elementwise_value_and_grad_is_one_pass_over_x():
    stats, torch_ops, args, grads = step_counts("elementwise", np.float32)
    assert stats.kernels == 1
    minimum = args[0].numel() * 4 * 2  # read x once, write grad once
    assert stats.bytes <= 1.25 * minimum, (stats.bytes, minimum)


def _bench_elementwise(x):  # bench/workloads.py's elementwise row
    return np.sum(np.tanh(x) * (1 / (1 + np.exp(-x))) + np.exp(-x ** 2))


def test_flat_blocks_for_big_arrays_as_measured_on_a_gpu(monkeypatch):
    """Flat kernels over 2**24 elements with whole sums: 1024-wide blocks, 8 per program (an H200
    moved 3.45 TB/s with them on 1e8 float32 elements; 3.42 with 2048 x 1, 3.16 with 2048 x 4): the
    elementwise kernel compiles for sm_90 so, with vector loads and no spills (the launch is logged
    at a small size, its blocks per program raised)."""
    from s2sgrad.triton.gpucheck import compile_logged
    assert runtime._flat_block(1 << 24, False, runtime.FLAT["big_block"]) == 1024
    monkeypatch.setattr(runtime, "INTERPRET", False)  # the launchers take the GPU's block sizes
    assert runtime.flat_block(10 ** 8) == 1024 and runtime.flat_iters(10 ** 8, 1024) == 8
    runtime.LAUNCH_LOG.update(on=True, launches=[])
    try:
        f = differentiate(_bench_elementwise, backend="triton")  # (4096 elements: a multiple of 16, as 1e8 is)
        f.value_and_grad(np.linspace(-2, 2, 4096, dtype=np.float32))
        launches = list(runtime.LAUNCH_LOG["launches"])
    finally:
        runtime.LAUNCH_LOG.update(on=False, launches=[])
    (kernel, types, consts), = launches
    assert consts.get("ITERS") == 1  # (4096 elements: one block per program; 2**24 and more take FLAT["iters"])
    report = compile_logged(f.kernels_source, [(kernel, types, dict(consts, BLOCK=1024, ITERS=runtime.FLAT["iters"]))])
    (r,) = report.values()
    assert r["spill_stores"] == 0 and r["vector_loads"] > 0, r


def _render_kernels(name):
    fn, wrt, args = CASES[name]
    f = differentiate(fn, wrt=wrt, backend="triton")
    f.value_and_grad(*args)
    return f.kernels_source


@pytest.mark.parametrize("name", ["two_layer", "elementwise"])
def test_kernel_source_golden(name, monkeypatch):
    # the launchers hold their block sizes: the interpreter's, so the text is the same on a GPU
    monkeypatch.setattr(runtime, "INTERPRET", True)
    got = _render_kernels(name)
    path = os.path.join(GOLDEN, f"triton_{name}.py")
    want = open(path).read()
    assert got == want, "kernel source changed; refresh with: python tests/test_triton.py --update"


def test_kernels_source_is_readable_and_explains_the_host():
    src = _render_kernels("softmax_xent")
    assert "@triton.jit" in src and "# host code" in src
    assert "runs through torch" in src  # the fancy-indexed mean and np.add.at stay on the host


def test_missing_pieces_are_named(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "triton", None)
    with pytest.raises(TritonUnavailableError, match="triton"):
        check_available()


def test_no_gpu_and_no_interpreter_is_explained(monkeypatch):
    monkeypatch.delenv("TRITON_INTERPRET", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(TritonUnavailableError, match="TRITON_INTERPRET=1"):
        check_available()


if __name__ == "__main__":
    import sys
    if "--update" not in sys.argv:
        sys.exit("usage: python tests/test_triton.py --update")
    os.environ.setdefault("TRITON_INTERPRET", "1")
    warnings.simplefilter("ignore")
    for name in ("two_layer", "elementwise"):
        with open(os.path.join(GOLDEN, f"triton_{name}.py"), "w") as fh:
            fh.write(_render_kernels(name))
        print("wrote", f"tests/golden/triton_{name}.py")


# ------------------------------------------------------------ numpy semantics (issue 13, "wrong today")
def _row_softmax_like(x):
    return np.sum(np.exp(x - np.max(x, axis=1)))  # (M,) broadcast along the LAST axis, as numpy does


def _row_normalised(x):
    return np.sum(x / np.sum(x * x, axis=1))


def _max_nan(x, y):
    return np.sum(np.maximum(x, y))


def _row_max_keepdims(x):
    return np.sum(np.exp(x - np.max(x, axis=1, keepdims=True)))


def _int_times_float(x, n):
    return np.sum(x * (n / 3))


@pytest.mark.parametrize("fn,args,value", [
    (_row_softmax_like, (np.arange(16.0).reshape(4, 4) / 10,), 16.054017235467388),
    (_row_normalised, (np.arange(16.0).reshape(4, 4) / 10 + 1,), 2.7175274756642707),
])
def test_row_reduction_without_keepdims_broadcasts_like_numpy(fn, args, value):
    tri, ref = differentiate(fn, backend="triton"), differentiate(fn)
    v, g = tri.value_and_grad(*args)
    v64, g64 = ref.value_and_grad(*args)
    assert float(v) == pytest.approx(value, rel=1e-12) and v64 == pytest.approx(value, rel=1e-12)
    np.testing.assert_allclose(np.asarray(g), g64, rtol=1e-12)


def test_nan_propagates_through_maximum_and_the_row_max():
    runtime.CANARY["on"] = False  # NaN is the right answer here, not an unwritten canary
    x, y = np.array([1.0, np.nan, 3.0]), np.array([2.0, 0.0, np.nan])
    assert np.isnan(float(differentiate(_max_nan, backend="triton").value_and_grad(x, y)[0]))
    q = np.arange(16.0).reshape(4, 4) / 10
    q[1, 2] = np.nan
    assert np.isnan(float(differentiate(_row_max_keepdims, backend="triton").value_and_grad(q)[0]))


def test_integer_arrays_in_float_arithmetic_are_float64():
    x, n = np.array([0.1, 0.2, 0.3]), np.array([1, 2, 3])
    v = differentiate(_int_times_float, backend="triton").value_and_grad(x, n)[0]
    assert float(v) == _int_times_float(x, n)  # 0.4666666666666667 exactly, not fp32's 0.46666667


def test_a_zero_d_argument_gets_a_zero_d_gradient_and_half_precision_is_refused():
    import s2sgrad

    def f(x, s):
        return np.sum(np.sin(x) * s)
    v, (gx, gs) = differentiate(f, wrt=("x", "s"), backend="triton").value_and_grad(np.ones(3), np.array(2.0))
    assert np.shape(gs) == () and gs == pytest.approx(3 * np.sin(1.0))

    def g(x, y):
        return np.sum(x * y)
    with pytest.raises(s2sgrad.ArgumentError, match="float16 tensor"):
        differentiate(g, backend="triton").value_and_grad(torch.ones(3, dtype=torch.float16), torch.ones(3))


def test_kernel_cache_rewrites_a_truncated_or_tampered_file(tmp_path, monkeypatch):
    from s2sgrad.triton import lower
    monkeypatch.setenv("S2SGRAD_CACHE", str(tmp_path))
    text = "X = 1\n"
    lower.load_module(text)
    path = next(tmp_path.glob("s2sgrad_*.py"))
    path.write_text("X = 2  # tampered\n")
    import sys
    for k in [k for k in sys.modules if k.startswith("s2sgrad_kernels_")]:
        del sys.modules[k]
    assert lower.load_module(text).X == 1 and path.read_text() == text
    path.write_text("")  # truncated
    for k in [k for k in sys.modules if k.startswith("s2sgrad_kernels_")]:
        del sys.modules[k]
    assert lower.load_module(text).X == 1


def test_an_unwritable_cache_directory_falls_back_to_a_temporary_one(tmp_path, monkeypatch):
    from s2sgrad.triton import lower
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("S2SGRAD_CACHE", str(blocked / "kernels"))
    assert os.path.isdir(lower.cache_dir())


def test_offsets_are_64_bit_where_an_array_reaches_2_31_elements():
    """Arrays of 2**31 elements would wrap 32-bit offsets (item 5 of issue 13).  Checked on the kernel
    writer itself: compiling a real signature of that size would run shape inference on it."""
    from s2sgrad.ir import Assign, Call, Name
    from s2sgrad.passes.shapes import Arr
    from s2sgrad.triton.codegen import KernelSource
    from s2sgrad.triton.plan import KernelGroup

    def writer(shape):
        g = KernelGroup("flat", shape, np.dtype(np.float32), [Assign(("y",), Call("np.tanh", (Name("x"),)))])
        arr = Arr(shape, np.dtype(np.float32))
        return KernelSource(g, [("y", "tile")], {"x": arr, "y": arr}, "k")
    assert writer((2 ** 16, 2 ** 15 + 1)).needs_int64()
    assert not writer((1024, 1024)).needs_int64()


# ------------------------------------------------------------------ issue 11's elementwise rows
@pytest.mark.parametrize("name", sorted(MORE_CASES))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_more_elementwise_rows_agree_with_numpy_backend(name, dtype):
    fn, wrt, args = MORE_CASES[name]
    args = cast(args, dtype)
    tri = differentiate(fn, wrt=wrt, backend="triton")
    v, g = tri.value_and_grad(*args)
    v0, g0 = differentiate(fn, wrt=wrt).value_and_grad(*args)
    tol = 1e-12 if dtype == np.float64 else 2e-5
    np.testing.assert_allclose(v, v0, rtol=tol)
    for a, b in zip(g, g0):
        assert a.dtype == dtype
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol * np.max(np.abs(b)))
    host = [line for line in tri.kernels_source.splitlines() if line.startswith("# runs through torch")]
    if name == "more_host":  # no kernel computes fmod/remainder exactly: torch's do, named here
        assert any("np.fmod(x, 0.3)" in line for line in host) and any("np.nan_to_num(x)" in line for line in host)
    else:  # the values in kernels; only fmax/fmin's adjoints (isnan, |, ~) stay on the host
        assert all("isnan" in line for line in host), host
        assert "@triton.jit" in tri.kernels_source


def _special_module(tmp_path):
    lines = ["import numpy as np"]
    lines += [f"def u_{n}(x):\n    return np.{n}(x) * 1.0" for n in MORE_UNARY]
    lines += [f"def b_{n}(x, y):\n    return np.{n}(x, y) * 1.0" for n in MORE_BINARY]
    path = tmp_path / "special_rows.py"
    path.write_text("\n".join(lines) + "\n")
    import importlib.util
    spec = importlib.util.spec_from_file_location("special_rows", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _same(got, want):
    """Equal to numpy's (NaN to NaN, the sign of zero too) or within 4 units in the last place."""
    got = np.asarray(got)
    return (np.isnan(got) & np.isnan(want)) | ((got == want) & (np.signbit(got) == np.signbit(want))) | (
        np.abs(got - want) <= 4 * np.spacing(np.abs(want)))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_more_elementwise_kernels_keep_numpy_special_values(dtype, tmp_path):
    """NaN, infinities, signed zeros, subnormals and huge values through each kernel function."""
    runtime.CANARY["on"] = False  # the canaries are NaN: here NaN is a legitimate output
    mod = _special_module(tmp_path)
    x = SPECIAL.astype(dtype)
    y = np.roll(x, 5)
    bad = []
    with np.errstate(all="ignore"):
        for n in MORE_UNARY:
            f = getattr(mod, f"u_{n}")
            v, _ = differentiate(f, backend="triton").vjp(x)
            ok = _same(v, f(x))
            bad += [] if ok.all() else [(n, x[~ok], v[~ok], f(x)[~ok])]
        for n in MORE_BINARY:
            f = getattr(mod, f"b_{n}")
            for p, q in ((x, y), (y, x)):
                v, _ = differentiate(f, backend="triton").vjp(p, q)
                ok = _same(v, f(p, q))
                bad += [] if ok.all() else [(n, p[~ok], q[~ok], v[~ok], f(p, q)[~ok])]
    assert bad == []


@pytest.mark.parametrize("body,op", [("np.sum(np.ldexp(x, 3))", "np.ldexp"), ("math.erf(x[0])", "math_erf"),
                                     ("np.sum(np.var(x))", "np.var")])
def test_rows_whose_torch_twin_differs_are_refused_by_name(body, op, tmp_path):
    from s2sgrad.errors import UnsupportedSyntaxError
    from s2sgrad.rules import NUMPY_ONLY
    assert op in NUMPY_ONLY
    path = tmp_path / "refused_row.py"
    path.write_text(f"import math\nimport numpy as np\n\ndef f(x):\n    return {body}\n")
    import importlib.util
    spec = importlib.util.spec_from_file_location("refused_row", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with pytest.raises(UnsupportedSyntaxError, match=f"{op}.*backend='triton'"):
        differentiate(mod.f, backend="triton").grad(np.linspace(0.1, 0.9, 5))
