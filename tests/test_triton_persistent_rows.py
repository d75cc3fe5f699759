"""Persistent rows kernels (runtime.ROWS["persistent"], rowloop.py): fewer programs than row
blocks, each walking its share of the blocks.  By default only for rows of 8192 columns and more
(runtime.ROWS["wide"]); here on for narrow rows too, the values, gradients,
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
from triton_cases import row_norms, row_softmax_sum, softmax_xent  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


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


def test_narrow_rows_one_program_per_row_block_by_default():
    assert runtime.ROWS["persistent"] is None and runtime.rows_setting("persistent", 8191) is None
    x, labels = _data(37, 10, np.float64)
    tri = differentiate(softmax_xent, backend="triton")
    tri.value_and_grad(x, labels)
    assert "for rb in range" not in tri.kernels_source


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-12), (np.float32, 1e-4)])
def test_wide_rows_take_the_wide_settings(monkeypatch, dtype, tol):
    """Rows of ROWS["wide"]["from"] (8192) columns and more take the wide settings: 4096-wide tiles
    on 16 warps at 64 registers a thread (two programs a multiprocessor), one program a row block
    (persistent up to 2026-11-30: the H200 timed one a row block 3% faster); one column fewer keeps
    the narrow ones.  Values are numpy's either way."""
    monkeypatch.setattr(runtime, "INTERPRET", False)  # the launchers take the GPU's block sizes
    for N, wide in [(8191, False), (8192, True), (8200, True)]:
        x, labels = _data(3, N, dtype)
        ref_v, ref_g = differentiate(softmax_xent).value_and_grad(x, labels)
        tri = differentiate(softmax_xent, backend="triton")
        v, g = tri.value_and_grad(x, labels)
        np.testing.assert_allclose(float(v), ref_v, rtol=tol, atol=tol)
        np.testing.assert_allclose(np.asarray(g), ref_g, rtol=tol, atol=tol * np.abs(ref_g).max())
        src = tri.kernels_source
        assert "for rb in range" not in src
        assert ("num_warps=16, maxnreg=64" in src) == wide
        assert "# whole column blocks, last first" not in src  # (forwards: 0.773 ms against 1.114)
        second = src.split("# phase 1")[1] if wide else ""
        assert not wide or second.index("# the head columns and the tail") < second.index("# whole column blocks")
        blocks = re.findall(r"BM, BN, grid = (\d+), (\d+), \((\d+),\)", src)
        assert blocks == ([("1", "4096", "3")] if wide else [("1", "1024", "3")]), blocks


@pytest.mark.parametrize("tile,warps", [(8192, 32), (None, None)])
def test_the_wide_cross_entropy_compiles_for_sm90_without_spills(monkeypatch, tile, warps):
    """The benchmark's rows (4096 x 50257 float32, logged at 4 rows: M is not specialised on) at the
    wide default before 2026-11-30 (8192 x 32 warps, one persistent program a multiprocessor) and at
    today's (None: 4096 x 16 warps at 64 registers, one program a row block; 0.750 ms on the H200
    against 0.870 for the other in one run): one fused kernel, no spills, and the second pass's
    partial block first (ROWS["wide"]["reuse"] = "partial_first": at 32 warps the other order
    spilled 8 bytes under Triton 3.9 before the aligned blocks)."""
    monkeypatch.setattr(runtime, "INTERPRET", False)  # the launchers take the GPU's block sizes
    if tile is not None:
        monkeypatch.setitem(runtime.ROWS, "wide", None)
        monkeypatch.setitem(runtime.ROWS, "persistent", 1)
        monkeypatch.setitem(runtime.ROWS, "tile", tile)
        monkeypatch.setitem(runtime.ROWS, "num_warps", warps)
    f, r = _benchmark_kernel()
    assert ("for rb in range" in f.kernels_source) == (tile is not None)
    assert r["spill_stores"] == 0 and r["spill_loads"] == 0 and all(n == 0 for _, n in r["loop_spills"]), r
    # 50257 columns: rows start off 16-byte boundaries, so only the aligned whole blocks
    # (ROWS["align"]) make 16-byte loads and stores (ld.global.v4) of the logits and the gradient
    assert r["vector_loads"] > 0, r
    if tile is None:
        assert "# the head columns and the tail" in f.kernels_source.split("# phase 1")[1].split("# whole column blocks")[0]
        # one division a row: the reciprocals of the online sum and the tie count (ROWS["recip"])
        assert f.kernels_source.count("tl.math.div_rn(1.0, ") == 2
        *_, second_whole, _ = r["sass_loops"]  # (whole, partial; partial, whole; an exit spin)
        assert second_whole[0] <= 160, r["sass_loops"]  # 141 on Triton 3.9 for 8 elements a thread (216 before)


@pytest.mark.parametrize("align", [False, True])
def test_the_order_timed_and_what_makes_vector_loads(monkeypatch, align):
    """The wide settings with the second pass's partial block last (ROWS reuse False, the order the
    H200 sweep timed at 0.773 ms): it spilled 8 bytes under Triton 3.9 with the scalar loads, the
    per-element divisions and the label's load after the loops of then; with aligned blocks, row
    reciprocals and the label's element loaded first it compiles without.  Without ROWS["align"]
    no load or store of a 50257-wide row is a vector one (the rows start off 16-byte boundaries):
    the head a row is what makes them."""
    monkeypatch.setattr(runtime, "INTERPRET", False)
    monkeypatch.setitem(runtime.ROWS, "wide", dict(runtime.ROWS["wide"], reuse=False, align=align))
    _, r = _benchmark_kernel()
    assert (r["vector_loads"] > 0) == align, r
    if align:
        assert r["spill_stores"] == 0 and r["spill_loads"] == 0, r


def _benchmark_kernel():
    """(the differentiated cross-entropy, the sm_90 report of its one kernel) for the benchmark's
    4096 x 50257 float32 rows, logged at 4 rows (M is not specialised on)."""
    from s2sgrad.triton.gpucheck import compile_logged
    runtime.LAUNCH_LOG.update(on=True, launches=[])
    try:
        f = differentiate(softmax_xent, backend="triton")
        f.value_and_grad(*_data(4, 50257, np.float32))
        launches = list(runtime.LAUNCH_LOG["launches"])
    finally:
        runtime.LAUNCH_LOG.update(on=False, launches=[])
    (r,) = compile_logged(f.kernels_source, launches).values()
    return f, r
