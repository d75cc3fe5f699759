"""Rule-table rows for np.linalg.lstsq, whose four results are written as a tuple of four rows
(`coef, *_ = np.linalg.lstsq(A, b, rcond=None)` unpacks it, `np.linalg.lstsq(A, b)[0]` reads one):

    (lstsq_solution(A, b, rcond), lstsq_residuals(A, b, rcond), lstsq_rank(A, rcond),
     np.linalg.svd(A, compute_uv=False))

Guarantees: each value is numpy's (the helpers call np.linalg.lstsq); the solution x = P b, P the
pseudo-inverse with lstsq's cutoff (singular values at or below rcond times the largest are zero;
rcond=None: machine epsilon times max(M, N), numpy's default), is differentiated at constant rank
as pinv is (rules/linalg.py): dx = -P dA x + P P^T dA^T r + (I - P A) dA^T P^T x + P db with
r = b - A x, in both directions (runtime_linalg.lstsq_grad / lstsq_jvp); the residuals (numpy gives
them only for full column rank and M > N, where A^T r = 0) have d res = 2 sum r (db - dA x); the
rank is an integer, piecewise constant; the singular values are svd's row.  A rcond that is not
None or a number, a matrix of other than 2 dimensions, or complex values are refused."""
from __future__ import annotations

from ..builder import E, lift
from ..ir import Call, Const, ListExpr, Name, Tuple
from .table import nondiff, structural


def _rt(name, *args):
    return E(Call(name, tuple(lift(a) for a in args)))


def _whole(c):
    raise c.unsupported("lstsq whose results are not read through its parts (internal)")


structural("np.linalg.lstsq", _whole, lazy_g=False, jvp=_whole)  # rules/args.py writes it as the parts below


def _check(c):
    if c.ndim(0) not in (None, 2) or c.ndim(1) not in (None, 1, 2):
        raise c.unsupported("np.linalg.lstsq of other than a matrix and a vector or matrix")


def _solution(c):
    _check(c)
    a, b, rcond = c.args[0], c.args[1], c.call.args[2]
    return (_rt("lstsq_grad", c.g, a, b, c.ans, rcond, 0), _rt("lstsq_grad", c.g, a, b, c.ans, rcond, 1), None)


def _solution_jvp(c):
    _check(c)
    return _rt("lstsq_jvp", c.args[0], c.args[1], c.ans, c.t(0), c.t(1), c.call.args[2])


def _residuals(c):
    _check(c)
    a, b, rcond = c.args[0], c.args[1], c.call.args[2]
    return (_rt("lstsq_residuals_grad", c.g, a, b, rcond, 0), _rt("lstsq_residuals_grad", c.g, a, b, rcond, 1), None)


def _residuals_jvp(c):
    _check(c)
    return _rt("lstsq_residuals_jvp", c.args[0], c.args[1], c.t(0), c.t(1), c.call.args[2])


structural("lstsq_solution", _solution, lazy_g=False, jvp=_solution_jvp)
structural("lstsq_residuals", _residuals, lazy_g=False, jvp=_residuals_jvp)
nondiff("lstsq_rank")


def lstsq_parts(args, kwargs, refuse, bind):
    """`np.linalg.lstsq(a, b, rcond)` as the tuple of its four rows (the module's docstring); a and
    b computed once, before."""
    kw = dict(kwargs)
    if len(args) > 3 or len(args) < 2 or set(kw) - {"rcond"} or len(args) == 3 and kw:
        raise refuse("np.linalg.lstsq takes a, b and rcond")
    rcond = args[2] if len(args) == 3 else kw.get("rcond", Const(None))
    if not (isinstance(rcond, Const) and (rcond.value is None or type(rcond.value) in (int, float)
                                          and rcond.value >= 0)):
        raise refuse("np.linalg.lstsq with an rcond that is not None or a number >= 0 written in place")
    from .args import _array_literal, arrange
    parts = [Call("np.array", (_array_literal(x),)) if isinstance(x, (ListExpr, Tuple)) else x for x in args[:2]]
    a, b = (x if isinstance(x, (Name, Const)) else bind(x, base) for x, base in zip(parts, ("lstsq_a", "lstsq_b")))
    values = arrange("np.linalg.svd", (a,), (("compute_uv", Const(False)),), refuse, bind)
    return Tuple((Call("lstsq_solution", (a, b, rcond)), Call("lstsq_residuals", (a, b, rcond)),
                  Call("lstsq_rank", (a, b, rcond)), values))
