"""The numba backend (s2sgrad/backends/numba/): the same values and gradients as the numpy backend
(float64, rtol 1e-12), clear errors for what numba cannot compile, the disk cache across
processes, and the examples with --backend numba.  s2sgrad.jit of training loops is in
test_numba_jit.py, the float32 vector math in test_numba_vecmath.py.

numba compiles each generated function in about a second, so the default run takes a representative
subset of the corpora (loops, records, reversed ranges, branches, keepdims reductions, fancy-index
adjoints, matmuls); the whole corpus and a batch of fuzzer programs run with
`S2SGRAD_NUMBA_FULL=1 python -m pytest -m numba_full tests/test_numba.py`.  Compiled code is cached
on disk ($S2SGRAD_CACHE, default ~/.cache/s2sgrad/numba), so a second run is much faster.
"""
import math
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

numba = pytest.importorskip("numba", reason="numba is not installed (pip install s2sgrad[numba]): the numba "
                                            "backend's tests are skipped")

from scipy.special import logsumexp  # noqa: E402  (the numba extra installs scipy)
from corpus_control import CORPUS as CONTROL  # noqa: E402
from corpus_straight import CORPUS as STRAIGHT  # noqa: E402
from s2sgrad import S2SGradError, differentiate  # noqa: E402
from numba_helpers import _assert_same, _flat  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FULL = os.environ.get("S2SGRAD_NUMBA_FULL", "") not in ("", "0")

SUBSET = ["sin_loop", "loop_break", "rnn", "loop_local_temps", "while_if", "softmax_xent", "fancy",
          "setitem_loop", "matmat", "scalar_and_array"]


def _compare(fn, args, wrt):
    """Every variant (value_and_grad, grad, a seed) on both backends."""
    ref = differentiate(fn, wrt=wrt)
    nb = differentiate(fn, wrt=wrt, backend="numba")
    c = ref.compiled_for(*args)
    if c.output_scalar:
        _assert_same(nb.value_and_grad(*args), ref.value_and_grad(*args))
        _assert_same(nb.grad(*args), ref.grad(*args))
        _assert_same(nb.grad(*args, seed=1.5), ref.grad(*args, seed=1.5))
    else:
        seed = np.linspace(0.5, 1.5, int(np.prod(c.output_shape))).reshape(c.output_shape)
        _assert_same(nb.value_and_grad(*args, seed=seed), ref.value_and_grad(*args, seed=seed))
    assert "@njit(cache=True)" in nb.grad_source
    return nb


CASES = [case for case in STRAIGHT + CONTROL if case[0].__name__ in SUBSET]
CASES = [c for i, c in enumerate(CASES) if c[0].__name__ not in [d[0].__name__ for d in CASES[:i]]]


@pytest.mark.parametrize("fn,args,wrt", CASES, ids=[c[0].__name__ for c in CASES])
def test_corpus_functions_match_the_numpy_backend(fn, args, wrt):
    _compare(fn, args, wrt)


def test_the_subset_is_what_it_claims():
    assert sorted(c[0].__name__ for c in CASES) == sorted(SUBSET)


@pytest.mark.numba_full
@pytest.mark.skipif(not FULL, reason="the whole corpus on numba takes minutes uncached: S2SGRAD_NUMBA_FULL=1")
@pytest.mark.parametrize("fn,args,wrt", STRAIGHT + CONTROL, ids=[c[0].__name__ for c in STRAIGHT + CONTROL])
def test_whole_corpus_matches_the_numpy_backend(fn, args, wrt):
    _compare(fn, args, wrt)


