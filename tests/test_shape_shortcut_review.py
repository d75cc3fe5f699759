"""A review of the shape inference's shortcut (passes/shape_shortcut.py): cases built to break it,
each checked against numpy's own evaluation on the full-size placeholders, random expression trees
against the same, and gradients of big broadcasting functions against finite differences."""
import random

import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.ir import Attr, Call, Const, Name, expr_src
from s2sgrad.passes import shape_shortcut as S
from s2sgrad.passes.shapes import _run
from s2sgrad.runtime import NAMESPACE

NS = dict(NAMESPACE, iadd=lambda a, b: a + b)  # (`g += c` as shapes.infer evaluates it)


def _ph(shape, dtype=np.float64):
    return np.broadcast_to(np.ones((), dtype), shape)


def _full(e, local):
    """numpy's own result on the full-size placeholders, or the exception it raises."""
    try:
        return _run(compile(expr_src(e), "<t>", "eval"), NS, dict(local))
    except Exception as exc:  # (the shape inference records an unknown value for it)
        return exc


def _kind(v):
    """What the shape inference reads of a result: array (shape, dtype), numpy scalar (its type), or
    Python value (type and value)."""
    if isinstance(v, np.ndarray):
        return ("array", v.shape, v.dtype)
    if isinstance(v, np.generic):
        return ("numpy scalar", type(v))
    return ("python", type(v), v)


def _sizes_run(seen):
    def run(code, values):
        seen.extend(v.size for v in values.values() if isinstance(v, np.ndarray))
        return _run(code, NS, values)
    return run


def _agrees(e, local, seen=None):
    """The shortcut's answer is None or numpy's; returns it.  An error it lets through (numpy's own,
    an OverflowError of a Python integer) must be one the full evaluation raises too: evaluate()
    catches both alike."""
    want = _full(e, local)
    try:
        got = S.shortcut(e, local, _sizes_run([] if seen is None else seen))
    except Exception as exc:
        assert isinstance(want, type(exc)), (expr_src(e), exc, want)
        return None
    if got is not None:
        assert not isinstance(want, Exception), (expr_src(e), want)
        assert _kind(got) == _kind(want), expr_src(e)
    return got


def test_generalized_ufuncs_are_not_maps():
    """np.vecdot and np.matvec are ufuncs with one output and two inputs, but they reduce a core
    axis: treated as maps they were given the broadcast (300, 200) instead of numpy's (300,)."""
    local = {"a": _ph((300, 200)), "b": _ph((300, 200)), "v": _ph((200,))}
    assert S.shortcut(Call("np.vecdot", (Name("a"), Name("b"))), local, _sizes_run([])) is None
    if hasattr(np, "matvec"):
        assert S.shortcut(Call("np.matvec", (Name("a"), Name("v"))), local, _sizes_run([])) is None
    assert _agrees(Call("np.maximum", (Name("a"), Name("v"))), local).shape == (300, 200)


def test_a_reduction_over_an_empty_axis_is_refused_as_numpy_refuses_it():
    """The 2x3 stand-in of a (0, 200) array had elements, so its max was given a shape where numpy
    raises (no identity for a maximum of nothing)."""
    local = {"a": _ph((0, 200)), "b": _ph((300, 200))}
    mx = Call("add", (Call(".max", (Name("a"),), (("axis", Const(0)),)), Name("b")))
    assert isinstance(_full(mx, local), ValueError)
    assert S.shortcut(mx, local, _sizes_run([])) is None
    total = Call("add", (Call(".sum", (Name("a"),), (("axis", Const(0)),)), Name("b")))
    assert _agrees(total, local).shape == (300, 200)
    kept = Call(".sum", (Name("a"),), (("axis", Const(1)), ("keepdims", Const(True))))
    assert _agrees(Call("mul", (kept, Const(2.0))), {**local, "b": _ph((20000,))}).shape == (0, 1)


