"""Triton backend: softmax cross-entropy as one fused kernel (issue 13, its worst row).

The row gather `log_probs[np.arange(n), labels]` is an in-kernel row reduction, the adjoint's
`np.zeros_like` + `np.add.at` a one-hot term, and the adjoint's row statements join the forward
kernel (its seed `-grad_out / n` is hoisted above it): value and gradient in one kernel that reads
the logits twice and writes the gradient once.  numpy's index rules are kept: negative labels
count from the end, and a label outside [-N, N) raises IndexError (a flag the kernel writes, read
by the host once per call), never a silent 0.  Runs in Triton's interpreter without a GPU."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.triton import runtime  # noqa: E402
from s2sgrad.triton.gather import LabelIndexError  # noqa: E402
from triton_cases import softmax_xent  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


@pytest.fixture(autouse=True)
def canaries():
    runtime.CANARY["on"] = True  # every output element written, nothing past the end
    yield
    runtime.CANARY["on"] = False


def _data(M, N, dtype, seed=0, low=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((M, N)) * 3).astype(dtype), rng.integers(low, N, M)


def _numpy(fn, logits, labels):
    return differentiate(fn).value_and_grad(logits.astype(np.float64), labels)


@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-4)])
@pytest.mark.parametrize("M,N", [(6, 9), (3, 1500)])
def test_one_kernel_agrees_with_the_numpy_backend(dtype, rtol, M, N):
    logits, labels = _data(M, N, dtype, low=-N)  # half the labels negative: counted from the end
    f = differentiate(softmax_xent, backend="triton")
    v, g = f.value_and_grad(logits, labels)
    v0, g0 = _numpy(softmax_xent, logits, labels)
    assert np.asarray(g).dtype == dtype and np.asarray(v).dtype == dtype
    np.testing.assert_allclose(np.float64(v), v0, rtol=rtol)
    np.testing.assert_allclose(np.asarray(g, np.float64), g0, rtol=rtol, atol=rtol * np.abs(g0).max())
    runtime.STATS.reset()
    with runtime.count_host_ops() as mode:
        f.value_and_grad(torch.from_numpy(logits), torch.from_numpy(labels))
    # one kernel; on the host only the per-program partial losses summed, divided by M, negated
    assert [k for k, _, _ in runtime.STATS.launches] == ["k0_softmax_xent_value_and_vjp"], runtime.STATS.launches
    assert mode.calls == ["sum", "div", "neg"], mode.calls
    host = f.kernels_source.split("# ---- what stays on the host")[1]
    assert "np.add.at" not in host and "zeros_like" not in host and "arange" not in host, host


def test_the_kernel_reads_the_logits_twice_and_writes_the_gradient_once(monkeypatch):
    monkeypatch.setattr(runtime, "INTERPRET", False)  # GPU blocks: 1024 columns at a time
    logits, labels = _data(3, 3000, np.float32)
    f = differentiate(softmax_xent, backend="triton")
    runtime.STATS.reset()
    f.value_and_grad(logits, labels)
    (_, read, written), = runtime.STATS.launches
    assert (read, written) == (2 * logits.nbytes + labels.nbytes, logits.nbytes)
    src = f.kernels_source
    # two phases, each a loop over the whole column blocks and one over the partial block (same body),
    # and the picked log-probability read at the label's column only (one element per row)
    assert src.count("# whole column blocks") == 2 and src.count("tl.load(logits_ptr") == 5


@pytest.mark.parametrize("bad", [9, 100, -10])
def test_a_label_out_of_range_raises_like_numpy(bad):
    logits, labels = _data(6, 9, np.float64)
    labels[4] = bad
    with pytest.raises(IndexError):
        _numpy(softmax_xent, logits, labels)  # numpy: index out of bounds
    f = differentiate(softmax_xent, backend="triton")
    with pytest.raises(LabelIndexError, match=r"triton_cases.py:\d+:\d+: a label in `labels` is out of bounds for "
                                              r"axis 1 with size 9") as info:
        f.value_and_grad(logits, labels)
    assert isinstance(info.value, IndexError)
    labels[4] = -9  # the last column: fine, and the failed call left nothing pending
    v, g = f.value_and_grad(logits, labels)
    v0, g0 = _numpy(softmax_xent, logits, labels)
    np.testing.assert_allclose(v, v0, rtol=1e-12)
    np.testing.assert_allclose(g, g0, rtol=1e-12, atol=1e-15)


def _picked_exp(x, labels):
    n = x.shape[0]
    picked = x[np.arange(n), labels]
    return np.sum(np.exp(picked) * 0.5)


def _tanh_of_gathered(x, labels):
    return np.sum(np.tanh(x[np.arange(x.shape[0]), labels]))


@pytest.mark.parametrize("fn", [_picked_exp, _tanh_of_gathered])
def test_a_gathered_row_read_by_another_kernel(fn):
    """The gathered (M,) vector is written out when something outside the rows kernel reads it (a
    gather inside an expression gets a statement of its own), and the adjoint's add.at of one
    value per row is a one-hot kernel reading those values: nothing is indexed on the host."""
    x, labels = _data(5, 7, np.float64, low=-7)
    f = differentiate(fn, backend="triton")
    v, g = f.value_and_grad(x, labels)
    # (every buffer on the operands' device: a launcher with no float operand once allocated on 'cpu',
    # which a GPU cannot write -- seen on an H200)
    assert "'cpu'" not in f.kernels_source
    v0, g0 = differentiate(fn).value_and_grad(x, labels)
    np.testing.assert_allclose(v, v0, rtol=1e-12)
    np.testing.assert_allclose(g, g0, rtol=1e-12, atol=1e-15)
    host = f.kernels_source.split("# ---- what stays on the host")[1]
    assert "add.at" not in host and "zeros_like" not in host and "labels]" not in host, host
    labels[0] = 7
    with pytest.raises(LabelIndexError):
        f.value_and_grad(x, labels)


def _sum_of_gathered(x, labels):
    return np.sum(x[np.arange(x.shape[0]), labels]) * 3.0


def test_a_scatter_of_a_constant_and_a_seed():
    x, labels = _data(4, 6, np.float64, low=-6)
    f = differentiate(_sum_of_gathered, backend="triton")
    v, g = f.value_and_grad(x, labels)
    v0, g0 = differentiate(_sum_of_gathered).value_and_grad(x, labels)
    np.testing.assert_allclose(v, v0, rtol=1e-12)
    np.testing.assert_array_equal(g, g0)
    assert np.count_nonzero(g) == 4  # one entry per row


def _scaled(x, a):
    return np.sum(np.tanh(x) * a + 0.1 * x * x)


@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-14), (np.float32, 1e-6)])
def test_python_numbers_are_kernel_arguments(dtype, rtol):
    """A Python float argument, a constant float32 cannot hold and the seed reach the kernel as
    arguments (no packed tensor): exact in float64 (two 32-bit halves), numpy's float32 rounding in
    float32; a new value compiles nothing (the arguments are not specialised on)."""
    x = np.linspace(-2.0, 2.0, 300).reshape(10, 30).astype(dtype)
    f = differentiate(_scaled, wrt="x", backend="triton")
    ref = differentiate(_scaled, wrt="x")
    for a in (1 / 3, -7.123456789012345e-5):
        v, g = f.value_and_grad(x, a)
        v0, g0 = ref.value_and_grad(x, a)  # numpy's own float32 or float64 arithmetic
        np.testing.assert_allclose(np.float64(v), np.float64(v0), rtol=rtol)
        np.testing.assert_allclose(np.asarray(g, np.float64), np.asarray(g0, np.float64), rtol=rtol, atol=rtol)
        g3 = f.grad(x, a, seed=3.0000000001)
        np.testing.assert_allclose(np.asarray(g3, np.float64), 3.0000000001 * np.asarray(g0, np.float64),
                                   rtol=10 * rtol, atol=10 * rtol)
    src = f.kernels_source
    assert "scalars = NO_SCALARS_F" in src and "pack_scalars(" not in src and "tl.load(scalars_ptr" not in src, src
    assert ("_f64(s0_hi, s0_lo)" in src) == (dtype == np.float64)
    assert 'do_not_specialize=["M", "s0_' in src


def test_float64_arguments_round_trip_exactly():
    from s2sgrad.triton.runtime import f64_arg
    for v in (0.1, -0.0, 5e-324, -1.7976931348623157e308, float("inf"), 1 / 3):
        hi, lo = f64_arg(v)
        assert 2 ** 32 <= hi < 2 ** 33 and 2 ** 32 <= lo < 2 ** 33  # always typed int64 by Triton
        bits = ((hi - 2 ** 32) << 32) | (lo - 2 ** 32)
        assert np.array([bits], np.uint64).view(np.float64)[0] == v and \
            np.signbit(np.array([bits], np.uint64).view(np.float64)[0]) == np.signbit(v)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_special_rows_keep_numpy_values(monkeypatch, dtype):
    """-inf, inf and NaN logits, ties for the max in different column blocks (the online tie count
    restarts when the max grows), a max that grows in every block: NaN exactly where numpy has it."""
    monkeypatch.setattr(runtime, "INTERPRET", False)  # GPU blocks: 1024 columns at a time
    runtime.CANARY["on"] = False  # NaN gradients are the point here (a canary reads NaN as unwritten)
    x = np.tile(np.linspace(-5.0, 5.0, 3000), (7, 1))
    x[0, :1500] = -np.inf
    x[1, :] = -np.inf
    x[2, 2500] = np.inf
    x[3, 10] = np.nan
    x[4] = np.linspace(0.0, 700.0, 3000)
    x[5, [3, 700, 2999]] = 9.0
    x[6, 5] = -np.inf
    labels = np.array([0, 5, 2500, 7, -1, 700, 5])
    x = x.astype(dtype)
    f = differentiate(softmax_xent, backend="triton")
    _, g = f.value_and_grad(x, labels)
    _, g0 = differentiate(softmax_xent).value_and_grad(x, labels)
    assert np.array_equal(np.isnan(g), np.isnan(g0)) and np.isnan(g0).any(axis=1).tolist() == [0, 1, 1, 1, 0, 0, 0]
    ok = ~np.isnan(g0)
    np.testing.assert_allclose(g[ok], g0[ok], rtol=1e-4 if dtype == np.float32 else 1e-12, atol=1e-7)
    assert np.count_nonzero(g0[5]) == 3000 and g0[5, 700] != g0[5, 701]  # the tied maxima share the max's adjoint
    keep = [4, 5, 6]
    v, _ = f.value_and_grad(x[keep], labels[keep])
    v0, _ = differentiate(softmax_xent).value_and_grad(x[keep], labels[keep])
    np.testing.assert_allclose(np.float64(v), np.float64(v0), rtol=1e-4 if dtype == np.float32 else 1e-12)


def test_a_row_sum_is_split_only_where_that_saves_a_loop(monkeypatch):
    """rowsums.py: numpy's order of additions takes three loops over the row (the max's adjoint sum
    reads exp(z), known after the first); split by linearity two.  A sum the kernel writes out is
    never split."""
    import s2sgrad.triton.lower as lower
    from s2sgrad.triton.rowloop import RowPhases
    programs, plan = [], lower.plan
    monkeypatch.setattr(lower, "plan", lambda fn, shapes: programs.append(plan(fn, shapes)) or programs[-1])
    differentiate(softmax_xent, backend="triton").value_and_grad(*_data(3, 5, np.float64))
    (g,) = programs[-1].groups
    assert RowPhases(g).phases == 3
    split = RowPhases(g, programs[-1].shapes, keep=set())
    parts = [s.target for s in split.stmts if "_part" in s.target]
    assert split.phases == 2 and len(parts) == 1, parts
    whole = parts[0].split("_part")[0]  # the sum that was split
    kept = RowPhases(g, programs[-1].shapes, keep={whole})
    assert kept.phases == 3 and not any("_part" in s.target for s in kept.stmts)


def test_unsigned_labels_are_refused_clearly():
    """numpy accepts uint labels; the kernels compare labels with -N, and torch has no uint32
    arithmetic: a clear refusal naming the cast, not a KeyError."""
    from s2sgrad.errors import ArgumentError
    logits, labels = _data(4, 6, np.float64)
    with pytest.raises(ArgumentError, match=r"a uint32 array: .*labels.astype\(np.int64\)"):
        differentiate(softmax_xent, backend="triton").value_and_grad(logits, labels.astype(np.uint32))
