"""Review 7 of the numba backend (backends/numba/): array layouts, later calls, container arguments
and the disk cache, float32 types.  Each test failed before the fix of the same change:

- a reshape numba cannot make without a copy (`W.T.reshape(-1)`, a Fortran-order or strided
  argument reshaped) raised numba's bare NotImplementedError / TypingError, fallback=True or not,
  and a later call with arguments of another layout than the first call's reached numba's raw
  dispatcher (its errors bare, fallback ignored);
- a tuple-of-arrays argument was refused with an empty disk cache, but its signature's entry was
  written anyway and the next `differentiate` (or process) ran it from disk;
- float32 programs gave float64 gradients through np.clip, np.std, np.var(ddof=1), np.nansum and
  norm along an axis (numba types `0.0` next to a float32 array as float64), compared a float32
  array with a Python float in float64 (np.clip's bound: a wrong gradient at the bound), and
  returned a float32 value or scalar gradient as a Python float.
"""
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

pytest.importorskip("numba", reason="numba is not installed (pip install s2sgrad[numba]): the numba backend's "
                                    "tests are skipped")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.backends.numba import NumbaCompileError  # noqa: E402
from s2sgrad.errors import S2SGradError  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def flat(v):
    return [y for x in v for y in flat(x)] if isinstance(v, (tuple, list)) else [v]


def same(got, want, rtol=1e-12):
    for g, w in zip(flat(got), flat(want), strict=True):
        assert np.shape(g) == np.shape(w)
        np.testing.assert_allclose(g, w, rtol=rtol, atol=0)


def finite_difference(fn, x, eps=1e-6):
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        d = np.zeros(x.shape)
        d[i] = eps
        g[i] = (fn(x + d) - fn(x - d)) / (2 * eps)
    return g


# ------------------------------------------------------------------ reshapes numba cannot make in place
def transposed_flat(W):
    return np.sum(W.T.reshape(-1) * np.arange(6.0))


def reshaped(x):
    return np.sum(np.tanh(x.reshape(-1)) ** 2)  # the line the errors below name


RESHAPED_LINE = reshaped.__code__.co_firstlineno + 1
X = np.arange(24.0).reshape(4, 6) / 24
LAYOUTS = {"C-order": X, "F-order": np.asfortranarray(X), "strided view": (np.arange(48.0).reshape(8, 6) / 48)[::2]}


@pytest.mark.parametrize("fallback", [False, True])
def test_reshape_of_a_transposed_array_matches_the_numpy_backend(disk_cache, fallback):
    # was a bug: numba's NotImplementedError('incompatible shape for array') on every call, fallback or not
    W = np.arange(6.0).reshape(2, 3)
    want = differentiate(transposed_flat).value_and_grad(W)
    nb = differentiate(transposed_flat, backend="numba", fallback=fallback)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # compiled: no fallback warning
        for _ in range(2):
            same(nb.value_and_grad(W), want)
    assert want[0] == 50.0
    np.testing.assert_allclose(want[1], finite_difference(transposed_flat, W), rtol=1e-7)
    assert nb._numba.fallbacks == []


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("after_c_order", [False, True], ids=["first call", "after a C-order call"])
def test_arguments_of_every_layout_reach_a_reshape(disk_cache, layout, after_c_order):
    # was a bug: Fortran order raised numba's NotImplementedError; a strided view was refused on a
    # first call but raised numba's bare TypingError after a C-order call of the same signature
    arg = LAYOUTS[layout]
    want = differentiate(reshaped).value_and_grad(arg)
    nb = differentiate(reshaped, backend="numba")
    if after_c_order:
        same(nb.value_and_grad(X), differentiate(reshaped).value_and_grad(X))
    same(nb.value_and_grad(arg), want)
    same(nb.grad(arg), want[1])
    np.testing.assert_allclose(want[1], finite_difference(reshaped, np.ascontiguousarray(arg)), rtol=1e-7)


@pytest.fixture
def reshape_in_place(monkeypatch):
    """The lowering before the fix (`x.reshape(s)` as written): numba then fails on reshapes of
    non-contiguous arrays, at run time (Fortran order) or when typing (a strided view) -- the
    failures every call must report at the user's line."""
    from s2sgrad.backends.numba import lower
    monkeypatch.setattr(lower, "_reshape", lambda e: e, raising=False)  # (absent before the fix)


