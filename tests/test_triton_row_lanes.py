"""Rows kernels accumulate per lane and reduce across the row once, after each column loop.

The column loop of a rows kernel (rowloop.py) keeps one accumulator per (row, column lane) and never
reduces across lanes inside the loop, so no iteration waits on a warp shuffle or a block barrier.
What that must not change: numpy's values, special rows included, for every split of a row into
blocks.  Checked here with random rows (hypothesis) that carry NaN, +-inf, all -inf rows and ties
for the max, in several blocks per row, against the numpy backend in float64; and in the PTX compiled
for sm_90: no shuffle or barrier inside any loop of the benchmark's cross-entropy kernel.
"""
import re

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("triton")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.triton import runtime  # noqa: E402
from triton_cases import softmax_xent  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")


def logsumexp_rows(x):
    m = np.max(x, axis=1, keepdims=True)
    return np.sum(np.log(np.sum(np.exp(x - m), axis=1, keepdims=True)) + m)


def softmax_denominators(x):  # the online sum read alone: its NaN rows cannot come from the max
    m = np.max(x, axis=1, keepdims=True)
    return np.sum(np.sqrt(np.sum(np.exp(x - m), axis=1, keepdims=True)))


def row_max_sum(x):
    return np.sum(np.max(x, axis=1, keepdims=True) * np.sum(x * x, axis=1, keepdims=True))


def xent_plus_max(logits, labels):
    """The max's adjoint is not zero here (in the plain cross-entropy it cancels), and it is shared
    by the max's ties: a tie count kept online with the max, in the one fused kernel."""
    m = logits.max(axis=1, keepdims=True)
    z = logits - m
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -np.mean(log_probs[np.arange(logits.shape[0]), labels]) + 0.5 * np.mean(m)


SPECIAL = [np.nan, np.inf, -np.inf, 0.0]


@st.composite
def rows_with_specials(draw):
    """(M, N) float64 rows: N spans 1 to 3 GPU blocks of 1024 columns (the interpreter's blocks are
    the GPU's here), a few cells set to NaN/+-inf/0, sometimes a whole row -inf, sometimes ties."""
    M = draw(st.integers(1, 4))
    N = draw(st.sampled_from([5, 1023, 1025, 2100, 3000]))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((M, N)) * draw(st.sampled_from([1.0, 30.0]))
    for _ in range(draw(st.integers(0, 4))):
        x[rng.integers(M), rng.integers(N)] = SPECIAL[draw(st.integers(0, 3))]
    if draw(st.booleans()):  # ties for the max, in different blocks
        r = rng.integers(M)
        x[r, rng.integers(0, N, 3)] = np.nanmax(np.where(np.isinf(x[r]), np.nan, x[r]), initial=0.0) + 1.0
    if draw(st.booleans()):
        x[rng.integers(M)] = -np.inf
    labels = rng.integers(0, N, M)
    return x, labels


def _same(got, want, rtol=1e-12):
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    assert np.array_equal(np.isnan(got), np.isnan(want)), (got, want)
    ok = ~np.isnan(want)
    np.testing.assert_allclose(got[ok], want[ok], rtol=rtol, atol=1e-12)


@pytest.fixture
def gpu_blocks(monkeypatch):
    monkeypatch.setattr(runtime, "INTERPRET", False)  # 1024 columns a block, as on a GPU
    monkeypatch.setitem(runtime.CANARY, "on", False)  # NaN gradients are expected here


@pytest.mark.parametrize("fn", [logsumexp_rows, softmax_denominators, row_max_sum, softmax_xent, xent_plus_max], ids=lambda f: f.__name__)
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # gpu_blocks holds for every example
@given(case=rows_with_specials())
def test_lane_accumulators_keep_numpy_values(gpu_blocks, fn, case):
    same_as_numpy(fn, case)


