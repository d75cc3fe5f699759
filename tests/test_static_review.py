"""Adversarial review of e46ea9b (static_args.py: parameters compiled per value), da022ce (guards on
attributes reached through user modules/classes/objects; an inlined helper's globals renamed) and
3ace86b.  Every case compares with central finite differences in float64 (or a rebinding's effect).
Cases marked "BUG" were silent wrong gradients (or a crash) when written, all fixed in the same commit."""
import importlib.util
import textwrap

import numpy as np
import pytest

import s2sgrad
from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from test_static_args import fd_grad as fd  # central differences, float64

X = np.random.default_rng(5).uniform(0.5, 2.0, (3, 4))
_n = [0]


def close(g, fn, *rest):
    np.testing.assert_allclose(g, fd(fn, X, *rest), rtol=1e-6, atol=1e-7)

def mod(tmp_path, text, name=None):
    """`text` written under tmp_path and imported as a fresh module (its functions have a source)."""
    _n[0] += 1
    name = name or f"static_review_{_n[0]}"
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(text))
    spec = importlib.util.spec_from_file_location(name, path)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m

# ---------------------------------------------------------------- 1. static parameters (sound)
def both(x, axis):  # an axis and a number, and an `is` test
    return np.sum(np.mean(x, axis=axis) ** 2) * (axis if axis is not None else 7)

def branch(x, axis):
    if axis == 0:
        return np.sum(np.mean(x, axis=axis) ** 2)
    return np.sum(np.mean(x, axis=axis) ** 3)

def loops(x, n):  # a range bound and an axis
    s = 0.0
    for i in range(n):
        s = s + np.sum(x ** 2)
    return s + np.sum(np.sum(x, axis=n) ** 2)

def two(x, a, k):
    return np.sum(np.sin(np.mean(x, axis=a, keepdims=k)) ** 2 * np.max(x, axis=a, keepdims=True))

def _h(y, axis):
    return np.mean(y, axis=axis)

def via_helper(x, axis):
    return np.sum(_h(x, axis=axis) ** 2)

def via_closure(x, axis):
    g = lambda y: np.mean(y, axis=axis)  # noqa: E731
    return np.sum(g(x) ** 2)

def swapped(x, a, b):
    def g(y, a, b):
        return np.sum(np.mean(y, axis=a) ** 2) * (b + 1)
    return g(x, b, a)

def dflt(x, axis=1):
    return np.sum(np.mean(x, axis=axis) ** 2 * np.tanh(x).sum())

@pytest.mark.parametrize("fn,values", [
    (both, [(1,), (0,), (None,), (-1,), (1,)]), (branch, [(0,), (1,), (0,)]), (loops, [(1,), (0,), (1,)]),
    (two, [(1, True), (0, True), (None, False), ((0, 1), True), (1, 1), (1, True)]),
    (via_helper, [(1,), (0,), (None,)]), (via_closure, [(1,), (0,), (1,)]), (swapped, [(1, 0), (0, 1), (1, 1)]),
    (dflt, [(), (0,), ()])])
def test_values_back_and_forth(fn, values):
    f = differentiate(fn)
    for v in values:
        value, g = f.value_and_grad(X, *v)
        assert value == pytest.approx(fn(X, *v), rel=1e-12)
        close(g, fn, *v)
    assert f._static

def test_keyword_default_vjp_seed_aux_checkpoint_sources():
    f = differentiate(dflt)
    close(f.grad(X, axis=0), dflt, 0)
    close(f.grad(X), dflt, 1)
    for a in (1, 0, None):
        _, pull = f.vjp(X, a)
        close(pull(1.0), dflt, a)
    assert "axis=0" in f.compiled_for(X, axis=0).grad_source and "axis=1" in f.compiled_for(X, 1).grad_source

    def vec(x, axis):
        return np.mean(x, axis=axis) ** 2
    v = differentiate(vec)
    for a in (1, 0, 1):
        s = np.linspace(1, 2, vec(X, a).size)
        close(v.grad(X, a, seed=s), lambda x, a: np.sum(vec(x, a) * s), a)

    def aux(x, axis):
        m = np.mean(x, axis=axis)
        return np.sum(m ** 2), m
    fa = differentiate(aux, has_aux=True)
    for a in (1, 0):
        (_, m), g = fa.value_and_grad(X, a)
        assert m.shape == np.mean(X, axis=a).shape
        close(g, lambda x, a: aux(x, a)[0], a)
    fc = differentiate(dflt, checkpoint=True)
    for a in (0, None, 1):
        close(fc.grad(X, a), dflt, a)

