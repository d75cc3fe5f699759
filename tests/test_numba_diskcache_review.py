"""Review of the numba backend's disk cache (backends/numba/diskcache.py, fromdisk.py, jit_cache.py):
a disk hit must give what a fresh compilation / the numpy backend gives.  Written by an adversarial
review; the tests marked "was a bug" failed before the fixes of the same commit (two of those
bugs were older than the cache: module and class attributes unguarded, a helper's global
shadowing the caller's)."""
import numpy as np
import pytest

pytest.importorskip("numba", reason="numba is not installed: the numba backend's tests are skipped")

import s2sgrad  # noqa: E402
from s2sgrad import differentiate  # noqa: E402

from test_numba_diskcache import _count, module_of  # noqa: E402


def both(fn, args, kw=None, **call):
    """(numba result, numpy result, numba disk_log) of value_and_grad."""
    kw = kw or {}
    nb = differentiate(fn, backend="numba", **kw)
    return nb.value_and_grad(*args, **call), differentiate(fn, **kw).value_and_grad(*args, **call), nb._numba.disk_log


def same(got, want, rtol=1e-12):
    flat = lambda v: [y for x in v for y in flat(x)] if isinstance(v, (tuple, list)) else [v]  # noqa: E731
    for g, w in zip(flat(got), flat(want), strict=True):
        assert np.shape(g) == np.shape(w)
        np.testing.assert_allclose(g, w, rtol=rtol, atol=0)


# ----------------------------------------------------------------- the disk key: structured dtypes
A = np.dtype([("a", "<f4"), ("pad", "<f4")])  # dtype.str '|V8'
B = np.dtype([("a", "<f8")])                   # dtype.str '|V8' as well


def rec_loss(x, rec):
    return np.sum(np.exp(x * rec["a"] - x))


def test_a_structured_argument_of_another_dtype_with_the_same_itemsize_misses(disk_cache):
    # was a bug: diskcache._signature spelled an array argument by dtype.str, which is '|V<itemsize>'
    # for every structured dtype: code generated for float32 field 'a' was reused for a float64 field
    # (the hit stored -exp(...) in a float32 array and returned twice the gradient, 2e-9 for 1e-9).
    x = np.ones(4, np.float32)
    ra = np.ones(4, A)
    rb = np.zeros(4, B)
    rb["a"] = 1 + 1e-9 * np.arange(1, 5)
    differentiate(rec_loss, backend="numba").value_and_grad(x, ra)
    got, want, log = both(rec_loss, (x, rb))
    np.testing.assert_allclose(got[1], want[1], rtol=1e-6)  # got: [2e-9, 4e-9, ...], want [1e-9, 2e-9, ...]
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12)
    assert log == ["uncached"]  # a structured dtype has no exact short spelling: never kept on disk


REC_GLOBAL = """
    import numpy as np
    REC = np.ones(4, np.dtype([("a", "<f4"), ("pad", "<f4")]))
    def loss(x):
        return np.sum(np.exp(x * REC["a"] - x))
"""


def test_a_structured_global_of_another_dtype_with_the_same_itemsize_misses(disk_cache, tmp_path):
    # was a bug: the same spelling in diskcache._captured: the hit returned a float64 gradient of a
    # float32 argument, where a fresh compilation (and the numpy backend) returns float32.
    x = np.ones(4, np.float32)
    differentiate(module_of(tmp_path / "r.py", REC_GLOBAL).loss, backend="numba").value_and_grad(x)
    mod = module_of(tmp_path / "r.py", REC_GLOBAL)
    mod.REC = np.zeros(4, B)
    mod.REC["a"] = 1 + 1e-9 * np.arange(1, 5)
    got, want, log = both(mod.loss, (x,))
    np.testing.assert_allclose(got[1], want[1], rtol=1e-6)
    assert got[1].dtype == want[1].dtype == np.float32


