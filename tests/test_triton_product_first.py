"""Triton backend: products computed by cuBLAS first, their kernel then the epilogue
(runtime.product_first; the interpreter never chooses it, so these tests force it).

On an H200 the fixed 64x64x32 Triton tiles lost to cuBLAS on big products (43 against 53 TFLOP/s,
14 with a transposed operand) and on products with two output tiles and K = 1000 (46 us against
3.4 us): such products now go to torch.matmul and the kernel reads the product once."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.triton import runtime  # noqa: E402
from triton_cases import CASES, cast  # noqa: E402


@pytest.fixture
def forced(monkeypatch):
    monkeypatch.setitem(runtime.PRODUCT_FIRST, "force", True)
    runtime._product_first.cache_clear()
    runtime.CANARY["on"] = True  # every element of every output written, nothing past the end
    yield
    runtime.CANARY["on"] = False
    runtime._product_first.cache_clear()


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-12), (np.float32, 1e-4)])
def test_the_epilogue_of_a_cublas_product_agrees_with_the_numpy_backend(forced, dtype, tol):
    fn, wrt, args = CASES["two_layer"]
    tri = differentiate(fn, wrt=wrt, backend="triton")
    v, g = tri.value_and_grad(*cast(args, dtype))
    v0, g0 = differentiate(fn, wrt=wrt).value_and_grad(*cast(args, np.float64))
    np.testing.assert_allclose(v, v0, rtol=tol)
    for a, b in zip(g, g0):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol * np.abs(b).max())
    src = tri.kernels_source
    assert src.count("product = mm(") == 3 and "PRODUCT=True" in src  # the three products with an epilogue
    assert "W2.T)" in src  # a transposed operand is passed to cuBLAS as the transpose


def test_the_counts_say_what_the_kernels_read(forced):
    fn, wrt, args = CASES["two_layer"]
    f = differentiate(fn, wrt=wrt, backend="triton")
    targs = [torch.from_numpy(a) for a in cast(args, np.float64)]
    f.value_and_grad(*targs)
    runtime.CANARY["on"] = False
    runtime.STATS.reset()
    f.value_and_grad(*targs)
    names = [k for k, _, _ in runtime.STATS.launches]
    assert names.count("mm") == 5  # three products first, two plain ones
    k0 = next(r for k, r, _ in runtime.STATS.launches if k.startswith("k0_"))
    X, W1 = targs[2], targs[0]
    h_bytes = X.shape[0] * W1.shape[1] * 8
    assert k0 == h_bytes  # the epilogue reads the product, not X and W1


def test_the_epilogue_kernels_compile_for_a_gpu(forced):
    from s2sgrad.triton.gpucheck import compile_logged
    fn, wrt, args = CASES["two_layer"]
    monkey = runtime.LAUNCH_LOG
    monkey.update(on=True, launches=[])
    try:
        f = differentiate(fn, wrt=wrt, backend="triton")
        f.value_and_grad(*cast(args, np.float32))
        launches = list(monkey["launches"])
    finally:
        monkey.update(on=False, launches=[])
    out = compile_logged(f.kernels_source, launches)
    assert len(out) == 3
    for name, r in out.items():
        assert r["ptx"] > 1000 and r["spill_stores"] == 0, (name, r)


@pytest.mark.parametrize("M,N,K,first", [
    (8192, 4096, 4096, True),   # the big network's forward product
    (8192, 4096, 1024, True),   # its backward product through W2.T (1 << 30 or more)
    (64, 100, 1000, True),      # the seed network's X @ W1: two 64x64 tiles, K = 1000
    (64, 10, 100, False),       # h @ W2: K = 100, one tile: the fused kernel is one launch
    (64, 100, 10, False),
    (2048, 2048, 64, False),    # many tiles, short K: the fused kernel
])
def test_which_products_go_to_cublas_on_a_gpu(M, N, K, first):
    runtime._product_first.cache_clear()
    assert runtime._product_first(M, N, K, False, None) is first
    assert runtime._product_first(M, N, K, True, None) is False  # never in the interpreter


def _read_transposed_after(A, B):
    return np.sum(np.tanh(A @ B.T) * B)


def _left_transposed_after(A, B):
    return np.sum(np.tanh(A.T @ B + A))


@pytest.mark.parametrize("fn", [_read_transposed_after, _left_transposed_after])
@pytest.mark.parametrize("force", [None, True])
def test_an_array_read_through_t_in_a_product_and_as_itself_after_it(fn, force, monkeypatch):
    """A kernel holds one pair of strides per array: a `.T` operand's are the product's, so an
    elementwise statement reading the same array is not fused into that product's kernel (fused,
    np.tanh(A @ B.T) * B on square arrays read B transposed: 3.17 where numpy gives 1.17)."""
    monkeypatch.setitem(runtime.PRODUCT_FIRST, "force", force)
    runtime._product_first.cache_clear()
    rng = np.random.default_rng(7)
    A, B = rng.standard_normal((21, 21)) * 0.3, rng.standard_normal((21, 21)) * 0.3
    v, g = differentiate(fn, wrt=("A", "B"), backend="triton").value_and_grad(A, B)
    v0, g0 = differentiate(fn, wrt=("A", "B")).value_and_grad(A, B)
    np.testing.assert_allclose(v, v0, rtol=1e-12)
    for a, b in zip(g, g0):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12 * np.abs(b).max())
    runtime._product_first.cache_clear()
