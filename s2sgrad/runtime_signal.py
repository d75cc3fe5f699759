"""Helpers the generated code calls for the rows of rules/signal.py and rules/covariance.py whose
value or derivative is more than one readable line: the pieces of np.meshgrid, the derivatives of
np.interp and np.trapezoid, and -- where an operand's shape is known only at run time -- those of
np.convolve/np.correlate, np.cov and np.corrcoef (the rows write these inline when the shapes are
known).  Each is vectorized numpy (no Python loop over elements).

Guarantees: `meshgrid_part(k, ...)` is exactly `np.meshgrid(...)[k]` (same values, dtype and
shape, a fresh writable array); every `*_adjoint`/`*_tangent` is the exact vector-Jacobian /
Jacobian-vector product of the numpy function in the argument it names, in that argument's own
shape and floating dtype (np.interp and np.cov compute in float64: a float32 argument gets a
float32 contribution), a fresh array, with the one-sided derivative the row documents at a knot.
Registered in the generated code's namespace by runtime.py.
"""
from __future__ import annotations

import numpy as np


def _like(v, arg):
    """v in the floating dtype of the argument it is the contribution to (float32 stays float32)."""
    dt = getattr(arg, "dtype", None)
    v = np.asarray(v)
    if dt is not None and np.dtype(dt).kind == "f" and v.dtype != dt:
        v = v.astype(dt)
    if np.ndim(arg) == 0 and not isinstance(arg, np.ndarray):
        return v[()]
    return v


# ------------------------------------------------------------------------------ meshgrid
def meshgrid_part(k, indexing, sparse, *xs):
    """`np.meshgrid(*xs, indexing=indexing, sparse=sparse)[k]`, computed alone: input k, flattened,
    laid along its axis of the grid (axis k; 'xy' swaps the first two) and broadcast to the grid's
    shape (sparse: kept with ones elsewhere); always a copy, as numpy's default copy=True."""
    n = len(xs)
    axis = {0: 1, 1: 0}.get(k, k) if indexing == "xy" and n > 1 else k
    shape = [np.size(x) for x in xs]
    if indexing == "xy" and n > 1:
        shape[0], shape[1] = shape[1], shape[0]
    lay = [1] * n
    lay[axis] = -1
    part = np.asanyarray(xs[k]).reshape(lay)
    return part.copy() if sparse else np.broadcast_to(part, shape).copy()


# ------------------------------------------------------------------------------ interp
def _segments(x, xp, fp):
    """The segment j of each x (xp[j] <= x < xp[j + 1], the one numpy reads; the last segment at
    x == xp[-1]), its fraction t, slope s and whether x is inside [xp[0], xp[-1]]."""
    x, xp, fp = np.asarray(x, float), np.asarray(xp, float), np.asarray(fp, float)
    n = xp.shape[0]
    j = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, n - 2)
    h = xp[j + 1] - xp[j]
    t = (x - xp[j]) / h
    s = (fp[j + 1] - fp[j]) / h
    inside = (x >= xp[0]) & (x <= xp[-1])
    return j, np.where(inside, t, 0.0), np.where(inside, s, 0.0), inside


def interp_adjoint(g, x, xp, fp, left, right, which):
    """The contribution of np.interp(x, xp, fp, left, right) to argument `which` ('x', 'xp', 'fp',
    'left', 'right').  Inside [xp[0], xp[-1]], f = fp[j] + t (fp[j+1] - fp[j]) with
    t = (x - xp[j]) / (xp[j+1] - xp[j]): df/dx = s (the slope), df/dfp[j] = 1 - t,
    df/dfp[j+1] = t, df/dxp[j] = -s (1 - t), df/dxp[j+1] = -s t; outside, f is `left`/`right`
    (fp[0]/fp[-1] when None), constant in x and xp.  At a knot the segment numpy uses gives the
    one-sided derivative (the right one; the last segment at xp[-1])."""
    g = np.broadcast_to(np.asarray(g, float), np.shape(x))
    xa, xpa = np.asarray(x, float), np.asarray(xp, float)
    below, above = xa < xpa[0], xa > xpa[-1]
    if which == "left":
        return _like(np.sum(g * below), left)
    if which == "right":
        return _like(np.sum(g * above), right)
    n = xpa.shape[0]
    if n == 1:  # one knot: fp[0] at it (and outside where left/right are None); no slope
        if which == "fp":
            hit = (xa == xpa[0]) | (below & (left is None)) | (above & (right is None))
            return _like(np.sum(g * hit, keepdims=True).reshape(np.shape(fp)), fp)
        return _like(np.zeros(np.shape(x if which == "x" else xp)), x if which == "x" else xp)
    j, t, s, inside = _segments(x, xp, fp)
    if which == "x":
        return _like(g * s, x)
    gi, jr = np.ravel(g * inside), np.ravel(j)
    if which == "fp":
        out = np.bincount(jr, gi * np.ravel(1 - t), n) + np.bincount(jr + 1, gi * np.ravel(t), n)
        if left is None:
            out[0] += np.sum(g * below)
        if right is None:
            out[-1] += np.sum(g * above)
        return _like(out, fp)
    gs = gi * np.ravel(s)  # which == "xp"
    return _like(-(np.bincount(jr, gs * np.ravel(1 - t), n) + np.bincount(jr + 1, gs * np.ravel(t), n)), xp)