# ------------------------------------------------------- global arrays: values read at run time
GLOBAL_USE = """
    import numpy as np
    I = np.array([0, 1, 2])
    N = np.array([2])
    S = np.array(1.5)
    def loss(x):
        y = x[I]
        s = 0.0
        for i in range(N[0]):
            s = s + np.sum(np.sin(x) * i)
        if S > 1.0:
            s = s + np.sum(y * y * S)
        return s + len(I) * np.sum(np.sin(x) ** 2)
    def reshaped(x):
        return len(I) * np.sum(np.sin(x.reshape(N[0], -1)).sum(axis=0) ** 2)
"""


def test_global_arrays_used_as_index_range_branch_and_shape_give_this_processs_values(disk_cache, tmp_path):
    x = np.linspace(-1, 1, 4)
    _, _, log = both(module_of(tmp_path / "g.py", GLOBAL_USE).loss, (x,))
    assert log == ["miss"]
    mod = module_of(tmp_path / "g.py", GLOBAL_USE)
    mod.I, mod.N, mod.S = np.array([0, 0, 3]), np.array([4]), np.array(0.5)  # same shapes, other values
    got, want, log = both(mod.loss, (x,))
    assert log == ["hit"]
    same(got, want)
    # a shape from a global array's value (N[0]): unknown to the shape inference, so the gradient
    # follows the value N holds at run time (numba refuses the run-time broadcasts that takes)
    for n in (np.array([2]), np.array([4]), np.array([1])):
        mod.N = n
        f = differentiate(mod.reshaped)
        x6 = np.linspace(-1, 1, 8)
        want = 6 * np.sum(np.sin(x6.reshape(n[0], -1)), axis=0)[None, :] * np.cos(x6.reshape(n[0], -1))
        np.testing.assert_allclose(f.grad(x6), want.reshape(8), rtol=1e-12)


# ----------------------------------------------------------------- closures, defaults, constants
def make(c):
    def closure_loss(x):
        return np.sum(c * np.tanh(x) ** 2)
    return closure_loss


def test_closure_values_each_have_their_entry_or_are_read_at_run_time(disk_cache):
    x = np.linspace(-1, 1, 5)
    for c in (2.0, 3.0, 2, True, -0.0, np.float64(2.0), np.ones(5), np.arange(5.0)):
        got, want, log = both(make(c), (x,))
        same(got, want)
    assert log == ["hit"]  # the second closure array: same shape, its own values


def scaled(v, s=2.0):
    return v * s


def uses_default(x, *, k=1.5):
    return np.sum(scaled(x) ** 2) * k


def test_a_helpers_changed_default_misses_and_keyword_only_values_are_arguments(disk_cache):
    x = np.linspace(-1, 1, 5)
    same(*both(uses_default, (x,))[:2])
    try:
        scaled.__defaults__ = (5.0,)
        got, want, log = both(uses_default, (x,))
        assert log == ["miss"]
        same(got, want)
        for k in (2.5, 3):
            same(*both(uses_default, (x,), k=k)[:2])
    finally:
        scaled.__defaults__ = (2.0,)


# ----------------------------------------------------------------------------------- signatures
def layout_loss(A, b, s):
    return np.sum(np.tanh(A * b) ** 2) * s + np.sum(A[0] * b) + np.sum(A.T @ A)


@pytest.mark.filterwarnings("ignore::numba.core.errors.NumbaPerformanceWarning")
def test_layouts_and_number_types_on_a_hit_give_the_numpy_numbers(disk_cache):
    rng = np.random.default_rng(0)
    A, b = rng.standard_normal((4, 3)), rng.standard_normal(3)
    kw = dict(wrt=("A", "b"))
    same(*both(layout_loss, (A, b, 2.0), kw)[:2])
    for a2, b2 in ((np.asfortranarray(A), b), (rng.standard_normal((3, 4)).T, b[::-1]),
                   (rng.standard_normal((8, 6))[::2, ::2], rng.standard_normal(6)[::2])):
        got, want, log = both(layout_loss, (a2, b2, 2.0), kw)
        assert log == ["hit"]
        same(got, want)
    for s in (2, True, np.float64(2.0), np.array(2.0), np.int64(2)):
        got, want, log = both(layout_loss, (A, b, s), kw)
        assert log == ["miss"]
        same(got, want)


