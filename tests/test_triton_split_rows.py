"""Split rows (runtime.ROWS["split"], rowsplit.py): each row held by K programs, one block each,
which exchange their parts of the row reductions instead of reading the row once a phase.

The parts must combine into exactly what one program's lanes give: values and gradients are the
numpy backend's for rows split into 2 to 5 blocks of 16 columns (a partial last block, or none),
rows walked two at a time by each group of programs (M odd: one group has a row more), exchanges
in one round (softmax, cross-entropy) and in several (a normalisation: the mean, then the
variance), numpy's special rows (NaN in one block, a block of -inf in a finite row, a row of -inf,
+inf, ties of the max across blocks) and labels out of range.  Under the interpreter the kernel is
launched once per round and once more (it runs one program at a time, so a wait would never end);
on a GPU (bench/gpu.sh) the same tests run the one launch with its waits.  The sm_90 test reads
the benchmark's kernel as the GPU launches it: the row read once, the waits' release and acquire."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.triton import runtime, splitgrid  # noqa: E402
from s2sgrad.triton.gather import LabelIndexError  # noqa: E402
from triton_cases import row_norms, row_softmax_sum, softmax_xent  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


@pytest.fixture
def split(monkeypatch):
    """Rows split into blocks of 16 columns (the GPU's setting for wide rows is thousands)."""
    monkeypatch.setitem(runtime.ROWS, "split", True)
    monkeypatch.setitem(runtime.ROWS, "tile", 16)


def logsumexp_rows(x, w):
    m = np.max(x, axis=1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(x - m), axis=1, keepdims=True))
    return np.sum(lse * w)


def normalised(x, w):
    """Three row reductions in a chain: the mean, the variance of what is left, and the output."""
    mu = np.mean(x, axis=1, keepdims=True)
    d = x - mu
    var = np.mean(d * d, axis=1, keepdims=True)
    return np.sum(d / np.sqrt(var + 1e-5) * w)


def max_rows(x):
    """The row max's gradient: split evenly among its ties."""
    return np.sum(np.max(x, axis=1) ** 2)


