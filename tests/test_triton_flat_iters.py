"""Flat kernels whose programs sum several consecutive blocks (runtime.flat_iters, codegen's looped
kernels): the value and gradient against the numpy backend for sums, means, several sums in one
kernel, float32 and float64, and sizes that leave a ragged last block or idle iterations."""
import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.triton import runtime  # noqa: E402


def one_sum(x):
    return np.sum(np.tanh(x) * np.exp(-x * x))


def two_sums(x, y):
    return np.sum(x * y) + np.mean(np.square(x - y)) * 3.0


def sum_times_sum(x):
    s = np.sum(np.sin(x))
    return s * np.sum(x * x)


@pytest.fixture
def iters(monkeypatch):
    monkeypatch.setitem(runtime.FLAT, "iters_from", 0)
    monkeypatch.setitem(runtime.FLAT, "iters", 4)


@pytest.mark.parametrize("n", [1, 7, 64, 1000, 4099, 100_003])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("fn,nargs", [(one_sum, 1), (two_sums, 2), (sum_times_sum, 1)])
def test_looped_flat_kernels_match_numpy(iters, fn, nargs, n, dtype):
    rng = np.random.default_rng(n)
    args = [rng.standard_normal(n).astype(dtype) for _ in range(nargs)]
    wrt = tuple(range(nargs)) if nargs > 1 else 0
    ref_v, ref_g = differentiate(fn, wrt=wrt).value_and_grad(*args)
    tri = differentiate(fn, wrt=wrt, backend="triton")
    v, g = tri.value_and_grad(*args)  # numpy in, numpy out (on the device where there is one)
    tol = 1e-12 if dtype == np.float64 else 1e-4
    np.testing.assert_allclose(float(v), ref_v, rtol=tol, atol=tol * max(1.0, abs(ref_v)))
    for a, b in zip(g if nargs > 1 else (g,), ref_g if nargs > 1 else (ref_g,)):
        np.testing.assert_allclose(np.asarray(a), b, rtol=tol, atol=tol)
    src = tri.kernels_source
    assert "for it in range(ITERS):" in src
    if n >= 64 * (1 if runtime.INTERPRET else 100):  # the kernel really loops: fewer programs than blocks
        assert ", 4, (" in src


def test_below_the_threshold_one_block_per_program():
    assert runtime.flat_iters(1000, 128) == 1
    assert runtime.flat_iters(1 << 24, 2048) == runtime.FLAT["iters"]
    assert runtime.flat_iters(1 << 30, 2048) == runtime.FLAT["iters"]


def test_blocks_per_program_are_a_power_of_two(monkeypatch):
    """With a power-of-two block and blocks per program, the last program's idle offsets end at a
    multiple of block * iters no greater than 2**31 when numel is below it: 32-bit offsets hold."""
    monkeypatch.setitem(runtime.FLAT, "iters", 6)
    assert runtime.flat_iters(1 << 30, 1024) == 4
    n = (1 << 31) - 5000  # just under 2**31 elements
    iters, block = runtime.flat_iters(n, 1024), 1024
    assert -(-n // (block * iters)) * block * iters <= 1 << 31
