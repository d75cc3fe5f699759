"""Rule-table rows for signals, interpolation, integration, polynomials and grids: np.convolve,
np.correlate, np.interp, np.trapezoid (np.trapz where numpy still has it), np.polyval, np.meshgrid,
and np.polyder and np.vander, which polyval's derivatives call (np.cov and np.corrcoef are in
rules/covariance.py).

Part of THE rule table (rules/__init__.py imports this module; the rows land in `RULES`).  Guarantees:
- the adjoint of a convolution is a correlation and the other way round, vectorized: every mode's
  result is a window of the full one, so g is zero-padded to the full length (`np.pad(g, (s, e))`)
  and correlated with the other operand over its 'valid' part (both operands differentiated);
- np.interp is differentiated in x (the segment's slope; 0 outside [xp[0], xp[-1]], where
  left/right hold), fp (the two bracketing weights), xp (exact away from the knots) and left/right;
  at a knot the segment numpy reads gives the one-sided derivative; period= is refused by name;
- np.trapezoid is bilinear in (y, x) and in (y, dx); np.polyval is linear in p (a Vandermonde
  product) with derivative polyval(polyder(p), x) in x; np.polyder is linear in p, and np.vander's
  derivative reads the next lower power from its own result (so polyval has second derivatives);
- np.meshgrid returns one `meshgrid_part(k, indexing, sparse, *xs)` per input (written by
  rules/args.py, so `X, Y = np.meshgrid(x, y)` unpacks and `np.meshgrid(x, y)[0]` indexes); part k
  reads only input k's values: x_k gets g summed over the grid's other axes; copy=False is refused;
- a float32 argument gets a float32 contribution where numpy computes the value in float64
  (np.interp), and wherever the contribution's arithmetic would promote it.
"""
from __future__ import annotations

import numpy as np

from ..builder import E, NP, lift
from ..ir import Call, Const, Slice
from ..runtime_signal import conv_window
from .table import multilinear, structural


def _rt(name, *args):
    return E(Call(name, tuple(lift(a) for a in args)))


def _given(c, i):
    """Whether optional argument i was passed (and is not a literal None)."""
    return i < len(c.call.args) and not (isinstance(c.call.args[i], Const) and c.call.args[i].value is None)


def _opt(c, i, default=None):
    """Argument i as the helper takes it (its default where absent)."""
    return c.call.args[i] if i < len(c.call.args) else Const(default)


def _in_dtype(c, i, e):
    """e cast to argument i's floating dtype where that is narrower than float64."""
    dt = getattr(c._abstract(i), "dtype", None)
    if e is not None and dt is not None and np.dtype(dt).kind == "f" and np.dtype(dt).itemsize < 8:
        return e.method("astype", c.args[i].dtype)
    return e


def _rest(c, n):
    return (None,) * max(len(c.args) - n, 0)


# ------------------------------------------------------------------------------ convolve, correlate
_MODES = {"v": "valid", "s": "same", "f": "full", 0: "valid", 1: "same", 2: "full"}


def _mode(c):
    m = c.kw("mode", 2, "full" if c.call.op == "np.convolve" else "valid")
    key = m.lower()[:1] if isinstance(m, str) else m
    if isinstance(key, bool) or key not in _MODES:
        raise c.unsupported(f"mode={m!r}")
    return _MODES[key]


def _lengths(c):
    """The operands' lengths (None where one is known only at run time); a number counts as 1."""
    out = []
    for i in (0, 1):
        s = c.shape(i)
        if s is not None and len(s) > 1:
            raise c.unsupported("an operand of more than one dimension")
        out.append(None if s is None else s[0] if s else 1)
    return out


def _padded(c, m, n):
    """g zero-padded to the length of the full result."""
    start, length = conv_window(c.call.op[3:], _mode(c), m, n)
    end = m + n - 1 - start - length
    if start == 0 and end == 0:
        return c.g
    g = NP.pad(c.g, (start, end))
    return c.let(g, "g_full") if c.active(0) and c.active(1) else g


