"""Rows kernels addressed from each row's 16-byte boundary (runtime.ROWS["align"], rowloop's
_aligned_rows and _aligned_loops, runtime.rows_align) and divisions by a row's online sum as one
reciprocal a row (ROWS["recip"]).

The whole blocks start at a column `head` that differs from row to row when the row width is odd;
the partial loop takes the head columns and the tail.  Every column must be read and written
exactly once, in every layout: the values and gradients are the numpy backend's, with blocks of 16
columns (the GPU's choice of blocks at a 16-element tile, so that whole blocks exist in Triton's
interpreter), rows of widths with every remainder modulo 4, float32 and float64, views, broadcast
rows and labels.  ALIGN and HEADS are the host's promise to the compiler (tl.multiple_of): checked
here for each layout, since a wrong promise would be a misaligned vector access on a GPU."""
import re

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.triton import runtime  # noqa: E402
from triton_cases import row_norms, row_softmax_sum, softmax_xent  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


def scaled_by_row(x, w):
    """w is one row (N,) broadcast over x's rows: its row stride is 0."""
    z = np.exp(x - np.max(x, axis=1, keepdims=True))
    return np.sum(z / np.sum(z, axis=1, keepdims=True) * w)


@pytest.fixture
def small_blocks(monkeypatch):
    """The GPU's block choice at a 16-element tile: BN = 16, one row a block, whole blocks from
    N = 16 on (the interpreter's own choice is one block as wide as the row)."""
    monkeypatch.setattr(runtime, "rows_blocks", lambda M, N: runtime._rows_blocks(M, N, False, 16))


def _check(fn, args, dtype, align=True):
    tol = 1e-12 if dtype == np.float64 else 1e-4
    ref_v, ref_g = differentiate(fn).value_and_grad(*args)
    tri = differentiate(fn, backend="triton")
    v, g = tri.value_and_grad(*args)
    np.testing.assert_allclose(float(v), ref_v, rtol=tol, atol=tol)
    np.testing.assert_allclose(np.asarray(g), ref_g, rtol=tol, atol=tol * np.abs(ref_g).max())
    return tri.kernels_source


def _promises(src):
    """[(ALIGN, HEADS, whether every array's layout was known when the launcher was written)]"""
    return [(*re.search(r"ALIGN=(\d+), HEADS=(True|False)", line).groups(), "*strides(" not in line)
            for line in src.splitlines() if "ALIGN=" in line]


@pytest.mark.parametrize("N", [37, 50, 64, 67, 16, 17])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_aligned_rows_agree_with_numpy(small_blocks, N, dtype):
    rng = np.random.default_rng(N)
    x = (rng.standard_normal((7, N)) * 2).astype(dtype)
    y = rng.standard_normal((7, N)).astype(dtype)
    labels = rng.integers(0, N, 7)
    labels[:3] = [0, N - 1, 1]  # the first column (a head column) and the last (the tail)
    for fn, args in [(softmax_xent, (x, labels)), (row_softmax_sum, (x, y)), (row_norms, (x,))]:
        src = _check(fn, args, dtype)
        align = 16 // np.dtype(dtype).itemsize
        # contiguous rows: every array's row stride is N, so one head a row aligns all of them
        promises = _promises(src)
        assert promises and promises[0][2], promises
        for a, heads, known in promises:  # (a layout known only at the call: no promise)
            assert (a, heads) == ((str(align), str(N % align != 0)) if known else ("1", "False")), promises
        if N >= 32:  # (16 and 17 columns: no whole block after a head of up to 3 columns)
            assert "tl.multiple_of(" in src and "for c0 in range(0, WB, BN):" in src


def test_a_row_of_only_head_and_tail(small_blocks):
    """N = 19 (float32): a head of 1 to 3 columns leaves one whole block of 16 for some rows only;
    WB is the same for every row (N - ALIGN + 1, whole blocks), the rest is partial."""
    rng = np.random.default_rng(3)
    x = rng.standard_normal((9, 19)).astype(np.float32)
    _check(row_norms, (x,), np.float32)


@pytest.mark.parametrize("make", [
    lambda x: x[:, 1:52],                # rows start one element in
    lambda x: x[::2, :51],               # every other row
    lambda x: x[:, :51],                 # row stride 52
    lambda x: np.asfortranarray(x[:, :51]),
])
def test_views_and_layouts(small_blocks, make):
    """Views reach the kernels as the layouts the launcher was written for (row-contiguous: 51, 1),
    so the promise is the contiguous one; the numbers are numpy's."""
    rng = np.random.default_rng(5)
    x = make(rng.standard_normal((12, 52)).astype(np.float32))
    src = _check(row_norms, (x,), np.float32)
    launch = next(line for line in src.splitlines() if "launch(k0" in line)
    assert "(x, 51, 1," in launch and _promises(src)[0] == ("4", "True", True), launch


