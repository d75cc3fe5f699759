"""Lowering of `functools.reduce(f, seq[, init])` into the loop it stands for:

    acc = init                       acc = seq[0]
    for item in seq:         or      for item in seq[1:]:
        acc = f(acc, item)               acc = f(acc, item)

placed before the statement that reads it (the lowerer's prelude), so the loop is differentiated
like one the user wrote (unrolled over a container known when compiling, recorded over a run-time
list).  A lambda's body is written in place of the call, its two parameters renamed to the loop's
names.  Guarantee: the sequence is evaluated once, before the first step, as Python does; anything
but two positional parameters of a lambda, or keyword and starred arguments, is refused at its line."""
from __future__ import annotations

import libcst as cst

from ..errors import UnsupportedSyntaxError
from ..ir import Name
from .listbuild import Rename


def reduce_call(lowerer, e: cst.Call):
    """The name holding reduce's result; its loop appended to the lowerer's prelude."""
    if any(a.keyword is not None or a.star for a in e.args) or len(e.args) not in (2, 3):
        raise lowerer.error(UnsupportedSyntaxError, "reduce() takes a function, a sequence and an optional "
                            "initial value, written out by position", e)
    loc = lowerer.loc(e)
    fn, seq = e.args[0].value, e.args[1].value
    acc, item = lowerer.fresh("acc"), lowerer.fresh("item")
    lowerer.locals.update((acc, item))
    step = _step(lowerer, fn, acc, item)
    stmts = []
    if not isinstance(seq, cst.Name):  # (evaluated once, before the initial value, as Python does)
        held = lowerer.fresh("seq")
        lowerer.locals.add(held)
        stmts.append(_assign(held, seq))
        seq = cst.Name(held)
    if len(e.args) == 3:
        stmts.append(_assign(acc, e.args[2].value))
        items = seq
    else:  # (an empty sequence raises in Python: seq[0] raises too)
        stmts.append(_assign(acc, cst.Subscript(seq, [cst.SubscriptElement(cst.Index(cst.Integer("0")))])))
        items = cst.Subscript(seq, [cst.SubscriptElement(cst.Slice(lower=cst.Integer("1"), upper=None))])
    body = cst.IndentedBlock([cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(acc))], step)])])
    stmts.append(cst.For(target=cst.Name(item), iter=items, body=body))
    out = lowerer.flush([])
    for s in stmts:
        out += lowerer.statement_of(s, loc)
    lowerer.prelude = out
    return Name(acc)


def _step(lowerer, fn, acc, item):
    """f(acc, item) as an expression: a lambda's body with its parameters renamed, else a call."""
    if not isinstance(fn, cst.Lambda):
        return cst.Call(fn, [cst.Arg(cst.Name(acc)), cst.Arg(cst.Name(item))])
    p = fn.params
    if p.star_arg is not cst.MaybeSentinel.DEFAULT or p.kwonly_params or p.star_kwarg or p.posonly_params \
            or len(p.params) != 2 or any(q.default is not None for q in p.params):
        raise lowerer.error(UnsupportedSyntaxError, "reduce() of a lambda with other than two plain parameters "
                            "(write lambda acc, x: ...)", fn)
    first, second = (q.name.value for q in p.params)
    return fn.body.visit(Rename({first: acc, second: item}))


def _assign(name, value):
    return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(name))], value)])
