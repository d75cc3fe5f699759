"""Rule-table rows for ufunc methods and NaN-aware extrema: np.add/multiply/maximum/minimum/logaddexp
.reduce and .accumulate, np.add/subtract/multiply.outer, np.nanmax, np.nanmin (and np.nanargmax/np.nanargmin, whose
integer results have no derivative).

Part of THE rule table (rules/__init__.py imports this module; rules/resolve.py maps a ufunc's bound
method, `np.maximum.reduce`, to the row of that name).  Guarantees:
- `ufunc.reduce` reduces along axis 0 by default, not over everything: rules/args.py writes the
  `axis=0` out, so the rows of np.sum, np.prod, np.max and np.min apply unchanged (ties in
  maximum/minimum share the cotangent equally, as np.max does); np.logaddexp.reduce gives
  x the softmax weights exp(x - ans) along the axis; `initial=`, `where=` and `out=` are refused by
  name (rules/args.py), as is `dtype=` on maximum/minimum/logaddexp (the extremum would be compared,
  the weights read, in another precision);
- `ufunc.accumulate` scans along axis 0 by default (rules/args.py writes it out): add and multiply
  are np.cumsum's and np.cumprod's rows; a running maximum/minimum gives each cotangent to the
  element it holds there (the latest of equal ones, a tie); the running log-sum-exp's adjoint and
  tangent are computed in log space (runtime_scans.py);
- `ufunc.outer(a, b)` has shape a.shape + b.shape: multiply.outer's adjoints contract g with the
  other operand over its axes (`g @ b` and `a @ g` for two vectors), add/subtract.outer's sum g
  over the other operand's axes;
- np.nanmax/np.nanmin: the extrema of the non-NaN elements share the cotangent equally (ties, as
  np.max), NaN elements get zero, and an all-NaN slice (a NaN result) gives zero to all its
  elements.
"""
from __future__ import annotations

from ..builder import NP, lift
from .elementwise import lse_weight
from .basic import _count_dtype, _expand, _maxmin, _maxmin_jvp, _of_scalar, _reduce, _sum
from .reductions import _cumprod, _cumprod_jvp, _cumsum, _prod, _prod_jvp, _rt
from .table import linear, multilinear, nondiff, structural


# ------------------------------------------------------------------------------ ufunc.reduce
def _no_dtype(rule):
    def checked(c):
        if c.kw("dtype", None, None) is not None:
            raise c.unsupported("dtype= (the reduction would run in another precision than its input)")
        return rule(c)
    checked.__doc__ = rule.__doc__
    return checked


def _logaddexp_reduce(c):
    """log(sum(exp(x))) along the axis: x gets g exp(x - ans) (the softmax weights)."""
    if _of_scalar(c):
        return (c.g,)
    return (_expand(c, c.g) * lse_weight(c.args[0], _expand(c, c.ans)),)


def _logaddexp_reduce_jvp(c):
    if _of_scalar(c):
        return c.t(0)
    return _reduce(c, c.t(0) * lse_weight(c.args[0], _expand(c, c.ans)))


structural("np.add.reduce", _sum, lazy_g=False, jvp=linear(0))
structural("np.multiply.reduce", _prod, lazy_g=False, jvp=_prod_jvp)
for _op in ("np.maximum.reduce", "np.minimum.reduce"):
    structural(_op, _no_dtype(_maxmin), lazy_g=False, jvp=_no_dtype(_maxmin_jvp))
structural("np.logaddexp.reduce", _no_dtype(_logaddexp_reduce), lazy_g=False, jvp=_no_dtype(_logaddexp_reduce_jvp))

# ------------------------------------------------------------------------------ ufunc.accumulate
def _scan_axis0(c):
    axis = c.kw("axis", None, 0)
    nd = c.ndim(0)
    if not isinstance(axis, int) or (axis < 0 and nd is None):
        raise c.unsupported("an axis that is not a constant integer (or negative, on an input of unknown rank)")
    return axis % nd if axis < 0 else axis


def _running_extremum(c):
    """x_k gets the cotangents of the positions whose running maximum (minimum) it is
    (runtime_scans.running_extremum_grad)."""
    return (_rt("running_extremum_grad", c.g, c.args[0], c.ans, _scan_axis0(c)),)


def _running_extremum_jvp(c):
    return NP.take_along_axis(c.t(0), _rt("running_source", c.args[0], c.ans, _scan_axis0(c)), _scan_axis0(c))


def _logaddexp_accumulate(c):
    """x_k gets sum_{j >= k} g_j exp(x_k - ans_j) (runtime_scans.logaddexp_accumulate_grad)."""
    return (_rt("logaddexp_accumulate_grad", c.g, c.args[0], c.ans, _scan_axis0(c)),)


def _logaddexp_accumulate_jvp(c):
    return _rt("logaddexp_accumulate_jvp", c.t(0), c.args[0], c.ans, _scan_axis0(c))


structural("np.add.accumulate", _no_dtype(_cumsum), lazy_g=False, jvp=linear(0))
structural("np.multiply.accumulate", _no_dtype(_cumprod), lazy_g=False, jvp=_no_dtype(_cumprod_jvp))
for _op in ("np.maximum.accumulate", "np.minimum.accumulate"):
    structural(_op, _no_dtype(_running_extremum), lazy_g=False, jvp=_no_dtype(_running_extremum_jvp))