def test_higher_order_of_a_static_parameter():
    d = differentiate(dflt)
    V = np.random.default_rng(1).normal(size=X.shape)
    for a in (1, 0, 1):
        H = s2sgrad.hessian(dflt)(X, a)
        Hfd = np.stack([fd(lambda x, a: d.grad(x, a)[i], X, a) for i in np.ndindex(X.shape)]).reshape(X.shape * 2)
        np.testing.assert_allclose(H, Hfd, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(s2sgrad.jvp(d.grad, (X, a), (V, None))[1], np.tensordot(Hfd, V, 2),
                                   rtol=1e-5, atol=1e-6)
        assert s2sgrad.jvp(dflt, (X, a), (V, None))[1] == pytest.approx(np.sum(fd(dflt, X, a) * V), rel=1e-6)

    def vec(x, axis):
        return np.mean(x, axis=axis) ** 2
    for a in (1, 0):
        J = s2sgrad.jacrev(vec)(X, a)
        np.testing.assert_allclose(J, np.stack([fd(lambda x, a: vec(x, a)[j], X, a) for j in range(X.shape[1 - a])]),
                                   rtol=1e-6, atol=1e-7)

def tup(x, axis):
    return np.sum(np.mean(x, axis=axis) ** 2), np.sum(np.sin(x))


def test_structured_outputs_and_numpy_ints_and_the_refusals_left():
    # (the review found the tuple-output path refusing and numpy ints refused; both compile per value now)
    for a in (1, 0):
        g = differentiate(tup).grad(X, a, seed=(1.0, 2.0))
        close(g, lambda x, a: tup(x, a)[0] + 2.0 * tup(x, a)[1], a)
    f = differentiate(dflt)
    close(f.grad(X, np.int64(0)), dflt, 0)
    close(f.grad(X, 1), dflt, 1)
    for bad in ([0, 1], 1.0):
        with pytest.raises(S2SGradError, match="'axis' of dflt"):
            f.grad(X, bad)

def test_numba_backend_per_value(disk_cache):
    pytest.importorskip("numba")
    f = differentiate(two, backend="numba")
    for v in ((1, True), (None, False), (0, False), (1, True)):
        close(f.grad(X, *v), two, *v)

def keep_sum(x, axis):
    return np.sum(np.sin(x / np.sum(x, axis=axis, keepdims=True)))

def test_sum_keepdims_with_an_axis_parameter():
    # BUG: np.sum(keepdims=True)'s rule does not need the axis, so no refusal makes 'axis' static; shape
    # inference then evaluates np.sum(x, axis=axis, keepdims=True) with the dummy value 1 for the int
    # (passes/shapes.py dummy: PyNum -> 1) and the unbroadcast of the division sums over axis 1.
    try:  # the right numbers, or a clear refusal
        g = differentiate(keep_sum).grad(X, 0)
    except S2SGradError:
        return
    close(g, keep_sum, 0)

# ---------------------------------------------------------------- 2. guarded attributes
CLASSES = """
    import numpy as np
    K = 2.0
    class Base:
        factor = 2.0
    class Sub(Base):
        pass
    class Obj:
        def __init__(self):
            self.k = 2.0
    class Slotted:
        __slots__ = ("k",)
        def __init__(self):
            self.k = 2.0
    class WithProp:
        _k = 2.0
        @property
        def k(self):
            return self._k
    class Tools:
        @staticmethod
        def sq(x):
            return x * x
    obj, slotted, prop, inst, tools = Obj(), Slotted(), WithProp(), Sub(), Tools()
    def via_sub(x):
        return np.sum(Sub.factor * x ** 2)
    def via_inst(x):
        return np.sum(inst.factor * x ** 2)
    def via_obj(x):
        return np.sum(obj.k * x ** 2)
    def via_slot(x):
        return np.sum(slotted.k * x ** 2)
    def via_prop(x):
        return np.sum(prop.k * x ** 2)
    def via_tools(x):
        return np.sum(Tools.sq(x) + tools.sq(x))
"""

def _rebound(m, fn_name, mutate):
    f = differentiate(getattr(m, fn_name))
    np.testing.assert_allclose(f.grad(X), 4 * X, rtol=1e-12)
    mutate(m)
    return f.grad(X)  # every mutation below makes the factor 3

def test_rebinding_recompiles_sound_cases(tmp_path):
    m = mod(tmp_path, CLASSES)
    np.testing.assert_allclose(_rebound(m, "via_sub", lambda m: setattr(m.Base, "factor", 3.0)), 6 * X)
    m = mod(tmp_path, CLASSES)
    np.testing.assert_allclose(_rebound(m, "via_obj", lambda m: setattr(m.obj, "k", 3.0)), 6 * X)
    m = mod(tmp_path, CLASSES)
    np.testing.assert_allclose(_rebound(m, "via_obj", lambda m: (delattr(m.obj, "k"), setattr(m.Obj, "k", 3.0))),
                               6 * X)
    import types
    m = mod(tmp_path, "import numpy as np\ndef f(x):\n    return np.sum(srpkg.sub.K * x ** 2)\n")
    m.srpkg = types.ModuleType("srpkg")
    m.srpkg.sub = mod(tmp_path, "K = 2.0\n")
    np.testing.assert_allclose(_rebound(m, "f", lambda m: setattr(m.srpkg.sub, "K", 3.0)), 6 * X)

def test_staticmethod_callees_do_not_recompile_each_call(tmp_path):
    m = mod(tmp_path, CLASSES)
    f = differentiate(m.via_tools)
    f.grad(X)
    parsed, cache = f._parsed, dict(f._cache)
    for _ in range(3):
        np.testing.assert_allclose(f.grad(X), 4 * X, rtol=1e-12)
    assert f._parsed is parsed and list(f._cache) == list(cache)

@pytest.mark.parametrize("fn_name,mutate", [
    ("via_sub", lambda m: setattr(m.Sub, "factor", 3.0)),  # BUG: the guard watches Base only (the class that
    # defined it); objects._guard_lookup guards each class of the MRO up to it, names._guard_attribute does not
    ("via_inst", lambda m: setattr(m.inst, "factor", 3.0)),  # BUG: the instance's own dict is not guarded
    ("via_slot", lambda m: setattr(m.slotted, "k", 3.0)),  # BUG: the guard holds the member descriptor
    ("via_prop", lambda m: setattr(m.prop, "_k", 3.0)),  # BUG: the guard holds the property object
])
def test_rebinding_an_attribute_recompiles(tmp_path, fn_name, mutate):
    try:  # the new factor's gradient, or a clear refusal (for slots and properties, refusing is a fix too)
        g = _rebound(mod(tmp_path, CLASSES), fn_name, mutate)
    except S2SGradError:
        assert fn_name in ("via_slot", "via_prop")
        return
    np.testing.assert_allclose(g, 6 * X, rtol=1e-12)

def test_module_getattr(tmp_path):
    # BUG (regression of da022ce): names._guard_attribute reads vars(module)[attr], a KeyError for an
    # attribute a module's __getattr__ gives (PEP 562); before, the gradient was right
    lazy = mod(tmp_path, "def __getattr__(name):\n    if name == 'K':\n        return 2.0\n    raise AttributeError(name)\n")
    m = mod(tmp_path, "import numpy as np\ndef f(x):\n    return np.sum(lazy.K * x ** 2)\n")
    m.lazy = lazy
    np.testing.assert_allclose(differentiate(m.f).grad(X), 4 * X, rtol=1e-12)

# ---------------------------------------------------------------- 3. an inlined helper's globals
HELPERS = """
    import numpy as np
    W = np.array([1.0, 2.0, 3.0, 4.0])
    SHAPE = (4, 3)
    def helper(x):
        return np.sum(W * x)
    def deep(x):
        return helper(x) * 2.0
    def resh(x):
        return np.sum(np.sin(np.reshape(x, SHAPE)) * np.arange(12.).reshape(4, 3))
    def scale(x):
        t = x * 2.0
        return np.sum(t * t)
    class Layer:
        def apply(self, x):
            return np.sum(W * x * x)
"""

CALLERS = """
    import numpy as np
    W = np.array([100.0, 200.0, 300.0, 400.0])
    SHAPE = (2, 6)
    scale_t = np.array([7.0, 8.0, 9.0, 1.0])
    def after(x):
        return hA.helper(x) + np.sum(W * x)
    def before(x):
        a = np.sum(W * x)
        return a + hA.helper(x)
    def two_modules(x):
        return hA.helper(x) + hB.helper(x) + np.sum(W * x)
    def twice_and_deep(x):
        return hA.helper(x) + hA.helper(2.0 * x) + hA.deep(x) + np.sum(W * x)
    def local_in_loop(x):
        s = 0.0
        for i in range(2):
            s = s + hA.helper(x)
            W = x * 3.0
            s = s + np.sum(W)
        return s
    def same_object(x):
        return hA.helper(x) + np.sum(hA.W * x)
    def tuples(x):
        return hA.resh(x) + np.sum(np.sin(np.reshape(x, SHAPE)) * np.arange(12.).reshape(2, 6))
    def local_W_2(x):
        W_2 = 3.0 * x
        a = hA.helper(x)
        return a + np.sum(W * W_2)
    def local_hA_W(x):
        hA_W = 2.0 * x
        return np.sum(hA.W * hA_W)
    def method(x, lay):
        return np.sum(W * x) + lay.apply(x)
    def prefixed(x):
        a = np.sum(scale_t * x)
        return a + hA.scale(x)
"""

@pytest.fixture
def callers(tmp_path):
    hA, hB = mod(tmp_path, HELPERS), mod(tmp_path, HELPERS.replace("1.0, 2.0, 3.0, 4.0", "10.0, 20.0, 30.0, 40.0"))
    m = mod(tmp_path, CALLERS)
    m.hA, m.hB = hA, hB
    return m

@pytest.mark.parametrize("name", ["after", "before", "two_modules", "twice_and_deep", "local_in_loop", "same_object",
                                  "tuples"])
def test_helper_globals_sound(callers, name):
    fn = getattr(callers, name)
    close(differentiate(fn).grad(X), fn)

@pytest.mark.parametrize("name", [
    "local_W_2",  # BUG: names.static_value renames the caller's W (after hA.helper took 'W') to 'W_2' without
    # looking at the caller's locals: the local W_2 is read instead of the global (new in da022ce)
    "local_hA_W",  # BUG (older): hA.W is captured as 'hA_W', the caller's local of that name
    "prefixed",  # BUG (older): inline_body names hA.scale's local t 'scale_t' (it checks caller_locals only),
    # the name the caller's global array scale_t was captured under
])
def test_helper_globals_colliding_names(callers, name):
    fn = getattr(callers, name)
    close(differentiate(fn).grad(X), fn)

def test_method_of_an_object_from_another_module(callers):
    # BUG: passes/objects._inline merges the method's captured globals (flat.captured.update) without
    # calls._own_globals' renaming: hA's W replaces the caller's W (the da022ce fix covers calls.py only)
    lay = callers.hA.Layer()
    close(differentiate(callers.method).grad(X, lay), callers.method, lay)
