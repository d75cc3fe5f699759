"""Lowering a generated gradient function (compiler IR) to the source numba compiles.

The numpy backend's generated code is already plain loops and array expressions; what numba's
nopython mode cannot type is rewritten here, statement by statement, keeping every statement's
`loc` (the user's line) so the source map and the `# grad of:` comments survive:

- `for i in reversed(range(a, b, s)[:k])` (the reverse sweep of a loop) becomes a counting-down
  `range` (numba has no `reversed`);
- reductions with `keepdims=True` become the reduction followed by `np.expand_dims`; `np.mean`
  along an axis becomes the sum divided by the axis length (numba's `np.mean` takes no axis);
- the seed parameter's default (`grad_out=1.0`) stays: numba compiles omitted arguments;
- a name that may be unbound starts as None rather than the UNBOUND sentinel.

What is left untouched either compiles or is reported by module.py as an S2SGradError naming the
user's line.  The rewrites change no arithmetic: the values are those of the numpy backend up to
the order of floating additions inside numba's own reductions.
"""
from __future__ import annotations

from dataclasses import replace

from ... import ir
from ...ir import Attr, Call, Const, For, If, Name, While
from ...passes.dataflow import UNBOUND, unbinds


def lower_function(fn: ir.Function, name: str) -> ir.Function:
    """The numba-compatible copy of `fn`, renamed `name`."""
    _unbound_as_none(fn)
    body = tuple(_block(fn.body))
    header = tuple(fn.header) + ("lowered for numba (backend='numba'): compiled by numba.njit(cache=True)",)
    return replace(fn, name=name, body=body, header=header)


def _block(body):
    return [_located(s) for s in body]


def _located(s):
    """_stmt(s), a NotLowerable raised inside it given the statement's place (the user's line)."""
    try:
        return _stmt(s)
    except NotLowerable as e:
        if e.loc is None:  # the innermost statement holding it sets it first
            e.loc = s.loc
        raise


def _stmt(s):
    if isinstance(s, For):
        it = _reversed_range(s.iter) if isinstance(s.iter, Call) and s.iter.op == "reversed" else _expr(s.iter)
        return For(s.target, it, tuple(_block(s.body)), s.loc)
    if isinstance(s, While):
        return While(_expr(s.test), tuple(_block(s.body)), s.loc)
    if isinstance(s, If):
        return If(_expr(s.test), tuple(_block(s.body)), tuple(_block(s.orelse)), s.loc)
    if isinstance(s, ir.Assign):
        return replace(s, value=_expr(s.value))
    if isinstance(s, ir.SetItem):  # a[[2, 0]] = v: numba indexes with an integer array, not a list
        index = _expr(s.index)
        if isinstance(index, ir.ListExpr):
            index = Call("np.array", (index,))
        return replace(s, index=index, value=_expr(s.value))
    if isinstance(s, ir.ExprStmt):
        return replace(s, value=_expr(s.value))
    if isinstance(s, ir.Return) and s.value is not None:
        return replace(s, value=_expr(s.value))
    return s


# ------------------------------------------------------------------------------- expressions
_KEEPDIMS = {"np.sum": "np.sum", ".sum": "np.sum", "np.max": "np.max", "np.amax": "np.max", ".max": "np.max",
             "np.min": "np.min", "np.amin": "np.min", ".min": "np.min"}


def _unbound_as_none(fn):
    """numba types no sentinel object: a name that may be unbound (passes/unbound.py) starts as
    None there, and its check reads `is None`, which is exact only where nothing else binds it to
    None: refused otherwise."""
    unbound = {unbinds(s) for s in ir.walk(fn.body)} - {None}
    for s in ir.walk(fn.body):
        # (the records' own `y = None` before a loop has no place: it means unbound there too)
        if isinstance(s, ir.Assign) and s.value == Const(None) and set(s.targets) & unbound and s.loc is not None:
            raise NotLowerable(f"'{s.targets[0]}' may be unbound where it is read and is also bound to None: numba "
                               "cannot tell the two apart", s.loc)


def _expr(e):
    if e == UNBOUND:  # (_unbound_as_none)
        return Const(None)
    if isinstance(e, Call):
        e = Call(e.op, tuple(_expr(a) for a in e.args), tuple((k, _expr(v)) for k, v in e.kwargs))
        return _call(_reduction(e))
    if isinstance(e, ir.Tuple):
        return ir.Tuple(tuple(_expr(x) for x in e.elts))
    if isinstance(e, Attr):
        return Attr(_expr(e.value), e.attr)
    return e