def _conv(c):
    """full convolve: c_k = sum_i a_i v_{k-i}; a gets correlate(g, v, 'valid'), v gets
    correlate(g, a, 'valid').  full correlate: c_k = sum_n a_{n+k-N+1} v_n; a gets
    convolve(g, v, 'valid'), v gets correlate(g, a, 'valid') reversed.  Other modes: g padded
    to the full length first."""
    a, v = c.args[0], c.args[1]
    m, n = _lengths(c)
    if m is None or n is None:  # lengths known at run time only: the same formula in a helper
        return tuple(_rt("convolve_adjoint", c.g, a, v, c.call.op[3:], _mode(c), i) if c.active(i) else None
                     for i in (0, 1)) + _rest(c, 2)
    g = _padded(c, m, n)
    conv = c.call.op == "np.convolve"
    out = []
    for i, other in ((0, v), (1, a)):
        if not c.active(i):
            out.append(None)
            continue
        if c.shape(1 - i) == ():  # a number: the product with it
            gi = g * other
        elif conv or i == 1:
            gi = NP.correlate(g, other, "valid")
        else:
            gi = NP.convolve(g, other, "valid")
        if not conv and i == 1 and c.shape(1 - i) != ():
            gi = gi[Slice(None, None, Const(-1))]
        out.append(_in_dtype(c, i, gi[0] if c.shape(i) == () else gi))
    return tuple(out) + _rest(c, 2)


def _conv_jvp(c):
    _mode(c)
    _lengths(c)
    return multilinear(0, 1)(c)


for _op in ("np.convolve", "np.correlate"):
    structural(_op, _conv, lazy_g=False, jvp=_conv_jvp)


# ------------------------------------------------------------------------------ interp
_INTERP = ("x", "xp", "fp", "left", "right")


def _interp_checks(c):
    if _given(c, 5):
        raise c.unsupported("period= (periodic interpolation)")
    return [_opt(c, i) for i in range(5)]


def _interp(c):
    """Through runtime_signal.interp_adjoint (its docstring has the derivatives)."""
    x, xp, fp, left, right = _interp_checks(c)
    return tuple(_rt("interp_adjoint", c.g, x, xp, fp, left, right, _INTERP[i]) if c.active(i) else None
                 for i in range(min(len(c.args), 5))) + _rest(c, 5)


def _interp_jvp(c):
    x, xp, fp, left, right = _interp_checks(c)
    dots = [c.t(i) if i < len(c.call.args) else None for i in range(5)]
    if all(d is None for d in dots):
        return None
    return _rt("interp_tangent", x, xp, fp, left, right, *dots)


structural("np.interp", _interp, lazy_g=False, jvp=_interp_jvp)


# ------------------------------------------------------------------------------ trapezoid
def _trapezoid_checks(c):
    axis = c.kw("axis", 3, -1)
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise c.unsupported(f"axis={axis!r} (one integer axis)")
    if not _given(c, 1) and len(c.call.args) > 2 and c.shape(2) not in ((), None):
        raise c.unsupported("an array dx (one spacing: pass the coordinates as x)")
    return axis


def _trapezoid(c):
    """Through runtime_signal.trapezoid_adjoint: y gets g times the trapezoid weights, x gets g times
    the differences of the midpoint values, dx (used only without x) sum(g * midpoints)."""
    axis = _trapezoid_checks(c)
    x, dx = _opt(c, 1), _opt(c, 2, 1.0)
    out = []
    for i, which in enumerate(("y", "x", "dx")[:len(c.args)]):
        use = c.active(i) and not (i == 2 and _given(c, 1))
        out.append(_rt("trapezoid_adjoint", c.g, c.args[0], x, dx, axis, which) if use else None)
    return tuple(out) + _rest(c, 3)


