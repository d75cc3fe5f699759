"""What a user sees when something goes wrong: tracebacks that end at the user's call, run-time
errors that name the user's line (the source map), and NaN/inf checks naming line and sweep."""
import os
import re
import subprocess
import sys
import textwrap
import traceback

import numpy as np
import pytest

import s2sgrad
from s2sgrad import NaNError, differentiate
from s2sgrad.debug import ADJOINT, FORWARD, _REGISTRY, source_map

HERE = os.path.abspath(__file__)
S2SGRAD_DIR = os.path.dirname(os.path.abspath(s2sgrad.__file__))


def line_of(fn, text):
    import inspect
    lines, first = inspect.getsourcelines(fn)
    return first + next(i for i, l in enumerate(lines) if text in l)


def s2sgrad_frames(exc):
    return [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(S2SGRAD_DIR)]


# ----------------------------------------------------------------------------- tracebacks
def refused_at_decoration(x):
    return np.sum(np.piecewise(x, [x < 0], [0.0, 1.0]))


def refused_at_first_call(x, k):
    j = k + 1  # computed in the function: refused (a parameter passed straight through is compiled per value)
    return np.sum(np.sum(x, axis=j) ** 2)


def test_a_refusal_at_decoration_shows_one_s2sgrad_frame(monkeypatch):
    monkeypatch.delenv("S2SGRAD_DEBUG", raising=False)
    with pytest.raises(s2sgrad.UnknownFunctionError) as info:
        differentiate(refused_at_decoration)
    frames = s2sgrad_frames(info.value)
    # the user's frame, then the one line in the API that raises (no frontend internals)
    assert [os.path.basename(f.filename) for f in frames] == ["api.py"], frames
    assert frames[0].name == "differentiate"
    assert traceback.extract_tb(info.value.__traceback__)[0].filename == HERE
    with pytest.raises(s2sgrad.UnknownFunctionError) as info:
        differentiate(wrt="x")(refused_at_decoration)
    assert [f.name for f in s2sgrad_frames(info.value)] == ["decorate"]


def test_a_refusal_at_the_first_call_shows_one_s2sgrad_frame(monkeypatch):
    monkeypatch.delenv("S2SGRAD_DEBUG", raising=False)
    f = differentiate(refused_at_first_call, wrt="x")
    for method in (f.grad, f.value_and_grad, f.vjp, f.compiled_for):
        with pytest.raises(s2sgrad.S2SGradError) as info:
            method(np.ones((2, 3)), 1)
        assert [f.name for f in s2sgrad_frames(info.value)] == [method.__name__]
        msg = str(info.value)
        assert f"test_user_surface.py:{line_of(refused_at_first_call, 'axis=j')}:" in msg


def test_s2sgrad_debug_keeps_the_internal_frames(monkeypatch):
    monkeypatch.setenv("S2SGRAD_DEBUG", "1")
    with pytest.raises(s2sgrad.UnknownFunctionError) as info:
        differentiate(refused_at_decoration)
    names = {os.path.relpath(f.filename, S2SGRAD_DIR) for f in s2sgrad_frames(info.value)}
    assert os.path.join("frontend", "lower.py") in names


def test_a_script_shows_a_short_traceback(tmp_path):
    script = tmp_path / "user.py"
    script.write_text(textwrap.dedent("""\
        import numpy as np
        from s2sgrad import differentiate

        @differentiate
        def f(x):
            return np.sum(np.piecewise(x, [x < 0], [0.0, 1.0]))
        """))
    env = {k: v for k, v in os.environ.items() if k != "S2SGRAD_DEBUG"}
    env["PYTHONPATH"] = os.path.dirname(S2SGRAD_DIR)  # this s2sgrad, whatever the environment installed
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env).stderr
    files = re.findall(r'^  File "([^"]+)"', out, flags=re.M)
    assert files == [str(script), os.path.join(S2SGRAD_DIR, "api.py")], out
    assert "user.py:6:19: 'np.piecewise' has no differentiation rule" in out


# ------------------------------------------------------------------------------ source map
def shape_mismatch(x):
    y = np.exp(x)
    z = x.reshape(2, 3) @ y
    return np.sum(z)


def test_an_error_in_generated_code_names_the_users_line():
    f = differentiate(shape_mismatch)
    with pytest.raises(ValueError, match="matmul") as info:
        f.grad(np.ones(6))
    notes = "\n".join(getattr(info.value, "__notes__", []))
    line = line_of(shape_mismatch, "z = x.reshape(2, 3) @ y")
    assert f"test_user_surface.py:{line}, in the forward sweep" in notes, notes
    assert "z = x.reshape(2, 3) @ y" in notes
    # the generated frame stays in the traceback (its source is in linecache)
    assert any(fr.filename.startswith("<s2sgrad ") for fr in traceback.extract_tb(info.value.__traceback__))


