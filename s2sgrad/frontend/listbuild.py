"""Lowering of list building (see s2sgrad/lists.py for how such lists are differentiated):
`hs.append(h)` becomes `hs = list_append(hs, h)` (printed back as `hs.append(h)`), a list
comprehension `[f(x) for x in xs]` becomes a list built by a loop, builtin `sum(terms)` becomes
`list_sum(terms)`.  Guarantee: only these forms are produced; comprehensions with conditions or
several `for` clauses are refused at their line."""
from __future__ import annotations

import libcst as cst

from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, ListExpr, Name


def append_statement(lowerer, s, loc):
    """`hs.append(v)` as a statement, or None when s is not one."""
    if not (isinstance(s, cst.Expr) and isinstance(s.value, cst.Call) and isinstance(s.value.func, cst.Attribute)
            and s.value.func.attr.value == "append" and isinstance(s.value.func.value, cst.Name)
            and s.value.func.value.value in lowerer.locals):
        return None
    if len(s.value.args) != 1 or s.value.args[0].keyword is not None:
        raise lowerer.error(UnsupportedSyntaxError, "append takes one value", s.value)
    name = s.value.func.value.value
    value = lowerer.expr(s.value.args[0].value)
    return lowerer.flush([Assign((name,), Call("list_append", (Name(name), value)), loc)])


def literal_list(lowerer, s, loc):
    """`hs = [a, b]` of a name the function appends to: `hs = []` and one append per element (the
    list built at run time that it is), or None when s is not one."""
    if not (isinstance(s, cst.Assign) and len(s.targets) == 1 and isinstance(s.targets[0].target, cst.Name)
            and isinstance(s.value, cst.List) and s.value.elements
            and s.targets[0].target.value in lowerer.appended):
        return None
    if any(isinstance(el, cst.StarredElement) for el in s.value.elements):
        return None
    name = s.targets[0].target.value
    out = [Assign((name,), ListExpr(()), loc)]
    for el in s.value.elements:
        out.append(Assign((name,), Call("list_append", (Name(name), lowerer.expr(el.value))), loc))
    return lowerer.flush(out)


def comprehension(lowerer, e: cst.ListComp, name=None):
    """[expr for target in iterable] as `tmp = []` and a loop appending to it (in the prelude);
    `outs = [...]` builds the list `outs` itself."""
    comp = e.for_in
    if comp.inner_for_in is not None or comp.ifs or comp.asynchronous is not None:
        raise lowerer.error(UnsupportedSyntaxError, "a list comprehension with an if or several for clauses "
                            "(write the loop)", e)
    loc = lowerer.loc(e)
    tmp = name or lowerer.fresh("items")
    targets = [comp.target] if isinstance(comp.target, cst.Name) else [el.value for el in comp.target.elements]
    for t in targets:
        if not isinstance(t, cst.Name):
            raise lowerer.error(UnsupportedSyntaxError, "this comprehension target (use names)", t)
        lowerer.locals.add(t.value)
    body_stmt = cst.SimpleStatementLine([cst.Expr(cst.Call(
        cst.Attribute(cst.Name(tmp), cst.Name("append")), [cst.Arg(e.elt)]))])
    loop = cst.For(target=comp.target, iter=comp.iter, body=cst.IndentedBlock([body_stmt]))
    pre = lowerer.flush([])
    stmts = [Assign((tmp,), ListExpr(()), loc)] + lowerer.for_(loop, loc=loc)
    lowerer.prelude = pre + stmts
    return Name(tmp)


_SPLIT_OPS = {"np.split", "np.array_split", "np.hsplit", "np.vsplit", "np.dsplit"}


def split_list(lowerer, s, loc):
    """`parts = np.split(x, 3)` (or array_split, hsplit, vsplit, dsplit) as the list of arrays it is:
    `parts = []` and one append per piece, so `parts[0]`, `for p in parts`, `enumerate(parts)`,
    comprehensions, `len(parts)`, `np.stack(parts)` work as on any list built by appends (ad/lists.py).
    None when s is not such an assignment (`a, b = np.split(x, 2)` stays an unpacked tuple)."""
    from ..rules import op_for_callable
    if not (isinstance(s, cst.Assign) and len(s.targets) == 1 and isinstance(s.targets[0].target, cst.Name)
            and isinstance(s.value, cst.Call)):
        return None
    obj = lowerer.static_callee(s.value.func)
    if obj is None or op_for_callable(obj) not in _SPLIT_OPS:
        return None
    pieces = lowerer.expr(s.value)
    name = s.targets[0].target.value
    out = [Assign((name,), ListExpr(()), loc)]
    for p in pieces.elts:
        out.append(Assign((name,), Call("list_append", (Name(name), lowerer.wrap(p))), loc))
    return lowerer.flush(out)
