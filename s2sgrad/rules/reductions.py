"""Rule-table rows for statistics and scans: var, std, prod, cumsum, cumprod, average, median,
percentile, quantile, ptp, nansum, nanmean, diff, trace.

Part of THE rule table (rules/__init__.py imports this module; the rows land in `RULES`).  Guarantees:
- every adjoint is vectorized numpy (a scan is reversed with `np.flip(np.cumsum(np.flip(...)))`);
- `np.prod` and `np.cumprod` are exact where the input holds zeros (products of the other
  elements, from exclusive cumulative products; never `ans / x`);
- where a derivative is undefined, the subgradient is documented in the row: `np.std` at a
  constant input gives 0 (torch/JAX give NaN there); median/percentile/ptp at ties follow the
  element numpy's stable sort puts at that position (torch picks one element too); `np.max`-like
  ties in `np.ptp` share the cotangent equally, as `np.max` does;
- options the rows do not handle (percentile methods other than 'linear', `returned=True`) are
  refused by name at their line.
"""
from __future__ import annotations

from ..builder import E, NP, lift
from .. import runtime_jvp  # noqa: F401  (registers the tangent helpers in the generated code's namespace)
from ..ir import Call, Const, Name
from .basic import _axes, _expand, _of_scalar, _reduce
from .elementwise import lse_weight
from .table import linear, structural


def _rt(name, *args):
    return E(Call(name, tuple(lift(a) for a in args)))


def _size(c, i):
    return c.args[i].size if c.is_array(i) else NP.size(c.args[i])


def _count(c):
    """How many elements the reduction averaged over (read at run time, so any batch size works)."""
    axis = c.kw("axis", None)
    if axis is None:
        return _size(c, 0)
    if isinstance(axis, int):
        return (c.args[0].shape if c.is_array(0) else NP.shape(c.args[0]))[axis]
    return _size(c, 0) / NP.size(c.ans)


def _scale(c, k):
    """k / (N - ddof): a plain division where ddof is 0 (N is 0 only for an empty input), else
    runtime_grads.ddof_scale, which gives numpy's inf where N <= ddof (one sample, ddof=1) instead of
    a ZeroDivisionError of Python numbers."""
    ddof = c.kw("ddof", None, 0)
    if isinstance(ddof, int) and ddof == 0:
        return k / _count(c)
    return _rt("ddof_scale", k, _count(c), ddof)


def _centered(c):
    x = c.args[0]
    axis = c.kw("axis", None)
    return x - (NP.mean(x) if axis is None else NP.mean(x, axis=axis, keepdims=True))


def _var(c):
    """var = sum((x - mean)^2) / (N - ddof): x gets 2 g (x - mean) / (N - ddof)."""
    if _of_scalar(c):
        return (None,)
    return (_centered(c) * _expand(c, c.g * _scale(c, 2)),)  # the scale on the small array


def _std(c):
    """std = sqrt(var): x gets g (x - mean) / ((N - ddof) std); 0 where std is 0 (a constant
    input: the subgradient 0, where torch and JAX give NaN)."""
    if _of_scalar(c):
        return (None,)
    std = c.ans
    return (_centered(c) * _expand(c, c.g * _scale(c, 1) / NP.where(std.eq(0), 1.0, std)),)


def _var_jvp(c):
    """d var = 2 sum((x - mean) dx) / (N - ddof) (the mean's own tangent sums to zero against x - mean)."""
    if _of_scalar(c):
        return None
    return _reduce(c, _centered(c) * c.t(0)) * _scale(c, 2)


def _std_jvp(c):
    """d std = sum((x - mean) dx) / ((N - ddof) std); 0 where std is 0 (as the reverse rule)."""
    if _of_scalar(c):
        return None
    std = c.ans
    return _reduce(c, _centered(c) * c.t(0)) * _scale(c, 1) / NP.where(std.eq(0), 1.0, std)


for _op in ("np.var", ".var"):
    structural(_op, _var, lazy_g=False, jvp=_var_jvp)
for _op in ("np.std", ".std"):
    structural(_op, _std, lazy_g=False, jvp=_std_jvp)