def _is_user_error(e, layout):
    """numba's failure as an error at the user's place: the reshape's line where numba's typing names
    it (a strided view), the def where the compiled code raised while running (Fortran order: numba's
    NotImplementedError carries no line)."""
    assert isinstance(e, NumbaCompileError), type(e)
    line = RESHAPED_LINE if layout == "strided view" else RESHAPED_LINE - 1
    assert f"test_numba_review7.py:{line}:" in str(e), str(e)
    assert "backend='numba' cannot compile" in str(e)
    assert e.__suppress_context__  # numba's reason is in the message, not its traceback chained above it
    if layout == "F-order":
        assert "def reshaped(x)" in str(e) and "NotImplementedError: incompatible shape for array" in str(e)


@pytest.mark.parametrize("layout", ["F-order", "strided view"])
def test_numba_failing_on_a_later_calls_layout_is_an_error_at_the_users_line(disk_cache, reshape_in_place, layout):
    # was a bug: after a first call the Compiled held numba's raw dispatcher: a later call with
    # another layout raised numba's own error (a bare TypingError / NotImplementedError)
    nb = differentiate(reshaped, backend="numba")
    same(nb.value_and_grad(X), differentiate(reshaped).value_and_grad(X))
    for _ in range(2):  # on every call
        with pytest.raises(S2SGradError) as e:
            nb.value_and_grad(LAYOUTS[layout])
        _is_user_error(e.value, layout)
    same(nb.value_and_grad(X), differentiate(reshaped).value_and_grad(X))  # the C-order variant still runs


@pytest.mark.parametrize("layout", ["F-order", "strided view"])
def test_numba_failing_on_a_first_calls_layout_is_an_error_at_the_users_line(disk_cache, reshape_in_place, layout):
    # was a bug for Fortran order: numba's NotImplementedError, raised by the compiled code while running
    with pytest.raises(S2SGradError) as e:
        differentiate(reshaped, backend="numba").value_and_grad(LAYOUTS[layout])
    _is_user_error(e.value, layout)


@pytest.mark.parametrize("layout", ["F-order", "strided view"])
def test_fallback_runs_numpy_when_numba_fails_on_a_later_calls_layout(disk_cache, reshape_in_place, layout):
    nb = differentiate(reshaped, backend="numba", fallback=True)
    nb.value_and_grad(X)
    arg = LAYOUTS[layout]
    with pytest.warns(UserWarning, match="fallback=True: this signature runs on the numpy backend"):
        got = nb.value_and_grad(arg)
    same(got, differentiate(reshaped).value_and_grad(arg))
    assert len(nb._numba.fallbacks) == 1 and "test_numba_review7.py:" in nb._numba.fallbacks[0]
    same(nb.value_and_grad(X), differentiate(reshaped).value_and_grad(X))


@pytest.mark.parametrize("fallback", [False, True])
def test_a_later_calls_layout_from_the_disk_cache_fails_as_a_fresh_compilation(disk_cache, reshape_in_place, fallback):
    # the variant loaded from s2sgrad's disk entry (fromdisk.py) held numba's raw dispatcher as well
    differentiate(reshaped, backend="numba").value_and_grad(X)  # writes the entry
    nb = differentiate(reshaped, backend="numba", fallback=fallback)
    same(nb.value_and_grad(X), differentiate(reshaped).value_and_grad(X))
    assert nb._numba.disk_log == ["hit"]
    arg = LAYOUTS["strided view"]
    if not fallback:
        with pytest.raises(S2SGradError) as e:
            nb.value_and_grad(arg)
        _is_user_error(e.value, "strided view")
        same(nb.value_and_grad(X), differentiate(reshaped).value_and_grad(X))
    else:
        with pytest.warns(UserWarning, match="fallback=True"):
            same(nb.value_and_grad(arg), differentiate(reshaped).value_and_grad(arg))
        assert len(nb._numba.fallbacks) == 1


# ------------------------------------------------------------------ container arguments and the disk cache
def tuple_loss(params, X):
    W, b = params
    return np.sum(np.tanh(X @ W + b) ** 2)


RNG = np.random.default_rng(0)
PARAMS = (RNG.standard_normal((3, 2)), RNG.standard_normal(2))
XS = RNG.standard_normal((4, 3))


def _entries(cache):
    root = os.path.join(str(cache), "numba", "compiled")
    return [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]


def test_a_tuple_of_arrays_is_refused_with_and_after_a_disk_cache(disk_cache):
    # was a bug: the refused signature's entry was written, and the next differentiate (here, or in
    # another process) loaded it through fromdisk.py, which did not refuse the tuple, and ran it
    for run in range(3):
        nb = differentiate(tuple_loss, backend="numba")
        with pytest.raises(S2SGradError, match="'params' is a tuple") as e:
            nb.value_and_grad(PARAMS, XS)
        assert "def tuple_loss(" in str(e.value)
        assert nb._numba.disk_log == ["uncached"], run  # a container argument is not kept on disk
        assert _entries(disk_cache) == []


