"""The checks of the structure fuzzer (tests/fuzz_struct.py) on one program and its arguments, which
are trees: dicts, lists, tuples and user objects (of the generated module's classes) holding arrays,
floats and non-floating leaves (ints, strings).

`check_program` returns ('ok' | 'refused' | 'fwd-refused' | 'invalid' | 'wrong' | 'crash', detail,
the differentiated function or None).  `wrong` when any of these fails:
- s2sgrad's value equals the plain function's (rtol 1e-10);
- the gradient has the argument's structure: a dict its keys in order, a list or tuple its type and
  length, an object a dict of its attributes, an array or float its shape (finite), a non-floating
  leaf None;
- every floating leaf's gradient matches central finite differences of the plain function along a
  random direction (steps 1e-6, 1e-5, 1e-7: a kink crossed by one step is not crossed by all three);
- the arguments are unchanged by s2sgrad's calls (compared leaf by leaf with a deep copy);
- forward mode (s2sgrad.jvp with tangents of the arguments' structure) gives the same value, and
  <J v> equals <v, grad> (the dot-product test against the gradient just checked), 1e-9 relative.

A program with np.where whose side not picked is inf or nan (its spec's `nan_ok`,
tests/fuzz_struct_writes.py) is checked the same way, except that a non-finite entry of a gradient
is accepted where the function is not smooth: the partial derivative of that entry by central
differences at the three steps and by one-sided ones is not finite or not one number (1e-4
relative).  Where they agree,
the non-finite entry is `wrong` (a nan leaking out of the side not picked); the finite entries are
compared with finite differences as above (never a finite number other than the derivative), and
the dot-product test of forward mode is skipped when an entry was accepted non-finite.
"""
from __future__ import annotations

import copy
import os
import sys
import traceback
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import fuzzgen  # noqa: E402
from fuzz_struct_gen import PARAMS  # noqa: E402

MODULE_PREFIX = "fuzz_sfz_"  # the generated modules' names: fuzzgen.load's "fuzz_" and our tag's "sfz_"


# ---------------------------------------------------------------------- trees
def is_obj(v):
    """An object of a generated module's classes (the only objects the arguments hold)."""
    return hasattr(v, "__dict__") and type(v).__module__.startswith(MODULE_PREFIX)


