"""`where=` and `initial=` of numpy's reductions written as what they compute, so the rows already in
the table differentiate them (rules/args.arrange hands such calls here):

    np.sum(x, axis, where=m, initial=v)    np.sum(np.where(m, x, 0), axis) + v
    np.prod(x, axis, where=m, initial=v)   np.prod(np.where(m, x, 1), axis) * v
    np.mean(x, axis, where=m)              np.sum(np.where(m, x, 0), axis) / np.sum(np.broadcast_to(m, np.shape(x)), axis)
    np.max(x, axis, where=m, initial=v)    np.maximum(np.max(np.where(m, x, v), axis), v)    (np.min alike)

(v cast to x's dtype, as numpy casts it: np.asarray(v, dtype=x.dtype)).

Guarantees: each form is the value numpy computes (the elements where= leaves out never reach the
result, so their cotangent is exactly 0, nan or inf among them included); keepdims= is kept; a value
read twice (the mean's x and mask, max's initial) is computed once, before the call; `where=` of
max/min without `initial=` is refused as numpy refuses it, and `initial=` without `where=` (numpy
gives it for an empty array, where np.max(x) raises); any other keyword (dtype=, out=) is left to
the row, which refuses it.
"""
from __future__ import annotations

from ..ir import Call, Const, ListExpr, Name, Tuple

_SUM = {"np.sum", ".sum"}
_PROD = {"np.prod", ".prod"}
_MEAN = {"np.mean", ".mean"}
_MAX = {"np.max", "np.amax", ".max"}
_MIN = {"np.min", "np.amin", ".min"}
MASKABLE = _SUM | _PROD | _MEAN | _MAX | _MIN


def _given(kwargs, name, default):
    v = next((v for k, v in kwargs if k == name), None)
    return None if v is None or isinstance(v, Const) and v.value is default else v


def rewrite(op, args, kwargs, refuse, bind, arrange):
    """The call written without where=/initial= (an IR expression), or None where it has neither (or
    a keyword besides axis= and keepdims=, which the row refuses)."""
    where, initial = _given(kwargs, "where", True), _given(kwargs, "initial", None)
    if where is None and initial is None or len(args) != 1:
        return None
    rest = [(k, v) for k, v in kwargs if k not in ("where", "initial")
            and not (k in ("dtype", "out") and isinstance(v, Const) and v.value is None)]  # (numpy's defaults)
    if any(k not in ("axis", "keepdims") for k, _ in rest):
        return None
    if op in _MEAN and initial is not None:
        raise refuse(f"{op}: numpy's mean takes no initial=")
    if op in _MAX | _MIN and where is not None and initial is None:
        raise refuse(f"{op} with where= needs initial= (numpy refuses it too: a maximum has no identity)")
    if op in _MAX | _MIN and where is None:
        top = "maximum" if op in _MAX else "minimum"
        raise refuse(f"{op} with initial= and no where= (numpy gives initial for an empty array): write "
                     f"np.{top}(np.{top[:3]}(x), initial) where x is never empty")

    def once(value, base):
        if isinstance(value, (Name, Const)):
            return value
        if bind is None:
            raise refuse(f"{op}: where=/initial= of a value computed in place: bind it to a name first")
        return bind(value, base)

    x = args[0]
    if isinstance(x, (ListExpr, Tuple)):  # np.mean([a, b, c], where=m): of the array numpy makes of it
        x = arrange("np.array", [x], [], refuse, bind)
    if op in _MEAN or initial is not None:
        x = once(x, "x")
    if op in _MEAN:
        where = once(where, "mask")
    if initial is not None:  # numpy casts initial to x's dtype (0.5 is 0 for integers)
        initial = once(Call("np.asarray", (initial,), (("dtype", Call("@dtype", (x,))),)), "initial")

    def reduced(name, fill):
        base = x if where is None else arrange("np.where", [where, x, fill], [], refuse, bind)
        return arrange(name, [base], list(rest), refuse, bind)

    if op in _SUM:
        out = reduced("np.sum", Const(0))
        return out if initial is None else Call("add", (out, initial))
    if op in _PROD:
        out = reduced("np.prod", Const(1))
        return out if initial is None else Call("mul", (out, initial))
    if op in _MEAN:
        count = arrange("np.sum", [Call("np.broadcast_to", (where, Call("np.shape", (x,))))], list(rest), refuse,
                        bind)
        return Call("truediv", (reduced("np.sum", Const(0)), count))
    top = "np.max" if op in _MAX else "np.min"
    return Call("np.maximum" if op in _MAX else "np.minimum", (reduced(top, initial), initial))