def _prod(c):
    """d prod / d x_i = the product of the other elements (exact at zeros: runtime.prod_grad
    multiplies exclusive cumulative products from both ends)."""
    if _of_scalar(c):
        return (c.g,)
    axes = _axes(c, c.ndim(0))
    if c.kw("axis", None) is not None and axes is None:
        raise c.unsupported("a negative axis on an input of unknown rank")
    return (_rt("prod_grad", _expand(c, c.g), c.args[0], _expand(c, c.ans), axes),)


def _prod_jvp(c):
    """d prod = sum_i dx_i (the product of the other elements): runtime.prod_grad with dx as g."""
    if _of_scalar(c):
        return c.t(0)
    axes = _axes(c, c.ndim(0))
    if c.kw("axis", None) is not None and axes is None:
        raise c.unsupported("a negative axis on an input of unknown rank")
    return _reduce(c, _rt("prod_grad", c.t(0), c.args[0], _expand(c, c.ans), axes))


for _op in ("np.prod", ".prod"):
    structural(_op, _prod, lazy_g=False, jvp=_prod_jvp)


def _scan_axis(c):
    axis = c.kw("axis", None)
    if axis is not None and not isinstance(axis, int):
        raise c.unsupported("an axis that is not an integer")
    return axis


def _cumsum(c):
    """cumsum's adjoint is the reversed cumulative sum of g (axis None: of the flattened input)."""
    axis = _scan_axis(c)
    g = c.g
    if axis is None:
        out = NP.flip(NP.cumsum(NP.flip(g)))
        return (out if c.ndim(0) == 1 else out.method("reshape", _shape(c)),)
    return (NP.flip(NP.cumsum(NP.flip(g, axis), axis), axis),)


def _shape(c):
    if c.is_number(0) or c.shape(0) == ():
        return Const(())
    return c.args[0].shape if c.is_array(0) else NP.shape(c.args[0])


def _cumprod(c):
    """cumprod: x_i gets sum_{j >= i} g_j prod_{k <= j, k != i} x_k (runtime.cumprod_grad: the
    reversed cumulative sum of g * ans / x where x has no zeros, else the exact products)."""
    axis = _scan_axis(c)
    return (_rt("cumprod_grad", c.g, c.args[0], c.ans, axis),)


def _cumprod_jvp(c):
    """d ans_j = sum_{i <= j} dx_i prod_{k <= j, k != i} x_k (runtime_jvp.cumprod_jvp: exact at zeros)."""
    return _rt("cumprod_jvp", c.t(0), c.args[0], c.ans, _scan_axis(c))


for _op in ("np.cumsum", ".cumsum"):
    structural(_op, _cumsum, lazy_g=False, jvp=linear(0))
for _op in ("np.cumprod", ".cumprod"):
    structural(_op, _cumprod, lazy_g=False, jvp=_cumprod_jvp)


def _ptp(c):
    """ptp = max - min: the maxima get g, the minima -g (ties share it equally, as np.max does)."""
    if _of_scalar(c):
        return (None,)
    x, axis = c.args[0], c.kw("axis", None)
    out = []
    for f in (NP.max, NP.min):
        ext = f(x) if axis is None else f(x, axis=axis, keepdims=True)
        hit = x.eq(ext)
        count = NP.sum(hit) if axis is None else hit.method("sum", axis=axis, keepdims=True)
        out.append(hit / count)
    return (_expand(c, c.g) * (out[0] - out[1]),)


def _ptp_jvp(c):
    """The tangent at the maxima minus the tangent at the minima (ties share it equally)."""
    if _of_scalar(c):
        return None
    x, dx, axis = c.args[0], c.t(0), c.kw("axis", None)
    out = None
    for f in (NP.max, NP.min):
        hit = x.eq(f(x) if axis is None else f(x, axis=axis, keepdims=True))
        part = _reduce(c, dx * hit) / _reduce(c, hit)
        out = part if out is None else out - part
    return out


structural("np.ptp", _ptp, lazy_g=False, jvp=_ptp_jvp)


def _logsumexp(c):
    """scipy.special.logsumexp(x, axis, keepdims): x gets g times softmax(x) along the axes, the
    softmax read from the value as exp(x - ans) (no second pass over exp(x - max)).  Its weights
    `b` and `return_sign` are refused (rules/args.py keeps only axis/keepdims)."""
    _no_weights(c)
    rest = (None,) * (len(c.args) - 1)
    if _of_scalar(c):
        return (c.g,) + rest
    return (_expand(c, c.g) * lse_weight(c.args[0], _expand(c, c.ans)),) + rest


