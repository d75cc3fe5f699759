"""Rule-table rows for matmul and dot, shape operations, array constructors, casts and random draws.

Part of THE rule table (rules/__init__.py imports this module and the rows land in the same `RULES`).  What
these rows guarantee beyond table.py's conventions:
- constructors are differentiated in every floating argument that reaches the values: a list
  literal given to `np.array` gets its cotangent split back to the elements (`grad_arr[i]`, the
  frontend turns nested literals into nested `np.array` calls), `np.full`'s fill value the sum of
  the cotangent, `np.linspace` is linear in its endpoints, `np.arange` in its start and step,
  `np.triu`/`np.tril` mask the cotangent as they masked the value;
- `np.random.normal(mu, sigma)` is `mu + sigma * z`: the mean gets the cotangent
  (reparameterisation); a scale or uniform bound that is not a constant needs the standard draw,
  so the frontend writes those calls out with the draw kept (rules/args.py);
- `np.dot` follows numpy, not matmul, for operands of three or more dimensions (it contracts the
  last axis of a with the second-to-last of b, and multiplies when either is a scalar);
- shape operations accept Python numbers (they have no `.shape`): the input's shape is then `()`.
"""
from __future__ import annotations

import numpy as np

from ..builder import E, NP, lift
from ..ir import Call, Const, ListExpr, Tuple
from .table import Rule, _add, alias, linear, multilinear, structural


def _none(c, n):
    return (None,) * max(n, 0)


def _shape_expr(c, i):
    """The shape of argument i at run time: `x.shape` for arrays, `()` for numbers (a Python
    float or a numpy scalar: `max(p[0], s)` may be either)."""
    if c.is_number(i) or c.shape(i) == ():
        return Const(())
    return c.args[i].shape if c.is_array(i) else NP.shape(c.args[i])


def _same_shape(c):
    return c.shape(0) is not None and c.shape(0) == c.ans_shape()


def _runtime(name, *args):
    return E(Call(name, tuple(lift(a) for a in args)))


# --------------------------------------------------------------------------- matmul and dot
def _matmul(c):
    g, x, y = c.g, c.args[0], c.args[1]
    nx, ny = c.ndim(0), c.ndim(1)
    if nx is None or ny is None:
        return (_runtime("matmul_grad_x", g, x, y), _runtime("matmul_grad_y", g, x, y))
    if nx == 2 and ny == 2:
        return (g @ y.T, x.T @ g)
    if nx == 1 and ny == 2:
        return (y @ g, NP.outer(x, g))
    if nx == 2 and ny == 1:
        return (NP.outer(g, y), g @ x)
    if nx == 1 and ny == 1:
        return (g * y, g * x)
    if nx == 1:  # x (k,), y (..., k, m) -> (..., m); the driver sums the batch axes away
        return ((y * NP.expand_dims(g, -2)).method("sum", axis=-1), NP.expand_dims(x, -1) * NP.expand_dims(g, -2))
    if ny == 1:  # x (..., n, k), y (k,) -> (..., n)
        return (NP.expand_dims(g, -1) * y, NP.tensordot(g, x, nx - 1))
    return (g @ NP.swapaxes(y, -1, -2), NP.swapaxes(x, -1, -2) @ g)


structural("matmul", _matmul, lazy_g=False, jvp=multilinear(0, 1))
alias("np.matmul", "matmul")


def _dot(c):
    """np.dot: a product when either operand is a scalar; matmul when either is a vector or both
    have at most two dimensions (there the two coincide); else a tensordot over a's last and b's
    second-to-last axis, whose result has a's leading axes, then b's leading axes, then b's last."""
    g, x, y = c.g, c.args[0], c.args[1]
    nx, ny = c.ndim(0), c.ndim(1)
    if nx is None or ny is None:
        return (_runtime("dot_grad_x", g, x, y), _runtime("dot_grad_y", g, x, y))
    if nx == 0 or ny == 0:
        return (g * y, g * x)
    if nx <= 2 and ny <= 2 or nx == 1 or ny == 1:
        return _matmul(c)
    # g has a's leading axes, then b's leading axes, then b's last axis
    b_lead = tuple(range(nx - 1, nx + ny - 3))
    gx = NP.tensordot(g, y, (b_lead + (nx + ny - 3,), tuple(range(ny - 2)) + (ny - 1,)))
    gy = NP.moveaxis(NP.tensordot(x, g, (tuple(range(nx - 1)), tuple(range(nx - 1)))), 0, -2)
    return (gx, gy)


structural("np.dot", _dot, lazy_g=False, jvp=multilinear(0, 1))
alias(".dot", "np.dot")


def _outer(c):
    """outer(x, y)[i, j] = ravel(x)[i] * ravel(y)[j]: contributions come back in the inputs' shapes."""
    g, x, y = c.g, c.args[0], c.args[1]
    gx, gy = g @ NP.ravel(y), NP.ravel(x) @ g
    if c.ndim(0) != 1:
        gx = gx.method("reshape", _shape_expr(c, 0))
    if c.ndim(1) != 1:
        gy = gy.method("reshape", _shape_expr(c, 1))
    return (gx, gy)


