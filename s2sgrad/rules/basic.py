"""Rule-table rows: the basic reductions (sum, mean, max, min, norm), indexing, stack and concatenate."""
from __future__ import annotations

import numpy as np

from ..builder import E, NP, lift
from ..ir import Call, Const, Name, Tuple
from .table import alias, linear, structural


# ------------------------------------------------------------------------------ reductions
def _axes(c, ndim):
    """The reduced axes as a sorted tuple of non-negative ints (None: all)."""
    axis = c.kw("axis", 1)
    if axis is None:
        return tuple(range(ndim)) if ndim is not None else None
    axes = axis if isinstance(axis, tuple) else (axis,)
    if ndim is None:
        return axes if all(a >= 0 for a in axes) else None
    return tuple(sorted(a % ndim for a in axes))


def _expand(c, v: E) -> E:
    """A value shaped like the reduction's result, made broadcastable against its input."""
    if c.kw("keepdims", None, False) or c.kw("axis", 1) is None:
        return v
    axes = _axes(c, c.ndim(0))
    if axes is None:
        raise c.unsupported("a negative axis on an input of unknown rank")
    return NP.expand_dims(v, axes[0] if len(axes) == 1 else axes)


def _of_scalar(c):
    """A reduction of a 0-d value (numpy accepts axis=0 or -1 there) is the value itself."""
    return c.ndim(0) == 0


def _sum(c):
    if _of_scalar(c):
        return (c.g,)
    return (_expand(c, c.g),)


def _mean(c):
    """g divided by the number of elements averaged, read from the input's shape at run time (so
    the code stays right for any batch size)."""
    if _of_scalar(c):
        return (c.g,)
    x = c.args[0]
    axis = c.kw("axis", 1)
    size = x.size if c.is_array(0) else NP.size(x)
    if axis is None:
        n = size
    elif isinstance(axis, int):
        n = (x.shape if c.is_array(0) else NP.shape(x))[axis]
    else:
        n = size / NP.size(c.ans)
    if c.ans_shape() == () and c.shape(0) is not None and 0 in c.shape(0):
        n = NP.float64(n)  # the mean of nothing is NaN, as numpy says (1.0 / 0 would raise)
    return (_expand(c, c.g) / n,)


def _maxmin(c):
    if _of_scalar(c):
        return (c.g,)
    x = c.args[0]
    hit = x.eq(_expand(c, c.ans))  # ties share the cotangent equally (a valid subgradient)
    kws = _count_dtype(c)
    count = NP.sum(hit, **kws) if c.kw("axis", 1) is None else \
        hit.method("sum", axis=c.kw("axis", 1), keepdims=True, **kws)
    # the share (hit / count) first: in x's precision, so a cotangent that is a Python number (the
    # folded seed 1.0) keeps a float32 adjoint float32 (`1.0 * hit` alone would be float64)
    return (_expand(c, c.g) * (hit / count),)


def _count_dtype(c):
    """Count the ties in x's own precision when that is not float64: numpy promotes float32 divided
    by an int64 count to float64, which would make a float32 program compute its adjoint in float64."""
    v = c._abstract(0)
    dt = getattr(v, "dtype", None)
    if dt is not None and np.dtype(dt).kind == "f" and np.dtype(dt) != np.float64:
        return {"dtype": c.args[0].dtype}
    return {}


def _norm(c):
    """The 2-norm / Frobenius norm: x gets g x / norm, and the subgradient 0 where the norm is 0
    (torch's choice; x / norm would be 0 / 0 = NaN there).  Every other ord goes to
    runtime_grads.norm_grad, which documents its subgradients."""
    ord_ = c.kw("ord", 1, None)
    axis = c.kw("axis", 2)
    rest = (None,) * (len(c.args) - 1)
    if _of_scalar(c) and axis is None and ord_ in (None, 2):
        return (c.g * NP.sign(c.args[0]),) + rest  # the norm of a number is its absolute value
    matrix = (axis is None and c.ndim(0) == 2 and ord_ is not None) or (isinstance(axis, tuple) and len(axis) == 2)
    x = c.args[0]
    if ord_ in (None, "fro") or (ord_ == 2 and not matrix):
        n = _expand(c, c.ans)
        return (_expand(c, c.g) * x / NP.where(n.eq(0), 1.0, n),) + rest
    return (E(Call("norm_grad", (c.g.e, x.e, c.ans.e, Const(ord_), Const(axis),
                                 Const(bool(c.kw("keepdims", None, False)))))),) + rest