def _no_weights(c):
    if len(c.call.args) > 2 and not (isinstance(c.call.args[2], Const) and c.call.args[2].value is None):
        raise c.unsupported("weights b")  # by position; the keyword is refused by rules/args.py


def _logsumexp_jvp(c):
    _no_weights(c)
    if _of_scalar(c):
        return c.t(0)
    return _reduce(c, c.t(0) * lse_weight(c.args[0], _expand(c, c.ans)))


structural("logsumexp", _logsumexp, lazy_g=False, jvp=_logsumexp_jvp)


def _nansum(c):
    """NaNs count as zero: they get no cotangent.  The mask is a name of its own, so the rules
    before keep it on their contributions (ad/reverse_rules._remasked): `np.nansum(resid ** 2)`
    of a NaN resid gives 0 there, not 2 * nan * 0."""
    nan = c.let(NP.isnan(c.args[0]), "nan_" + _base(c))
    return (NP.where(nan, 0.0, c.g if _of_scalar(c) else _expand(c, c.g)),)


def _nanmean(c):
    """The mean of the non-NaN elements: each gets g / (their count); NaNs get nothing (masked as
    in np.nansum)."""
    x, axis = c.args[0], c.kw("axis", None)
    nan = c.let(NP.isnan(x), "nan_" + _base(c))
    if _of_scalar(c):
        return (NP.where(nan, 0.0, c.g),)
    ok = ~nan
    count = NP.sum(ok) if axis is None else ok.method("sum", axis=axis, keepdims=True)
    return (NP.where(nan, 0.0, _expand(c, c.g) / count),)


def _base(c):
    """The operand's name, for the names of values its rule computes (`nan_resid`)."""
    a = c.call.args[0]
    return a.id if isinstance(a, Name) else "x"


def _nan_jvp(fill):
    """The same reduction of dx, with NaN elements of x counted as NaN (nanmean skips them) or 0."""
    def jvp(c):
        x = c.args[0]
        masked = NP.where(NP.isnan(x), x if fill == "nan" else 0.0, c.t(0)).e
        if fill == "nan":
            return c.with_args([masked] + list(c.call.args[1:]))
        # nansum: a plain sum of the masked tangent (its NaN elements are 0 already), so that the
        # reverse sweep of this code -- an hvp -- sees the where's mask on the adjoint and keeps it on
        # the contributions before it: 0 where x is NaN, not 0 * nan (np.nansum's own rule masks
        # with isnan of the masked tangent, which is never NaN)
        return E(Call("np.sum", (masked,) + tuple(c.call.args[1:]), c.call.kwargs))
    return jvp


structural("np.nansum", _nansum, lazy_g=False, jvp=_nan_jvp(0.0))
structural("np.nanmean", _nanmean, lazy_g=False, jvp=_nan_jvp("nan"))


def _quantile_options(c, scale):
    """(axis, keepdims) of a median/percentile/quantile call; other methods refused by name."""
    method = c.kw("method", None, "linear")
    if method != "linear" or c.call.kw("interpolation") is not None:
        raise c.unsupported(f"method={method!r} (only numpy's default 'linear' is differentiated)")
    if c.kw("overwrite_input", None, False):
        raise c.unsupported("overwrite_input=True (the input must keep its values)")
    axis = c.kw("axis", 2 if scale is not None else 1, None)
    if isinstance(axis, (tuple, list)):
        raise c.unsupported("an axis tuple (move the axes to the end and reshape them into one first: "
                            "np.median(x.reshape(..., -1), axis=-1))")
    return axis, bool(c.kw("keepdims", None, False))


def _quantile(scale):
    def rule(c):
        """Linear interpolation between the two sorted neighbours (numpy's default method):
        they get (1 - frac) g and frac g, q gets g (x_hi - x_lo) (n - 1) / scale; ties go to
        the element numpy's stable argsort puts there (runtime.quantile_grad)."""
        axis, keep = _quantile_options(c, scale)
        x = c.args[0]
        if scale is None:  # median
            return (_rt("quantile_grad", c.g, x, 0.5, axis, keep, 1.0, "x"),) + (None,) * (len(c.args) - 1)
        q = c.args[1]
        gx = _rt("quantile_grad", c.g, x, q, axis, keep, scale, "x")
        gq = _rt("quantile_grad", c.g, x, q, axis, keep, scale, "q") if c.active(1) else None
        return (gx, gq) + (None,) * (len(c.args) - 2)
    return rule


