"""Run-time helpers of the ufunc.accumulate rows (rules/ufuncs.py): running maxima / minima and
the running log-sum-exp, along one axis.

Guarantees: `running_source` gives, for each position j, the index k <= j whose element the running
extremum holds at j (the latest such k where several are equal, a tie, at which the derivative is
one-sided); the log-sum-exp adjoint and tangent never form exp(x) or exp(-ans) alone, so they stay
finite wherever the result is (each term is a weight exp(x_k - ans_j) <= 1 for k <= j)."""
from __future__ import annotations

import numpy as np

from .runtime import NAMESPACE


def running_source(x, ans, axis):
    """Index k along `axis` of the element np.maximum/minimum.accumulate(x) holds at each j."""
    x, ans = np.asarray(x), np.asarray(ans)
    idx = np.arange(x.shape[axis]).reshape((-1,) + (1,) * (x.ndim - 1 - axis % x.ndim))
    return np.maximum.accumulate(np.where(x == ans, idx, 0), axis=axis)


def running_extremum_grad(g, x, ans, axis):
    """x_k gets the cotangents of the positions whose running extremum is x_k."""
    out = np.zeros(np.shape(x), dtype=np.result_type(g, x))
    src = running_source(x, ans, axis)
    g = np.broadcast_to(g, src.shape)
    gm, sm, om = (np.moveaxis(a, axis, -1) for a in (g, src, out))
    rows = np.indices(sm.shape[:-1]).reshape(sm.ndim - 1, -1).T if sm.ndim > 1 else [()]
    for r in rows:  # (np.add.at per row: positions repeat)
        r = tuple(r)
        np.add.at(om[r], sm[r], gm[r])
    return out


def _log_pos_neg(v):
    with np.errstate(divide="ignore"):
        return np.log(np.maximum(v, 0)), np.log(np.maximum(-v, 0))


def logaddexp_accumulate_grad(g, x, ans, axis):
    """x_k gets sum_{j >= k} g_j exp(x_k - ans_j), the reversed running sum of g_j exp(-ans_j) in
    log space, positive and negative g apart."""
    g = np.broadcast_to(g, np.shape(ans))
    out = 0.0
    for sign, lg in zip((1.0, -1.0), _log_pos_neg(g)):
        # (no cotangent there: no term, even where ans is -inf -- -inf - -inf would be nan)
        terms = np.where(lg == -np.inf, -np.inf, lg - np.where(lg == -np.inf, 0.0, ans))
        rev = np.flip(np.logaddexp.accumulate(np.flip(terms, axis), axis=axis), axis)
        with np.errstate(invalid="ignore"):
            out = out + sign * np.where(rev == -np.inf, 0.0, np.exp(x + rev))
    return out


def logaddexp_accumulate_jvp(dx, x, ans, axis):
    """d ans_j = sum_{k <= j} dx_k exp(x_k - ans_j), the running sum in log space."""
    dx = np.broadcast_to(dx, np.shape(x))
    out = 0.0
    for sign, ld in zip((1.0, -1.0), _log_pos_neg(dx)):
        acc = np.logaddexp.accumulate(ld + x, axis=axis)
        with np.errstate(invalid="ignore"):  # (no tangent so far: none, even where ans is -inf)
            out = out + sign * np.where(acc == -np.inf, 0.0, np.exp(acc - ans))
    return out


NAMES = {f.__name__: f for f in (running_source, running_extremum_grad, logaddexp_accumulate_grad,
                                  logaddexp_accumulate_jvp)}
NAMESPACE.update(NAMES)