def same_as_numpy(fn, case):
    """fn's value and gradient on a rows_with_specials case, Triton's against numpy's (NaN where
    numpy's is; tests/test_triton_split_rows.py too)."""
    x, labels = case
    args = (x, labels) if fn in (softmax_xent, xent_plus_max) else (x,)
    with np.errstate(all="ignore"):
        v0, g0 = differentiate(fn, wrt=0).value_and_grad(*args)
        v, g = differentiate(fn, wrt=0, backend="triton").value_and_grad(*args)
    _same(v, v0)
    _same(g, g0)


def test_the_tie_count_is_kept_online(gpu_blocks):
    """xent_plus_max above does reach the online count (one loop computes max, sum and ties)."""
    f = differentiate(xent_plus_max, wrt=0, backend="triton")
    rng = np.random.default_rng(2)
    f.value_and_grad(rng.standard_normal((2, 1500)), rng.integers(0, 1500, 2))
    src = f.kernels_source
    # the count step appears twice: in the loop over whole column blocks and in the partial block
    assert len(re.findall(r"_lanes == v_\d+, ", src)) == 2 and "tl.sum(tl.where(m_lanes == m_acc, " in src, src


def test_the_column_loops_accumulate_per_lane(gpu_blocks):
    """The source says so: accumulators of shape (BM, BN), row values reduced after the loop."""
    f = differentiate(softmax_xent, backend="triton")
    rng = np.random.default_rng(0)
    f.value_and_grad(rng.standard_normal((4, 3000)), rng.integers(0, 3000, 4))
    src = f.kernels_source
    k0 = src[src.index("def k0_"):src.index("# generated by s2sgrad -- launchers")]
    loops = [block.split("\n    # phase")[0] for block in re.split(r"for (?:c0|i) in range\(", k0)[1:]]
    assert len(loops) == 4  # two phases, each over the whole column blocks and the partial one
    for body in loops:
        body = "\n".join(line for line in body.splitlines() if line.startswith("        "))
        assert "tl.sum(" not in body and "tl.max(" not in body, body
    assert "max_logits_lanes = tl.full((BM, BN), float('-inf')" in k0
    assert "max_logits_acc = tl.max(max_logits_lanes, axis=1, keep_dims=True)" in k0


@pytest.mark.parametrize("N", [32000, 50257])
def test_no_shuffle_or_barrier_inside_the_compiled_loops(gpu_blocks, monkeypatch, N):
    """The cross-entropy benchmark's kernel for sm_90 (4 rows compile what 4096 rows launch): every
    warp shuffle and block barrier lies outside the loops over whole column blocks (56 inside before
    per-lane accumulators; the partial block of the gradient's pass converts its values to the
    scalar stores' layout, a few barriers once a row: rowalign.py),
    and the loops over whole column blocks issue few SASS instructions per element: at N = 50257
    22.4 in the first (42.6 before per-lane sums, mask-free blocks and closed one-hot sums; it only
    reads, and an H200 SM needs ~28 or fewer to keep up with its memory) and 26.9 in the second
    (35.0 before the pick moved after the loop; it reads and writes, ~55 would do).  The narrow
    rows' settings (one program a row, 4 warps); the wide default is the next test."""
    monkeypatch.setitem(runtime.ROWS, "wide", None)
    f, launches, report = _xent_for_sm90(N)
    assert len(report) == 1, report
    (r,) = report.values()
    assert r["spill_stores"] == 0, r
    each = r["loop_syncs_each"]
    whole = [n for n, vectors in each if vectors]  # the whole blocks of both passes (and partial ones
    assert len(whole) >= 2 and not any(whole), each  # at a width of whole vectors: 32000)
    assert sum(n for n, vectors in each if not vectors) <= 4, each
    (_, _, consts), = launches
    per_thread = consts["BN"] // (32 * 4)  # elements a thread handles per iteration (4 warps)
    # phase 0: whole blocks, the partial one; phase 1 (re-reading the logits): whole, partial
    # (partial, whole when it walks backwards: ROWS["reuse"])
    loops = [n for n, loads in r["sass_loops"] if loads]
    assert len(loops) == 4, r["sass_loops"]
    second = loops[3] if "# whole column blocks, last first" in f.kernels_source else loops[2]
    assert loops[0] / per_thread <= 25 and second / per_thread <= 30, (loops, per_thread)