structural("np.logaddexp.accumulate", _no_dtype(_logaddexp_accumulate), lazy_g=False,
           jvp=_no_dtype(_logaddexp_accumulate_jvp))
ACCUMULATES = ("np.add.accumulate", "np.multiply.accumulate", "np.maximum.accumulate", "np.minimum.accumulate",
               "np.logaddexp.accumulate")

# the ufunc.reduce rows rules/args.py gives numpy's default axis=0
REDUCES = ("np.add.reduce", "np.multiply.reduce", "np.maximum.reduce", "np.minimum.reduce", "np.logaddexp.reduce")


# ------------------------------------------------------------------------------ ufunc.outer
def _ranks(c):
    """The operands' ranks, None when one is known only at run time (the rules then reshape g to
    a's shape by b's size, `g.reshape(np.shape(a) + (-1,))`, which holds for every rank)."""
    na, nb = c.ndim(0), c.ndim(1)
    return (None, None) if na is None or nb is None else (na, nb)


def _by_a(c):
    return c.g.method("reshape", NP.shape(c.args[0]) + lift((-1,)))


def _by_b(c):
    return c.g.method("reshape", lift((-1,)) + NP.shape(c.args[1]))


def _axes(start, stop):
    axes = tuple(range(start, stop))
    return axes[0] if len(axes) == 1 else axes


def _multiply_outer(c):
    """outer(a, b)[i..., j...] = a[i...] b[j...]: a gets g contracted with b over b's axes (the last
    ones of g), b gets a contracted with g over a's axes (the first ones)."""
    na, nb = _ranks(c)
    g, a, b = c.g, c.args[0], c.args[1]
    ga = gb = None
    if na is None:
        ga = NP.tensordot(_by_a(c), NP.ravel(b), 1) if c.active(0) else None
        gb = NP.tensordot(NP.ravel(a), _by_b(c), 1) if c.active(1) else None
        return ga, gb
    if c.active(0):
        ga = g @ b if na == 1 and nb == 1 else g * b if nb == 0 else \
            NP.tensordot(g, b, (tuple(range(na, na + nb)), tuple(range(nb))))
    if c.active(1):
        gb = a @ g if na == 1 and nb == 1 else g * a if na == 0 else \
            NP.tensordot(a, g, (tuple(range(na)), tuple(range(na))))
    return ga, gb


def _sum_outer(sign):
    def rule(c):
        """outer(a, b)[i..., j...] = a[i...] +/- b[j...]: a gets g summed over b's axes, b gets (+/-) g
        summed over a's axes."""
        na, nb = _ranks(c)
        g = c.g
        if na is None:
            ga, gb = _by_a(c).method("sum", axis=-1), _by_b(c).method("sum", axis=0)
        else:
            ga = g.method("sum", axis=_axes(na, na + nb)) if nb else g
            gb = g.method("sum", axis=_axes(0, na)) if na else g
        return (ga if c.active(0) else None, (gb if sign > 0 else -gb) if c.active(1) else None)
    return rule


structural("np.multiply.outer", _multiply_outer, lazy_g=False, jvp=multilinear(0, 1))
structural("np.add.outer", _sum_outer(1), lazy_g=False, jvp=linear(0, 1))
structural("np.subtract.outer", _sum_outer(-1), lazy_g=False, jvp=linear(0, 1))


# ------------------------------------------------------------------------------ nanmax, nanmin
def _hits(c):
    """(where x is the slice's extremum -- never at a NaN --, how many there are, at least 1)."""
    x = c.args[0]
    hit = x.eq(_expand(c, c.ans))
    kws = _count_dtype(c)
    count = NP.sum(hit, **kws) if c.kw("axis", 1) is None else \
        hit.method("sum", axis=c.kw("axis", 1), keepdims=True, **kws)
    return hit, NP.maximum(count, 1)


def _nanmaxmin(c):
    """The non-NaN extrema share g equally; NaN elements (and all-NaN slices) get nothing: a where
    on a mask of its own name, which the rules before keep on their contributions (a NaN or an
    infinite partial elsewhere in x gives 0 there, not nan: ad/reverse_rules._remasked)."""
    if _of_scalar(c):
        return (NP.where(NP.isnan(c.args[0]), 0.0, c.g),)
    hit, count = _hits(c)
    hit = c.let(hit, "hit")
    return (NP.where(hit, _expand(c, c.g) / count, 0.0),)


def _nanmaxmin_jvp(c):
    """The tangent at the extremum (ties: their mean), 0 for an all-NaN slice; the tangents
    elsewhere are not read (a NaN there would make nan * False = nan)."""
    if _of_scalar(c):
        return NP.where(NP.isnan(c.args[0]), 0.0, c.t(0))
    hit = c.args[0].eq(_expand(c, c.ans))
    count = _reduce(c, hit.method("astype", c.args[0].dtype)) if _count_dtype(c) else _reduce(c, hit)
    return _reduce(c, NP.where(hit, c.t(0), 0.0)) / NP.maximum(count, 1)


for _op in ("np.nanmax", "np.nanmin"):
    structural(_op, _nanmaxmin, lazy_g=False, jvp=_nanmaxmin_jvp)
nondiff("np.nanargmax", "np.nanargmin")