def adjoint_mismatch(x, w):
    h = np.tanh(x)
    return np.sum(h * w)


def test_the_map_covers_both_sweeps_and_matches_the_printed_lines():
    import inspect
    cases = [(adjoint_mismatch, (np.ones(3), np.ones(3)))]
    for fn, args in cases:
        c = differentiate(fn, wrt=("x", "w")).compiled_for(*args)
        reg = _REGISTRY[c.value_and_grad.__code__.co_filename]
        lines = c.value_and_grad_source.split("\n")
        sweeps = set()
        for no, site in reg.lines.items():
            assert lines[no - 1].strip() == site.generated
            sweeps.add(site.sweep)
        assert sweeps == {FORWARD, ADJOINT}
        grad_line = next(no for no, l in enumerate(lines, 1) if l.strip().startswith("grad_x ="))
        site = reg.lines[grad_line]
        assert site.sweep == ADJOINT and site.loc.line == line_of(fn, "h = np.tanh(x)")
        assert inspect.getsourcefile(fn) == site.loc.file


def test_the_map_is_exact_on_the_corpora():
    """Every mapped line is the statement it claims to be, on every corpus function (loops,
    branches, early returns, records): the map follows the printer."""
    import corpus_control
    import corpus_straight
    checked = 0
    for corpus in (corpus_control, corpus_straight):
        for fn, args, wrt in corpus.CORPUS:
            try:
                c = differentiate(fn, wrt=wrt).compiled_for(*args)
            except s2sgrad.S2SGradError:
                continue
            for f, src in ((c.value_and_grad, c.value_and_grad_source), (c.grad, c.grad_source),
                           (c.seeded, c.seeded_source)):
                reg = _REGISTRY[f.__code__.co_filename]
                assert reg.src == src
                lines = src.split("\n")
                body = [no for no, l in enumerate(lines, 1) if l.startswith("    ") and l.strip()
                        and not l.strip().startswith("#") and l.strip() not in ("pass", "else:")]
                for no, site in reg.lines.items():
                    assert lines[no - 1].strip() == site.generated, (fn.__name__, no)
                    assert site.loc is None or site.loc.file == corpus.__file__
                # every statement line of the body is mapped
                assert set(body) <= set(reg.lines), (fn.__name__, sorted(set(body) - set(reg.lines)), src)
                checked += 1
    assert checked > 20


# ------------------------------------------------------------------------------- NaN checks
def log_then_sqrt(x):
    y = np.log(x)
    z = np.sqrt(y)
    return np.sum(z)


def test_nan_in_the_forward_sweep_names_the_line():
    f = differentiate(log_then_sqrt, check_nans=True)
    assert np.isclose(f.grad(np.array([2.0, 3.0]))[0], 0.5 / np.sqrt(np.log(2.0)) / 2.0)
    with np.errstate(all="ignore"), pytest.raises(NaNError) as info:
        f.grad(np.array([0.5, 3.0]))  # log(0.5) < 0: sqrt gives NaN
    e = info.value
    assert e.sweep == "forward" and e.kind == "NaN"
    assert e.loc.line == line_of(log_then_sqrt, "z = np.sqrt(y)")
    assert f"test_user_surface.py:{e.loc.line}:" in str(e) and "forward sweep" in str(e)
    assert isinstance(e, FloatingPointError) and isinstance(e, s2sgrad.S2SGradError)


def test_inf_in_the_adjoint_sweep_names_the_line():
    f = differentiate(log_then_sqrt, check_nans=True)
    with np.errstate(all="ignore"), pytest.raises(NaNError) as info:
        f.grad(np.array([1.0, 3.0]))  # sqrt(log(1)) = 0 is finite; its derivative 0.5/0 is not
    e = info.value
    assert e.sweep == "adjoint" and e.kind == "inf"
    assert e.loc.line == line_of(log_then_sqrt, "z = np.sqrt(y)")
    assert "adjoint sweep" in str(e)


def test_without_the_check_the_same_call_returns_inf_silently():
    f = differentiate(log_then_sqrt)
    with np.errstate(all="ignore"):
        g = f.grad(np.array([1.0, 3.0]))
    assert np.isinf(g[0]) and np.isfinite(g[1])


def test_the_environment_switch(monkeypatch):
    monkeypatch.setenv("S2SGRAD_CHECK_NANS", "1")
    f = differentiate(log_then_sqrt)
    assert f.check_nans
    with np.errstate(all="ignore"), pytest.raises(NaNError):
        f.value_and_grad(np.array([1.0, 3.0]))
    monkeypatch.setenv("S2SGRAD_CHECK_NANS", "0")
    assert not differentiate(log_then_sqrt).check_nans


