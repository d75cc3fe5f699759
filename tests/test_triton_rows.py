"""Triton backend, issue 13 items 8 and after: rows walked in blocks (any width, online max/sum),
kernels that serve every batch size, plain products through torch.matmul, TF32 behind a flag, and
the benchmark shapes compiled for sm_90 without spills.

Runs in Triton's interpreter (conftest sets TRITON_INTERPRET=1 when there is no GPU).  "GPU blocks"
below: runtime.INTERPRET switched off, so the launchers pick the block sizes a GPU run would (the
interpreter then runs those same kernels, only slower)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.triton import runtime  # noqa: E402
from triton_cases import CASES, softmax_xent  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


@pytest.fixture
def gpu_blocks(monkeypatch):
    monkeypatch.setattr(runtime, "INTERPRET", False)


def _logits(M, N, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((M, N)) * 3).astype(dtype), rng.integers(0, N, M)


def _agree(fn, args, rtol):
    v, g = differentiate(fn, backend="triton").value_and_grad(*args)
    v0, g0 = differentiate(fn).value_and_grad(*[a.astype(np.float64) if a.dtype.kind == "f" else a for a in args])
    np.testing.assert_allclose(float(v), v0, rtol=rtol)
    np.testing.assert_allclose(np.asarray(g, np.float64), g0, rtol=rtol, atol=rtol * np.abs(g0).max())


@pytest.mark.parametrize("M,N", [(3, 50257), (2, 2 ** 20 + 3)])
def test_wide_rows_agree_with_numpy(M, N):
    """A GPT-2 vocabulary, and a row wider than 2**20 (one block could not hold it)."""
    runtime.CANARY["on"] = True
    try:
        _agree(softmax_xent, _logits(M, N), 1e-12)
    finally:
        runtime.CANARY["on"] = False


@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-4)])
def test_rows_in_several_blocks_agree_with_numpy(gpu_blocks, dtype, rtol):
    """GPU blocks: 1024 columns at a time, so 3000 columns take three blocks per phase."""
    _agree(softmax_xent, _logits(5, 3000, dtype), rtol)


def _logsumexp(x):
    m = np.max(x, axis=1, keepdims=True)
    return np.log(np.sum(np.exp(x - m), axis=1, keepdims=True)) + m


def test_online_max_and_sum_keep_numpy_special_rows(gpu_blocks):
    x = np.tile(np.linspace(-5.0, 5.0, 3000), (6, 1))
    x[0, :1500] = -np.inf          # the running max is -inf for a whole block, then finite: finite
    x[1, :] = -np.inf              # numpy: -inf - -inf is NaN in every term
    x[2, 2500] = np.inf            # inf - inf: NaN
    x[3, 10] = np.nan
    x[4] = np.linspace(0.0, 700.0, 3000)  # the max grows in every block: the sum is rescaled each time
    x[5] = x[5][::-1]              # the max is in the first block
    f = differentiate(_logsumexp, backend="triton")
    v, _ = f.vjp(x)
    with np.errstate(all="ignore"):
        want = _logsumexp(x)
    got = np.asarray(v)
    assert np.array_equal(np.isnan(got), np.isnan(want)), (got, want)
    ok = ~np.isnan(want)
    np.testing.assert_allclose(got[ok], want[ok], rtol=1e-13)
    # max and sum share one loop over the row (phase 0, online); a second one computes the adjoint
    src = f.kernels_source
    k0 = src[src.index("def k0_"):src.index("@triton.jit", src.index("def k0_"))]
    assert "# phase 0: m, sum_exp_diff\n" in k0 and k0.count("for c0 in range(0, N, BN):") == 2, k0


def test_softmax_reads_its_input_twice(gpu_blocks):
    """max and sum in one pass (online), exp and log-probabilities in a second."""
    f = differentiate(softmax_xent, backend="triton")
    logits, labels = _logits(4, 3000)
    runtime.STATS.reset()
    f.value_and_grad(logits, labels)
    k0_stats = next(s for s in runtime.STATS.launches if s[0].startswith("k0_"))
    # the byte count says so too: 2 reads of the logits; written: max, sum (a row each), exp_z, log_probs
    assert k0_stats[1:] == (2 * logits.nbytes, 2 * logits.nbytes + 2 * 4 * 8)
    src = f.kernels_source
    k0 = src[src.index("def k0_"):src.index("@triton.jit", src.index("def k0_"))]
    assert k0.count("for c0 in range(0, N, BN):") == 2
    assert k0.count("tl.load(logits_ptr") == 2


def _launch_log(fn, args):
    runtime.LAUNCH_LOG.update(on=True, launches=[])
    try:
        f = differentiate(fn, wrt=CASES[fn.__name__][1] if fn.__name__ in CASES else 0, backend="triton")
        v, g = f.value_and_grad(*args)
        return f, v, g, list(runtime.LAUNCH_LOG["launches"])
    finally:
        runtime.LAUNCH_LOG.update(on=False, launches=[])


@pytest.mark.parametrize("N", [32000, 50257])
def test_benchmark_rows_compile_for_sm90_without_spills(gpu_blocks, N):
    """The cross-entropy benchmark's rows (4096 x N, float32): M is not specialised on, so 4 rows
    compile exactly the kernels 4096 rows launch."""
    from s2sgrad.triton.gpucheck import compile_logged
    f, _, _, launches = _launch_log(softmax_xent, _logits(4, N, np.float32))
    report = compile_logged(f.kernels_source, launches)
    assert report and all(r["spill_stores"] == 0 and r["spill_loads"] == 0 for r in report.values()), report
    if N % 16 == 0:  # rows start 16-byte aligned: the row loads are vectorised
        assert all(r["vector_loads"] > 0 for r in report.values()), report


def _kernel_keys(launches):
    return sorted((getattr(k, "__name__", None) or k.fn.__name__, str(t), str(sorted(c.items())))
                  for k, t, c in launches)


@pytest.mark.parametrize("name", ["softmax_xent", "two_layer"])
def test_a_new_batch_size_reuses_the_compiled_kernels(gpu_blocks, name):
    fn, wrt, args = CASES[name]
    rng = np.random.default_rng(1)
    keys, modules = [], []
    for M in (112, 203):  # arrays of >= 1024 elements (smaller ones get a smaller flat block)
        batch = [rng.standard_normal((M,) + a.shape[1:]) if a.ndim == 2 and a.shape[0] == args[-1].shape[0]
                 else (rng.integers(0, 10, M) if a.dtype.kind == "i" else a) for a in args]
        runtime.LAUNCH_LOG.update(on=True, launches=[])
        try:
            f = differentiate(fn, wrt=wrt, backend="triton")
            v, g = f.value_and_grad(*batch)
            launches = list(runtime.LAUNCH_LOG["launches"])
        finally:
            runtime.LAUNCH_LOG.update(on=False, launches=[])
        v0, g0 = differentiate(fn, wrt=wrt).value_and_grad(*batch)
        np.testing.assert_allclose(v, v0, rtol=1e-12)
        for a, b in zip(g if isinstance(g, tuple) else (g,), g0 if isinstance(g0, tuple) else (g0,)):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12 * np.abs(b).max())
        modules.append(f._triton._last.kernel_module)
        keys.append(_kernel_keys(launches))
        assert str(M) not in f._triton._last.source.split("# generated by s2sgrad -- launchers")[0]
    # one kernels module (same source, same JITFunction objects), and every launch with the same
    # argument types, specialisation and constexprs: Triton's cache key is the same, no recompile
    assert modules[0] is modules[1]
    assert keys[0] == keys[1]


def test_plain_products_go_through_torch_matmul():
    fn, wrt, args = CASES["two_layer"]
    f = differentiate(fn, wrt=wrt, backend="triton")
    runtime.STATS.reset()
    v, g = f.value_and_grad(*args)
    names = [k for k, _, _ in runtime.STATS.launches]
    assert names.count("mm") == 2, names  # grad_W1 = X.T @ grad_h, grad_W2 = h_relu.T @ grad_y_hat
    assert sum(n.startswith("k") for n in names) == 3  # the products with an epilogue stay fused
    assert f.kernels_source.count("def k") == 3


@pytest.mark.parametrize("allow", [False, True])
def test_tf32_is_a_documented_flag(allow):
    """float32 products on tensor cores only when allowed (the PTX has mma/wgmma then, and only then);
    on the CPU (no TF32) the values do not move."""
    from s2sgrad import triton as s2t
    from s2sgrad.triton.gpucheck import compile_logged
    assert s2t.options.allow_tf32 is None and runtime.tf32_enabled() == torch.backends.cuda.matmul.allow_tf32
    fn, wrt, args = CASES["two_layer"]
    args32 = [a.astype(np.float32) for a in args]
    s2t.options.allow_tf32 = allow
    try:
        runtime.LAUNCH_LOG.update(on=True, launches=[])
        f = differentiate(fn, wrt=wrt, backend="triton")
        v, g = f.value_and_grad(*args32)
        launches = list(runtime.LAUNCH_LOG["launches"])
    finally:
        runtime.LAUNCH_LOG.update(on=False, launches=[])
        s2t.options.allow_tf32 = None
    assert ('input_precision="tf32"' in f.kernels_source) == allow
    report = compile_logged(f.kernels_source, launches)
    assert any(r["mma"] for r in report.values()) == allow, report
    v0, g0 = differentiate(fn, wrt=wrt).value_and_grad(*args)
    # on a GPU with TF32 allowed the products round their inputs to 10 mantissa bits (~1e-3)
    tol = 1e-2 if allow and torch.cuda.is_available() else 1e-4
    np.testing.assert_allclose(np.float64(v), v0, rtol=tol)
    for a, b in zip(g, g0):
        np.testing.assert_allclose(np.asarray(a, np.float64), b, rtol=tol, atol=tol * np.abs(b).max())


def test_contiguous_one_dimensional_operands_get_vector_loads(gpu_blocks):
    """1-D kernels address by the offset itself (no // and %): contiguous float32 operands are read
    with vector loads on sm_90 (the JIT knows the stride is 1 and the length a multiple of 16)."""
    from s2sgrad.triton.gpucheck import compile_logged
    x = np.linspace(-2.0, 2.0, 4096).astype(np.float32)
    f, v, g, launches = _launch_log(CASES["elementwise"][0], (x,))
    v0, g0 = differentiate(CASES["elementwise"][0]).value_and_grad(x.astype(np.float64))
    np.testing.assert_allclose(np.float64(v), v0, rtol=1e-5)
    np.testing.assert_allclose(np.asarray(g, np.float64), g0, rtol=1e-4, atol=1e-5)
    report = compile_logged(f.kernels_source, launches)
    assert len(report) == 1 and all(r["vector_loads"] > 0 and r["spill_stores"] == 0 for r in report.values()), report


def test_the_max_adjoints_tie_mask_is_computed_in_the_kernel():
    """`mask = logits == max_logits` and its row count join the adjoint's rows kernel (computed as
    0/1 in the kernel's float type): the cross-entropy step is two kernels and five torch ops.  Ties
    share the cotangent as numpy's gradient does (rows with two and three equal maxima)."""
    logits = np.round(np.random.default_rng(3).standard_normal((9, 7)))  # many ties
    logits[0, :3] = 5.0
    labels = np.arange(9) % 7
    fn = CASES["softmax_xent"][0]
    f = differentiate(fn, backend="triton")
    v, g = f.value_and_grad(logits, labels)
    v0, g0 = differentiate(fn).value_and_grad(logits, labels)
    np.testing.assert_allclose(v, v0, rtol=1e-12)
    np.testing.assert_allclose(g, g0, rtol=1e-12, atol=1e-15)
    runtime.STATS.reset()
    with runtime.count_host_ops() as mode:
        f.value_and_grad(torch.from_numpy(logits), torch.from_numpy(labels))
    assert runtime.STATS.kernels == 2 and len(mode.calls) == 5, (runtime.STATS.launches, mode.calls)
    assert "mask = logits == max_logits" not in f.kernels_source.split("# ---- what stays on the host")[1]


def _mask_read_on_the_host(x):
    y = np.tanh(x)
    m = y > 0.2
    return np.sum(y[m]) + np.sum(y * y * m)


def test_a_mask_read_by_the_host_is_stored_as_bool():
    x = np.linspace(-1.0, 1.0, 35).reshape(5, 7)
    f = differentiate(_mask_read_on_the_host, backend="triton")
    v, g = f.value_and_grad(x)
    v0, g0 = differentiate(_mask_read_on_the_host).value_and_grad(x)
    np.testing.assert_allclose(v, v0, rtol=1e-12)
    np.testing.assert_allclose(g, g0, rtol=1e-12)
    src = f.kernels_source
    assert "alloc((5, 7), torch.bool" in src and "m != 0" in src  # the kernel writes numpy's bool


def test_a_generated_helper_without_a_torch_twin_is_refused_by_name():
    from s2sgrad.errors import UnsupportedSyntaxError
    from s2sgrad.triton.lower import _host_helpers
    assert _host_helpers("    g = unbroadcast(a, b)\n") == ["unbroadcast"]
    with pytest.raises(UnsupportedSyntaxError, match=r"matmul_grad_x\(\).*numpy backend"):
        _host_helpers("    g = matmul_grad_x(a, b, c)\n")