def interp_tangent(x, xp, fp, left, right, dx, dxp, dfp, dleft, dright):
    """The tangent of np.interp(x, xp, fp, left, right) (a tangent None is zero): inside,
    s dx + (1 - t) dfp[j] + t dfp[j+1] - s ((1 - t) dxp[j] + t dxp[j+1]); below xp[0], dleft (dfp[0]
    when left is None), above xp[-1], dright (dfp[-1]); the derivatives interp_adjoint applies."""
    xa, xpa = np.asarray(x, float), np.asarray(xp, float)
    below, above = xa < xpa[0], xa > xpa[-1]
    out = np.zeros(np.shape(x))
    if xpa.shape[0] == 1:
        if dfp is not None:
            hit = (xa == xpa[0]) | (below & (left is None)) | (above & (right is None))
            out = out + hit * np.asarray(dfp, float)[0]
    else:
        j, t, s, inside = _segments(x, xp, fp)
        if dx is not None:
            out = out + s * dx
        if dfp is not None:
            dfp = np.asarray(dfp, float)
            out = out + inside * ((1 - t) * dfp[j] + t * dfp[j + 1])
        if dxp is not None:
            dxp = np.asarray(dxp, float)
            out = out - s * ((1 - t) * dxp[j] + t * dxp[j + 1])
    if dfp is not None and xpa.shape[0] > 1:
        dfp = np.asarray(dfp, float)
        out = out + (below * dfp[0] if left is None else 0.0) + (above * dfp[-1] if right is None else 0.0)
    if dleft is not None:
        out = out + below * dleft
    if dright is not None:
        out = out + above * dright
    return out[()] if out.ndim == 0 else out


# ------------------------------------------------------------------------------ trapezoid
def _along(v, axis, nd):
    """A 1-D v laid along `axis` of an nd-dimensional array (ones elsewhere)."""
    return np.reshape(v, (-1,) + (1,) * (nd - 1 - axis))


def _sum_to(v, shape):
    """v summed down to `shape` (the axes a broadcast added or stretched)."""
    lead = v.ndim - len(shape)
    if lead:
        v = v.sum(axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and v.shape[i] != 1)
    return v.sum(axis=axes, keepdims=True) if axes else v


def trapezoid_adjoint(g, y, x, dx, axis, which):
    """The contribution of np.trapezoid(y, x, dx, axis) = sum_k d_k (y_k + y_{k+1}) / 2 along the
    axis (d = diff(x), or dx) to `which` ('y', 'x', 'dx'): y_k gets g (d_{k-1} + d_k) / 2 (d_{-1} =
    d_{n-1} = 0), x_k gets g (m_{k-1} - m_k) with m_k = (y_k + y_{k+1}) / 2 (m_{-1} = m_{n-1} = 0),
    dx gets sum(g m) (dx is used only where x is None)."""
    y = np.asarray(y)
    nd = y.ndim
    ax = axis % nd
    ge = np.expand_dims(np.asarray(g), ax)
    if which == "y":
        if x is None:
            w = np.ones(y.shape[ax], dtype=np.result_type(y.dtype, np.float16))
            w[0] -= 0.5
            w[-1] -= 0.5  # (one element: weight 0, the integral of nothing)
            w = _along(w * dx, ax, nd)
        else:
            xa = np.asarray(x)
            if xa.ndim == 1:
                d = np.diff(xa)
                w = _along((np.concatenate([[0.0], d]) + np.concatenate([d, [0.0]])) / 2, ax, nd)
            else:
                d = np.diff(xa, axis=ax)
                pad = [(0, 0)] * d.ndim
                pad[ax] = (1, 0)
                first = np.pad(d, pad)
                pad[ax] = (0, 1)
                w = (first + np.pad(d, pad)) / 2
        gy = ge * w
        return _like(gy if gy.shape == y.shape else np.array(np.broadcast_to(gy, y.shape)), y)  # writable
    hi, lo = [slice(None)] * nd, [slice(None)] * nd
    hi[ax], lo[ax] = slice(1, None), slice(None, -1)
    m = ge * (y[tuple(hi)] + y[tuple(lo)]) / 2
    if which == "dx":
        return _like(np.sum(m), dx)
    xa = np.asarray(x)  # which == "x"
    if xa.ndim == 1:
        other = tuple(i for i in range(nd) if i != ax)
        m = m.sum(axis=other) if other else m
        return _like(-np.diff(m, prepend=0.0, append=0.0), x)
    gx = -np.diff(m, axis=ax, prepend=0.0, append=0.0)
    return _like(_sum_to(gx, xa.shape), x)