def test_a_reduction_of_many_short_axes_costs_no_more_than_its_argument():
    """A (2,)*13 array's stand-in had axes 2, 3, ..., 14: 14! elements (minutes) to reduce 8192."""
    local = {"x": _ph((2,) * 13), "y": _ph((20000,))}
    seen = []
    e = Call("mul", (Call(".sum", (Name("x"),), (("axis", Const((0, -1))),)), Const(3)))
    got = S.shortcut(Call("add", (Call(".sum", (Name("x"),)), Name("y"))), local, _sizes_run(seen))
    assert got.shape == (20000,) and max(seen) <= 2 ** 13
    assert _agrees(e, local).shape == (2,) * 11


def test_an_integer_power_of_a_computed_exponent_is_left_to_numpy():
    """The stand-in of b - 2 holds ones; numpy's placeholder holds -1, and refuses the power."""
    local = {"b": _ph((300, 200), np.int64)}
    e = Call("pow", (Name("b"), Call("sub", (Name("b"), Const(2)))))
    assert isinstance(_full(e, local), ValueError)
    assert S.shortcut(e, local, _sizes_run([])) is None
    plain = Call("pow", (Name("b"), Name("b")))  # a name's stand-in holds what its placeholder holds
    assert _agrees(plain, local).dtype == np.int64


CASES = [
    # products: vector . vector is numpy's scalar; vector @ matrix, matrix @ vector; mismatch
    (Call("matmul", (Name("v"), Name("v"))), {"v": _ph((20000,), np.float32)}),
    (Call("matmul", (Name("v"), Name("m"))), {"v": _ph((20000,)), "m": _ph((20000, 3), np.int8)}),
    (Call("matmul", (Name("m"), Name("v"))), {"v": _ph((20000,), np.bool_), "m": _ph((3, 20000), np.bool_)}),
    (Call("matmul", (Name("v"), Name("m"))), {"v": _ph((20000,)), "m": _ph((3, 20000))}),
    (Call("@T", (Name("v"),)), {"v": _ph((20000,), np.float16)}),
    (Attr(Call("mul", (Name("m"), Const(2))), "T"), {"m": _ph((3, 20000), np.complex64)}),
    # weak Python numbers, numpy scalars and 0-d arrays
    (Call("mul", (Call(".sum", (Name("m"),)), Const(2.0))), {"m": _ph((300, 200), np.float16)}),
    (Call("add", (Name("s"), Call(".sum", (Name("m"),)))), {"s": np.float32(1), "m": _ph((300, 200), np.float16)}),
    (Call("add", (Name("z"), Name("m"))), {"z": _ph((), np.float64), "m": _ph((300, 200), np.float32)}),
    (Call(".sum", (Name("z"),), (("keepdims", Const(True)),)), {"z": _ph((), np.int8), "m": _ph((300, 200))}),
    (Call("np.where", (Name("c"), Name("m"), Const(0.5))), {"c": _ph((), np.bool_), "m": _ph((300, 200), np.float32)}),
    (Call("np.where", (Name("c"), Name("z"), Name("z"))), {"c": _ph((), np.bool_), "z": _ph(()), "m": _ph((300, 200))}),
    # integer and boolean arithmetic
    (Call("truediv", (Name("m"), Name("m"))), {"m": _ph((300, 200), np.int8)}),
    (Call("sub", (Name("m"), Name("m"))), {"m": _ph((300, 200), np.bool_)}),
    (Call("pow", (Name("m"), Const(-1))), {"m": _ph((300, 200), np.int64)}),
    (Call("add", (Name("m"), Const(300))), {"m": _ph((300, 200), np.int8)}),
    # reductions: negative and tuple axes, axis=(), keepdims over a length-1 axis, dtype=, means of ints
    (Call(".sum", (Name("m"),), (("axis", Const(())),)), {"m": _ph((300, 200))}),
    (Call(".sum", (Name("m"),), (("axis", Const((-1, 0))), ("keepdims", Const(True)))), {"m": _ph((300, 1, 200))}),
    (Call(".mean", (Name("m"),), (("axis", Const(-2)),)), {"m": _ph((300, 1, 200), np.int8)}),
    (Call(".max", (Name("m"),), (("axis", Const(1)), ("keepdims", Const(True)))), {"m": _ph((300, 1, 200))}),
    (Call(".prod", (Name("m"),), (("dtype", Attr(Name("d"), "dtype")),)),
     {"m": _ph((300, 200), np.bool_), "d": _ph((1,), np.int8)}),
    (Call("np.sum", (Name("v"),), (("axis", Const(0)),)), {"v": _ph((20000,), np.uint8)}),
    (Call(".any", (Name("m"),), (("axis", Const(2)),)), {"m": _ph((300, 200))}),
    # broadcasting failures and size-0 arrays
    (Call("add", (Name("m"), Name("v"))), {"m": _ph((300, 200)), "v": _ph((300,))}),
    (Call("mul", (Name("e"), Name("m"))), {"e": _ph((0, 1)), "m": _ph((1, 20000))}),
]