def test_a_tuple_of_arrays_with_fallback_runs_numpy_from_an_empty_and_a_warm_cache(disk_cache):
    want = differentiate(tuple_loss).value_and_grad(PARAMS, XS)
    for run in range(2):
        with pytest.warns(UserWarning, match="'params' is a tuple"):
            got = differentiate(tuple_loss, backend="numba", fallback=True).value_and_grad(PARAMS, XS)
        same(got, want)
    assert _entries(disk_cache) == []


def test_a_disk_entry_for_a_container_signature_is_still_refused(disk_cache, monkeypatch):
    # fromdisk.py checks the arguments too: an entry written for such a signature (by a key that
    # took the tuple for a static value, as before the fix) runs nothing
    from s2sgrad.backends.numba import diskcache
    spell = diskcache._signature
    monkeypatch.setattr(diskcache, "_signature", lambda key, out: out.append(repr(key)) if any(
        type(k) is tuple and k[:1] == (tuple,) for k in key) else spell(key, out))
    with pytest.raises(S2SGradError, match="'params' is a tuple"):
        differentiate(tuple_loss, backend="numba").value_and_grad(PARAMS, XS)
    assert len(_entries(disk_cache)) == 1  # the forged key let the entry be written
    nb = differentiate(tuple_loss, backend="numba")
    with pytest.raises(S2SGradError, match="'params' is a tuple"):
        nb.value_and_grad(PARAMS, XS)
    assert nb._numba.disk_log == ["hit"]


def test_static_tuple_parameters_are_still_kept_on_disk(disk_cache):
    from s2sgrad.backends.numba import diskcache
    out = []
    diskcache._signature(((np.dtype(np.float64), (3, 4)), (tuple, (0, 1)), (tuple, ("a", "b"))), out)
    assert out[1] == "static value:"
    with pytest.raises(diskcache.Uncacheable):
        diskcache._signature(((tuple, ((np.dtype(np.float64), (3, 2)), (np.dtype(np.float64), (2,)))),), [])


CHILD = """
import sys
import numpy as np
sys.path.insert(0, {here!r})
from test_numba_review7 import PARAMS, XS, tuple_loss
from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
try:
    differentiate(tuple_loss, backend="numba").value_and_grad(PARAMS, XS)
    print("accepted")
except S2SGradError as e:
    print("refused", "'params' is a tuple" in str(e))
"""


def test_a_tuple_of_arrays_is_refused_in_every_process(tmp_path):
    env = dict(os.environ, S2SGRAD_CACHE=str(tmp_path / "cache"), PYTHONPATH=ROOT)
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent(CHILD.format(here=HERE)))
    for _ in range(2):
        out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
        assert out.stdout.strip() == "refused True", out.stdout + out.stderr
    assert _entries(tmp_path / "cache") == []


# ------------------------------------------------------------------ float32 programs
def f_clip(W):
    return np.sum(np.clip(W, -0.3, 0.3) ** 2)


def f_std(W):
    return np.sum(np.std(W, axis=0))


def f_var_ddof(W):
    return np.sum(np.var(W, axis=0, ddof=1))


def f_nansum(W):
    return np.sum(np.nansum(W, axis=1) ** 2)


def f_norm(W):
    return np.sum(np.linalg.norm(W, axis=1))


def f_scaled(W, s):
    return np.sum(np.tanh(W) * s)


W32 = np.random.default_rng(3).standard_normal((3, 4)).astype(np.float32)


def _float32_twice(fn, args, wrt=None):
    """[(value, grads) fresh, (value, grads) from the disk entry], and the numpy backend's."""
    kw = {"wrt": wrt} if wrt else {}
    want = differentiate(fn, **kw).value_and_grad(*args)
    got = []
    for log in (["miss"], ["hit"]):
        nb = differentiate(fn, backend="numba", **kw)
        got.append((nb.value_and_grad(*args), nb.value_and_grad(*args), nb.grad(*args), nb.grad(*args)))
        assert nb._numba.disk_log == log
    return got, want


