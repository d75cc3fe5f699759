"""numpy calls that change an array in place, written as statements: `np.fill_diagonal(S, v)`,
`np.add.at(agg, dst, msgs)`.

Guarantee: such a call on a name becomes the subscript write it is (`S[diag] = v` with `diag =
np.eye(n, m, dtype=bool)` computed first, so the write's index does not read S, and a mask, which
repeats no position), which the alias fence
and the reverse sweep treat like any write into an array the function owns; options that change
what it writes (`wrap=True`) are refused at the line.  `np.add.at(a, idx, v)` becomes
`a = scatter_add(a, idx, v)` marked as an update in place (the alias fence refuses it where another
name shares a; runtime_scatter.scatter_add works on a copy, so the reverse sweep can still read the old
a).  Other in-place calls (np.copyto, np.put, np.place) stay refused as expression statements.
"""
from __future__ import annotations

import libcst as cst
import numpy as np

from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, ExprStmt, Name, SetItem


def _add_at(lowerer, call, loc):
    """`np.add.at(a, idx, v)`: `a = scatter_add(a, idx, v)`, an update in place of a for the alias fence
    (refused where another name shares a), a scatter-add for differentiation (rules/scatter.py)."""
    if len(call.args) != 3 or any(a.keyword is not None or a.star for a in call.args):
        raise lowerer.error(UnsupportedSyntaxError, "np.add.at takes an array, an index and values", call)
    target = call.args[0].value
    if not isinstance(target, cst.Name):
        raise lowerer.error(UnsupportedSyntaxError, "np.add.at into an expression (bind the array to a name first)",
                            target)
    idx, v = lowerer.expr(call.args[1].value), lowerer.expr(call.args[2].value)
    a = target.value
    return lowerer.flush([Assign((a,), lowerer.wrap(Call("scatter_add", (Name(a), idx, v))), loc, aug=True)])


def statement(lowerer, s, loc):
    """The IR of `np.fill_diagonal(a, v)` or `np.add.at(a, idx, v)` as a statement, or None when s
    is not one."""
    if not (isinstance(s, cst.Expr) and isinstance(s.value, cst.Call)):
        return None
    callee = lowerer.static_callee(s.value.func)
    if getattr(callee, "__self__", None) is np.add and getattr(callee, "__name__", None) == "at":
        return _add_at(lowerer, s.value, loc)
    if callee is not np.fill_diagonal:
        return None
    call = s.value
    args = [a for a in call.args if a.keyword is None]
    kw = {a.keyword.value: a for a in call.args if a.keyword is not None}
    if set(kw) - {"val", "wrap"} or any(a.star for a in call.args) or len(args) + ("val" in kw) != 2:
        raise lowerer.error(UnsupportedSyntaxError, "np.fill_diagonal takes an array and a value", call)
    if "wrap" in kw and not (isinstance(kw["wrap"].value, cst.Name) and kw["wrap"].value.value == "False"):
        raise lowerer.error(UnsupportedSyntaxError, "np.fill_diagonal with wrap=True (write the diagonal "
                            "blocks with a[i, j] = v)", kw["wrap"])
    target = args[0].value
    if not isinstance(target, cst.Name):
        raise lowerer.error(UnsupportedSyntaxError, "np.fill_diagonal of an expression (bind the array to a "
                            "name first)", target)
    a = target.value
    value = lowerer.expr(args[1].value if len(args) > 1 else kw["val"].value)
    diag = lowerer.fresh("diag")
    rows = Call("getitem", (Call("@shape", (Name(a),)), Const(0)))
    cols = Call("getitem", (Call("@shape", (Name(a),)), Const(1)))
    ndim = Call("@ndim", (Name(a),))
    check = ExprStmt(Call("assert", (Call("eq", (ndim, Const(2))),
                                      Const("np.fill_diagonal of an array that is not 2-d"))), loc)
    mask = Call("np.eye", (rows, cols), (("dtype", Const("bool")),))
    return lowerer.flush([check, Assign((diag,), mask, loc), SetItem(a, Name(diag), lowerer.wrap(value), loc)])