@pytest.mark.numba_full
@pytest.mark.skipif(not FULL, reason="fuzzer programs on numba take minutes uncached: S2SGRAD_NUMBA_FULL=1")
def test_fuzzer_programs_match_the_numpy_backend(tmp_path):
    import fuzzgen
    mod = fuzzgen.load(fuzzgen.make_module(2024, 40), str(tmp_path), "nb")
    rng = np.random.default_rng(0)
    counts = {"ok": 0, "refused": 0, "numba_refused": 0}
    for i in range(40):
        fn = getattr(mod, f"f{i}")
        args = [rng.uniform(-1, 1, fuzzgen.SHAPES["v"]), rng.uniform(-1, 1, fuzzgen.SHAPES["m"]),
                float(rng.uniform(-1, 1))]
        try:
            want = differentiate(fn, wrt=("x", "W", "s")).value_and_grad(*args)
        except S2SGradError:
            counts["refused"] += 1
            continue
        except Exception:  # the program itself fails at these inputs (the fuzzer's 'invalid')
            continue
        if not np.all(np.isfinite(np.asarray(want[0]))):
            continue
        try:
            got = differentiate(fn, wrt=("x", "W", "s"), backend="numba").value_and_grad(*args)
        except S2SGradError as e:  # a clear refusal is allowed; a different number is not
            assert "backend='numba' cannot compile" in str(e)
            counts["numba_refused"] += 1
            continue
        _assert_same(got, want)
        counts["ok"] += 1
    assert counts["ok"] >= 20, counts


def test_grad_source_is_what_numba_compiles():
    from corpus_control import sin_loop
    f = differentiate(sin_loop, backend="numba")
    f.grad(np.ones(3), 4)
    src = f.grad_source
    assert "@njit(cache=True)" in src and "from numba import njit" in src
    assert "for i in range(n - 1, -1, -1):" in src  # reversed(range(n)) counts down: numba has no reversed
    assert "reversed" not in src


def test_global_array_is_read_by_reference_not_frozen(tmp_path):
    """numba would freeze a global array into the machine code (and the disk cache): it is passed as
    an argument instead, so an in-place change is seen, as on the numpy backend."""
    import importlib.util
    path = tmp_path / "nb_global_case.py"
    path.write_text("import numpy as np\nSCALE = np.array([1.0, 2.0, 3.0])\n\n\n"
                    "def scaled_sin(x):\n    return np.sum(np.sin(x) * SCALE)\n")
    spec = importlib.util.spec_from_file_location("nb_global_case", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    x = np.array([0.1, 0.2, 0.3])
    f = differentiate(mod.scaled_sin, backend="numba")
    np.testing.assert_allclose(f.grad(x), np.cos(x) * [1.0, 2.0, 3.0], rtol=1e-14)
    mod.SCALE[:] = [3.0, 2.0, 1.0]
    np.testing.assert_allclose(f.grad(x), np.cos(x) * [3.0, 2.0, 1.0], rtol=1e-14)


# ------------------------------------------------------------------------------- errors
def test_what_numba_cannot_compile_is_a_clear_error_at_the_users_line():
    from corpus_straight import A

    def uses_median(x):
        return np.median(x) * np.sum(x)

    f = differentiate(uses_median, backend="numba")
    with pytest.raises(S2SGradError) as info:
        f.grad(A)
    msg = str(info.value)
    assert "test_numba.py:" in msg and "return np.median(x) * np.sum(x)" in msg and "^" in msg
    assert "backend='numba' cannot compile" in msg and "quantile_grad" in msg
    assert "fallback=True" in msg
    assert info.value.__traceback__ is None or "site-packages/numba" not in repr(info.value.__traceback__)


def test_fallback_true_warns_and_gives_the_numpy_backends_numbers():
    from corpus_straight import A

    def uses_median(x):
        return np.median(x) * np.sum(x)

    f = differentiate(uses_median, backend="numba", fallback=True)
    with pytest.warns(UserWarning, match="fallback=True: this signature runs on the numpy backend"):
        g = f.grad(A)
    _assert_same(g, differentiate(uses_median).grad(A))
    assert f._numba.fallbacks


def test_a_numba_typing_failure_names_the_users_line():
    def cube_max(x):
        return np.sum(np.max(x, axis=0))  # numba backend: max along an axis of a 2-D array only

    f = differentiate(cube_max, backend="numba")
    with pytest.raises(S2SGradError) as info:
        f.grad(np.ones((2, 3, 4)))
    msg = str(info.value)
    assert "test_numba.py:" in msg and "np.max(x, axis=0)" in msg and "max_along" in msg


def test_helper_names_agree():
    from s2sgrad.backends.numba import CACHED, HELPERS, NUMPY_FORMS
    from s2sgrad.backends.numba import cached, helpers, numpy_forms
    assert HELPERS == helpers.NAMES and NUMPY_FORMS == numpy_forms.NAMES and CACHED == cached.NAMES
    # every helper lower.py writes has a numpy meaning for the fusion's shape inference (a name it
    # cannot evaluate ends the elementwise runs through it); add_at is a statement, its value unused
    from s2sgrad.backends.numba.fuse import SHAPE_EQUIVALENTS
    from s2sgrad.runtime import NAMESPACE
    assert [n for n in HELPERS + NUMPY_FORMS if n not in SHAPE_EQUIVALENTS and n not in NAMESPACE] == ["add_at"]



def test_matrix_vector_products_agree_with_numpy_in_every_layout_and_dtype():
    """mat_mul's loops (matrix-vector, vector-matrix) and its BLAS path against numpy's `@`:
    C and transposed (F) operands, float32 accumulating in float32, mixed dtypes promoted."""
    from s2sgrad.backends.numba.helpers import mat_mul

    @numba.njit
    def prod(a, b):
        return mat_mul(a, b)

    rng = np.random.default_rng(0)
    m = rng.standard_normal((37, 23))
    v, w = rng.standard_normal(23), rng.standard_normal(37)
    cases = [(m, v), (w, m), (m.T, w), (v, m.T), (m, m.T), (m.T, m),
             (m.astype(np.float32), v.astype(np.float32)), (w.astype(np.float32), m.astype(np.float32)),
             (m.astype(np.float32), v)]
    for a, b in cases:
        got, want = prod(a, b), a @ b
        assert got.dtype == want.dtype and got.shape == want.shape
        tol = 1e-5 if want.dtype == np.float32 else 1e-13
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol * np.abs(want).max())
    with pytest.raises(ValueError, match="inner dimensions"):
        prod(m, w)
    with pytest.raises(ValueError, match="inner dimensions"):
        prod(v, m)