def _reduction(e: Call):
    """`np.sum(x, axis=k, keepdims=True)` -> `np.expand_dims(np.sum(x, axis=k), k)`;
    `np.mean(x, axis=k)` -> `np.sum(x, axis=k) / x.shape[k]` (numba knows neither keyword)."""
    op = e.op
    if op in _KEEPDIMS or op in ("np.mean", ".mean"):  # numpy's defaults written out (a static
        # parameter's value, static_args.py): axis=None and keepdims=False are the plain reduction
        plain = tuple((k, v) for k, v in e.kwargs if not (isinstance(v, Const) and (
            (k == "axis" and v.value is None) or (k == "keepdims" and v.value is False))))
        if plain != e.kwargs:
            e = Call(op, e.args, plain)
    axis = e.kw("axis")
    if op in ("np.mean", ".mean") and len(e.args) == 1 and e.kw("keepdims") is not None and axis is None:
        x = e.args[0]
        total = _reduction(Call("np.sum", (x,), (("keepdims", e.kw("keepdims")),)))
        return Call("truediv", (total, Attr(x, "size")))
    if op in ("np.mean", ".mean") and axis is not None and isinstance(axis, Const) and isinstance(axis.value, int):
        x = e.args[0]
        keep = e.kw("keepdims")
        kwargs = (("axis", axis),) + ((("keepdims", keep),) if keep is not None else ())
        total = _reduction(Call("np.sum", (x,), kwargs))
        return Call("truediv", (total, Call("getitem", (Attr(x, "shape"), axis))))
    keep = e.kw("keepdims")
    if op in _KEEPDIMS and (keep is not None or (axis is not None and _KEEPDIMS[op] != "np.sum")):
        rest = tuple((k, v) for k, v in e.kwargs if k != "keepdims")
        inner = Call(_KEEPDIMS[op], (e.args[0],) + tuple(e.args[1:]), rest)
        if _KEEPDIMS[op] != "np.sum" and axis is not None:  # numba's np.max/np.min take no axis
            along = "max_along" if _KEEPDIMS[op] == "np.max" else "min_along"
            inner = Call(along, (e.args[0], axis))
        if keep is None:
            return inner
        if not (isinstance(keep, Const) and keep.value):
            return inner
        if isinstance(axis, Const) and isinstance(axis.value, int):
            return Call("np.expand_dims", (inner, axis))
        if axis is None:  # a whole-array reduction kept as an array with every axis of length 1
            return Call("keepdims_all", (inner, e.args[0]))
    return e


_CASTS = ("np.float64", "np.float32", "np.float16", "np.int64", "np.int32", "np.int16", "np.int8", "np.uint8",
          "np.bool_")


