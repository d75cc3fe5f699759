"""How a program of this corpus is checked (tests/test_real_programs.py, and `python -m` this file
for the table).  Each module defines `f`, `ARGS`, optionally `KW` (differentiate's keywords) and
`SEEDED` (np.random.seed(0) before every run of a function that draws).

`LEAF_SCALED` (why) marks a program whose inputs are far from 1 in size (SI units: stiffnesses of
1e8 N/m): each leaf's direction is scaled by its root mean square, so the differences' steps are
relative to the inputs rather than rounding noise.

`KINKED` (why) marks a program not differentiable at ARGS itself (an interpolation read exactly at a
sample): it is checked at ARGS moved a little (1e-3 along a fixed random direction).

A program passes when, on the first (compiling) call and on the second, the value is the plain
function's and the gradient's dot product with a random direction of every differentiated leaf
(arrays and floats in dicts, lists, tuples and objects) matches central differences: 1e-6
relative, or a 4th-order stencil at larger steps where 2nd-order differences are noise."""
from __future__ import annotations

import copy
import importlib.util
import inspect
import os
import sys

import numpy as np

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = sorted(n[:-3] for n in os.listdir(HERE) if n[0] in "klmnopqrstuvwxyz" and n[1:3].isdigit() and n.endswith(".py"))


def load(name):
    spec = importlib.util.spec_from_file_location(f"real_{name}", os.path.join(HERE, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def _is_leaf(x):
    return isinstance(x, (float, np.floating)) and not isinstance(x, bool) or \
        isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating)


def _is_obj(x):
    return hasattr(x, "__dict__") and not isinstance(x, (np.ndarray, type)) and type(x).__module__ != "builtins"


def leaves(x, path=()):
    if _is_leaf(x):
        yield path, x
    elif isinstance(x, dict):
        for k, v in x.items():
            yield from leaves(v, path + (k,))
    elif isinstance(x, (list, tuple)):
        for i, v in enumerate(x):
            yield from leaves(v, path + (i,))
    elif _is_obj(x):
        for k, v in vars(x).items():
            yield from leaves(v, path + (k,))


def shifted(x, d, t, path=()):
    """x with every leaf moved by t times its direction d[path]."""
    if _is_leaf(x):
        return x + t * d[path]
    if isinstance(x, dict):
        return {k: shifted(v, d, t, path + (k,)) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        items = [shifted(v, d, t, path + (i,)) for i, v in enumerate(x)]
        return type(x)(*items) if hasattr(type(x), "_fields") else type(x)(items)  # (a named tuple: by field)
    if _is_obj(x):
        y = copy.copy(x)
        for k, v in vars(x).items():
            object.__setattr__(y, k, shifted(v, d, t, path + (k,)))
        return y
    return x


def lookup(g, path):
    for p in path:
        g = g[p] if isinstance(g, (dict, list, tuple, np.ndarray)) else getattr(g, p)  # (a list of numbers: an array)
    return g


def check(name):
    """'ok', or the first line of the S2SGradError that refuses the program; raises AssertionError
    with the numbers on a wrong value or gradient."""
    mod = load(name)
    fn, args, kw = mod.f, tuple(mod.ARGS), dict(getattr(mod, "KW", {}))
    seeded = getattr(mod, "SEEDED", False)
    params = list(inspect.signature(fn).parameters)
    wrt = kw.get("wrt", 0)
    single = isinstance(wrt, (str, int))
    pos = [params.index(w) if isinstance(w, str) else w for w in ([wrt] if single else wrt)]
    if getattr(mod, "KINKED", None):  # not differentiable at ARGS (a kink: KINKED says why): checked
        nudge = np.random.default_rng(777)  # a little way off it, where it is (the same point every run)
        args = tuple(shifted(a, {p: 1e-3 * nudge.standard_normal(np.shape(leaf)) for p, leaf in leaves(a)}, 1.0)
                     if i in pos else a for i, a in enumerate(args))

    def run(f, a):
        if seeded:
            np.random.seed(0)
        out = f(*a)
        return out[0] if kw.get("has_aux") else out

    plain = float(run(fn, args))
    try:
        d = differentiate(fn, **kw)
        results = []
        for _ in range(2):  # the compiling call, then the compiled code alone
            if seeded:
                np.random.seed(0)
            results.append(d.value_and_grad(*args))
    except S2SGradError as e:
        return str(e).strip().splitlines()[0]
    rng = np.random.default_rng(12345)
    dirs = [{p: rng.standard_normal(np.shape(leaf)) for p, leaf in leaves(args[i])} for i in pos]
    if getattr(mod, "LEAF_SCALED", None):
        dirs = [{p: v * np.sqrt(np.mean(np.square(lookup(args[i], p) if p else args[i]))) for p, v in dd.items()}
                for i, dd in zip(pos, dirs)]
    for value, grads in results:
        value = float(value[0] if kw.get("has_aux") else value)
        assert abs(value - plain) <= 1e-10 * max(abs(plain), 1e-300), f"{name}: value {value!r}, f() gives {plain!r}"
        gl = [grads] if single else list(grads)
        dot = sum(float(np.sum(np.asarray(lookup(g, p)) * v)) for g, dd in zip(gl, dirs) for p, v in dd.items())

        def at(t):
            a = list(args)
            for i, dd in zip(pos, dirs):
                a[i] = shifted(args[i], dd, t)
            return float(run(fn, a))
        fd = (at(1e-6) - at(-1e-6)) / 2e-6
        assert np.isfinite(dot), f"{name}: gradient . direction is {dot!r}"  # (nan passes every > test)
        if not abs(dot - fd) <= 1e-6 * max(abs(dot), abs(fd), 1e-300):  # (a function curving fast near
            fd = (at(1e-7) - at(-1e-7)) / 2e-7  # a kink, Heston's truncated variance: a smaller step)
        if not abs(dot - fd) <= 1e-6 * max(abs(dot), abs(fd), 1e-300):
            best = min(abs(dot - (-at(2 * e) + 8 * at(e) - 8 * at(-e) + at(-2 * e)) / (12 * e))
                       for e in (1e-2, 1e-3, 1e-4, 1e-5))
            assert best <= 1e-6 * max(abs(dot), 1e-300), f"{name}: gradient . direction {dot!r}, differences {fd!r}"
    return "ok"


if __name__ == "__main__":
    from collections import Counter
    seen = Counter()
    for name in PROGRAMS:
        try:
            got = check(name)
        except AssertionError as e:
            got = f"WRONG {e}"
        seen["ok" if got == "ok" else "wrong" if got.startswith("WRONG") else "refused"] += 1
        print(f"{name:<34} {got[:150]}")
    print(dict(seen))