def _quantile_jvp(scale):
    def jvp(c):
        """The sorted neighbours' tangents mixed as their values are, plus q's tangent times the
        slope between them (runtime_jvp.quantile_jvp; ties as the reverse rule)."""
        axis, _ = _quantile_options(c, scale)
        dx = c.t(0) if c.has_tangent(0) else NP.zeros_like(c.args[0])
        if scale is None:  # median
            return _rt("quantile_jvp", dx, c.args[0], 0.5, None, axis, 1.0, c.ans)
        return _rt("quantile_jvp", dx, c.args[0], c.args[1], c.t(1), axis, scale, c.ans)
    return jvp


structural("np.median", _quantile(None), lazy_g=False, jvp=_quantile_jvp(None))
structural("np.percentile", _quantile(100.0), lazy_g=False, jvp=_quantile_jvp(100.0))
structural("np.quantile", _quantile(1.0), lazy_g=False, jvp=_quantile_jvp(1.0))


def _average(c):
    """average(a, axis, weights) = sum(w a) / sum(w): a gets g w / sum(w), w gets
    g (a - ans) / sum(w) (1-D weights along `axis` are summed back to their shape)."""
    if c.kw("returned", None, False):
        raise c.unsupported("returned=True")
    axis = c.kw("axis", 1, None)
    has_w = len(c.call.args) > 2 and not (isinstance(c.call.args[2], Const) and c.call.args[2].value is None)
    a, g = c.args[0], _expand(c, c.g)
    if not has_w:
        n = _size(c, 0) if axis is None else _size(c, 0) / NP.size(c.ans)
        return (g / n,) + (None,) * (len(c.args) - 1)
    w = c.args[2]
    nd, wn = c.ndim(0), c.ndim(2)
    if nd is None or wn is None:  # ranks known only at run time
        keep = bool(c.kw("keepdims", None, False))
        return (_rt("average_grad", c.g, a, w, axis, keep, 0), None,
                _rt("average_grad", c.g, a, w, axis, keep, 2)) + (None,) * (len(c.args) - 3)
    wb = w
    if wn != nd:  # 1-D weights along one axis
        if not isinstance(axis, int) or wn != 1:
            raise c.unsupported("weights whose shape differs from the input's except 1-D along an int axis")
        ax = axis % nd
        wb = w.method("reshape", (-1,) + (1,) * (nd - 1 - ax))
    sw = NP.sum(wb) if axis is None else NP.sum(wb, axis=axis, keepdims=True)
    if wn != nd:
        sw = NP.sum(w)
    ga = g * wb / sw
    ans = c.ans if axis is None else _expand(c, c.ans)
    gw = g * (a - ans) / sw
    if wn != nd:
        other = tuple(i for i in range(nd) if i != axis % nd)
        gw = gw.method("sum", axis=other) if other else gw
    return (ga, None, gw) + (None,) * (len(c.args) - 3)


def _average_jvp(c):
    """average(a, axis, w) = sum(w a) / sum(w): d = average(da, axis, w) + (sum(dw a) - ans
    sum(dw)) / sum(w) (1-D weights along `axis` reshaped to broadcast against a)."""
    if c.kw("returned", None, False):
        raise c.unsupported("returned=True")
    axis = c.kw("axis", 1, None)
    has_w = len(c.call.args) > 2 and not (isinstance(c.call.args[2], Const) and c.call.args[2].value is None)
    out = c.with_args([c.tangent_arg(0)] + list(c.call.args[1:])) if c.has_tangent(0) else None
    if not (has_w and c.has_tangent(2)):
        return out
    a, w, dw = c.args[0], c.args[2], c.t(2)
    nd, wn = c.ndim(0), c.ndim(2)
    if nd is None or wn is None:
        raise c.unsupported("weights whose rank is known only at run time, in forward mode")
    kws = {} if axis is None else {"axis": axis}
    if c.kw("keepdims", None, False):
        kws["keepdims"] = True
    if wn == nd:
        sw, sdw, dwb = NP.sum(w, **kws), NP.sum(dw, **kws), dw
    else:
        if not isinstance(axis, int) or wn != 1:
            raise c.unsupported("weights whose shape differs from the input's except 1-D along an int axis")
        dwb = dw.method("reshape", (-1,) + (1,) * (nd - 1 - axis % nd))
        sw, sdw = NP.sum(w), NP.sum(dw)
    part = (NP.sum(dwb * a, **kws) - c.ans * sdw) / sw
    return part if out is None else out + part