def _trapezoid_jvp(c):
    """Bilinear in (y, x) and in (y, dx), x and dx never both used: the product rule."""
    _trapezoid_checks(c)
    return multilinear(0, 1)(c) if _given(c, 1) else multilinear(0, 2)(c)


for _op in ("np.trapezoid", "np.trapz"):
    if hasattr(np, _op[3:]):
        structural(_op, _trapezoid, lazy_g=False, jvp=_trapezoid_jvp)


# ------------------------------------------------------------------------------ polyval
def _polyval_checks(c):
    sp = c.shape(0)
    if sp is None or len(sp) != 1:
        raise c.unsupported("coefficients p that are not a 1-D array (or whose shape is unknown when compiling: "
                            "p computed by a function without a differentiation rule, such as np.polyfit, "
                            "has none -- fit with np.linalg.lstsq(np.vander(x, deg + 1), y) instead)")
    return sp[0]


def _polyval(c):
    """polyval(p, x) = sum_k p_k x^(n-1-k): p gets sum(g x^(n-1-k)) (a Vandermonde product), x gets
    g polyval(polyder(p), x)."""
    _polyval_checks(c)
    p, x, g = c.args[0], c.args[1], c.g
    gp = gx = None
    if c.active(0):
        nx, n = c.ndim(1), E(Call("len", (p.e,)))
        if nx == 0:
            gp = g * x ** NP.arange(n - 1, -1, -1)
        elif nx == 1:
            gp = g @ NP.vander(x, n)
        else:  # (any rank, also one known only at run time)
            gp = NP.ravel(g) @ NP.vander(NP.ravel(x), n)
    if c.active(1):
        gx = g * NP.polyval(NP.polyder(p), x)
    return (_in_dtype(c, 0, gp), _in_dtype(c, 1, gx)) + _rest(c, 2)


def _polyval_jvp(c):
    """d polyval = polyval(dp, x) + polyval(polyder(p), x) dx."""
    _polyval_checks(c)
    out = c.with_args([c.t(0).e, c.call.args[1]]) if c.t(0) is not None else None
    if c.t(1) is not None:
        term = NP.polyval(NP.polyder(c.args[0]), c.args[1]) * c.t(1)
        out = term if out is None else out + term
    return out


structural("np.polyval", _polyval, lazy_g=False, jvp=_polyval_jvp)


# ------------------------------------------------------------------------------ meshgrid
def _whole(c):
    """np.meshgrid never gets a cotangent itself: rules/args.py writes one meshgrid_part per result."""
    raise c.unsupported("np.meshgrid whose results are not unpacked or indexed (internal)")


structural("np.meshgrid", _whole, lazy_g=False, jvp=_whole)


def _grid_axis(c):
    """(k, the axis input k lies along in the grid, sparse)."""
    k, indexing, sparse = (a.value for a in c.call.args[:3])
    n = len(c.call.args) - 3
    return k, ({0: 1, 1: 0}.get(k, k) if indexing == "xy" and n > 1 else k), sparse


def _meshgrid_part(c):
    """meshgrid_part(k, indexing, sparse, *xs) is input k (flattened) spread along the grid's other
    axes: x_k gets g summed over them (sparse: g itself), in x_k's shape."""
    k, axis, sparse = _grid_axis(c)
    i = 3 + k
    out = [None] * len(c.args)
    if not c.active(i):
        return tuple(out)
    g, nd = c.g, c.ndim(i)
    others = tuple(a for a in range(len(c.args) - 3) if a != axis)
    if nd == 0:
        out[i] = NP.sum(g)
    else:
        gk = g if sparse or not others else g.method("sum", axis=others[0] if len(others) == 1 else others)
        if nd == 1:
            out[i] = gk.method("ravel") if sparse else gk
        else:  # (any rank, also one known only at run time)
            out[i] = gk.method("reshape", NP.shape(c.args[i]) if nd is None else c.args[i].shape)
    return tuple(out)