# ------------------------------------------------------------------------------ convolve (lengths at run time)
def conv_window(op, mode, m, n):
    """(start, length) of the mode's result inside the full result of op(a, v), len(a) = m and
    len(v) = n (numpy centres 'same' on the longer operand, and swaps the operands when v is
    the longer, which moves correlate's window)."""
    lo, full = min(m, n), m + n - 1
    if mode == "full":
        return 0, full
    if mode == "valid":
        return lo - 1, full - 2 * (lo - 1)
    if op == "convolve":
        return (lo - 1) // 2, max(m, n)
    return ((n - 1) // 2 if m >= n else m // 2), max(m, n)


def convolve_adjoint(g, a, v, op, mode, which):
    """The contribution of np.convolve/np.correlate(a, v, mode) to a (which 0) or v (which 1), for
    lengths known only at run time: the rows' formula (rules/signal.py), g padded to the full length."""
    a1, v1 = np.atleast_1d(a), np.atleast_1d(v)
    m, n = a1.shape[0], v1.shape[0]
    start, length = conv_window(op, mode, m, n)
    g = np.pad(np.asarray(g), (start, m + n - 1 - start - length))
    other = v1 if which == 0 else a1
    if op == "convolve" or which == 1:
        out = np.correlate(g, other, "valid")
    else:
        out = np.convolve(g, other, "valid")
    if op == "correlate" and which == 1:
        out = out[::-1]
    return _like(out, a if which == 0 else v)


# ------------------------------------------------------------------------------ cov, corrcoef (shapes at run time)
def _cov_rows(m, y, rowvar):
    """X (variables by observations) as np.cov builds it, and [(input, transposed, first row, rows)]."""
    parts, rows, start = [], [], 0
    for k, x in enumerate((m, y)):
        if x is None:
            continue
        x2 = np.array(x, ndmin=2, dtype=np.result_type(x, np.float64))
        flip = not rowvar and (np.ndim(x) != 1 if k == 0 else x2.shape[0] != 1)
        x2 = x2.T if flip else x2
        parts.append((x, flip, start, x2.shape[0]))
        rows.append(x2)
        start += x2.shape[0]
    return np.concatenate(rows), parts


def _fact(n, ddof, bias):
    ddof = (0 if bias else 1) if ddof is None else ddof
    return max(n - ddof, 0)


def cov_adjoint(G, m, y, rowvar, ddof, bias, which):
    """The contribution of np.cov(m, y, rowvar, bias, ddof) to m (which 0) or y (which 1) from the
    cotangent G of its result: (G + G^T) Xc / f on the rows of X the input made (rules/covariance.py)."""
    X, parts = _cov_rows(m, y, rowvar)
    x, flip, start, p = parts[which]
    n = X.shape[1]
    if n == 1:
        return _like(np.zeros(np.shape(x)), x)
    G = np.reshape(G, (X.shape[0],) * 2)
    gx = ((G + G.T) @ (X - X.mean(axis=1, keepdims=True)))[start:start + p] / _fact(n, ddof, bias)
    return _like((gx.T if flip else gx).reshape(np.shape(x)), x)


def cov_tangent(m, y, dm, dy, rowvar, ddof, bias):
    """The tangent of np.cov(m, y, rowvar, bias, ddof): T + T^T, T = dX Xc^T / f (a None tangent is zero)."""
    X, parts = _cov_rows(m, y, rowvar)
    dX, _ = _cov_rows(np.zeros(np.shape(m)) if dm is None else dm,
                      None if y is None else np.zeros(np.shape(y)) if dy is None else dy, rowvar)
    n = X.shape[1]
    t = dX @ (X - X.mean(axis=1, keepdims=True)).T / _fact(n, ddof, bias) if n > 1 else np.zeros((X.shape[0],) * 2)
    return (t + t.T).squeeze()


def corrcoef_adjoint(g, R, m, y, rowvar, which):
    """np.corrcoef's contribution: C gets G / (s s^T) - diag((rowsum(G R) + colsum(G R)) / (2 s^2)),
    then np.cov's adjoint; one variable (R = 1, a number) gives nothing."""
    x = m if which == 0 else y
    C = np.cov(m, y, rowvar)
    if np.ndim(C) == 0:
        return _like(np.zeros(np.shape(x)), x)
    s = np.sqrt(np.diag(C))
    gr = g * R
    gc = g / np.outer(s, s) - np.diag((gr.sum(axis=1) + gr.sum(axis=0)) / (2 * s * s))
    return cov_adjoint(gc, m, y, rowvar, None, False, which)


def corrcoef_tangent(R, m, y, dm, dy, rowvar):
    """np.corrcoef's tangent: dC / (s s^T) - R (u_i + u_j) / 2 with u = diag(dC) / s^2."""
    C = np.cov(m, y, rowvar)
    if np.ndim(C) == 0:
        return np.zeros(np.shape(R))
    dc = cov_tangent(m, y, dm, dy, rowvar, None, False)
    s = np.sqrt(np.diag(C))
    u = np.diag(dc) / (s * s)
    return dc / np.outer(s, s) - R * (u[:, None] + u) / 2


NAMES = {f.__name__: f for f in (meshgrid_part, interp_adjoint, interp_tangent, trapezoid_adjoint, convolve_adjoint,
                                 cov_adjoint, cov_tangent, corrcoef_adjoint, corrcoef_tangent)}