def _reduce(c, v, op="sum"):
    """v reduced the way the call reduces its input (same axis and keepdims)."""
    kws = {k: c.kw(k, None) for k in ("axis", "keepdims") if c.call.kw(k) is not None}
    if "axis" not in kws and len(c.call.args) > 1:
        kws["axis"] = c.kw("axis", 1)
    return getattr(NP, op)(v, **kws)


def _maxmin_jvp(c):
    """The tangent at the extremum; ties share it equally (the same subgradient as the vjp)."""
    if _of_scalar(c):
        return c.t(0)
    hit = c.args[0].eq(_expand(c, c.ans))
    kws = _count_dtype(c)
    # (np.where, not dx * hit: an infinite or NaN tangent elsewhere would make inf * False = nan)
    return _reduce(c, NP.where(hit, c.t(0), 0.0)) / (
        _reduce(c, hit.method("astype", c.args[0].dtype)) if kws else _reduce(c, hit))


def _norm_jvp(c):
    """The 2-norm / Frobenius norm: <x, dx> / norm, 0 where the norm is 0 (as the vjp).  Every
    other ord: each result depends only on its own slice of x, so its tangent is that slice's
    gradient (runtime_grads.norm_grad with g = 1: the same subgradients) against dx, summed."""
    ord_ = c.kw("ord", 1, None)
    axis = c.kw("axis", 2)
    x, dx = c.args[0], c.t(0)
    if _of_scalar(c) and axis is None and ord_ in (None, 2):
        return dx * NP.sign(x)
    matrix = (axis is None and c.ndim(0) == 2 and ord_ is not None) or (isinstance(axis, tuple) and len(axis) == 2)
    n = c.ans
    keep = bool(c.kw("keepdims", None, False))
    kws = {"axis": axis} if axis is not None else {}
    if keep:
        kws["keepdims"] = True
    if ord_ in (None, "fro") or (ord_ == 2 and not matrix):
        return NP.sum(x * dx, **kws) / NP.where(n.eq(0), 1.0, n)
    slope = E(Call("norm_grad", (NP.ones_like(n).e, x.e, n.e, Const(ord_), Const(axis), Const(keep))))
    return NP.sum(slope * dx, **kws)


def _square_axes(c):
    """smooth_square's (axis, keepdims): how its sum of squares reduces x (None, False: all of it)."""
    return c.kw("axis", None, None), bool(c.kw("keepdims", None, False))


def _smooth_square(c):
    """t = smooth_square(n, x): t = n ** 2 with n = norm(x), differentiated as
    the sum of squares it is (passes/smooth_squares.py): x gets 2 g x, n nothing (its own
    dependence on x is this one)."""
    x = c.args[1]
    axis, keep = _square_axes(c)
    g = c.g
    if axis is not None and not keep:
        ndim = c.ndim(1)
        axes = axis if isinstance(axis, tuple) else (axis,)
        if ndim is None and any(a < 0 for a in axes):
            raise c.unsupported("a negative axis on an input of unknown rank")
        axes = tuple(sorted(a % ndim if ndim is not None else a for a in axes))
        g = NP.expand_dims(g, axes[0] if len(axes) == 1 else axes)
    return (None, 2 * g * x)


def _smooth_square_jvp(c):
    """dt = 2 sum(x dx) (2 x dx elementwise): exact at x = 0, where n's own tangent is not."""
    x, dx = c.args[1], c.t(1)
    axis, keep = _square_axes(c)
    kws = {} if axis is None else {"axis": axis}
    if keep:
        kws["keepdims"] = True
    return 2 * NP.sum(x * dx, **kws)