structural("np.average", _average, lazy_g=False, jvp=_average_jvp)


def _diff(c):
    """diff(x)[k] = x[k+1] - x[k]: x gets g[k-1] - g[k] = -diff(g) with zeros padded at both
    ends; n-th differences apply that n times."""
    n = c.kw("n", 1, 1)
    axis = c.kw("axis", 2, -1)
    if not isinstance(n, int) or n < 0:
        raise c.unsupported("n that is not a non-negative integer")
    g = c.g
    for _ in range(n):
        g = -NP.diff(g, axis=axis, prepend=0.0, append=0.0) if axis != -1 else -NP.diff(g, prepend=0.0, append=0.0)
    return (g,) + (None,) * (len(c.args) - 1)


structural("np.diff", _diff, lazy_g=False, jvp=linear(0))


def _trace(c):
    """trace = sum_i x[i, i + offset] over axis1, axis2: x gets g on that diagonal (an eye mask)."""
    offset = c.kw("offset", 1, 0)
    a1, a2 = c.kw("axis1", 2, 0), c.kw("axis2", 3, 1)
    nd = c.ndim(0)
    x = c.args[0]
    if nd is None:  # the rank is known only at run time
        return (_rt("trace_grad", c.g, x, offset, a1, a2),) + (None,) * (len(c.args) - 1)
    a1, a2 = a1 % nd, a2 % nd
    eye = NP.eye(x.shape[a1], x.shape[a2], offset) if offset else NP.eye(x.shape[a1], x.shape[a2])
    if nd == 2:
        return (c.g * eye,) + (None,) * (len(c.args) - 1)
    # g has the other axes in order; the eye goes in front, then moves to axis1, axis2
    full = NP.expand_dims(c.g, (0, 1)) * eye.method("reshape", (x.shape[a1], x.shape[a2]) + (1,) * (nd - 2))
    return (NP.moveaxis(full, (0, 1), (a1, a2)),) + (None,) * (len(c.args) - 1)


structural("np.trace", _trace, lazy_g=False, jvp=linear(0))
structural(".trace", _trace, lazy_g=False, jvp=linear(0))


def _gradient(c):
    """np.gradient of a 1-D input (or along one given axis) with a constant spacing h, first-order
    edges: central differences (f[i+1] - f[i-1]) / 2h inside, one-sided at the ends; it is linear
    in f, and runtime_grads.gradient_grad applies its transpose to g."""
    h = _gradient_spacing(c)
    if c.ndim(0) == 0:
        return (None,) * len(c.args)  # numpy gives an empty list for a number
    axis = c.kw("axis", None)
    return (_rt("gradient_grad", c.g, c.args[0], 0 if axis is None else axis, h), None)[:len(c.args)]


def _gradient_spacing(c):
    """The constant spacing of a call the rows differentiate (one array out, first-order edges)."""
    if c.kw("edge_order", None, 1) != 1:
        raise c.unsupported("edge_order=2")
    if c.ndim(0) == 0:
        return 1.0  # a number: numpy gives an empty list, nothing to differentiate
    axis = c.kw("axis", None)
    if axis is None and c.ndim(0) != 1:
        raise c.unsupported("an input that is not 1-D without axis= (it returns one array per axis)")
    if not (axis is None or isinstance(axis, int)):
        raise c.unsupported("several axes (it returns one array per axis)")
    if len(c.args) > 2:
        raise c.unsupported("coordinates or one spacing per axis")
    h = 1.0
    if len(c.args) == 2:
        sp = c.call.args[1]
        if not isinstance(sp, Const) or not isinstance(sp.value, (int, float)):
            raise c.unsupported("a spacing that is not a constant number")
        h = sp.value
    return h


def _gradient_jvp(c):
    """np.gradient is linear in f: the same stencil applied to df."""
    _gradient_spacing(c)
    return None if c.ndim(0) == 0 else linear(0)(c)


structural("np.gradient", _gradient, lazy_g=False, jvp=_gradient_jvp)