def test_narrow_rows_of_odd_width_keep_their_partial_loop_plain(gpu_blocks):
    """A 1001-wide row in one 1024-wide block (the narrow settings) has no whole block after a head,
    so runtime.rows_align makes no promise and the partial loop walks the row as it starts: no
    select a column and no layout conversion for the stores (with a head there, the two loops took
    538 SASS instructions a row against 429 and 4 barriers; rowalign.py)."""
    f, launches, report = _xent_for_sm90(1001)
    (r,) = report.values()
    assert "ALIGN=1, HEADS=False" in f.kernels_source
    assert r["loop_syncs"] == 0 and r["spill_stores"] == 0, r


def test_the_wide_default_keeps_its_column_loops_short():
    """The cross-entropy benchmark's kernel at N = 50257 with the wide rows' default (4096-wide
    tiles on 16 warps at 64 registers), compiled for sm_90: the four column loops issue at most 22 and 20 SASS
    instructions per element in their whole blocks (22.5 and 27.0 with scalar loads and a division
    an element; 20.8 and 17.8 with 16-byte ones and a reciprocal a row; the spill bound is
    test_triton_persistent_rows's)."""
    monkeypatch = pytest.MonkeyPatch()
    with monkeypatch.context() as m:
        m.setattr(runtime, "INTERPRET", False)
        f, launches, report = _xent_for_sm90(50257)
    (r,) = report.values()
    (_, _, consts), = launches
    assert consts["BN"] == 4096 and consts["num_warps"] == 16 and consts["maxnreg"] == 64
    per_thread = 4096 // (16 * 32)
    column = [n for n, loads in r["sass_loops"] if 0 < loads <= per_thread]  # the loop over row blocks loads more
    assert len(column) == 4, r["sass_loops"]
    phase1 = f.kernels_source.split("# phase 1")[1]
    partial_first = phase1.index("# the head columns and the tail") < phase1.index("# whole column blocks")
    second = column[3] if partial_first else column[2]
    # (16-byte loads and stores, rowalign.py, and the row's reciprocals: 20.8 and 17.8 on Triton 3.9)
    assert column[0] / per_thread <= 22 and second / per_thread <= 20, (column, per_thread)


def _xent_for_sm90(N):
    """(the differentiated cross-entropy, its launches, their sm_90 report) at 4 x N float32 (4 rows
    compile what 4096 rows launch: M is not specialised on)."""
    from s2sgrad.triton.gpucheck import compile_logged
    rng = np.random.default_rng(1)
    logits, labels = rng.standard_normal((4, N)).astype(np.float32), rng.integers(0, N, 4)
    runtime.LAUNCH_LOG.update(on=True, launches=[])
    try:
        f = differentiate(softmax_xent, backend="triton")
        f.value_and_grad(logits, labels)
        launches = list(runtime.LAUNCH_LOG["launches"])
    finally:
        runtime.LAUNCH_LOG.update(on=False, launches=[])
    return f, launches, compile_logged(f.kernels_source, launches)


def test_sass_loops_reads_backward_branches():
    """gpucheck.sass_loops: instructions and global loads from a label to a branch back to it."""
    from s2sgrad.triton.gpucheck import sass_loops
    sass = "\n".join([
        "        /*0000*/                   LDG.E R2, desc[UR4][R2.64] ;",
        ".L_x_0:",
        "        /*0010*/                   LDG.E R4, desc[UR4][R6.64] ;",
        "        /*0020*/                   FADD R5, R4, R5 ;",
        "        /*0030*/              @!P0 BRA `(.L_x_0) ;",
        "        /*0040*/               @P1 BRA `(.L_x_1) ;",
        ".L_x_1:",
        "        /*0050*/                   EXIT ;"])
    assert sass_loops(sass) == [(3, 1)]