structural("np.outer", _outer, lazy_g=False, jvp=multilinear(0, 1))


# ------------------------------------------------------------------------------ shape ops
def _order(c, reverse=False):
    """order='C', and order='F' in reverse mode, whose adjoint is g reshaped back in order 'F' (a
    batch of tangents, jacfwd, would be laid out otherwise than forward mode reads it); 'A' / 'K'
    follow the memory layout of the array passed in (x.T is F-contiguous), which the generated code
    does not follow."""
    order = c.kw("order", {"np.reshape": 2, "np.ravel": 1, ".ravel": 1, ".flatten": 1}.get(c.call.op), "C")
    if order != "C" and not (reverse and order == "F"):
        raise c.unsupported(f"order={order!r}" + (" in forward mode" if order == "F" else "")
                            + " (write the transposes out: np.ravel(x.T) is order='F' of a 2-D x)")
    return order


def _reshape_jvp(c):
    _order(c)
    return _linear0(c)


_linear0 = linear(0)


def _reshape(c):
    order = _order(c, reverse=True)
    if c.call.op in ("np.squeeze", ".squeeze", "np.expand_dims"):
        c.kw("axis", 1)  # a computed axis is refused: shape inference could not have known it
    if _same_shape(c):
        return (c.g,) + _none(c, len(c.args) - 1)
    if order == "F":  # (the same order back: element k of the result came from element k of x in it)
        return (c.g.method("reshape", _shape_expr(c, 0), order="F"),) + _none(c, len(c.args) - 1)
    if c.ans_shape() in ((), None):  # (a 0-d result's cotangent may be a Python number: t * np.squeeze(a[:1]))
        return (NP.reshape(c.g, _shape_expr(c, 0)),) + _none(c, len(c.args) - 1)
    return (c.g.method("reshape", _shape_expr(c, 0)),) + _none(c, len(c.args) - 1)


structural(".reshape", _reshape, lazy_g=False, jvp=_reshape_jvp)
structural("np.reshape", _reshape, lazy_g=False, jvp=_reshape_jvp)
alias(".ravel", ".reshape")
alias("np.ravel", ".reshape")
alias(".flatten", ".reshape")


def _transpose(c):
    rest = _none(c, len(c.args) - 1)
    n = c.ndim(0)
    if n is not None and n <= 1:
        return (c.g,) + rest  # transposing a number or a vector changes nothing
    if len(c.args) > 2:  # x.transpose(1, 0, 2)
        axes = tuple(c.const_arg(i) for i in range(1, len(c.args)))
    else:
        axes = c.kw("axes", 1, None)  # np.transpose(x, (1, 0, 2)), x.transpose([1, 0])
    if axes is None:
        return (c.g.T,) + rest
    axes = axes if isinstance(axes, tuple) else (axes,)
    if n is None and all(isinstance(a, int) and a >= 0 for a in axes):
        n = len(axes)  # (numpy takes one axis per axis of x: x.reshape(B, T, H, d).transpose(0, 2, 1, 3))
    if n is None:
        raise c.unsupported("transposing axes of an array whose rank is unknown, with negative axes")
    axes = tuple(a % n for a in axes)
    inv = tuple(int(i) for i in np.argsort(axes))
    return (NP.transpose(c.g, inv),) + rest


structural("@T", _transpose, lazy_g=False, jvp=linear(0))
structural("np.transpose", _transpose, lazy_g=False, jvp=linear(0))
structural(".transpose", _transpose, lazy_g=False, jvp=linear(0))
structural("np.expand_dims", _reshape, lazy_g=False, shape_from_values=True, jvp=linear(0))
structural("np.squeeze", _reshape, lazy_g=False, jvp=linear(0))
structural(".squeeze", _reshape, lazy_g=False, jvp=linear(0))


def _broadcast_to(c):
    return (c.g, None)  # the driver's unbroadcast reduces it to the input's shape


_add(Rule("np.broadcast_to", _broadcast_to, "elementwise", shape_from_values=True))


# ------------------------------------------------------------------- constructors and casts
def _array(c):
    """np.array(x) is x (a copy); np.array([a, b, ...]) stacks its elements: element i gets g[i]."""
    a = c.call.args[0]
    rest = _none(c, len(c.args) - 1)
    c.kw("ndmin", 3)  # a computed ndmin is refused: shape inference could not have known it
    if isinstance(a, (ListExpr, Tuple)):
        return (tuple(c.g[i] for i in range(len(a.elts))),) + rest
    return (c.g,) + rest


structural("np.array", _array, lazy_g=False, jvp=linear(0))