def leaves(tree, path=()):
    """(path, leaf) for every leaf; path items ('k', key) / ('i', index) / ('a', attribute)."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from leaves(v, path + (("k", k),))
    elif isinstance(tree, (list, tuple)):
        for i, v in enumerate(tree):
            yield from leaves(v, path + (("i", i),))
    elif is_obj(tree):
        for k, v in vars(tree).items():
            yield from leaves(v, path + (("a", k),))
    else:
        yield path, tree


def floating(v):
    return (isinstance(v, float) or (isinstance(v, np.ndarray) and v.dtype.kind == "f")
            or isinstance(v, np.floating))


def with_leaf(tree, path, value):
    """A copy of tree with the leaf at path replaced (the containers on the path copied, so the
    argument itself is never written)."""
    if not path:
        return value
    (how, k), rest = path[0], path[1:]
    if how == "k":
        new = dict(tree)
        new[k] = with_leaf(tree[k], rest, value)
        return new
    if how == "i":
        items = list(tree)
        items[k] = with_leaf(items[k], rest, value)
        return type(tree)(items)
    new = copy.copy(tree)
    object.__setattr__(new, k, with_leaf(getattr(tree, k), rest, value))  # also a frozen dataclass
    return new


def grad_at(g, path):
    """The gradient's entry at the argument's path (an object's gradient is a dict)."""
    for how, k in path:
        want = (list, tuple) if how == "i" else dict
        if not isinstance(g, want):
            raise KeyError(f"gradient is a {type(g).__name__} where the argument has {'an index' if how == 'i' else k}")
        g = g[k]
    return g


def structure_error(a, g, where, finite=True):
    """None, or what is wrong with g as the gradient of a (finite: a non-finite entry too)."""
    if isinstance(a, dict):
        if not isinstance(g, dict) or list(g) != list(a):
            return f"{where}: gradient {type(g).__name__} keys {list(g) if isinstance(g, dict) else '-'}, argument keys {list(a)}"
        return _first(structure_error(a[k], g[k], f"{where}[{k!r}]", finite) for k in a)
    if isinstance(a, (list, tuple)):
        if not isinstance(g, (list, tuple)) or len(g) != len(a):
            return f"{where}: gradient {type(g).__name__} of {len(g) if isinstance(g, (list, tuple)) else '-'}, argument {type(a).__name__} of {len(a)}"
        if type(g) is not type(a):
            return f"{where}: gradient is a {type(g).__name__}, argument a {type(a).__name__}"
        return _first(structure_error(x, y, f"{where}[{i}]", finite) for i, (x, y) in enumerate(zip(a, g)))
    if is_obj(a):
        va = vars(a)
        if not isinstance(g, dict) or set(g) != set(va):
            return f"{where}: object gradient {type(g).__name__} {sorted(g) if isinstance(g, dict) else ''}, attributes {sorted(va)}"
        return _first(structure_error(va[k], g[k], f"{where}.{k}", finite) for k in va)
    if floating(a):
        if g is None or np.shape(g) != np.shape(a):
            return f"{where}: gradient {g!r:.60} shape {np.shape(g) if g is not None else None}, argument {np.shape(a)}"
        if finite and not np.all(np.isfinite(g)):
            return f"{where}: gradient not finite"
        return None
    if g is not None:
        return f"{where}: non-floating leaf {a!r:.30} has gradient {g!r:.60} (expected None)"
    return None


def _first(errors):
    return next((e for e in errors if e), None)


def tree_equal(a, b):
    """Same structure, types, dtypes and values (an unchanged argument)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(tree_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(tree_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b)
    if is_obj(a):
        return tree_equal(vars(a), vars(b))
    return a == b


def tangent_like(a, rng):
    """A random tangent of a's structure (an object's: a dict of its attributes; None where the
    leaf is not floating)."""
    if isinstance(a, dict):
        return {k: tangent_like(v, rng) for k, v in a.items()}
    if isinstance(a, (list, tuple)):
        return type(a)(tangent_like(v, rng) for v in a)
    if is_obj(a):
        return {k: tangent_like(v, rng) for k, v in vars(a).items()}
    if isinstance(a, np.ndarray) and a.dtype.kind == "f":
        return rng.standard_normal(a.shape)
    if isinstance(a, float):
        return float(rng.standard_normal())
    return None


def tdot(t, g):
    """<t, g> over a tangent tree and the gradient of the same structure."""
    if t is None:
        return 0.0
    if isinstance(t, dict):
        return sum(tdot(t[k], g[k]) for k in t)
    if isinstance(t, (list, tuple)):
        return sum(tdot(x, y) for x, y in zip(t, g))
    return float(np.sum(np.asarray(t) * np.asarray(g)))


def fmt_path(path):
    return "".join(f"[{k!r}]" if h == "k" else f"[{k}]" if h == "i" else f".{k}" for h, k in path)


# ---------------------------------------------------------------------- checks
def plain(fn, args):
    """The plain function on a deep copy of the arguments (a program may write into them)."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("ignore")
        return fn(*copy.deepcopy(args))


def plain_value(fn, args):
    """(the plain function's float value, None), or (None, why it is `invalid`)."""
    ref, invalid = fuzzgen.plain_value(fn, copy.deepcopy(args))
    if invalid:
        return None, invalid
    if not isinstance(ref, (float, np.floating)) and not (isinstance(ref, np.ndarray) and ref.shape == ()):
        return None, f"returns {type(ref).__name__}"
    return float(ref), None


def _message(e):
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def crash_detail(e, mode=""):
    """The exception and the line that raised it (what tells crashes apart)."""
    return f"{mode}{type(e).__name__}: {e} | {traceback.format_exc().splitlines()[-3].strip()}"


def check_program(fn, args, rng, wrt, f=None, nan_ok=False):
    """(outcome, detail, the differentiate(fn, wrt) object or None); f: one to reuse (a second
    call with another signature goes through its cache of signatures); nan_ok: a non-finite
    gradient entry is accepted where the function is not smooth (see the module's docstring)."""
    from s2sgrad import differentiate
    from s2sgrad.errors import S2SGradError
    ref, invalid = plain_value(fn, args)
    if invalid:
        return "invalid", invalid, f
    before = copy.deepcopy(args)
    try:
        if f is None:
            f = differentiate(fn, wrt=wrt)
        value, grads = f.value_and_grad(*args)
    except S2SGradError as e:
        return "refused", _message(e), f
    except Exception as e:  # an internal traceback is a bug
        return "crash", crash_detail(e), f
    if not all(tree_equal(a, b) for a, b in zip(before, args)):
        return "wrong", "an argument was changed by s2sgrad's call", f
    if not np.allclose(value, ref, rtol=1e-10, atol=1e-12):
        return "wrong", f"value {value!r}, plain function {ref!r}", f
    names = (wrt,) if isinstance(wrt, str) else tuple(wrt)
    if isinstance(wrt, str):
        grads = (grads,)
    if len(grads) != len(names):
        return "wrong", f"{len(grads)} gradients for wrt {names}", f
    accepted = []  # the non-finite entries accepted (nan_ok)
    for name, g in zip(names, grads):
        outcome, detail = _check_gradient(fn, args, PARAMS.index(name), g, rng, accepted if nan_ok else None)
        if outcome != "ok":
            return outcome, detail, f
    return check_forward(fn, args, names, grads, rng, dot_test=not accepted) + (f,)