def test_loop_syncs_reads_backward_branches():
    """gpucheck.loop_syncs counts shuffles and barriers between a label and a branch back to it,
    and nothing outside such a range (a hand-written PTX fragment)."""
    from s2sgrad.triton.gpucheck import loop_syncs
    ptx = "\n".join([
        "shfl.sync.bfly.b32 %r1, %r2, 1, 31, -1;",     # before the loop
        "$L__BB0_1:",
        "ld.global.b32 %r3, [%rd1];",
        "bar.sync 0;",
        "shfl.sync.bfly.b32 %r4, %r3, 16, 31, -1;",
        "@%p1 bra $L__BB0_1;",                          # the back edge
        "@%p2 bra $L__BB0_3;",                          # a forward branch: not a loop
        "bar.sync 0;",
        "$L__BB0_3:",
        "ret;"])
    assert loop_syncs(ptx) == 2
    assert loop_syncs(ptx + "\n$L__BB0_4:\nld.global.v4.f32 {%f1, %f2, %f3, %f4}, [%rd2];\n@%p3 bra $L__BB0_4;",
                      each=True) == [(2, 0), (0, 1)]


# ------------------------------------------------------------------ sums and picks outside the loop
def test_one_hot_closed_forms():
    """onehotsum.closed_form: forms built from one-hot rows of one labels array by operations that
    keep a zero a zero, with numbers the float type holds; nothing else."""
    from s2sgrad.ir import Call, Const, Name
    from s2sgrad.triton.gather import ONE_HOT
    from s2sgrad.triton.onehotsum import closed_form
    f32 = float(np.finfo(np.float32).max)
    a, b = Call(ONE_HOT, (Name("labels"), Name("c"))), Call(ONE_HOT, (Name("labels"), Name("d")))
    other = Call(ONE_HOT, (Name("other"), Name("c")))
    assert closed_form(a, f32) == "labels"
    assert closed_form(Call("neg", (a,)), f32) == "labels"
    assert closed_form(Call("sub", (a, Call("mul", (Const(2.5), b)))), f32) == "labels"
    assert closed_form(Call("mul", (a, Const(-3))), f32) == "labels"
    assert closed_form(Call("mul", (Const(1e20), Call("mul", (Const(1e20), a)))), f32) == "labels"  # not folded
    assert closed_form(Call("add", (a, other)), f32) is None           # two labels arrays: two entries a row
    assert closed_form(Call("mul", (Const(np.inf), a)), f32) is None   # inf * 0 is NaN in the other columns
    assert closed_form(Call("mul", (Const(1e39), a)), f32) is None     # inf in float32
    assert closed_form(Call("mul", (Const(1e39), a)), float(np.finfo(np.float64).max)) == "labels"
    assert closed_form(Call("mul", (Name("u"), a)), f32) is None       # a row value might be infinite
    assert closed_form(Call("np.exp", (a,)), f32) is None               # exp(0) = 1 in the other columns
    assert closed_form(Name("g"), f32) is None


def scaled_xent(logits, labels):
    """The adjoint's one-hot entry goes through 1e-30, then 1e20 twice: each step fits float32, the
    product of the factors (1e40) would not (a closed form must apply them one at a time)."""
    z = logits - logits.max(axis=1, keepdims=True)
    lp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    q = 1e20 * lp
    r = 1e20 * q
    return 1e-30 * np.sum(r[np.arange(logits.shape[0]), labels])


def huge_scaled_xent(logits, labels):
    z = logits - logits.max(axis=1, keepdims=True)
    lp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    q = 1e200 * lp
    r = 1e200 * q
    return 1e-300 * np.sum(r[np.arange(logits.shape[0]), labels])