def _check(fn, args, dtype=np.float64, split_expected=True):
    tol = 1e-12 if dtype == np.float64 else 1e-5
    args = [a.astype(dtype) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in args]
    with np.errstate(all="ignore"):
        ref_v, ref_g = differentiate(fn).value_and_grad(*args)
    tri = differentiate(fn, backend="triton")
    v, g = tri.value_and_grad(*args)
    assert ("xchg_ptr" in tri.kernels_source) == split_expected
    np.testing.assert_allclose(float(v), ref_v, rtol=tol, atol=tol)
    np.testing.assert_allclose(np.asarray(g), ref_g, rtol=tol, atol=tol * np.nanmax(np.abs(ref_g)))
    return tri.kernels_source


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("M,N", [(1, 17), (3, 32), (5, 53), (4, 80)])
def test_cross_entropy_split_over_blocks(split, M, N, dtype):
    rng = np.random.default_rng(M * 100 + N)
    src = _check(softmax_xent, [rng.standard_normal((M, N)) * 3, rng.integers(-N, N, M)], dtype)
    # the row is loaded once (and the label's element): the second phase reuses the block it holds,
    # in both forms of the row's lines (a block inside the row, unmasked; the last one)
    assert src.count("tl.load(logits_ptr") == 3, src
    assert src.count("logits = logits_held") == 2
    assert src.count("mask = row_ok & (cols < N)") == 2  # (the last block's two phases only)
    K = -(-N // 16)
    assert f"grid = 1, 16, {runtime.pow2(K)}, ({min(M, 2) * K},)" in src


@pytest.mark.parametrize("fn", [row_softmax_sum, logsumexp_rows, normalised])
def test_softmax_logsumexp_and_a_chain_of_reductions(split, fn):
    rng = np.random.default_rng(7)
    x, w = rng.standard_normal((5, 45)) * 2, rng.standard_normal((5, 45))
    src = _check(fn, [x, w])
    if fn is normalised:  # the mean, then the variance: two exchanges, each with its own count
        assert src.count("sem='acquire'") == 4, src  # (two in each form of the row's lines)


def test_row_norms_and_ties_of_the_max_across_blocks(split):
    x = np.random.default_rng(3).standard_normal((5, 50))
    x[1, [2, 20, 40]] = 9.0  # the max three times, in three blocks: its gradient split three ways
    x[3, [15, 16]] = -0.0
    x[3] = np.minimum(x[3], 0.0)
    _check(max_rows, [x], split_expected=False)  # (one phase, nothing read again: not split)
    _check(row_norms, [x])
    _check(softmax_xent, [x, np.array([20, 2, 0, 16, 49])])


@pytest.mark.parametrize("case", ["negative", "nan", "ninf_block", "ninf_row", "pinf"])
def test_numpy_special_rows(split, case):
    """Rows below 0 (3 blocks, the exchange padded to 4 parts: a pad must not be a max); a NaN in
    one block makes the row NaN; a block of -inf in a finite row adds nothing (its part is max
    -inf, sum 0); a row of -inf is NaN (numpy's -inf - -inf); +inf makes the softmax NaN."""
    x = np.random.default_rng(5).standard_normal((3, 40))
    if case == "negative":
        x = -np.abs(x) - 1.0
    elif case == "nan":
        x[1, 35] = np.nan
    elif case == "ninf_block":
        x[1, 16:32] = -np.inf
    elif case == "ninf_row":
        x[2] = -np.inf
    else:
        x[0, 3] = np.inf
    rng = np.random.default_rng(1)
    for fn, args in [(row_softmax_sum, [x, rng.standard_normal(x.shape)]), (logsumexp_rows, [x, rng.standard_normal(x.shape)])]:
        with np.errstate(all="ignore"):
            ref_v, ref_g = differentiate(fn).value_and_grad(*args)
        v, g = differentiate(fn, backend="triton").value_and_grad(*args)
        np.testing.assert_allclose(float(v), ref_v, rtol=1e-12, equal_nan=True)
        np.testing.assert_allclose(np.asarray(g), ref_g, rtol=1e-12, atol=1e-12, equal_nan=True)


def test_a_label_out_of_range_raises(split):
    x = np.random.default_rng(2).standard_normal((3, 40))
    f = differentiate(softmax_xent, backend="triton")
    with pytest.raises(LabelIndexError):
        f.value_and_grad(x, np.array([0, 40, 1]))
    v, _ = f.value_and_grad(x, np.array([0, -40, 39]))  # (-N is the first column, as numpy reads it)
    assert np.isclose(v, softmax_xent(x, np.array([0, -40, 39])), rtol=1e-12)


def test_where_a_split_saves_nothing_or_cannot_wait(split, monkeypatch):
    """Not split: rows of one block; more than 64 blocks a row; more than two arrays read again
    (each held across the wait costs registers); and with ROWS["split"] off."""
    rng = np.random.default_rng(4)
    _check(softmax_xent, [rng.standard_normal((3, 16)), np.array([0, 1, 2])], split_expected=False)
    _check(softmax_xent, [rng.standard_normal((2, 16 * 64 + 1)), np.array([0, 1])], split_expected=False)
    _check(softmax_xent, [rng.standard_normal((2, 16 * 64)), np.array([0, 1])])

    def three_held(x, y, z):
        s = np.sum(x * y * z, axis=1, keepdims=True)
        return np.sum(x * y * z / s)
    _check(three_held, [rng.random((3, 40)) + 0.5 for _ in range(3)], split_expected=False)
    monkeypatch.setitem(runtime.ROWS, "split", False)
    _check(softmax_xent, [rng.standard_normal((3, 40)), np.array([0, 1, 2])], split_expected=False)


def test_capacity_bounds_the_groups(monkeypatch):
    """On a GPU the grid is G groups of K programs with G * K at most what it holds at once:
    16 warps at 64 registers, two programs a multiprocessor; without a register cap, the most that
    lets one fit (128 a thread at 16 warps: one)."""
    class Props:
        multi_processor_count = 132
    monkeypatch.setattr(runtime, "INTERPRETED", False)
    monkeypatch.setattr(runtime, "INTERPRET", False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
    monkeypatch.setattr(torch.cuda, "get_device_properties", lambda d: Props)
    monkeypatch.setitem(runtime.ROWS, "wide", {"from": 8192, "tile": 8192, "num_warps": 16, "maxnreg": 64, "split": True})
    assert splitgrid.split_capacity(50257) == 264
    assert splitgrid.split_groups(4096, 50257, 7) == 37
    monkeypatch.setitem(runtime.ROWS["wide"], "maxnreg", None)
    assert splitgrid.split_capacity(50257) == 132
    assert splitgrid.split_groups(3, 50257, 7) == 3
    # a cap without num_warps is not passed to the launch (launchers), so it does not count here:
    # 4 warps, up to 255 registers a thread, two programs a multiprocessor -- not eight
    monkeypatch.setitem(runtime.ROWS, "wide", None)
    monkeypatch.setitem(runtime.ROWS, "maxnreg", 64)
    assert splitgrid.split_capacity(4096) == 264


def test_the_gpu_launch_is_one_cooperative_grid(monkeypatch):
    """On a GPU: one launch (XCHG 0, with the waits) as a cooperative grid where Triton has it, so
    that the driver refuses a grid it cannot hold at once rather than starting one that waits
    forever; under the interpreter a launch per round and one more, nothing cooperative."""
    from s2sgrad.triton.launchers import _split_plan

    class KS:
        split_shape = (3, 2)
    monkeypatch.setitem(runtime.ROWS, "tile", 16)
    lines = []
    BN, grid, consts, stages = _split_plan(lines, KS, 5, 53, "torch.float32", "x.device")
    assert (BN, grid, stages) == (16, (8,), (1, 2, 3)) and "cooperative" not in consts
    assert "torch.zeros((10,), dtype=torch.int32" in "\n".join(lines)  # a count a row and round
    monkeypatch.setattr(runtime, "INTERPRETED", False)
    BN, grid, consts, stages = _split_plan([], KS, 5, 53, "torch.float32", "x.device")
    assert stages == (0,) and consts.endswith("XCHG=0" + (", launch_cooperative_grid=True"
                                                          if splitgrid.cooperative_launch() else ""))


def test_offsets_in_64_bits(split, monkeypatch):
    """Arrays of 2**31 elements or more take 64-bit offsets from the row index (`pid`), in the
    split and the persistent forms alike (tl.cast: under the interpreter the row index is an int)."""
    from s2sgrad.triton.codegen import KernelSource
    monkeypatch.setattr(KernelSource, "needs_int64", lambda self: True)
    rng = np.random.default_rng(9)
    src = _check(softmax_xent, [rng.standard_normal((5, 40)), np.array([3, 0, 39, 17, 20])])
    assert "pid = tl.cast(rb, tl.int64)" in src
    monkeypatch.setitem(runtime.ROWS, "split", False)
    monkeypatch.setitem(runtime.ROWS, "persistent", 1)
    src = _check(softmax_xent, [rng.standard_normal((5, 40)), np.array([3, 0, 39, 17, 20])], split_expected=False)
    assert "pid = tl.cast(rb, tl.int64)" in src


def test_not_split_writes_the_kernel_of_split_off(split, monkeypatch):
    """Where a split is possible but nothing is read twice, the phases are written again for the
    loops: the kernel is the one ROWS["split"] off writes, names included (one compiled binary)."""
    def row_sums(x):
        return np.sum(np.sum(x * x, axis=1) ** 2)
    x = np.random.default_rng(6).standard_normal((3, 40))
    on = _check(row_sums, [x], split_expected=False)
    monkeypatch.setitem(runtime.ROWS, "split", False)
    off = _check(row_sums, [x], split_expected=False)
    assert on.split("# generated by s2sgrad -- launchers")[0] == off.split("# generated by s2sgrad -- launchers")[0]


def test_the_benchmark_kernel_compiles_for_sm90_reading_the_row_once(monkeypatch):
    """The benchmark's rows (4096 x 50257 float32, logged at 4 rows) split into blocks of 8192 at
    32 warps, as the GPU launches it (XCHG 0): no spills, a release and an acquire in each form of
    the row's lines (by one thread, the wait's flag shared through shared memory), and the logits'
    loads only in the first phase (and the label's element) -- the gradient's phase computes from
    registers."""
    from s2sgrad.triton.gpucheck import compile_logged
    from triton_cases import softmax_xent as ce
    monkeypatch.setattr(runtime, "INTERPRET", False)
    monkeypatch.setitem(runtime.ROWS, "wide", {"from": 8192, "tile": 8192, "num_warps": 32, "split": True})
    monkeypatch.setattr(splitgrid, "split_groups", lambda M, N, K: 1)  # (the interpreter's grid: a group)
    runtime.LAUNCH_LOG.update(on=True, launches=[])
    try:
        f = differentiate(ce, backend="triton")
        x = np.random.default_rng(0).standard_normal((4, 50257)).astype(np.float32)
        v, g = f.value_and_grad(x, np.array([0, 50256, 7, 8191]))
        launches = list(runtime.LAUNCH_LOG["launches"])
    finally:
        runtime.LAUNCH_LOG.update(on=False, launches=[])
    ref_v, ref_g = differentiate(ce).value_and_grad(x.astype(np.float64), np.array([0, 50256, 7, 8191]))
    np.testing.assert_allclose(float(v), ref_v, rtol=1e-5)
    np.testing.assert_allclose(g, ref_g, atol=1e-7)
    (r,) = compile_logged(f.kernels_source, launches).values()
    assert r["spill_stores"] == 0 and r["spill_loads"] == 0, r
    assert r["releases"] == 2 and r["acquires"] == 2, r  # (one in each form of the row's lines)
    assert f.kernels_source.count("tl.load(logits_ptr") == 3


hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from test_triton_row_lanes import (logsumexp_rows as lse_rows, row_max_sum, rows_with_specials,  # noqa: E402
                                   same_as_numpy, softmax_denominators, xent_plus_max)


@pytest.mark.parametrize("fn", [lse_rows, softmax_denominators, row_max_sum, softmax_xent, xent_plus_max],
                         ids=lambda f: f.__name__)
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=rows_with_specials())
def test_random_rows_with_special_values(monkeypatch, fn, case):
    """The row-lanes test's random rows (1 to 3000 columns, NaN, +-inf, rows of -inf, ties of the
    max in different blocks) split into blocks of 128 columns: numpy's values, NaN where numpy's."""
    monkeypatch.setitem(runtime.ROWS, "split", True)
    monkeypatch.setitem(runtime.ROWS, "tile", 128)
    monkeypatch.setitem(runtime.CANARY, "on", False)  # NaN gradients are expected here
    same_as_numpy(fn, case)