# tuple(v) holds v's rows: read as an array (np.sum, np.array) it is v (a literal tuple([a, b]) of
# differentiable values is refused by the table's list-literal check)
_add(Rule("tuple", lambda c: (c.g,), "elementwise"))


def _full(c):
    """np.full(shape, fill): every element is the fill value, which gets the sum of g (the driver
    sums g down to the fill value's shape)."""
    if c.call.op == "np.full_like":
        c.kw("shape", 5)  # a computed shape is refused: shape inference could not have known it
    return (None, c.g) + _none(c, len(c.args) - 2)


structural("np.full", _full, lazy_g=False, shape_from_values=True, jvp=linear(1))
structural("np.full_like", _full, lazy_g=False, jvp=linear(1))  # full_like(a, fill): a's values are never read


def _linspace(c):
    """linspace(start, stop, num) = start * (1 - t) + stop * t with t = linspace(0, 1, num)."""
    if c.kw("retstep", 4, False):
        raise c.unsupported("retstep=True")
    if c.kw("axis", 6, 0) != 0:
        raise c.unsupported("an axis other than 0")
    num = c.call.kw("num") or (c.call.args[2] if len(c.call.args) > 2 else Const(50))
    endpoint = c.kw("endpoint", 3, True)
    t = NP.linspace(0.0, 1.0, num) if endpoint else NP.linspace(0.0, 1.0, num, endpoint=False)
    nd = c.ans_shape()
    rest = _none(c, len(c.args) - 2)
    if nd is None and not (c.is_number(0) and c.is_number(1)):  # t runs along the first axis
        return ((c.g.T * (1 - t)).T, (c.g.T * t).T) + rest
    if nd is not None and len(nd) > 1:  # array endpoints: t runs along the new first axis
        t = t.method("reshape", (-1,) + (1,) * (len(nd) - 1))
    return (c.g * (1 - t), c.g * t) + rest


structural("np.linspace", _linspace, lazy_g=False, shape_from_values=True, jvp=linear(0, 1))


def _arange(c):
    """arange(start, stop, step)[i] = start + i * step (its length depends on the values only
    piecewise): start gets the sum of g, step the sum of g * i, stop nothing."""
    n = len(c.args)
    if n <= 1:
        return (None,)
    step = c.g * NP.arange(c.ans.size) if n >= 3 else None
    return (c.g, None, step)[:n] + _none(c, n - 3)


def _arange_jvp(c):
    """start + i * step: the tangent is dstart + i * dstep (the length does not move)."""
    n = len(c.args)
    if n <= 1:
        return None
    out = c.t(0)
    if n >= 3 and c.t(2) is not None:
        ramp = c.t(2) * NP.arange(c.ans.size)
        out = ramp if out is None else out + ramp
    return out


structural("np.arange", _arange, lazy_g=False, shape_from_values=True, jvp=_arange_jvp)


def _tri_mask(name):
    def rule(c):
        k = c.kw("k", 1, 0)
        mask = getattr(NP, name)
        masked = mask(c.g) if k == 0 else mask(c.g, k)
        return (masked,) + _none(c, len(c.args) - 1)  # a 1-D input was repeated: the driver sums rows
    return rule


structural("np.triu", _tri_mask("triu"), lazy_g=False, jvp=linear(0))
structural("np.tril", _tri_mask("tril"), lazy_g=False, jvp=linear(0))


# ------------------------------------------------------------------------------ random draws
def _normal(c):
    """normal(mu, sigma) = mu + sigma * z: mu gets g (reparameterisation), spread to the draw's
    shape first (`size` may make it larger than mu; np.shape because the draw from scalar
    arguments is a Python float).  A call whose scale is not a constant never gets here: the
    frontend writes it as `mu + sigma * np.random.standard_normal(shape)` (rules/args.py), which
    keeps the draw the scale's gradient needs."""
    if c.active(1):
        raise c.unsupported("a differentiable scale")  # unreachable: see rule_args._reparameterised
    return (NP.broadcast_to(c.g, NP.shape(c.ans)),) + _none(c, len(c.args) - 1)


def _uniform(c):
    """Only calls with constant bounds get here (the frontend rewrites the others as
    `low + (high - low) * np.random.random(shape)`): nothing to differentiate."""
    if c.active(0) or c.active(1):
        raise c.unsupported("a differentiable bound")  # unreachable: see rule_args._reparameterised
    return _none(c, len(c.args))


def _normal_jvp(c):
    if c.has_tangent(1):
        raise c.unsupported("a differentiable scale")  # rewritten by the frontend (see _normal)
    return NP.broadcast_to(c.t(0), NP.shape(c.ans)) if c.t(0) is not None else None


def _uniform_jvp(c):
    if c.has_tangent(0) or c.has_tangent(1):
        raise c.unsupported("a differentiable bound")
    return None


structural("np.random.normal", _normal, shape_from_values=True, jvp=_normal_jvp)
structural("np.random.uniform", _uniform, shape_from_values=True, jvp=_uniform_jvp)
