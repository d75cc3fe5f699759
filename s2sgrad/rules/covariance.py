"""Rule-table rows for np.cov and np.corrcoef.

Part of THE rule table (rules/__init__.py imports this module; the rows land in `RULES`).  Both read
their inputs as numpy does: a matrix X of variables (rows) by observations (columns) made of m
(one variable if 1-D; transposed when rowvar=False) and the optional y below it (transposed when
rowvar=False unless it is a single row).  Guarantees:
- np.cov: C = Xc Xc^T / f with Xc = X minus its row means and f = N - ddof (ddof from `ddof=`, else
  0 with `bias=True`, else 1).  X gets (G + G^T) Xc / f: the centring is a projection whose adjoint
  the centred rows already satisfy.  The generated code keeps the input's orientation
  (`(g + g.T) @ (m - m.mean(axis=1, keepdims=True)) / 4`, or `(m - m.mean(axis=0)) @ (g + g.T) / 4`
  for rowvar=False); with one observation (N = 1) the centred data is zero and so is the gradient;
- np.corrcoef: R = C / (s s^T) with s = sqrt(diag(C)): C gets G / (s s^T) - diag((rowsum(G R) +
  colsum(G R)) / (2 s^2)), then the covariance's adjoint.  numpy's clip of R to [-1, 1] only removes
  round-off and is not differentiated; one variable gives R = 1, a constant;
- forward mode: dC = T + T^T with T = dX Xc^T / f, and dR = dC / (s s^T) - R (u_i + u_j) / 2 with
  u = diag(dC) / s^2: the derivatives the reverse rules apply;
- weights (fweights=, aweights=) and dtype= are refused by name; both compute in float64, so a
  float32 input gets its contribution cast back to float32;
- where a shape is known only at run time, runtime_signal's cov_adjoint/cov_tangent and
  corrcoef_adjoint/corrcoef_tangent apply the same formulas.
"""
from __future__ import annotations

from ..builder import E, NP
from ..ir import Call, Const, Slice
from .signal import _given, _in_dtype, _rest, _rt
from .table import structural


def _layout(c, i, rowvar):
    """(kind, variables, observations) of input i: kind '1d' (one variable), 'rows' (variables in
    rows) or 'cols' (variables in columns); None when its shape is known only at run time."""
    s = c.shape(i)
    if s is None:
        return None
    if len(s) > 2:
        raise c.unsupported("an input of more than two dimensions")
    if len(s) < 2:
        return "1d", 1, (s[0] if s else 1)
    flip = not rowvar and (s[0] != 1 if i == 1 else True)  # (numpy's test for y differs from m's)
    return ("cols", s[1], s[0]) if flip else ("rows", s[0], s[1])


def _settings(c):
    """(rowvar, ddof, bias) of the call (ddof None: numpy's default from bias), options refused by name."""
    for k, why in (("fweights", "weighted observations"), ("aweights", "weighted observations"),
                   ("dtype", "the result is float64: cast it afterwards")):
        v = c.call.kw(k)
        if v is not None and not (isinstance(v, Const) and v.value is None):
            raise c.unsupported(f"{k}= ({why})")
    rowvar = bool(c.kw("rowvar", None, True))
    cov = c.call.op == "np.cov"
    ddof, bias = (c.kw("ddof", None, None), bool(c.kw("bias", None, False))) if cov else (None, False)
    if ddof is not None and (not isinstance(ddof, (int, float)) or ddof != int(ddof)):
        raise c.unsupported(f"ddof={ddof!r} (an integer)")
    return rowvar, ddof, bias


def _options(c):
    """([(position, kind, variables)], observations N, f = N - ddof) of the call; None when a shape
    is known only at run time (runtime_signal's helpers then apply the same formulas)."""
    rowvar, ddof, bias = _settings(c)
    ddof = (0 if bias else 1) if ddof is None else int(ddof)
    ins = [(i, _layout(c, i, rowvar)) for i in ((0, 1) if _given(c, 1) else (0,))]
    if any(lay is None for _, lay in ins) or c.ans_shape() is None:
        return None
    n = ins[0][1][2]
    return [(i, kind, p) for i, (kind, p, _) in ins], n, max(n - ddof, 0)


def _inputs(c):
    """m and y (None where absent) as the helpers take them."""
    return c.call.args[0], (c.call.args[1] if _given(c, 1) else Const(None))


def _centred(x, kind):
    if kind == "rows":
        return x - x.method("mean", axis=1, keepdims=True)
    if kind == "cols":
        return x - x.method("mean", axis=0)
    return x - NP.mean(x)


def _as_rows(e, kind):
    """An input-shaped value as rows of X."""
    return e if kind == "rows" else e.T if kind == "cols" else NP.atleast_2d(e)


def _rows_of(e, kind, start, p):
    """Rows start:start+p of an X-shaped value, in the input's own shape."""
    if kind == "1d":
        return e[Const(start)]
    part = e[Slice(Const(start) if start else None, Const(start + p), None)]
    return part if kind == "rows" else part.T