def noisy_loss(p):
    noise = np.random.normal(0.0, 1.0, p.shape)
    return np.sum((p + 0.1 * noise) ** 2)


def test_random_draws_are_refused_not_drawn_from_numbas_own_generator():
    """numba's np.random is a generator of its own (np.random.seed does not reach it): compiled, the
    draws would silently differ from the numpy backend's, so they are refused at their line."""
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    with pytest.raises(S2SGradError) as e:
        differentiate(noisy_loss, backend="numba").grad(x)
    assert "own random generator" in str(e.value) and "noise = np.random.normal" in str(e.value)
    assert f"test_numba.py:{noisy_loss.__code__.co_firstlineno + 1}:" in str(e.value)
    with pytest.warns(UserWarning, match="own random generator"):
        np.random.seed(3)
        got = differentiate(noisy_loss, backend="numba", fallback=True).grad(x)
    np.random.seed(3)
    np.testing.assert_array_equal(got, differentiate(noisy_loss).grad(x))


def test_isclose_of_two_matrices_matches_numpy():
    """numba's own np.isclose raises a broadcasting ValueError for two 2-D arrays."""
    def f(p, c):
        return np.sum(p * np.isclose(p, c)) + np.sum(p * np.isclose(p, 0.5, 0.2))
    rng = np.random.default_rng(0)
    p = rng.standard_normal((3, 4))
    c = p + np.where(rng.random((3, 4)) < 0.5, 1e-9, 0.5)
    c[0, 0], p[0, 1], c[0, 1] = np.inf, np.inf, np.inf
    p[0, 1] = 0.6  # (0.6 vs inf: not close; 0.6 vs 0.5 within rtol 0.2: close)
    _assert_same(differentiate(f, wrt="p", backend="numba").value_and_grad(p, c),
                 differentiate(f, wrt="p").value_and_grad(p, c))