def _call(e):
    """Calls numba has no form for, as the helpers of helpers.py or numba-typed equivalents."""
    if not isinstance(e, Call):
        return e
    op = e.op
    if op == "getitem" and isinstance(e.args[1], ir.ListExpr):  # x[[2, 0]]: an integer array in numba
        return Call("getitem", (e.args[0], Call("np.array", (e.args[1],))))
    if op == ".copy" and len(e.args) == 1 and not e.kwargs:  # an item of an array is a float in numba
        return Call("copy_of", e.args)
    if op in (".reshape", "np.reshape"):
        return _reshape(e)
    if op.startswith("np.random."):
        raise NotLowerable(f"`{op}(...)`: numba draws from its own random generator, not numpy's "
                           "(np.random.seed in Python does not reach it), so the numbers would differ from "
                           "the numpy backend's. Draw them outside and pass them in as an argument")
    if op == "np.isclose" and len(e.args) + len(e.kwargs) <= 4 and all(k in ("rtol", "atol") for k, _ in e.kwargs):
        # numba's np.isclose fails to broadcast two 2-D arrays (a ValueError at run time)
        rtol = e.kw("rtol") or (e.args[2] if len(e.args) > 2 else Const(1e-05))
        atol = e.kw("atol") or (e.args[3] if len(e.args) > 3 else Const(1e-08))
        return Call("is_close", (e.args[0], e.args[1], rtol, atol))
    if op == "np.full_like" and len(e.args) == 2 and not e.kwargs:  # the value may be an array to broadcast
        return Call("full_like_of", e.args)
    if op in _CASTS and len(e.args) == 1 and not e.kwargs:  # np.float64(x) of an array is its astype
        return Call("cast_as", (e.args[0], Name(op)))
    if op == "np.matmul" and len(e.args) == 2 and not e.kwargs:
        return Call("mat_mul", e.args)
    if op == ".round" and len(e.args) <= 2 and not e.kwargs:
        return Call("np.round", e.args)
    if op in ("np.var", ".var", "np.std", ".std") and len(e.args) == 1 and e.kw("axis") is not None \
            and set(k for k, _ in e.kwargs) <= {"axis", "ddof"}:
        var = Call("var_along", (e.args[0], e.kw("axis"), e.kw("ddof") or Const(0)))
        return var if op.endswith("var") else Call("np.sqrt", (var,))
    if op in ("math_erf", "math_erfc", "math_gamma", "math_lgamma"):  # the math module's, as the user wrote them
        return Call("math." + op[5:], e.args, e.kwargs)
    if op == "logsumexp" and len(e.args) == 1 and not e.kwargs:
        return Call("logsumexp_all", e.args)
    if op == "logsumexp" and set(k for k, _ in e.kwargs) <= {"axis", "keepdims"} and len(e.args) <= 2:
        axis = e.args[1] if len(e.args) == 2 else e.kw("axis")
        keep = e.kw("keepdims")
        if isinstance(axis, Const) and isinstance(axis.value, int):
            out = Call("logsumexp_along", (e.args[0], axis))
            if keep is None or (isinstance(keep, Const) and not keep.value):
                return out
            if isinstance(keep, Const) and keep.value is True:
                return Call("np.expand_dims", (out, axis))
    if op == "np.flip" and len(e.args) + len(e.kwargs) <= 2 and all(k == "axis" for k, _ in e.kwargs):
        axis = e.args[1] if len(e.args) == 2 else e.kw("axis", Const(None))
        return Call("flip_of", (e.args[0], axis))
    if op in ("np.cumsum", ".cumsum") and len(e.args) == 1 and [k for k, _ in e.kwargs] == ["axis"] \
            and isinstance(e.kw("axis"), Const) and isinstance(e.kw("axis").value, int):
        return Call("cumsum_along", (e.args[0], e.kw("axis")))
    if op == "np.roll" and len(e.args) + len(e.kwargs) == 3 and all(k in ("shift", "axis") for k, _ in e.kwargs):
        shift = e.args[1] if len(e.args) > 1 else e.kw("shift")
        axis = e.args[2] if len(e.args) > 2 else e.kw("axis")
        if isinstance(axis, Const) and isinstance(axis.value, int):
            return Call("roll_along", (e.args[0], shift, axis))
    if op in ("np.nansum", "np.nanmean") and len(e.args) == 1 and [k for k, _ in e.kwargs] == ["axis"] \
            and isinstance(e.kw("axis"), Const) and isinstance(e.kw("axis").value, int):
        return Call(op[3:] + "_along", (e.args[0], e.kw("axis")))
    if op in ("np.vstack", "np.row_stack", "np.column_stack") and len(e.args) == 1 and not e.kwargs \
            and isinstance(e.args[0], (ir.ListExpr, ir.Tuple)):  # numba's needs one rank; numpy's makes vectors rows
        block = "columns_of" if op == "np.column_stack" else "rows_of"
        parts = ir.Tuple(tuple(Call(block, (a,)) for a in e.args[0].elts))
        return Call("np.concatenate", (parts,), (("axis", Const(1 if op == "np.column_stack" else 0)),))
    if op == "np.array" and len(e.args) == 1 and not e.kwargs and not isinstance(e.args[0], (ir.ListExpr, ir.Tuple)):
        return Call("array_of", e.args)
    if op == "np.diff" and len(e.args) == 1 and set(k for k, _ in e.kwargs) <= {"n", "axis", "prepend", "append"} \
            and (e.kw("n") is None or e.kw("n") == Const(1)):
        axis = e.kw("axis") or Const(-1)
        if isinstance(axis, Const) and isinstance(axis.value, int):
            return Call("diff_along", (e.args[0], axis, e.kw("prepend") or Const(None), e.kw("append") or Const(None)))
    if op in (".swapaxes", ".trace") and not e.kwargs:  # numba has the functions, not the methods
        return Call("np." + op[1:], e.args)
    if op == "np.vdot" and len(e.args) == 2 and not e.kwargs:  # real arrays: the dot of the flattened
        return Call("np.dot", tuple(Call(".ravel", (a,)) for a in e.args))
    if op == "np.inner" and len(e.args) == 2 and not e.kwargs:
        return Call("inner_of", e.args)
    if op in ("np.einsum", "einsum_grad"):  # loops written into the module (einsum.py)
        from .einsum import lower_einsum, lower_einsum_grad
        return lower_einsum(e) if op == "np.einsum" else lower_einsum_grad(e)
    if op == "np.add.at":
        return Call("add_at", e.args, e.kwargs)
    if op == "matmul" and len(e.args) == 2:  # compiled once, in helpers.py's disk cache
        return Call("mat_mul", e.args)
    if op == "np.linalg.norm" and len(e.args) == 1 and not e.kwargs:
        return Call("norm_of", e.args)
    if op == "np.outer" and len(e.args) == 2 and not e.kwargs:
        return Call("np_outer", e.args)
    if op in ("np.stack", "np.concatenate", "np.vstack", "np.hstack") and e.args \
            and isinstance(e.args[0], ir.ListExpr):  # numba takes a tuple of arrays, not a list
        return Call(op, (ir.Tuple(e.args[0].elts),) + e.args[1:], e.kwargs)
    if op == "np.linalg.norm" and len(e.args) == 1 and "axis" in dict(e.kwargs) and all(
            k == "axis" or (k == "ord" and isinstance(v, Const) and v.value is None) for k, v in e.kwargs):
        e = Call(op, e.args, (("axis", e.kw("axis")),))
        x = e.args[0]
        return Call("np.sqrt", (Call("np.sum", (Call("mul", (x, x)),), e.kwargs),))
    return e


