"""Squares of norms and absolute values of real arrays, differentiated as the sums of squares they
are:

    t = np.linalg.norm(x) ** 2         t = smooth_square(n, x)                 (printed `n ** 2`)
    np.linalg.norm(x, axis=1) ** 2     smooth_square(n, x, axis=1)
    np.abs(x) ** 2, np.square(abs(x))  smooth_abs_square(n, x)                (printed `n ** 2`)

(`np.power(n, 2)` and `n * n` alike, also of two norms of one x).

also through a name bound once to the norm (`r = np.linalg.norm(d); e = r ** 2`, d never bound
again).  Why: the norm's derivative at 0 is the documented subgradient 0 (`x / norm`, taken as 0
where the norm is 0), so the chain rule through `norm(x) ** 2` gives `2 * norm * x / norm`: the
right gradient, 0 at x = 0, but its own derivative there (hvp, hessian, the jvp of a gradient) is 0
where the smooth function sum(x * x) has 2 I -- a silent wrong second derivative (ridge regression
at w = 0, squared distances of coinciding points).  The rows `smooth_square` and `smooth_abs_square`
(rules/basic.py) keep
the value the user's code computes (`n ** 2`, to the last bit: a test on it takes the same branch)
and take their derivatives from x: `2 * g * x`, and `2 * sum(x * dx)` in forward mode, which
differentiate again exactly at every point, zeros included.

Guarantees: only a norm whose value is the square root of a sum of squares is read so (ord absent,
None or 'fro'; ord=2 of a vector: a 1-D argument without axis, or one int axis), only of an
argument whose dtype is known to be real floating and which is bound once, and only at an exponent
that is the constant 2; the value is the user's; anything else is left as written.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ..ir import Assign, Call, Const, Name, Tuple, all_writes, map_blocks, walk
from .abstract import PyNum

_NORM = "np.linalg.norm"
_ABS = ("np.abs", "np.absolute", "abs")


def smooth_squares(fn, shapes):
    """fn (normalized: one call per assignment) with the squares above read as smooth_square (the
    statements it rebuilds keep their shape records)."""
    writes = Counter(all_writes(fn.body))
    writes.update(fn.params)  # (a parameter is bound by the call: one bound again is bound twice)
    defs = {s.targets[0]: s.value for s in walk(fn.body)
            if isinstance(s, Assign) and len(s.targets) == 1 and writes[s.targets[0]] == 1 and isinstance(s.value, Call)
            and s.value.op in (_NORM,) + _ABS}
    if not defs:
        return fn

    def real(x):
        v = shapes.all.get(x.id)
        dtype = getattr(v, "dtype", None)
        floating = getattr(dtype, "kind", None) == "f" or isinstance(v, PyNum) and v.type is float
        return isinstance(x, Name) and writes[x.id] <= 1 and floating

    def squared(s):
        """s rebuilt as `t = smooth_square(n, x, ...)` where it is `t = n ** 2` / `t = np.square(n)` of
        n = norm(x) / abs(x), else None."""
        if not (isinstance(s, Assign) and len(s.targets) == 1 and isinstance(s.value, Call)):
            return None
        e = s.value
        square = e.op in ("pow", "np.power") and len(e.args) == 2 and not e.kwargs and isinstance(e.args[1], Const) \
            and type(e.args[1].value) in (int, float) and e.args[1].value == 2 or \
            e.op == "np.square" and len(e.args) == 1 and not e.kwargs or \
            e.op == "mul" and len(e.args) == 2 and all(isinstance(a, Name) for a in e.args) and (
                e.args[1] == e.args[0] or e.args[0].id in defs and defs.get(e.args[1].id) == defs[e.args[0].id])
        n = e.args[0] if square else None
        call = defs.get(n.id) if isinstance(n, Name) else None
        if call is None or not call.args or not isinstance(call.args[0], Name) or not real(call.args[0]):
            return None
        x = call.args[0].id
        op = "smooth_abs_square" if call.op in _ABS else "smooth_square"
        if call.op in _ABS:
            if len(call.args) != 1 or call.kwargs:
                return None
            kwargs = ()
        else:
            kwargs = _sum_of_squares(call, shapes.all.get(x))
            if kwargs is None:
                return None
        # (the value as written: `n ** 2`, `np.square(n)`, `np.power(n, 2)`, `n * m`, printed and computed so)
        form = (("form", Const(e.op)),) + ((("by", Name(e.args[1].id)),) if e.op == "mul" else ())
        new = Assign(s.targets, Call(op, (Name(n.id), Name(x)), kwargs + form), s.loc, s.aug)
        shapes.rekey(s, new)
        return new

    def block(stmts):
        out = []
        for s in stmts:
            s = map_blocks(s, block)
            new = squared(s)
            out.append(s if new is None else new)
        return out

    body = []
    for s in fn.body:
        new = block([s])[0]
        _rekey(shapes, s, new)
        body.append(new)
    return replace(fn, body=tuple(body))


def _sum_of_squares(call, xv):
    """smooth_square's keywords for norm(x, ...) ** 2 (see the module docstring), or None where that
    norm is not the square root of a sum of squares."""
    if len(call.args) != 1:
        return None
    kw = dict(call.kwargs)
    if set(kw) - {"ord", "axis", "keepdims"}:
        return None
    ord_, axis = kw.get("ord", Const(None)), kw.get("axis", Const(None))
    if not isinstance(ord_, Const) or not isinstance(axis, (Const, Tuple)):
        return None
    ndim = getattr(xv, "ndim", None)
    vector = isinstance(axis, Const) and (type(axis.value) is int or axis.value is None and ndim == 1)
    if not (ord_.value is None or ord_.value == "fro" or type(ord_.value) is int and ord_.value == 2 and vector):
        return None
    return tuple((k, v) for k, v in call.kwargs if k in ("axis", "keepdims")
                 and not (isinstance(v, Const) and v.value in (None, False)))


def _rekey(shapes, old, new):
    """The shape records of old's statements, nested ones too, kept for new's (rebuilt alike)."""
    olds, news = list(walk([old])), list(walk([new]))
    for a, b in zip(olds, news):
        if a is not b:
            shapes.rekey(a, b)