def reductions_and_casts(p, q):
    rows = p.sum(1)                      # its adjoint: np.full_like(p, column) broadcast
    spread = np.var(p, axis=0, ddof=1) + p.std(axis=1).sum()
    prod = np.matmul(p, q)
    return np.sum(np.tanh(rows)) + np.sum(spread) + np.sum(prod * np.float64(p.round(1)).sum())


def test_axis_reductions_casts_and_matmul_function_match_the_numpy_backend():
    """Forms numba lacks, lowered to helpers: np.full_like with an array value, var/std along an
    axis with ddof, np.float64(array), np.matmul, the .round method."""
    rng = np.random.default_rng(4)
    args = (rng.standard_normal((3, 4)), rng.standard_normal((4, 2)))
    _assert_same(differentiate(reductions_and_casts, backend="numba").value_and_grad(*args),
                 differentiate(reductions_and_casts).value_and_grad(*args))



def special_functions(p, a):
    s = 0.0
    for i in range(p.shape[0]):
        s += math.erf(p[i]) + math.lgamma(a + p[i] ** 2) + math.gamma(1.5 + p[i] ** 2) + math.erfc(p[i])
    m = np.outer(p, p)
    return s + logsumexp(m) + np.sum(logsumexp(m, axis=1)) + np.sum(logsumexp(m, axis=0, keepdims=True))


def test_math_special_functions_and_logsumexp_match_the_numpy_backend():
    """math.erf/erfc/gamma/lgamma (lgamma's derivative: the digamma helper, the numpy backend's steps)
    and scipy's logsumexp, whole and along an axis."""
    args = (np.array([0.3, -1.2, 0.8]), 0.4)
    _assert_same(differentiate(special_functions, backend="numba").value_and_grad(*args),
                 differentiate(special_functions).value_and_grad(*args))



def contractions(a, b, c):
    return (np.sum(np.einsum("ij,jk->ik", a, b) ** 2) + np.einsum("ii", c) + np.sum(np.einsum("ij,j", a, c[0]))
            + np.sum(np.einsum("ii->i", c) * np.arange(3.0)) + np.einsum("i,i", c[1], c[2])
            + np.sum(np.einsum("ij->i", a) ** 3) + np.einsum("ij,jk,ki->", a, b, b.T[:, :2], optimize=True))


def ellipsis_contraction(a):
    return np.sum(np.einsum("...j,j->...", a, a[0]))


def test_einsum_runs_as_loops_written_into_the_module():
    """numba has no np.einsum: each subscripts string is a loop function in the generated module
    (traces, diagonals, implicit outputs, indices only one operand has, three operands); '...' is
    refused at the user's line."""
    rng = np.random.default_rng(5)
    args = (rng.standard_normal((2, 3)), rng.standard_normal((3, 4)), rng.standard_normal((3, 3)))
    nb = differentiate(contractions, wrt=("a", "b", "c"), backend="numba")
    _assert_same(nb.value_and_grad(*args), differentiate(contractions, wrt=("a", "b", "c")).value_and_grad(*args))
    code = [line for line in nb.grad_source.splitlines() if not line.lstrip().startswith("#")]
    assert "def einsum__ij_jk__ik(a0, a1):" in code and not any("np.einsum" in line for line in code)
    f32 = tuple(x.astype(np.float32) for x in args)
    got = nb.value_and_grad(*f32)
    assert all(g.dtype == np.float32 for g in got[1])
    with pytest.raises(S2SGradError, match="subscripts with '...'"):
        differentiate(ellipsis_contraction, backend="numba").grad(args[0])



def scans_and_flips(a, v):
    t = np.sum(np.cumsum(a, axis=0) * np.flip(a, 1)) + np.sum(np.cumsum(a, axis=1) ** 2) + np.sum(np.cumsum(v) * v)
    t = t + np.sum(np.flip(a) * a.swapaxes(0, 1).T) + np.sum(np.flipud(a) * np.fliplr(a)) + a[:, :3].trace()
    return t + np.sum(np.inner(a, a) ** 2) + np.vdot(a, a * v)