def test_a_broadcast_row_operand_takes_no_hint(small_blocks):
    """w (N,) has row stride 0, x row stride N = 37: the two disagree modulo 4, so no head puts both
    on a boundary: ALIGN 1 (no promise), and the numbers are still numpy's."""
    rng = np.random.default_rng(6)
    x = rng.standard_normal((6, 37)).astype(np.float32)
    w = rng.standard_normal(37).astype(np.float32)
    src = _check(scaled_by_row, (x, w), np.float32)
    assert _promises(src)[0] == ("1", "False", True)  # the kernel reading x and w
    x = rng.standard_normal((6, 40)).astype(np.float32)  # 40 = 0 mod 4: both strides agree
    src = _check(scaled_by_row, (x, rng.standard_normal(40).astype(np.float32)), np.float32)
    assert _promises(src)[0] == ("4", "False", True)


@pytest.mark.parametrize("align,recip", [(False, False), (True, False), (False, True)])
def test_each_setting_alone(small_blocks, monkeypatch, align, recip):
    monkeypatch.setitem(runtime.ROWS, "align", align)
    monkeypatch.setitem(runtime.ROWS, "recip", recip)
    rng = np.random.default_rng(7)
    x = rng.standard_normal((5, 45)).astype(np.float32)
    src = _check(softmax_xent, (x, rng.integers(0, 45, 5)), np.float32)
    assert ("ALIGN: tl.constexpr" in src) == align
    assert ("tl.math.div_rn(1.0, sum_exp_z_acc)" in src) == recip


def test_reciprocals_only_for_float32_online_sums(small_blocks):
    """A float64 kernel divides as numpy does (div.rn, exact); a float32 one multiplies by the
    online sum's reciprocal; a plain row sum (which may be subnormal: its reciprocal could
    overflow where the quotient does not) is divided by."""
    rng = np.random.default_rng(8)
    x = rng.standard_normal((5, 45))
    src64 = _check(row_softmax_sum, (x, x), np.float64)
    assert "_inv" not in src64
    src32 = _check(row_softmax_sum, (x.astype(np.float32), x.astype(np.float32)), np.float32)
    assert "* sum_" in src32 or "_inv" in src32
    src = _check(row_norms, (x.astype(np.float32),), np.float32)
    assert "_inv" not in src  # x / sum(x * x): not an online sum


def test_special_rows_keep_numpy_values(small_blocks):
    """A row holding NaN, one of -inf only, one of +inf: the reciprocal of a NaN or infinite sum
    gives numpy's NaN / 0 where the division did."""
    x = np.random.default_rng(9).standard_normal((4, 37)).astype(np.float32)
    x[0, 5] = np.nan
    x[1, :] = -np.inf
    x[2, 20] = np.inf
    ref = differentiate(row_softmax_sum).value_and_grad(x, x)
    got = differentiate(row_softmax_sum, backend="triton").value_and_grad(x, x)
    np.testing.assert_array_equal(np.isnan(np.asarray(got[1])), np.isnan(ref[1]))
    ok = ~np.isnan(ref[1])
    np.testing.assert_allclose(np.asarray(got[1])[ok], ref[1][ok], rtol=1e-4, atol=1e-5)


def test_rows_align_promises():
    f32, f64 = 4, 8
    assert runtime.rows_align([(50257, 1, f32), (50257, 1, f32)], 50257) == (4, True)
    assert runtime.rows_align([(1024, 1, f32)], 1024) == (4, False)
    assert runtime.rows_align([(37, 1, f64)], 37) == (2, True)
    assert runtime.rows_align([(37, 1, f32), (0, 1, f32)], 37) == (1, False)   # phases differ
    assert runtime.rows_align([(41, 1, f32), (1, 1, f32)], 41) == (4, True)     # 41 = 1 = 1 mod 4
    assert runtime.rows_align([(37, 2, f32)], 37) == (1, False)                 # not contiguous
    assert runtime.rows_align([(37, 1, f32), (37, 1, f64)], 37) == (4, True)    # the narrower type's 16 bytes
    assert runtime.rows_align(None, 37) == (1, False)                           # a layout known only at the call
    assert runtime.rows_align([(5, 1, f32)], 5) == (1, False)                   # too narrow for a head and a block
