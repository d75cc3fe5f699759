"""s2sgrad's disk cache of the numba backend's compiled signatures (backends/numba/diskcache.py):
a second `differentiate` of the same function and signature (another process, or the same one)
takes the lowered module texts from disk, and gives the numpy backend's numbers; anything the
generated code depends on -- a constant, a callee's body, a global array's shape, the signature,
wrt, s2sgrad's own sources -- changes the entry; a damaged entry is a miss and is rewritten."""
import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

pytest.importorskip("numba", reason="numba is not installed (pip install s2sgrad[numba]): the numba backend's "
                                    "tests are skipped")

from s2sgrad import differentiate  # noqa: E402
from s2sgrad.backends.numba import diskcache  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

_count = [0]


def module_of(path, text):
    """`text` written at `path` (its mtime moved on, so inspect reads it again) and imported as a new module."""
    with open(path, "w") as fh:
        fh.write(textwrap.dedent(text))
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000_000 * (_count[0] + 1)))
    import linecache
    linecache.checkcache(str(path))
    _count[0] += 1
    spec = importlib.util.spec_from_file_location(f"diskcache_case_{_count[0]}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def grads_both(fn, args, **kw):
    """(numba result, numpy result, the numba object)."""
    nb = differentiate(fn, backend="numba", **kw)
    return nb.value_and_grad(*args), differentiate(fn, **kw).value_and_grad(*args), nb


def assert_same(got, want):
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12)
    for g, w in zip(got[1] if isinstance(got[1], tuple) else (got[1],),
                    want[1] if isinstance(want[1], tuple) else (want[1],)):
        np.testing.assert_allclose(g, w, rtol=1e-12)


SOURCE = """
    import numpy as np

    C = {c}


    def helper(v):
        return {helper}


    def loss(x, y):
        return np.sum(C * helper(x) * y) + np.sum(np.tanh(x * y))
"""


def test_a_second_object_reads_the_disk_entry_and_gives_the_same_numbers(disk_cache, tmp_path):
    mod = module_of(tmp_path / "m.py", SOURCE.format(c="2.0", helper="v ** 2"))
    x, y = np.linspace(-1, 1, 5), np.linspace(0.5, 2, 5)
    first, want, nb1 = grads_both(mod.loss, (x, y), wrt=("x", "y"))
    second, _, nb2 = grads_both(mod.loss, (x, y), wrt=("x", "y"))
    assert nb1._numba.disk_log == ["miss"] and nb2._numba.disk_log == ["hit"]
    assert_same(first, want)
    assert_same(second, want)
    assert nb2.grad_source == nb1.grad_source
    g = nb2.grad(x, y)  # the grad variant from the entry too
    np.testing.assert_allclose(g[0], want[1][0], rtol=1e-12)
    assert [e[0] for e in nb2._numba.compile_log] == ["value_and_grad", "grad"]
    assert len(list((disk_cache / "numba" / "compiled").glob("*/*.json"))) == 1


@pytest.mark.parametrize("change", [dict(c="3.0"), dict(c="2.0000000000000004"), dict(c="2"),
                                    dict(helper="v ** 3"), dict(helper="np.sin(v)")])
def test_a_changed_constant_or_callee_misses_and_gives_the_new_functions_gradient(disk_cache, tmp_path, change):
    path = tmp_path / "m.py"
    x, y = np.linspace(-1, 1, 5), np.linspace(0.5, 2, 5)
    old = module_of(path, SOURCE.format(c="2.0", helper="v ** 2"))
    grads_both(old.loss, (x, y), wrt=("x", "y"))
    new = module_of(path, SOURCE.format(**{**dict(c="2.0", helper="v ** 2"), **change}))
    got, want, nb = grads_both(new.loss, (x, y), wrt=("x", "y"))
    assert nb._numba.disk_log == ["miss"]
    assert_same(got, want)


GLOBAL_ARRAY = """
    import numpy as np

    W = np.ones(3)


    def loss(x):
        return np.sum(W * x ** 2)
"""


def test_a_global_arrays_values_are_read_at_run_time_and_its_shape_is_in_the_key(disk_cache, tmp_path):
    mod = module_of(tmp_path / "g.py", GLOBAL_ARRAY)
    x = np.array([1.0, 2.0, 3.0])
    grads_both(mod.loss, (x,))
    mod.W = np.array([2.0, -1.0, 0.5])  # same shape: the entry serves, with the new values
    got, want, nb = grads_both(mod.loss, (x,))
    assert nb._numba.disk_log == ["hit"]
    assert_same(got, want)
    np.testing.assert_allclose(got[1], 2 * mod.W * x)
    mod.W, x4 = np.arange(4.0), np.ones(4)  # another shape: another entry
    got, want, nb = grads_both(mod.loss, (x4,))
    assert nb._numba.disk_log == ["miss"]
    assert_same(got, want)