def _cov_adjoint(c, G, scalar):
    """Each input's contribution from the cotangent G of the unsqueezed covariance (a number
    standing for the 1x1 matrix when `scalar`)."""
    out = [None] * len(c.args)
    if _options(c) is None:
        m, y = _inputs(c)
        for i in range(min(len(c.args), 2)):
            if c.active(i):
                out[i] = _rt("cov_adjoint", G, m, y, *_settings(c), i)
        return tuple(out)
    ins, n, f = _options(c)
    if n == 1:  # one observation: the centred data is 0, whatever the values
        return tuple(out)
    sym = 2 * G if scalar else G + G.T
    if len(ins) == 1:
        i, kind, _ = ins[0]
        if c.active(i):
            xc = _centred(c.args[i], kind)
            prod = sym * xc if scalar else xc @ sym if kind == "cols" else sym @ xc
            out[i] = _in_dtype(c, i, prod / f)
        return tuple(out)
    active = [(i, kind, p) for i, kind, p in ins if c.active(i)]
    if len(active) > 1:
        sym = c.let(sym, "g_sym")
    xc = NP.concatenate(tuple(_as_rows(_centred(c.args[i], kind), kind) for i, kind, _ in ins))
    gx = sym @ xc / f
    if len(active) > 1:
        gx = c.let(gx, "grad_X")
    start = 0
    for i, kind, p in ins:
        if c.active(i):
            out[i] = _in_dtype(c, i, _rows_of(gx, kind, start, p))
        start += p
    return tuple(out)


def _cov(c):
    return _cov_adjoint(c, c.g, c.ans_shape() == ())


def _cov_tangent(c):
    """dC = T + T^T, T = dX Xc^T / f (the tangent's own centring drops out against Xc's centred
    rows); a number when C is."""
    if not any(c.has_tangent(i) for i in range(min(len(c.args), 2))):
        return None
    if _options(c) is None:
        m, y = _inputs(c)
        return _rt("cov_tangent", m, y, c.t(0), c.t(1) if len(c.args) > 1 else None, *_settings(c))
    ins, n, f = _options(c)
    if n == 1:
        return None
    if len(ins) == 1:
        i, kind, p = ins[0]
        xc, dx = _centred(c.args[i], kind), c.t(i)
        if p == 1:
            return 2 * NP.sum(dx * xc) / f
        t = c.let((xc.T @ dx if kind == "cols" else dx @ xc.T) / f, "cov_T")
        return t + t.T
    xc = NP.concatenate(tuple(_as_rows(_centred(c.args[i], kind), kind) for i, kind, _ in ins))
    dx = NP.concatenate(tuple(_as_rows(E(c.tangent_arg(i)), kind) for i, kind, _ in ins))
    t = c.let(dx @ xc.T / f, "cov_T")
    return t + t.T


structural("np.cov", _cov, lazy_g=False, jvp=_cov_tangent)


def _cov_of(c):
    """np.cov of the call's inputs, as np.corrcoef computes it (ddof 1)."""
    kws = tuple((k, v) for k, v in c.call.kwargs if k == "rowvar")
    return E(Call("np.cov", tuple(c.call.args[:2 if _given(c, 1) else 1]), kws))


def _stds(c):
    return c.let(NP.sqrt(NP.diag(c.let(_cov_of(c), "cov"))), "std")


def _corrcoef(c):
    """R = C / (s s^T): C gets G / (s s^T) - diag((rowsum(G R) + colsum(G R)) / (2 s^2)), then the
    covariance's adjoint (one variable: R = 1, no contribution)."""
    if _options(c) is None:
        m, y = _inputs(c)
        rowvar = _settings(c)[0]
        return tuple(_rt("corrcoef_adjoint", c.g, c.ans, m, y, rowvar, i) if c.active(i) else None
                     for i in range(min(len(c.args), 2))) + _rest(c, 2)
    _, n, _ = _options(c)
    if c.ans_shape() == () or n == 1:
        return (None,) * len(c.args)
    s = _stds(c)
    gr = c.let(c.g * c.ans, "g_R")
    gc = c.g / NP.outer(s, s) - NP.diag((gr.method("sum", axis=1) + gr.method("sum", axis=0)) / (2 * s * s))
    return _cov_adjoint(c, c.let(gc, "grad_cov"), False)


def _corrcoef_jvp(c):
    """dR = dC / (s s^T) - R (u_i + u_j) / 2, u = diag(dC) / s^2."""
    if _options(c) is None:
        if not any(c.has_tangent(i) for i in range(min(len(c.args), 2))):
            return None
        m, y = _inputs(c)
        return _rt("corrcoef_tangent", c.ans, m, y, c.t(0), c.t(1) if len(c.args) > 1 else None, _settings(c)[0])
    _, n, _ = _options(c)
    if c.ans_shape() == () or n == 1:
        return None
    dc = _cov_tangent(c)
    if dc is None:
        return None
    s = _stds(c)
    dc = c.let(dc, "dot_cov")
    u = c.let(NP.diag(dc) / (s * s), "dot_var")
    return dc / NP.outer(s, s) - c.ans * (u[(Slice(None, None, None), Const(None))] + u) / 2


structural("np.corrcoef", _corrcoef, lazy_g=False, jvp=_corrcoef_jvp)