def test_flips_scans_and_inner_products_match_the_numpy_backend():
    """np.flip (any axis, and the reversed scans of cumsum's adjoint), cumsum along an axis, the
    swapaxes/trace methods, np.inner and np.vdot, which numba lacks in these forms."""
    rng = np.random.default_rng(6)
    args = (rng.standard_normal((3, 4)), rng.standard_normal(4))
    _assert_same(differentiate(scans_and_flips, backend="numba").value_and_grad(*args),
                 differentiate(scans_and_flips).value_and_grad(*args))



def periodic_and_nan_aware(a):
    shifted = np.roll(a, 1, axis=1) - 2 * a + np.roll(a, -1, axis=1)  # a periodic Laplacian
    with_nan = np.where(a > 1.0, np.nan, a)
    return (np.sum(shifted ** 2) + np.sum(np.nansum(with_nan, axis=0)) + np.sum(np.nanmean(with_nan, axis=1))
            + np.linalg.norm(a) + np.sum(np.linalg.norm(a, ord=None, axis=0)))


def test_roll_nan_reductions_and_norms_match_the_numpy_backend():
    """np.roll along an axis, nansum/nanmean along an axis (NaN entries skipped, their gradient 0),
    the Frobenius norm and norms along an axis, which numba lacks in these forms."""
    a = np.random.default_rng(7).standard_normal((3, 5))
    _assert_same(differentiate(periodic_and_nan_aware, backend="numba").value_and_grad(a),
                 differentiate(periodic_and_nan_aware).value_and_grad(a))



def differences_and_stacks(a, v):
    return (np.sum(np.diff(a, axis=1) ** 2) + np.sum(np.diff(a, axis=0) * a[1:]) + np.sum(np.diff(v) ** 2)
            + np.sum(np.vstack([a, v]) ** 3) + np.sum(np.array(a) * a))


def test_diff_vstack_and_array_copies_match_the_numpy_backend():
    """np.diff along either axis (its adjoint: a diff with prepend/append), np.vstack of a matrix and
    a vector, np.array of an array, which numba lacks in these forms."""
    rng = np.random.default_rng(8)
    args = (rng.standard_normal((3, 4)), rng.standard_normal(4))
    _assert_same(differentiate(differences_and_stacks, backend="numba").value_and_grad(*args),
                 differentiate(differences_and_stacks).value_and_grad(*args))


@pytest.mark.numba_full
@pytest.mark.skipif(not FULL, reason="the rule table on numba takes minutes uncached: S2SGRAD_NUMBA_FULL=1")
def test_every_rule_row_on_numba_matches_the_numpy_backend_or_is_refused(tmp_path):
    """Each row of the rule table (its first positional form, as tests/test_rule_table_soundness.py
    writes it) on numba: the numpy backend's value and gradient (float32 rows to float32 precision),
    or a clear NumbaCompileError -- never another number, never another exception."""
    import test_rule_table_soundness as T
    from rule_table_specs import RANDOM, ROWS
    counts = {"same": 0, "refused": 0}
    for op in sorted(ROWS):
        for i, label, fn, expr, vals in T._cases(op, tmp_path):
            if label != "positional":
                continue
            random = op in RANDOM
            try:
                with np.errstate(all="ignore"):
                    want = T._call(differentiate(fn, wrt="p").value_and_grad, vals, random)
            except Exception:  # noqa: BLE001 - refused or invalid on numpy already: not numba's to answer
                continue
            try:
                with np.errstate(all="ignore"):
                    got = T._call(differentiate(fn, wrt="p", backend="numba").value_and_grad, vals, random)
            except S2SGradError as e:
                assert "backend='numba' cannot compile" in str(e), (op, str(e))
                counts["refused"] += 1
                break
            tol = 1e-6 if "float32" in expr or "float16" in expr else 1e-10
            for g, w in zip(_flat(got), _flat(want)):
                assert g.shape == w.shape, (op, expr)
                np.testing.assert_allclose(g, w, rtol=tol, atol=1e-12, equal_nan=True, err_msg=f"{op}: {expr}")
            counts["same"] += 1
            break
    assert counts["same"] >= 180, counts