@pytest.mark.parametrize("fn,dtype", [(scaled_xent, np.float32), (huge_scaled_xent, np.float64)])
@pytest.mark.parametrize("N", [7, 2500])
def test_constant_factors_are_applied_as_numpy_applies_them(gpu_blocks, fn, dtype, N):
    rng = np.random.default_rng(N)
    x, labels = rng.standard_normal((3, N)).astype(dtype), rng.integers(0, N, 3)
    with np.errstate(all="ignore"):
        v, g = differentiate(fn, wrt=0, backend="triton").value_and_grad(x, labels)
        v0, g0 = differentiate(fn, wrt=0).value_and_grad(x, labels)
    assert np.array_equal(np.isnan(np.asarray(g, np.float64)), np.isnan(g0)) and np.isfinite(g0).any()
    ok = np.isfinite(g0)
    np.testing.assert_allclose(np.asarray(g, np.float64)[ok], g0[ok], rtol=1e-4 if dtype == np.float32 else 1e-12)


def name_clash_sum(x):
    s_lanes = x * x  # the name of the accumulator of s
    s = np.sum(s_lanes, axis=1, keepdims=True)
    return np.sum(np.sqrt(s))


def name_clash_max(x):
    m_lanes = x * 2.0
    m = np.max(m_lanes, axis=1, keepdims=True)
    m_acc = x - m   # the name of m's row value
    row_ok, i, c0 = x * 3.0, 1.5, 0.5  # names of the kernel's own
    return np.sum(m + m_acc * m_acc * i + row_ok * c0)


def name_clash_adjoint(x):
    s = np.sum(x * x, axis=1, keepdims=True)
    s_lanes = x / s  # its adjoint grad_s_lanes was the accumulator of grad_s
    return np.sum(np.sum(s_lanes * x, axis=1, keepdims=True))


@pytest.mark.parametrize("fn", [name_clash_sum, name_clash_max, name_clash_adjoint], ids=lambda f: f.__name__)
@pytest.mark.parametrize("N", [8, 3000])
def test_program_names_never_clash_with_kernel_names(gpu_blocks, fn, N):
    """A program variable named like an accumulator (`s_lanes`, `m_acc`) or a kernel variable
    (`row_ok`, `i`, `c0`) gets a name of its own in the kernel (kernelexpr.local_name)."""
    x = np.random.default_rng(0).standard_normal((2, N))
    v, g = differentiate(fn, backend="triton").value_and_grad(x)
    v0, g0 = differentiate(fn).value_and_grad(x)
    _same(v, v0)
    np.testing.assert_allclose(np.asarray(g), g0, rtol=1e-10, atol=1e-12)


def two_picks(logits, labels, other):
    z = logits - logits.max(axis=1, keepdims=True)
    lp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    n = logits.shape[0]
    return (-np.mean(lp[np.arange(n), labels]) + 0.25 * np.sum(lp[np.arange(n), labels])
            - 2.0 * np.mean(lp[np.arange(n), other]))


@pytest.mark.parametrize("M,N", [(3, 3000), (5, 7)])
def test_picks_read_one_element_per_row(gpu_blocks, M, N):
    """Picks of two labels arrays (negative labels included) read after their loop, one element a
    row, and agree with numpy; the cross-entropy's one-hot sums are closed forms, not lanes."""
    rng = np.random.default_rng(M)
    x, labels, other = rng.standard_normal((M, N)), rng.integers(0, N, M), rng.integers(-N, N, M)
    v, g = differentiate(two_picks, wrt=0, backend="triton").value_and_grad(x, labels, other)
    v0, g0 = differentiate(two_picks, wrt=0).value_and_grad(x, labels, other)
    _same(v, v0)
    _same(g, g0)
    f = differentiate(softmax_xent, backend="triton")
    f.value_and_grad(x, labels)
    src = f.kernels_source
    assert src.count("# a row sum of one-hot rows: its one entry") == 2  # the two sums of the adjoint's scatter
    assert "red_2_lanes" not in src and "log_probs_item_lanes" not in src
    assert "# log_probs_item: one element per row\n    cols = labels_col\n" in src