structural("smooth_square", _smooth_square, lazy_g=False, jvp=_smooth_square_jvp)
# t = n ** 2 with n = |x| elementwise: x gets 2 g x (g may be a broadcast: x has t's shape), dt = 2 x dx
structural("smooth_abs_square", lambda c: (None, 2 * c.g * c.args[1]), jvp=lambda c: 2 * c.args[1] * c.t(1))


# a reduction's rule expands g along the reduced axes, so it needs g with the result's own shape
structural("np.sum", _sum, lazy_g=False, jvp=linear(0))
alias(".sum", "np.sum")
structural("np.mean", _mean, lazy_g=False, jvp=linear(0))
alias(".mean", "np.mean")
structural("np.max", _maxmin, lazy_g=False, jvp=_maxmin_jvp)
alias("np.amax", "np.max")
alias(".max", "np.max")
structural("np.min", _maxmin, lazy_g=False, jvp=_maxmin_jvp)
alias("np.amin", "np.min")
alias(".min", "np.min")
structural("np.linalg.norm", _norm, lazy_g=False, jvp=_norm_jvp)


# ------------------------------------------------------------------------------ indexing
def _getitem(c):
    # scatter: handled by the driver (it needs to know whether grad_x already exists)
    return ("scatter", None)


structural("getitem", _getitem, jvp=linear(0))


def _stack(c):
    """Element i gets g's slice i along the stacking axis: a view (`g[i]`, `g[:, i]`), not a copy;
    np.take where the axis is negative and the rank unknown.  An array stacked (np.stack(x),
    np.stack(list(x)): its rows) gets g with the stacking axis moved back to the front."""
    if _unstacked(c):
        return (NP.moveaxis(c.g, c.kw("axis", 1, 0), 0),)
    n = c.list_len(0)
    axis = c.kw("axis", 1, 0)
    nd = c.ans_shape()
    if axis is not None and axis < 0 and nd is not None:
        axis %= len(nd)
    if axis is None or axis < 0:
        return (tuple(NP.take(c.g, i, axis=axis) for i in range(n)),)
    from ..ir import Slice
    return (tuple(c.g[Tuple((Slice(None, None, None),) * axis + (Const(i),)) if axis else Const(i)]
                  for i in range(n)),)


def _unstacked(c):
    """Whether the sequence is an array of a known shape (numpy reads its rows as the sequence)."""
    return isinstance(c.call.args[0], Name) and c.is_array(0) and c.shape(0) is not None


def _concatenate(c):
    axis = c.kw("axis", 1, 0)
    if _unstacked(c):  # np.concatenate(x) of an array, its rows joined: g split back into them
        n, *row = c.shape(0)
        if axis is None:
            return (c.g.method("reshape", tuple(c.shape(0))),)
        ax = axis % len(row)
        apart = row[:ax] + [n, row[ax]] + row[ax + 1:]
        return (NP.moveaxis(c.g.method("reshape", tuple(apart)), ax, 0),)
    shapes = c.list_shapes(0)
    if shapes is None:  # split where the run-time shapes say
        parts = c.call.args[0].elts
        return (tuple(E(Call("concat_part", (lift(c.g), Const(axis), Const(i)) + tuple(parts)))
                      for i in range(len(parts))),)
    out, start = [], 0
    if axis is None:  # the inputs flattened, one after the other
        for s in shapes:
            n = int(np.prod(s))
            piece = c.g[_slice_expr((slice(start, start + n),))]
            out.append(piece.method("reshape", s) if len(s) != 1 else piece)
            start += n
        return (tuple(out),)
    for s in shapes:
        ax = axis % len(s)
        idx = (slice(None),) * ax + (slice(start, start + s[ax]),)
        out.append(c.g[_slice_expr(idx)])
        start += s[ax]
    return (tuple(out),)


def _slice_expr(idx):
    from ..ir import Slice
    parts = []
    for s in idx:
        parts.append(Slice(None if s.start is None else Const(s.start), None if s.stop is None else Const(s.stop), None))
    return Tuple(tuple(parts)) if len(parts) > 1 else parts[0]


structural("np.stack", _stack, lazy_g=False, jvp=linear(0))
structural("np.concatenate", _concatenate, lazy_g=False, jvp=linear(0))