def test_the_check_covers_seeded_and_vjp():
    def vec(x):
        return np.log(x) * 2.0
    f = differentiate(vec, check_nans=True)
    with np.errstate(all="ignore"), pytest.raises(NaNError):
        f.grad(np.array([-1.0, 2.0]), seed=np.ones(2))
    value, pullback = f.vjp(np.array([1.0, 2.0]))
    assert np.allclose(pullback(np.ones(2)), [2.0, 1.0])
    with np.errstate(all="ignore"), pytest.raises(NaNError) as info:
        pullback(np.array([np.inf, 1.0]))
    assert info.value.sweep == "adjoint"


def test_the_normal_path_runs_the_plain_code():
    f = differentiate(log_then_sqrt)
    c = f.compiled_for(np.ones(2))
    assert "_s2sgrad_nan_check" not in c.grad.__code__.co_names
    g = differentiate(log_then_sqrt, check_nans=True)
    assert "_s2sgrad_nan_check" in g.compiled_for(np.ones(2)).grad.__code__.co_names
    assert g.grad_source == f.grad_source  # the source shown is the readable one


# ------------------------------------------------------------------------ grad_source never refuses
def tuple_state(params, x):
    w, b = params
    return np.sum(w * x + b)


def test_grad_source_does_not_raise_where_a_call_compiles():
    f = differentiate(tuple_state)
    g = f.grad((np.ones(2), 0.5), np.ones(2))  # a call compiles: the tuple's leaves are known
    assert np.allclose(g[0], 1.0) and np.isclose(g[1], 2.0)
    fresh = differentiate(tuple_state)
    text = fresh.grad_source  # the generic variant cannot unpack an unknown container: it says so
    assert text.startswith("# generated by s2sgrad from tuple_state -- GENERIC variant")
    assert "compiled_for(*args)" in text


# ------------------------------------------------------------------------------ compile time
def test_blas_is_held_to_one_thread_while_compiling(monkeypatch):
    """Shape inference runs matmuls on placeholders; a woken BLAS thread pool competes with the
    compiler on small machines (docs/figures.py), so compiling runs with one BLAS thread, and the
    pool is given back afterwards."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    import s2sgrad.compiler as compiler
    seen = []
    real = compiler.compile_signature

    def spy(*a, **k):
        seen.append([i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"])
        return real(*a, **k)
    monkeypatch.setattr(compiler, "compile_signature", spy)
    before = [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
    if not before or all(n == 1 for n in before):
        pytest.skip("BLAS runs one thread here anyway: nothing to observe")
    f = differentiate(adjoint_mismatch)
    f.grad(np.ones(3), np.ones(3))
    assert seen and all(n == 1 for n in seen[0]) and seen[0]
    assert [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"] == before


def test_the_functional_forms_show_one_s2sgrad_frame(monkeypatch):
    monkeypatch.delenv("S2SGRAD_DEBUG", raising=False)
    for form in (s2sgrad.grad, s2sgrad.value_and_grad):
        with pytest.raises(s2sgrad.UnknownFunctionError) as info:
            form(refused_at_decoration)
        assert [f.name for f in s2sgrad_frames(info.value)] == [form.__name__]


# ------------------------------------------------------------- refusals decided by the source alone
def aux_not_a_pair(x):
    if np.sum(x) > 0:
        return np.sum(x), x
    return np.sum(x * x)


def mixed_returns(x):
    if np.sum(x) > 0:
        return np.sum(x), x
    return np.sum(x * x)


def test_output_shape_refusals_come_when_the_decorator_runs():
    """has_aux without a pair on some path, and a tuple on one path but a single value on another,
    fail every compilation: they are refused at decoration, at the line, not at the first call."""
    with pytest.raises(s2sgrad.UnsupportedSyntaxError, match="every return gives a pair") as info:
        differentiate(aux_not_a_pair, has_aux=True)
    assert f":{line_of(aux_not_a_pair, 'return np.sum(x * x)')}:" in str(info.value)
    with pytest.raises(s2sgrad.UnsupportedSyntaxError, match="the same structure on every path") as info:
        differentiate(mixed_returns)
    assert f":{line_of(mixed_returns, 'return np.sum(x * x)')}:" in str(info.value)
    # consistent returns are accepted (and differentiated)
    def pair(x):
        return np.sum(x * x), x * 2
    g = differentiate(pair, has_aux=True).grad(np.ones(2))
    np.testing.assert_allclose(g[0], [2.0, 2.0])


def test_the_map_goes_with_the_generated_code():
    import gc
    f = differentiate(adjoint_mismatch, wrt=("x", "w"))
    c = f.compiled_for(np.ones(4), np.ones(4))
    name = c.grad.__code__.co_filename
    assert name in _REGISTRY
    keep = differentiate(adjoint_mismatch, wrt=("x", "w"))  # the same text, alive elsewhere
    keep.compiled_for(np.ones(4), np.ones(4))
    del f, c
    gc.collect()
    assert name in _REGISTRY  # still used by `keep`
    del keep
    gc.collect()
    assert name not in _REGISTRY
