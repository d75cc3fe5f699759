"""A dict the function makes and uses only key by key, as variables: `stats = {'ll': -inf, 'iters': 0}`
then `stats['ll'] = ll` inside a loop that runs at run time, and `stats['ll']` read.

The container pass (containers.py) knows a dict's values when compiling, so a write into one inside
a loop that runs at run time is refused there.  A dict whose keys are all written out in its one
literal and that is only read and written at those constant keys is, for Python, a set of
variables: this pass makes it so (`stats_ll = -inf; stats_iters = 0`, `stats_ll = ll`, reads of
`stats_ll`), and every loop, branch and record of the transforms applies to them.

A value `[]` is a list built at run time, as training code keeps a history (`history = {"train":
[]}`, then `history["train"].append(loss)` in the loop): its variable is bound to `[]` and appended
to (`history_train = []`, `history_train.append(loss)`), a list ad/lists.py follows.

Guarantee: only a name bound once, to a dict literal with constant keys and no container literal
among its values but the empty list (others are the container pass's, which unpacks them when
compiling), that is not a parameter, and whose every other use is `d[k]` (read), `d[k] = v` (not
`d[k] += v`, which numpy does in place on an array value, and not at a key holding a list), or
`d.get(k)` / `d.get(k, default)`, with k one of the literal's keys, or `d[k].append(v)` at a key
holding a list.  Any other use (the dict passed, returned, stored, iterated, aliased, a new key,
another method of a list value) leaves it as it was, for the container pass to read or refuse.
"""
from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..ir import Assign, Call, Const, DictExpr, Name, SetItem
from .normalize import _fresh


def dicts_as_variables(fn: ir.Function) -> ir.Function:
    bound = {}
    for s in ir.walk(fn.body):
        if isinstance(s, Assign):
            for t in s.targets:
                bound.setdefault(t, []).append(s)
    candidates = {}
    for n, stmts in bound.items():
        v = stmts[0].value if len(stmts) == 1 and len(stmts[0].targets) == 1 else None
        if n not in fn.params and isinstance(v, DictExpr) and v.keys and \
                not any(isinstance(x, (ir.Tuple, ir.ListExpr, DictExpr)) and x != ir.ListExpr(()) for x in v.values) and \
                all(isinstance(k, Const) and type(k.value) in (str, int) for k in v.keys) and \
                len({k.value for k in v.keys}) == len(v.keys):
            candidates[n] = [k.value for k in v.keys]
    lists = {n: {k.value for k, x in zip(bound[n][0].value.keys, bound[n][0].value.values) if x == ir.ListExpr(())}
             for n in candidates}
    reads = set(ir.all_reads(fn.body))
    for s in ir.walk(fn.body):
        for n in list(candidates):
            appended = _appended(s, n)
            if appended is not None:  # d[k].append(v) of a key holding a list (its result unread)
                if not (appended[0] in lists[n] and s.targets[0] not in reads and _expr_ok(appended[1], n, ())):
                    del candidates[n]
            elif not _uses_ok(s, n, candidates[n]) or _list_written(s, n, lists[n]):
                del candidates[n]
    if not candidates:
        return fn
    taken = set(fn.params) | set(ir.all_writes(fn.body)) | set(ir.all_reads(fn.body))
    names = {n: {k: _fresh(f"{n}_{k}" if isinstance(k, str) and k.isidentifier() else f"{n}_{i}", taken)
                 for i, k in enumerate(keys)} for n, keys in candidates.items()}

    def expr(e):
        if isinstance(e, Call):
            if e.op in ("getitem", ".get") and e.args and isinstance(e.args[0], Name) and e.args[0].id in names:
                return Name(names[e.args[0].id][e.args[1].value])
            return Call(e.op, tuple(expr(a) for a in e.args), tuple((k, expr(v)) for k, v in e.kwargs))
        if isinstance(e, (ir.Tuple, ir.ListExpr)):
            return type(e)(tuple(expr(x) for x in e.elts))
        if isinstance(e, DictExpr):
            return DictExpr(e.keys, tuple(expr(x) for x in e.values))
        return e

    def block(body):
        out = []
        for s in body:
            if isinstance(s, Assign) and len(s.targets) == 1 and s.target in names:
                for k, v in zip(s.value.keys, s.value.values):  # the literal: one variable per key
                    out.append(Assign((names[s.target][k.value],), expr(v), s.loc))
                continue
            appended = next(((n, a) for n in names if (a := _appended(s, n)) is not None), None)
            if appended is not None:
                n, (key, value) = appended
                var = names[n][key]
                out.append(Assign((var,), Call("list_append", (Name(var), expr(value))), s.loc))
                continue
            if isinstance(s, SetItem) and s.target in names:
                out.append(Assign((names[s.target][s.index.value],), expr(s.value), s.loc))
                continue
            out.append(ir.map_blocks(ir.with_exprs(s, expr), block))
        return out
    return replace(fn, body=tuple(block(fn.body)))