def test_signature_wrt_and_sources_each_name_another_entry(disk_cache, tmp_path, monkeypatch):
    mod = module_of(tmp_path / "m.py", SOURCE.format(c="2.0", helper="v ** 2"))
    x, y = np.linspace(-1, 1, 5), np.linspace(0.5, 2, 5)
    logs = []
    for args, wrt in [((x, y), "x"), ((x, y), "y"), ((x.astype(np.float32), y.astype(np.float32)), "x"),
                      ((x[:4], y[:4]), "x"), ((x, 1.5), "x"), ((x, 1), "x")]:
        got, want, nb = grads_both(mod.loss, args, wrt=wrt)
        if np.result_type(got[1]) == np.float32:  # numba's sum adds in another order
            np.testing.assert_allclose(got[0], want[0], rtol=1e-6)
            np.testing.assert_allclose(got[1], want[1], rtol=1e-6)
        else:
            assert_same(got, want)
        logs.append(nb._numba.disk_log[0])
    assert logs == ["miss"] * 6
    monkeypatch.setattr(diskcache, "_SOURCES", ["another s2sgrad"])
    got, want, nb = grads_both(mod.loss, (x, y), wrt="x")
    assert nb._numba.disk_log == ["miss"]


def _entries(disk_cache):
    return sorted((disk_cache / "numba" / "compiled").glob("*/*.json"))