def vec(x, y):
    return np.tanh(x) * y ** 2


def scalar_out(x, y):
    return np.sum(np.sin(x) * y)


def test_seeded_and_vjp_on_hits(disk_cache):
    x, y, seed = np.linspace(-1, 1, 5), np.linspace(0.5, 2, 5), np.arange(5.0) - 2
    for _ in range(2):
        same(*both(vec, (x, y), dict(wrt=("x", "y")), seed=seed)[:2])
        same(*both(vec, (x, y), seed=2.5)[:2])
        nb = differentiate(scalar_out, backend="numba")
        _, pullback = nb.vjp(x, y)
        same(pullback(-1.5), differentiate(scalar_out).vjp(x, y)[1](-1.5))
    assert nb._numba.disk_log == ["hit"]


REBIND = """
    import numpy as np
    def act(v):
        return np.sin(v)
    def loss(x):
        return np.sum(act(x) ** 2)
"""


def test_a_callee_rebound_after_decoration_is_not_served_from_the_old_entry(disk_cache, tmp_path):
    x = np.linspace(-1, 1, 5)
    mod = module_of(tmp_path / "b.py", REBIND)
    both(mod.loss, (x,))
    nb = differentiate(mod.loss, backend="numba")  # parsed with act = sin
    mod.act = np.tanh
    same(nb.value_and_grad(x), differentiate(mod.loss).value_and_grad(x))


# ------------------------------------------------------------------------------------ s2sgrad.jit
TRAIN = """
    import numpy as np
    from s2sgrad import differentiate
    @differentiate(wrt="w")
    def loss(w, x, y):
        return np.mean((w * x - y) ** 2)
    def make(lr):
        def fit(w, x, y, epochs):
            for i in range(epochs):
                w = w - lr * loss.grad(w, x, y)
            return w
        return fit
    def fit_n(w, x, y, n, epochs):
        for i in range(epochs):
            w = w - 0.1 * loss.grad(w, x[:n], y[:n])
        return w
"""


def test_jit_closure_numbers_each_have_their_entry(disk_cache, tmp_path):
    mod = module_of(tmp_path / "t.py", TRAIN)
    x = np.linspace(-1, 1, 20)
    logs = []
    for lr in (0.1, 0.2, 0.1, 1):
        fit = mod.make(lr)
        train = s2sgrad.jit(fit)
        np.testing.assert_allclose(train(0.0, x, 3 * x, 5), fit(0.0, x, 3 * x, 5), rtol=1e-12)
        logs += train.disk_log
    assert logs == ["miss", "miss", "hit", "miss"]


def test_jit_first_call_with_other_call_site_shapes_than_the_cached_process(disk_cache, tmp_path):
    # was a bug (an error, not a silent gradient): the jit key held the argument signature, not the call
    # sites' shapes, which depend on the value of n.  A process that first calls with n=12 loads the
    # module another process built for n=10 and raises "must have shape (10,)"; without the entry it
    # runs (probe + build for n=12), and the entry is never replaced, so every later process fails.
    mod = module_of(tmp_path / "t.py", TRAIN)
    x = np.linspace(-1, 1, 20)
    s2sgrad.jit(mod.fit_n)(0.0, x, 3 * x, 10, 5)
    train = s2sgrad.jit(mod.fit_n)  # a new process's first call, as far as the caches go
    np.testing.assert_allclose(train(0.0, x, 3 * x, 12, 5), mod.fit_n(0.0, x, 3 * x, 12, 5), rtol=1e-12)