def _reshape(e: Call):
    """`x.reshape(s)` / `np.reshape(x, s)` as `np.ascontiguousarray(x).reshape(s)`.  numba reshapes
    without copying only: a transposed array (`W.T.reshape(-1)`), a Fortran-order argument
    (NotImplementedError 'incompatible shape for array' while running) or a strided view (a typing
    error) cannot be reshaped, where numpy copies.  `np.ascontiguousarray` is that copy, made only
    where numpy's reshape copies too: an array numba knows to be C-contiguous is passed through, one
    of unknown layout (a view) is checked at run time and copied only when it is not contiguous.
    The values are numpy's (a C-order reshape reads the elements in the same order either way)."""
    kwargs = tuple((k, v) for k, v in e.kwargs if not (k == "order" and isinstance(v, Const) and v.value == "C"))
    if e.op == "np.reshape":
        shape = e.args[1:] or tuple(v for k, v in kwargs if k in ("newshape", "shape"))
        kwargs = tuple((k, v) for k, v in kwargs if k not in ("newshape", "shape"))
        if len(shape) != 1 or kwargs:
            return e
    else:
        shape = e.args[1:]
        if kwargs or not shape:
            return e
    return Call(".reshape", (Call("np.ascontiguousarray", (e.args[0],)),) + tuple(shape))


# ------------------------------------------------------------------------------- reversed ranges
def _sub(a, b):
    if isinstance(b, Const) and b.value == 0:
        return a
    if isinstance(a, Const) and isinstance(b, Const) and type(a.value) is int and type(b.value) is int:
        return Const(a.value - b.value)
    return Call("sub", (a, b))


def _reversed_range(e: Call):
    """`reversed(R)` or `reversed(R[:k])`, R a `range(...)` call or a recorded range, as a range
    counting down over the same values: numba has no `reversed`.  The common forms print the way a
    person writes them (`range(n - 1, -1, -1)`)."""
    inner = e.args[0]
    limit = None
    if isinstance(inner, Call) and inner.op == "getitem" and isinstance(inner.args[1], ir.Slice):
        sl = inner.args[1]
        if sl.lower is None and sl.step is None and sl.upper is not None:
            inner, limit = inner.args[0], _expr(sl.upper)
    if isinstance(inner, Call) and inner.op == "range" and not inner.kwargs:
        args = [_expr(a) for a in inner.args]
        start, stop, step = (Const(0), args[0], Const(1)) if len(args) == 1 else \
            (args[0], args[1], args[2] if len(args) == 3 else Const(1))
        if isinstance(step, Const) and step.value == 1:  # range(b - 1, a - 1, -1) over min(b, a + k) - 1 ... a
            stop_v = stop if limit is None else Call("min", (stop, Call("add", (start, limit))
                                                            if not (isinstance(start, Const) and start.value == 0)
                                                            else limit))
            return Call("range", (_sub(stop_v, Const(1)), _sub(start, Const(1)), Const(-1)))
        count = Call("len", (Call("range", (start, stop, step)),))
    elif isinstance(inner, Name):  # a range recorded in the forward sweep (its bounds changed in the loop)
        start, step = Attr(inner, "start"), Attr(inner, "step")
        count = Call("len", (inner,))
    else:
        raise NotLowerable(f"reversed() over {ir.expr_src(inner)}")
    if limit is not None:
        count = Call("min", (count, limit))
    last = Call("add", (start, Call("mul", (_sub(count, Const(1)), step))))
    return Call("range", (last, _sub(start, step), Call("neg", (step,))))


class NotLowerable(Exception):
    """A construct of the generated code with no numba-compatible form (reported with its line:
    `loc`, the user's place of the statement holding it)."""

    def __init__(self, message, loc=None):
        super().__init__(message)
        self.loc = loc