def _check_gradient(fn, args, i, g, rng, accepted=None):
    """The gradient g of argument i: its structure, then each floating leaf against central finite
    differences along a random direction.  accepted: None (every entry must be finite), or a list
    collecting the non-finite entries accepted where the function is not smooth."""
    name = PARAMS[i]
    e = structure_error(args[i], g, name, finite=accepted is None)
    if e:
        return "wrong", "structure: " + e
    for path, leaf in leaves(args[i]):
        if not floating(leaf):
            continue
        gl = grad_at(g, path)
        d = rng.standard_normal(np.shape(leaf)) if np.ndim(leaf) else float(rng.standard_normal())

        def at(value):  # the plain function with this leaf set to value
            a = list(args)
            a[i] = with_leaf(args[i], path, value)
            return plain(fn, a)
        bad = ~np.isfinite(np.asarray(gl, dtype=float))
        if bad.any():  # (only with accepted: structure_error refuses them otherwise)
            why = _nonfinite_entries(at, leaf, gl, bad)
            if why:
                return "wrong", f"d/d{name}{fmt_path(path)}: {why}"
            accepted.append((name, fmt_path(path)))
            d = np.where(bad, 0.0, d) if np.ndim(leaf) else 0.0
            gl = np.where(bad, 0.0, gl)
        ad = float(np.sum(np.asarray(gl) * d))
        fds = []
        for eps in (1e-6, 1e-5, 1e-7):
            try:
                fds.append(fuzzgen._fd(at, [leaf], 0, d, eps))
            except Exception:
                return "invalid", "finite differences failed"
            if abs(fds[-1] - ad) <= 1e-6 + 1e-5 * max(abs(fds[-1]), abs(ad)):
                break
        else:
            return "wrong", f"d/d{name}{fmt_path(path)}: finite differences {fds}, s2sgrad {ad!r}"
    return "ok", ""


def _nonfinite_entries(at, leaf, gl, bad):
    """None where every non-finite entry of the gradient gl of this leaf sits where the function
    is not smooth (the partial derivative by central differences at three steps is not finite or
    not one number), else what is wrong."""
    for j in list(zip(*np.nonzero(bad)))[:8] if np.ndim(leaf) else [()]:
        unit = np.zeros(np.shape(leaf))
        unit[j] = 1.0
        unit = unit if np.ndim(leaf) else 1.0
        try:  # central differences at three steps, and one-sided ones (a cusp |x| ** 0.5 has
            # central differences 0 at every step)
            fds = [fuzzgen._fd(at, [leaf], 0, unit, eps) for eps in (1e-6, 1e-5, 1e-7)]
            f0 = at(leaf)
            fds += [(at(leaf + 1e-6 * unit) - f0) / 1e-6, (f0 - at(leaf - 1e-6 * unit)) / 1e-6]
        except Exception:
            continue  # the function fails near it: not smooth
        if all(np.isfinite(fds)) and max(fds) - min(fds) <= 1e-4 * (1.0 + max(abs(v) for v in fds)):
            return f"s2sgrad {np.asarray(gl)[j]!r} at {list(j)} where the function is smooth: finite differences {fds}"
    return None


def check_forward(fn, args, names, grads, rng, dot_test=True):
    """(outcome, detail) of forward mode: a refusal of what reverse mode accepted is 'fwd-refused'
    (counted, allowed).  dot_test=False: the value only (a gradient entry accepted non-finite)."""
    import s2sgrad
    from s2sgrad.errors import S2SGradError
    tangents = [tangent_like(a, rng) if p in names else None for p, a in zip(PARAMS, args)]
    before = copy.deepcopy(args)
    try:
        value, tangent = s2sgrad.jvp(fn, args, tangents)
    except S2SGradError as e:
        return "fwd-refused", _message(e)
    except Exception as e:
        return "crash", crash_detail(e, "forward mode: ")
    if not all(tree_equal(a, b) for a, b in zip(before, args)):
        return "wrong", "forward mode: an argument was changed by s2sgrad.jvp"
    ref = plain(fn, args)
    if not np.allclose(value, ref, rtol=1e-10, atol=1e-12):
        return "wrong", f"forward mode value {value!r}, plain function {ref!r}"
    if not dot_test:
        return "ok", ""
    rhs = sum(tdot(tangents[PARAMS.index(n)], g) for n, g in zip(names, grads))
    if not abs(float(tangent) - rhs) <= 1e-9 * max(1.0, abs(rhs)):
        return "wrong", f"forward mode: <J v> = {float(tangent)!r}, reverse <v, grad> = {rhs!r}"
    return "ok", ""
