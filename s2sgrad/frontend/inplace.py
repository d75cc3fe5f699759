"""numpy calls that change an array in place, written as statements: `np.fill_diagonal(S, v)`.

Guarantee: such a call on a name becomes the subscript write it is (`S[diag] = v` with `diag =
np.eye(n, m, dtype=bool)` computed first, so the write's index does not read S, and a mask, which
repeats no position), which the alias fence
and the reverse sweep treat like any write into an array the function owns; options that change
what it writes (`wrap=True`) are refused at the line.  Other in-place calls (np.add.at, np.copyto,
np.put, np.place) stay refused as expression statements.
"""
from __future__ import annotations

import libcst as cst
import numpy as np

from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, ExprStmt, Name, SetItem


def statement(lowerer, s, loc):
    """The IR of `np.fill_diagonal(a, v)` as a statement, or None when s is not one."""
    if not (isinstance(s, cst.Expr) and isinstance(s.value, cst.Call)
            and lowerer.static_callee(s.value.func) is np.fill_diagonal):
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