def _meshgrid_part_jvp(c):
    """Linear in x_k alone (the other inputs give only the grid's shape)."""
    k, _, _ = _grid_axis(c)
    if not c.has_tangent(3 + k):
        return None
    args = list(c.call.args)
    args[3 + k] = c.tangent_arg(3 + k)
    return c.with_args(args)


structural("meshgrid_part", _meshgrid_part, lazy_g=False, jvp=_meshgrid_part_jvp)


# ------------------------------------------------------------------------------ polyder, vander
# (what polyval's derivatives call: their rows let generated code be differentiated again)
def _polyder_weights(c):
    """(m, the factors q_k = p_k w_k of np.polyder(p, m): w_k = (n-1-k) (n-2-k) ... (n-m-k))."""
    sp = c.shape(0)
    if sp is None or len(sp) != 1:
        raise c.unsupported("coefficients p that are not a 1-D array (or whose shape is unknown when compiling)")
    m, n = c.kw("m", 1, 1), sp[0]
    if not isinstance(m, int) or isinstance(m, bool) or m < 0:
        raise c.unsupported(f"m={m!r} (a non-negative integer)")
    return m, [int(np.prod(np.arange(n - k - m, n - k))) for k in range(max(n - m, 0))]


def _polyder(c):
    """polyder(p, m)_k = p_k (n-1-k)! / (n-1-k-m)!: p gets g times those factors, zeros for the last m."""
    m, w = _polyder_weights(c)
    if not w:
        return (None,) * len(c.args)  # (numpy returns an empty array: the derivative of a constant)
    if m == 0:
        return (c.g,) + _rest(c, 1)
    wexpr = NP.arange(len(w), 0, -1) if m == 1 else NP.array(tuple(w))
    return (_in_dtype(c, 0, NP.pad(c.g * wexpr, (0, m))),) + _rest(c, 1)


def _polyder_jvp(c):
    _polyder_weights(c)
    return c.with_args([c.tangent_arg(0)] + list(c.call.args[1:])) if c.has_tangent(0) else None


structural("np.polyder", _polyder, lazy_g=False, jvp=_polyder_jvp)


def _vander_n(c):
    s = c.shape(0)
    if s is None or len(s) != 1:
        raise c.unsupported("x that is not a 1-D array whose length is known when compiling")
    n = c.kw("N", 1, None)
    return s[0] if n is None else n, bool(c.kw("increasing", 2, False))


def _vander(c):
    """V[i, j] = x_i^(N-1-j) (increasing: x_i^j): x gets sum_j g_ij (N-1-j) x_i^(N-2-j), the powers
    read from V itself (its next column)."""
    n, inc = _vander_n(c)
    if n < 2:
        return (None,) * len(c.args)
    g, v = c.g, c.ans
    full, head, tail = Slice(None, None, None), Slice(None, Const(-1), None), Slice(Const(1), None, None)
    if inc:
        gx = (g[(full, tail)] * v[(full, head)]) @ NP.arange(1, n)
    else:
        gx = (g[(full, head)] * v[(full, tail)]) @ NP.arange(n - 1, 0, -1)
    return (gx,) + _rest(c, 1)


def _vander_jvp(c):
    """dV_ij = (N-1-j) x_i^(N-2-j) dx_i (increasing: j x_i^(j-1) dx_i)."""
    n, inc = _vander_n(c)
    if n < 2 or not c.has_tangent(0):
        return None
    v, full = c.ans, Slice(None, None, None)
    if inc:
        slope = NP.pad(v[(full, Slice(None, Const(-1), None))] * NP.arange(1, n), ((0, 0), (1, 0)))
    else:
        slope = NP.pad(v[(full, Slice(Const(1), None, None))] * NP.arange(n - 1, 0, -1), ((0, 0), (0, 1)))
    return c.t(0)[(full, Const(None))] * slope


structural("np.vander", _vander, lazy_g=False, jvp=_vander_jvp)