@pytest.mark.parametrize("e, local", CASES, ids=[expr_src(e) for e, _ in CASES])
def test_hand_picked_cases_agree_with_numpy(e, local):
    _agrees(e, local)


SHAPES = [(130, 200), (1, 200), (130, 1), (200,), (1,), (), (20000,), (0, 200), (130, 1, 200)]
DTYPES = [np.float64, np.float32, np.float16, np.complex64, np.int8, np.uint8, np.int64, np.bool_]
BINARY = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "lt", "eq", "and_", "or_", "np.maximum",
          "np.arctan2", "np.logical_and", "np.bitwise_and", "np.ldexp", "np.hypot", "iadd"]
UNARY = ["neg", "invert", "np.exp", "np.tanh", "np.abs", "np.sign", "np.isfinite", "np.square", "np.zeros_like",
         "np.ones_like", "np.empty_like"]
REDUCE = [".sum", "np.sum", ".mean", ".max", "np.min", ".prod", ".any", "np.all"]


def _tree(r, local, depth):
    """A random expression of maps, products, transposes and reductions over placeholders of mixed
    shapes and dtypes, numpy scalars, Python numbers and constants; names are sometimes reused."""
    if depth == 0 or r.random() < 0.25:
        if local and r.random() < 0.2:
            return Name(r.choice(list(local)))
        if r.random() < 0.15:
            return Const(r.choice([2, 2.0, True, -1, 0.5]))
        name = f"_v{len(local)}"
        k = r.random()
        local[name] = (r.choice([np.float32(1), np.int64(1), np.float16(1), np.bool_(True), np.uint8(1)]) if k < 0.15
                       else r.choice([1, 1.0, True]) if k < 0.22 else _ph(r.choice(SHAPES), r.choice(DTYPES)))
        return Name(name)
    k = r.random()
    sub = lambda: _tree(r, local, depth - 1)  # noqa: E731
    if k < 0.35:
        return Call(r.choice(BINARY), (sub(), sub()))
    if k < 0.5:
        return Call(r.choice(UNARY), (sub(),))
    if k < 0.6:
        return Call(r.choice(["matmul", "np.matmul"]), (sub(), sub()))
    if k < 0.7:
        return Call("@T", (sub(),)) if k < 0.65 else Attr(sub(), "T")
    if k < 0.8:
        return Call(r.choice(["np.where", "np.clip", ".clip"]), (sub(), sub(), sub()))
    kwargs = []
    if r.random() < 0.6:
        kwargs.append(("axis", Const(r.choice([0, 1, -1, -2, 2, (0, 1), (-1, 0), (), None]))))
    if r.random() < 0.4:
        kwargs.append(("keepdims", Const(r.choice([True, False]))))
    return Call(r.choice(REDUCE), (sub(),), tuple(kwargs))