@pytest.mark.parametrize("fn", [f_clip, f_std, f_var_ddof, f_nansum, f_norm], ids=lambda f: f.__name__)
def test_float32_gradients_stay_float32(disk_cache, fn):
    # was a bug: float64 gradients (np.where(mask, 2 * clip_W, 0.0) and the like promote in numba)
    # and a Python float value, where the numpy backend gives float32 and np.float32
    got, want = _float32_twice(fn, (W32,))
    assert want[1].dtype == np.float32 and type(want[0]) is np.float32
    for first, again, grad, grad_again in got:  # fresh, then from the disk entry
        for vg in (first, again):
            assert type(vg[0]) is np.float32, type(vg[0])
            assert vg[1].dtype == np.float32
            np.testing.assert_allclose(vg[0], want[0], rtol=2e-6)
            np.testing.assert_allclose(vg[1], want[1], rtol=2e-6, atol=1e-7)
        for g in (grad, grad_again):
            assert g.dtype == np.float32
            np.testing.assert_allclose(g, want[1], rtol=2e-6, atol=1e-7)


def test_float32_scalar_argument_gradient_is_an_np_float32(disk_cache):
    # was a bug: the float32 value and the float32 scalar's gradient came back as Python floats
    got, want = _float32_twice(f_scaled, (W32, np.float32(1.5)), wrt=("W", "s"))
    assert type(want[0]) is np.float32 and type(want[1][1]) is np.float32
    for first, again, grad, grad_again in got:
        for vg in (first, again):
            assert type(vg[0]) is np.float32
            assert vg[1][0].dtype == np.float32 and type(vg[1][1]) is np.float32, type(vg[1][1])
            for g, w in zip(flat(vg), flat(want), strict=True):  # (vecmath's float32 tanh: 1 ulp)
                np.testing.assert_allclose(g, w, rtol=2e-6, atol=1e-6)
        for g in (grad, grad_again):
            assert g[0].dtype == np.float32 and type(g[1]) is np.float32


def test_float64_programs_keep_their_types(disk_cache):
    W = W32.astype(np.float64)
    got, want = _float32_twice(f_clip, (W,))
    for first, again, grad, _ in got:
        assert first[1].dtype == np.float64 and isinstance(first[0], float)
        same(first, want)
        same(grad, want[1])


def test_float32_clip_at_its_bound_compares_in_float32(disk_cache):
    # was a bug (a wrong number): numba compared W <= 0.3 in float64, where np.float32(0.3) > 0.3, so
    # the gradient at the bound was 0; numpy compares in float32 (NEP 50) and passes it through
    W = np.array([[0.3, -0.3, 0.1, 0.5]], np.float32)
    want = differentiate(f_clip).value_and_grad(W)
    np.testing.assert_array_equal(want[1], np.float32([[0.6, -0.6, 0.2, 0.0]]))
    for _ in range(2):  # fresh, then from the disk entry
        got = differentiate(f_clip, backend="numba").value_and_grad(W)
        np.testing.assert_array_equal(got[1], want[1])
        assert got[1].dtype == np.float32


def test_weak_python_numbers_are_written_as_float32_only_next_to_float32(disk_cache):
    nb = differentiate(f_clip, backend="numba")
    nb.grad(W32)
    assert "np.float32(0.3)" in nb.grad_source
    nb64 = differentiate(f_clip, backend="numba")
    nb64.grad(W32.astype(np.float64))
    assert "np.float32" not in nb64.grad_source


def mlp32(W1, b1, W2, b2, X, y):
    h = np.tanh(X @ W1 + b1)
    h2 = np.maximum(h @ W2 + b2, 0.0) * 0.5 + 0.1 * h @ W2
    p = np.exp(h2 - np.max(h2, axis=1, keepdims=True))
    p = p / np.sum(p, axis=1, keepdims=True)
    loss = -np.mean(np.log(np.clip(p[np.arange(X.shape[0]), y], 1e-7, 1.0)))
    return loss + 0.001 * (np.sum(W1 ** 2) + np.sum(W2 ** 2)) + np.std(W1, axis=0).sum()


def test_a_float32_network_with_python_numbers_compiles(disk_cache):
    # was refused: `0.1 * h` made an adjoint float64, and numba has no matrix product of a float32
    # and a float64 matrix (`grad_W2 += mat_mat(t4.T, grad_h2)`: "no numba implementation")
    rng = np.random.default_rng(0)
    args = [rng.standard_normal(s).astype(np.float32) for s in ((8, 16), (16,), (16, 4), (4,), (32, 8))]
    args.append(rng.integers(0, 4, 32))
    wrt = ("W1", "b1", "W2", "b2")
    want = differentiate(mlp32, wrt=wrt).value_and_grad(*args)
    for log in (["miss"], ["hit"]):
        nb = differentiate(mlp32, wrt=wrt, backend="numba")
        got = nb.value_and_grad(*args)
        assert nb._numba.disk_log == log
        assert type(got[0]) is np.float32 and all(g.dtype == np.float32 for g in got[1])
        for g, w in zip(flat(got), flat(want), strict=True):
            np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)