# ------------------------------------------------------------------------------- disk cache
def test_compiled_code_is_cached_on_disk_across_processes(tmp_path):
    script = textwrap.dedent("""
        import sys, numpy as np
        sys.path.insert(0, %r)
        from corpus_control import sin_loop
        from s2sgrad import differentiate
        f = differentiate(sin_loop, backend="numba")
        f.grad(np.ones(3), 4)
        (variant, seconds, cached), = f._numba.compile_log
        print(variant, cached, seconds)
    """ % HERE)
    env = dict(os.environ, S2SGRAD_CACHE=str(tmp_path), PYTHONPATH=ROOT)
    runs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
            for _ in range(2)]
    for r in runs:
        assert r.returncode == 0, r.stderr
    first, second = (r.stdout.split() for r in runs)
    assert first[:2] == ["grad", "False"] and second[:2] == ["grad", "True"]
    assert float(second[2]) < float(first[2])
    assert list((tmp_path / "numba").glob("s2sgrad_nb_*.py"))


# ------------------------------------------------------------------------------- examples
@pytest.mark.parametrize("name,argv", [("gradient_descent", []), ("linear_regression", ["--epochs", "300"]),
                                       ("control_flow", []), ("two_layer_net", ["--steps", "20"])])
def test_examples_run_with_backend_numba(name, argv, capsys):
    sys.path.insert(0, os.path.join(ROOT, "examples"))
    import importlib
    mod = importlib.import_module(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba's performance notes on non-contiguous operands
        out = mod.main(argv + ["--backend", "numba"])
    text = capsys.readouterr().out
    if name == "gradient_descent":
        assert f"{out:.10f}" == "0.0004494759"
    if name == "control_flow":
        assert text.count("equal: True") == 2
    if name == "two_layer_net":
        assert out[-1] < out[0]


def ratio_sum(x, y):
    r = x / y
    q = r * r + x
    return np.sum(q)


def test_fused_division_by_zero_gives_numpys_inf_not_an_exception():
    """Fused into one loop, the division runs on numbers: numpy's semantics are kept (inf), where
    Python's division by zero would raise."""
    x, y = np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.0, 2.0])
    nb = differentiate(ratio_sum, wrt=("x", "y"), backend="numba")
    with np.errstate(divide="ignore", invalid="ignore"):
        want = differentiate(ratio_sum, wrt=("x", "y")).value_and_grad(x, y)
        got = nb.value_and_grad(x, y)
    assert "fused: one pass" in nb.grad_source and "np.true_divide" in nb.grad_source
    assert np.isinf(got[0]) and np.isinf(want[0])
    for g, w in zip(got[1], want[1]):
        np.testing.assert_array_equal(np.isfinite(g), np.isfinite(w))
        np.testing.assert_allclose(g[np.isfinite(w)], w[np.isfinite(w)], rtol=1e-12)


def rnn_like(W, xs, h0):
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + xs[t])
    return np.sum(h ** 2)


def test_statements_inside_loops_and_after_them_are_fused_with_the_shapes_the_loop_keeps():
    """The reverse loop's elementwise statement, and the sum after the forward loop (h's shape is
    the same in every iteration), become explicit loops; np.outer becomes two plain loops; the
    numbers are the numpy backend's."""
    rng = np.random.default_rng(1)
    args = (rng.standard_normal((6, 6)) * 0.4, rng.standard_normal((5, 6)), rng.standard_normal(6))
    nb = _compare(rnn_like, args, ("W", "xs", "h0"))
    src = nb.grad_source
    assert src.count("# fused: one pass over the 6 elements") >= 2 and "outer_of(" in src  # two plain loops, from the disk cache
    body = src[src.index("for t in range(xs.shape[0] - 1, -1, -1):"):]
    assert "# fused: one pass" in body