@pytest.mark.parametrize("seed", range(4))
def test_random_trees_agree_with_numpy(seed):
    r = random.Random(seed)
    decided = 0
    for _ in range(1500):
        local = {}
        e = _tree(r, local, r.choice([1, 2, 3]))
        if isinstance(e, Call) and any(isinstance(v, np.ndarray) and v.size >= S.BIG for v in local.values()):
            decided += _agrees(e, local) is not None
    assert decided > 50  # (the shortcut does decide a good share of them)


# --- end to end: gradients at shapes over the threshold, where un-broadcasting reads the shapes ---

def _loss_broadcast(M, col, row, s):
    return np.sum(np.tanh(M * col + row) * s)


def _loss_softmax(M, col, row2):
    m = M - M.max(axis=1, keepdims=True)
    e = np.exp(m)
    return np.sum(e / e.sum(axis=1, keepdims=True) * col * row2)


def _loss_products(M, row):
    h = M @ row
    return np.sum(h ** 2) + row @ row + np.sum(row @ M.T @ M)


def _loss_means(M, col):
    c = M.mean(axis=-1, keepdims=True)
    return np.sum((M - c) ** 2 * col) + np.sum(M.sum(axis=0) ** 2) + np.sum(M.sum(axis=(0, 1), keepdims=True) * col)


def _loss_where_clip(M, col, s):
    return np.sum(np.where(col > 0, M, 0.0) * col) + np.sum(np.clip(M, -s, s) ** 2)


def _loss_vector(v, s):
    return np.sum(np.where(v > 0, v * s, s)) + np.mean(v) * s + (v @ v) * s


BIG_CASES = [
    (_loss_broadcast, [(300, 200), (300, 1), (200,), None]),
    (_loss_softmax, [(300, 200), (300, 1), (1, 200)]),
    (_loss_products, [(300, 200), (200,)]),
    (_loss_means, [(300, 200), (300, 1)]),
    (_loss_where_clip, [(300, 200), (300, 1), None]),
    (_loss_vector, [(20000,), None]),
]


def _args(shapes, rng, scale=1):
    return [0.7 if s is None else rng.standard_normal(tuple(d if d == 1 else d // scale for d in s)) for s in shapes]


@pytest.mark.parametrize("fn, shapes", BIG_CASES, ids=[f.__name__ for f, _ in BIG_CASES])
def test_big_gradients_against_finite_differences_and_the_small_shapes_code(fn, shapes):
    rng = np.random.default_rng(0)
    args = _args(shapes, rng)
    wrt = tuple(range(len(args)))
    f = differentiate(fn, wrt=wrt)
    grads = f.grad(*args)
    for i, g in enumerate(grads):
        assert np.shape(g) == np.shape(args[i])
        direction = rng.standard_normal(np.shape(args[i]))
        h = 1e-6
        up, down = list(args), list(args)
        up[i], down[i] = args[i] + h * direction, args[i] - h * direction
        fd = (fn(*up) - fn(*down)) / (2 * h)
        assert np.isclose(np.sum(g * direction), fd, rtol=1e-5, atol=1e-7 * max(1.0, abs(fd))), i
    small = differentiate(fn, wrt=wrt)
    small.grad(*_args(shapes, rng, scale=10))  # the same ranks and length-1 axes, under the threshold
    body = lambda src: [ln for ln in src.splitlines() if not ln.startswith("#")]  # noqa: E731
    assert body(f.grad_source) == body(small.grad_source)


def test_big_float32_gradients_keep_float32():
    rng = np.random.default_rng(1)
    M, col = rng.standard_normal((300, 200)).astype(np.float32), rng.standard_normal((300, 1)).astype(np.float32)
    gM, gcol = differentiate(_loss_means, wrt=(0, 1)).grad(M, col)
    assert gM.dtype == np.float32 and gcol.dtype == np.float32 and gcol.shape == (300, 1)
    want = differentiate(_loss_means, wrt=(0, 1)).grad(M.astype(np.float64), col.astype(np.float64))
    np.testing.assert_allclose(gM, want[0], rtol=2e-3, atol=1e-2)
    np.testing.assert_allclose(gcol, want[1], rtol=2e-3, atol=1e-1)