# ---------------------------------------- not the disk cache: the frontend (numpy backend as well)
CFG = """
    import numpy as np
    K = 2.0
    W = np.array([10.0, 20.0, 30.0])
    def h(x):
        return np.sum(W * x ** 2)
"""
USER = """
    import numpy as np
    import {cfg} as cfg
    from {cfg} import h
    W = np.array([1.0, 2.0, 3.0])
    def by_attribute(x):
        return np.sum(cfg.K * x ** 2)
    def clashing(x):
        return np.sum(W * x) + h(x)
    def clashing_after(x):
        return h(x) + np.sum(W * x)
    def local_clash(x):
        s = 0.0
        for i in range(2):
            s = s + h(x)
            W = x * 3.0
        return s + np.sum(W)
"""


@pytest.fixture
def modules(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    name = f"review_cfg_{_count[0]}"  # a new module each test (the import system keeps the last)
    module_of(tmp_path / f"{name}.py", CFG)
    import importlib
    return importlib.import_module(name), module_of(tmp_path / "review_user.py", USER.format(cfg=name))


def test_a_number_read_through_a_module_attribute_rebound_after_decoration(modules):
    # was a bug (frontend/names.py): `cfg.K` is inlined as a constant but only `cfg` was guarded,
    # and guard() skips modules, so rebinding cfg.K kept the old gradient (4x, not 6x).
    cfg, user = modules
    x = np.linspace(-1, 1, 5)
    f = differentiate(user.by_attribute)
    f.grad(x)
    cfg.K = 3.0
    np.testing.assert_allclose(f.grad(x), 6.0 * x, rtol=1e-12)


def test_a_callees_global_array_with_the_callers_name(modules):
    # was a bug (frontend/calls.py inline: self.captured.update(parsed.captured)): the callee's
    # global W replaced the caller's W in `captured`, so both read the callee's array.
    _, user = modules
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(differentiate(user.clashing).grad(x),
                               np.array([1.0, 2.0, 3.0]) + 2 * np.array([10.0, 20.0, 30.0]) * x, rtol=1e-12)


def test_a_callees_global_array_beside_the_callers_in_either_order_or_a_local(modules):
    _, user = modules
    x = np.array([1.0, 2.0, 3.0])
    wc = np.array([10.0, 20.0, 30.0])
    np.testing.assert_allclose(differentiate(user.clashing_after).grad(x),
                               np.array([1.0, 2.0, 3.0]) + 2 * wc * x, rtol=1e-12)
    np.testing.assert_allclose(differentiate(user.local_clash).grad(x), 4 * wc * x + 3.0, rtol=1e-12)


class Scale:
    factor = 2.0

    @staticmethod
    def twice(v):
        return 2.0 * v


def scaled_by_class(x):
    return np.sum(Scale.factor * Scale.twice(x) ** 2)


def test_a_class_attribute_rebound_recompiles_and_a_staticmethod_guard_holds():
    x = np.linspace(-1, 1, 5)
    f = differentiate(scaled_by_class)
    np.testing.assert_allclose(f.grad(x), 2.0 * 8.0 * x, rtol=1e-12)
    cache = dict(f._cache)
    f.grad(x)
    assert f._cache == cache  # the guards hold: no recompilation per call
    old = Scale.factor
    try:
        Scale.factor = 3.0
        np.testing.assert_allclose(f.grad(x), 3.0 * 8.0 * x, rtol=1e-12)
    finally:
        Scale.factor = old


class Rate:
    k = 2.0


@differentiate
def rate_loss(x):
    return Rate.k * x ** 2


def rate_descend(x, steps):
    for i in range(steps):
        x = x - 0.1 * rate_loss.grad(x)
    return x


def test_jit_of_a_gradient_reading_a_class_attribute_recompiles_when_it_is_rebound(disk_cache):
    pytest.importorskip("numba")
    train = s2sgrad.jit(rate_descend)
    train(1.0, 3)
    assert train(1.0, 3) == pytest.approx(rate_descend(1.0, 3), rel=1e-12)
    old = Rate.k
    try:
        Rate.k = 3.0
        assert train(1.0, 3) == pytest.approx(0.4 ** 3, rel=1e-12)
    finally:
        Rate.k = old