def _appended(s, n):
    """(key, value) of a statement `d[k].append(value)` of the dict n (None: no such statement)."""
    v = s.value if isinstance(s, Assign) and len(s.targets) == 1 and not s.aug else None
    if isinstance(v, Call) and v.op == "obj_method" and len(v.args) == 3 and not v.kwargs \
            and v.args[1] == Const("append") and isinstance(v.args[0], Call) and v.args[0].op == "getitem" \
            and len(v.args[0].args) == 2 and v.args[0].args[0] == Name(n) and isinstance(v.args[0].args[1], Const):
        return v.args[0].args[1].value, v.args[2]
    return None


def _list_written(s, n, keys) -> bool:
    """Whether s writes a key holding a list (d[k] = ...: the container pass's) or calls another
    method of it (d[k].pop())."""
    if isinstance(s, SetItem) and s.target == n and isinstance(s.index, Const) and s.index.value in keys:
        return True
    return any(x.op == "obj_method" and x.args and isinstance(x.args[0], Call) and x.args[0].op == "getitem"
               and x.args[0].args[0] == Name(n) for x in ir.stmt_calls(s))


def _uses_ok(s, n, keys) -> bool:
    """Whether statement s uses n only at constant keys of the literal (its binding aside)."""
    if isinstance(s, Assign) and s.targets == (n,) and isinstance(s.value, DictExpr):
        return not any(n in ir.expr_names(v) for v in s.value.values)
    if isinstance(s, ir.For) and n in ir.target_names(s.target):
        return False
    if isinstance(s, SetItem) and s.target == n:
        if s.inplace or s.aug is not None or not (isinstance(s.index, Const) and s.index.value in keys) or \
                isinstance(s.value, (ir.Tuple, ir.ListExpr, DictExpr)):
            return False  # (a container written in: the container pass's, which unpacks it when compiling)
        return _expr_ok(s.value, n, keys)
    return all(_expr_ok(e, n, keys) for e in ir.exprs_of(s))


def _expr_ok(e, n, keys) -> bool:
    if isinstance(e, Name):
        return e.id != n
    if isinstance(e, Call):
        if e.op in ("getitem", ".get") and e.args and e.args[0] == Name(n):
            return not e.kwargs and isinstance(e.args[1], Const) and e.args[1].value in keys and \
                (e.op == ".get" or len(e.args) == 2) and all(_expr_ok(a, n, keys) for a in e.args[2:])
        return all(_expr_ok(a, n, keys) for a in e.args) and all(_expr_ok(v, n, keys) for _, v in e.kwargs)
    if isinstance(e, (ir.Tuple, ir.ListExpr)):
        return all(_expr_ok(x, n, keys) for x in e.elts)
    if isinstance(e, DictExpr):
        return all(_expr_ok(x, n, keys) for x in e.values)
    if isinstance(e, ir.Slice):
        return all(x is None or _expr_ok(x, n, keys) for x in (e.lower, e.upper, e.step))
    if isinstance(e, ir.Attr):
        return _expr_ok(e.value, n, keys)
    return True