@pytest.mark.parametrize("damage", ["truncate", "edit payload", "not json", "empty"])
def test_a_damaged_entry_is_a_miss_and_is_rewritten(disk_cache, tmp_path, damage):
    mod = module_of(tmp_path / "m.py", SOURCE.format(c="2.0", helper="v ** 2"))
    x, y = np.linspace(-1, 1, 5), np.linspace(0.5, 2, 5)
    grads_both(mod.loss, (x, y))
    (entry,) = _entries(disk_cache)
    text = entry.read_text()
    if damage == "truncate":
        entry.write_text(text[: len(text) // 2])
    elif damage == "edit payload":  # the generated code altered, the digest left: not used
        stored = json.loads(text)
        v = stored["payload"]["variants"]["value_and_grad"]
        v["text"] = v["text"].replace("2.0", "5.0")
        entry.write_text(json.dumps(stored))
    elif damage == "not json":
        entry.write_text("\x00\x01 garbage")
    else:
        entry.write_text("")
    got, want, nb = grads_both(mod.loss, (x, y))
    assert nb._numba.disk_log == ["miss"]
    assert_same(got, want)
    assert json.loads(entry.read_text())["payload"]["key"] == entry.stem  # written again, whole
    _, _, nb = grads_both(mod.loss, (x, y))
    assert nb._numba.disk_log == ["hit"]


def test_a_hit_whose_code_numba_refuses_compiles_in_full(disk_cache, tmp_path):
    """Not expected (entries are written by compilations that lowered), but an entry whose text
    numba cannot compile must not be an error the function does not have."""
    mod = module_of(tmp_path / "m.py", SOURCE.format(c="2.0", helper="v ** 2"))
    x, y = np.linspace(-1, 1, 5), np.linspace(0.5, 2, 5)
    _, want, nb = grads_both(mod.loss, (x, y))
    key = diskcache.entry_key(nb, nb._boundary.prepare((x, y))[1])
    payload = diskcache.read(key)
    v = payload["variants"]["value_and_grad"]
    assert "\n    return " in v["text"]
    v["text"] = v["text"].replace("\n    return ", "\n    undefined_helper()\n    return ", 1)  # an untyped global
    diskcache.write(key, payload)
    nb = differentiate(mod.loss, backend="numba")
    got = nb.value_and_grad(x, y)
    assert nb._numba.disk_log == ["hit"]
    assert_same(got, want)
    assert "undefined_helper" not in diskcache.read(key)["variants"]["value_and_grad"]["text"]  # replaced


VECTOR_OUT = """
    import numpy as np


    def square(x):
        return np.tanh(x) * x ** 2
"""


def test_seeded_variant_is_kept_and_a_scalar_outputs_vjp_compiles_in_full(disk_cache, tmp_path):
    mod = module_of(tmp_path / "v.py", VECTOR_OUT)
    x, seed = np.linspace(-1, 1, 4), np.array([1.0, -2.0, 0.5, 3.0])
    want = differentiate(mod.square).value_and_grad(x, seed=seed)
    for expected in ("miss", "hit"):
        nb = differentiate(mod.square, backend="numba")
        got = nb.value_and_grad(x, seed=seed)
        assert nb._numba.disk_log == [expected]
        assert_same(got, want)
    assert [e[0] for e in nb._numba.compile_log] == ["seeded"]
    scalar = module_of(tmp_path / "s.py", SOURCE.format(c="2.0", helper="v ** 2"))
    y = np.linspace(0.5, 2, 4)
    grads_both(scalar.loss, (x, y))
    nb = differentiate(scalar.loss, backend="numba")
    value, pullback = nb.vjp(x, y)
    assert nb._numba.disk_log == ["hit"]
    np.testing.assert_allclose(pullback(2.5), 2.5 * differentiate(scalar.loss).grad(x, y), rtol=1e-12)


class Scale:
    factor = 2.0


def in_dict(p, x):
    return np.sum(np.tanh(x * p["w"]) ** 2)


def test_a_container_argument_is_not_cached(disk_cache):
    import warnings
    nb = differentiate(in_dict, backend="numba", fallback=True)
    p, x = {"w": np.array([0.5, -1.0])}, np.array([1.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = nb.grad(p, x)
    assert nb._numba.disk_log == ["uncached"]
    np.testing.assert_allclose(got["w"], differentiate(in_dict).grad(p, x)["w"], rtol=1e-12)


def test_what_has_no_exact_spelling_is_not_cached():
    out = []
    for v in (object(), Scale(), lambda: 1, {"a": 1.0}, np.array([object()])):
        with pytest.raises(diskcache.Uncacheable):
            diskcache.canonical(v, out)


def _spelling(v):
    out = []
    diskcache.canonical(v, out)
    return "\n".join(out)


@pytest.mark.parametrize("a,b", [(0.1, np.nextafter(0.1, 1)), (1, 1.0), (1, True), (0.0, -0.0),
                                 (np.float32(1), np.float64(1)), (np.float64(1), 1.0), ((1, 2), [1, 2]),
                                 (np.arange(3000.0), np.r_[np.arange(2999.0), 2999.0000000001]),
                                 (np.zeros((2, 3)), np.zeros((3, 2))), (np.zeros(3), np.zeros(3, np.float32)),
                                 ("a", "b"), (None, 0), (slice(1, 2), slice(1, 3)), (float, int),
                                 (np.dtype("f8"), np.dtype("f4"))])
def test_distinct_values_have_distinct_spellings(a, b):
    assert _spelling(a) != _spelling(b)
    assert _spelling(a) == _spelling(a)


def test_a_new_process_reads_the_entry(tmp_path):
    script = textwrap.dedent("""
        import sys, numpy as np
        sys.path.insert(0, %r)
        from corpus_control import sin_loop
        from s2sgrad import differentiate
        f = differentiate(sin_loop, backend="numba")
        g = f.grad(np.linspace(0.1, 1.0, 3), 4)
        print(f._numba.disk_log[0], repr(g.tolist()))
    """ % HERE)
    env = dict(os.environ, S2SGRAD_CACHE=str(tmp_path), PYTHONPATH=ROOT)
    runs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
            for _ in range(2)]
    for r in runs:
        assert r.returncode == 0, r.stderr
    (first, g1), (second, g2) = (r.stdout.split(" ", 1) for r in runs)
    assert (first, second) == ("miss", "hit") and g1 == g2
    sys.path.insert(0, HERE)
    from corpus_control import sin_loop
    want = differentiate(sin_loop).grad(np.linspace(0.1, 1.0, 3), 4)
    np.testing.assert_allclose(eval(g2), want, rtol=1e-12)


# ------------------------------------------------------------------------------- s2sgrad.jit
TRAIN = """
    import numpy as np
    from s2sgrad import differentiate

    K = {k}
    LR = {lr}


    @differentiate(wrt=("w", "b"))
    def loss(w, b, x, y):
        return np.mean((K * w * x + b - y) ** 2)


    def fit(w, b, x, y, epochs):
        for i in range(epochs):
            gw, gb = loss.grad(w, b, x, y)
            w = w - LR * gw
            b = b - LR * gb
        return w, b
"""


def _fit(mod, n=20):
    import s2sgrad
    x = np.linspace(-1, 1, n)
    args = (0.0, 0.0, x, 3 * x + 0.8, 50)
    train = s2sgrad.jit(mod.fit)
    got = train(*args)
    return got, mod.fit(*args), train


def test_jit_a_second_object_loads_the_module_without_running_the_loop_in_python(disk_cache, tmp_path):
    mod = module_of(tmp_path / "t.py", TRAIN.format(k="1.0", lr="0.1"))
    first, want, t1 = _fit(mod)
    second, _, t2 = _fit(mod)
    assert t1.disk_log == ["miss"] and t2.disk_log == ["hit"]
    assert t2.source == t1.source
    np.testing.assert_allclose(first, want, rtol=1e-12)
    np.testing.assert_allclose(second, want, rtol=1e-12)
    _, _, t3 = _fit(mod, 30)  # another shape: another entry
    assert t3.disk_log == ["miss"]


@pytest.mark.parametrize("change", [dict(lr="0.2"), dict(k="1.5"), dict(lr="0.1000000000000001")])
def test_jit_a_changed_number_or_gradient_misses(disk_cache, tmp_path, change):
    path = tmp_path / "t.py"
    _fit(module_of(path, TRAIN.format(k="1.0", lr="0.1")))
    mod = module_of(path, TRAIN.format(**{**dict(k="1.0", lr="0.1"), **change}))
    got, want, t = _fit(mod)
    assert t.disk_log == ["miss"]
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_jit_a_rebound_global_of_the_gradient_misses(disk_cache, tmp_path):
    mod = module_of(tmp_path / "t.py", TRAIN.format(k="1.0", lr="0.1"))
    _fit(mod)
    mod.K = 2.0  # baked into loss's code: its parse is refreshed, the entry is another
    got, want, t = _fit(mod)
    assert t.disk_log == ["miss"]
    np.testing.assert_allclose(got, want, rtol=1e-12)