@pytest.mark.parametrize("reuse,store", [(True, None), (False, None), ("hints", None), ("backwards", "evict_first"),
                                         (False, ".cs")])
def test_a_second_read_is_prepared_for_l2(gpu_blocks, monkeypatch, reuse, store):
    """runtime.ROWS["reuse"]: the logits' first read keeps them in L2 (evict_last), the second lets
    them go first (evict_first) and walks the row backwards, from the blocks read last ("hints",
    "backwards": one of the two); ROWS["store"]: the gradient's stores with an eviction policy or a
    cache modifier.  The values are the same either way (and numpy's)."""
    monkeypatch.setitem(runtime.ROWS, "reuse", reuse)
    monkeypatch.setitem(runtime.ROWS, "store", store)
    rng = np.random.default_rng(5)
    logits, labels = rng.standard_normal((3, 2500)), rng.integers(0, 2500, 3)
    f = differentiate(softmax_xent, backend="triton")
    v, g = f.value_and_grad(logits, labels)
    v0, g0 = differentiate(softmax_xent).value_and_grad(logits, labels)
    _same(v, v0)
    _same(g, g0)
    src = f.kernels_source
    hints = reuse in (True, "hints")
    assert src.count("eviction_policy='evict_last'") == (2 if hints else 0)   # phase 0: whole and partial
    assert src.count("other=0.0, eviction_policy='evict_first'") == (2 if hints else 0)  # phase 1's loads
    assert src.count("mask=mask, eviction_policy='evict_first')") == (2 if store == "evict_first" else 0)  # its stores
    assert src.count("mask=mask, cache_modifier='.cs')") == (2 if store == ".cs" else 0)
    assert ("# whole column blocks, last first" in src) == (reuse in (True, "backwards"))


# ------------------------------------------------------------------ the review's other cases
def xent_overflowing_constant(logits, labels):
    z = logits - logits.max(axis=1, keepdims=True)
    lp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    lp3 = 1e200 * (1e200 * lp)  # the adjoint's constant is 1e200 * 1e200 = inf, a kernel argument
    return -np.mean(lp3[np.arange(logits.shape[0]), labels])


def test_an_infinite_constant_argument_is_written_as_python_reads_it(gpu_blocks):
    """The launcher wrote the bare name `inf` (NameError); it writes float('inf') now."""
    rng = np.random.default_rng(3)
    x, labels = rng.standard_normal((3, 50)).astype(np.float32), rng.integers(0, 50, 3)
    f = differentiate(xent_overflowing_constant, wrt=0, backend="triton")
    with np.errstate(all="ignore"):
        v, g = f.value_and_grad(x, labels)
        v0, g0 = differentiate(xent_overflowing_constant, wrt=0).value_and_grad(x, labels)
    assert "float('inf')" in f.kernels_source
    _same(np.float64(v), v0)
    _same(g, g0)


def test_a_host_tie_count_takes_numpys_dtype_argument(gpu_blocks):
    """N = 1: the rows are one column, the max's tie count `mask.sum(axis=1, keepdims=True,
    dtype=logits.dtype)` runs on the host through torch (TorchNumpy.sum refused dtype)."""
    rng = np.random.default_rng(4)
    x, labels = rng.standard_normal((3, 1)).astype(np.float32), np.zeros(3, dtype=np.int64)
    v, g = differentiate(xent_plus_max, wrt=0, backend="triton").value_and_grad(x, labels)
    v0, g0 = differentiate(xent_plus_max, wrt=0).value_and_grad(x, labels)
    np.testing.assert_allclose(np.float64(v), v0, rtol=1e-5)
    np.testing.assert_allclose(np.asarray(g, np.float64), g0, rtol=1e-4, atol=1e-6)
