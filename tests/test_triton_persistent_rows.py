"""Persistent rows kernels (runtime.ROWS["persistent"], rowloop.py): fewer programs than row
blocks, each walking its share of the blocks.  Off by default; here on, the values, gradients,
whole sums, per-row outputs and label checks must be the numpy backend's, with blocks left over
for some programs and not others.  Runs in Triton's interpreter without a GPU (where a persistent
kernel gets k programs in all), and on a GPU as it is."""
import re

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.triton import runtime  # noqa: E402
from s2sgrad.triton.gather import LabelIndexError  # noqa: E402
from triton_cases import softmax_xent  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


def row_softmax_sum(x, y):
    z = np.exp(x - np.max(x, axis=1, keepdims=True))
    p = z / np.sum(z, axis=1, keepdims=True)
    return np.sum(p * y)


def row_norms(x):
    return np.sum(x / np.sum(x * x, axis=1, keepdims=True)) + np.mean(np.max(x, axis=1))


def _data(M, N, dtype, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((M, N)) * 2).astype(dtype), rng.integers(0, N, M)


@pytest.fixture(params=[1, 3])
def persistent(request, monkeypatch):
    monkeypatch.setitem(runtime.ROWS, "persistent", request.param)
    return request.param


@pytest.mark.parametrize("M,N", [(37, 10), (5, 700), (64, 33)])
@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-12), (np.float32, 1e-4)])
def test_persistent_rows_kernels_agree_with_numpy(persistent, M, N, dtype, tol):
    x, labels = _data(M, N, dtype)
    y = _data(M, N, dtype, seed=1)[0]
    cases = [(softmax_xent, (x, labels)), (row_softmax_sum, (x, y)), (row_norms, (x,))]
    for fn, args in cases:
        ref_v, ref_g = differentiate(fn).value_and_grad(*args)
        tri = differentiate(fn, backend="triton")
        v, g = tri.value_and_grad(*args)
        np.testing.assert_allclose(float(v), ref_v, rtol=tol, atol=tol)
        np.testing.assert_allclose(np.asarray(g), ref_g, rtol=tol, atol=tol * np.abs(ref_g).max())
        src = tri.kernels_source
        assert "for rb in range(tl.program_id(0), tl.cdiv(M, BM), tl.num_programs(0)):" in src, src
        if runtime.INTERPRET:  # (k programs in all; the interpreter's row blocks here are single rows)
            grids = [int(n) for n in re.findall(r"BM, BN, grid = \d+, \d+, \((\d+),\)", src)]
            assert grids and all(n == min(persistent, M) for n in grids), grids


def test_a_label_out_of_range_is_still_caught(persistent):
    x, labels = _data(37, 10, np.float64)
    labels[30] = 10  # in a row block that a persistent program reaches late
    with pytest.raises(LabelIndexError):
        differentiate(softmax_xent, backend="triton").value_and_grad(x, labels)


def test_off_by_default_one_program_per_row_block():
    assert runtime.ROWS["persistent"] is None
    x, labels = _data(37, 10, np.float64)
    tri = differentiate(softmax_xent, backend="triton")
    tri.value_and_grad(x, labels)
    assert "for rb in range" not in tri.kernels_source


@pytest.mark.parametrize("tile,warps", [(1024, None), (4096, 16)])
def test_the_persistent_cross_entropy_compiles_for_sm90_without_spills(monkeypatch, tile, warps):
    """The benchmark's rows (4096 x 50257 float32, logged at 4 rows: M is not specialised on) in the
    persistent form, at the settings bench/gpu_bench.py sweeps: one fused kernel, no spills."""
    from s2sgrad.triton.gpucheck import compile_logged
    monkeypatch.setattr(runtime, "INTERPRET", False)  # the launchers take the GPU's block sizes
    monkeypatch.setitem(runtime.ROWS, "persistent", 1)
    monkeypatch.setitem(runtime.ROWS, "tile", tile)
    monkeypatch.setitem(runtime.ROWS, "num_warps", warps)
    runtime.LAUNCH_LOG.update(on=True, launches=[])
    try:
        f = differentiate(softmax_xent, backend="triton")
        f.value_and_grad(*_data(4, 50257, np.float32))
        launches = list(runtime.LAUNCH_LOG["launches"])
    finally:
        runtime.LAUNCH_LOG.update(on=False, launches=[])
    assert "for rb in range" in f.kernels_source
    report = compile_logged(f.kernels_source, launches)
    assert len(report) == 1 and all(r["spill_stores"] == 0 and r["spill_loads"] == 0 for r in report.values()), report
