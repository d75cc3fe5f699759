"""Optimizations on the generated function (IR -> IR).

- `inline_temporaries`: a temporary (an ANF temporary or the adjoint of one) that is assigned once
  and read once, later in the same block, with nothing in between writing what it reads, is folded
  into its use.  This turns `t1 = y_hat - y; t2 = np.square(t1)` back into `np.square(y_hat - y)`
  wherever the adjoint does not need `t1` itself.  Never moves work into a loop or a while test.
- `eliminate_dead`: drops pure assignments whose value nobody reads (the loss value, in the
  gradient-only variant).

Both are safe to skip: they change how the code reads, never what it computes.
"""
from __future__ import annotations

from collections import Counter

from ..ir import (Assign, Call, ExprStmt, For, Function, If, Name, Return, SetItem, While,
                  all_reads, expr_names, stmt_reads, stmt_writes, substitute, walk)


def _counts(body):
    reads = Counter(all_reads(body))
    defs = Counter()
    for s in walk(body):
        for w in stmt_writes(s):
            defs[w] += 1
    return reads, defs


def _nested_writes(s):
    out = set(stmt_writes(s))
    if isinstance(s, (If, For, While)):
        for x in walk([s]):
            out |= set(stmt_writes(x))
    return out


def _replace_in_stmt(s, name, value):
    m = {name: value}
    if isinstance(s, Assign):
        return Assign(s.targets, substitute(s.value, m), s.loc)
    if isinstance(s, SetItem):
        return SetItem(s.target, substitute(s.index, m), substitute(s.value, m), s.loc, s.aug)
    if isinstance(s, ExprStmt):
        return ExprStmt(substitute(s.value, m), s.loc)
    if isinstance(s, If):
        return If(substitute(s.test, m), s.body, s.orelse, s.loc)
    if isinstance(s, For):
        return For(s.target, substitute(s.iter, m), s.body, s.loc)
    if isinstance(s, Return):
        return Return(substitute(s.value, m), s.loc)
    return s


def _inline_block(block, temps, reads, defs):
    block = list(block)
    changed = True
    while changed:
        changed = False
        for i, s in enumerate(block):
            if not (isinstance(s, Assign) and len(s.targets) == 1):
                continue
            t = s.target
            if t not in temps or reads[t] != 1 or defs[t] != 1:
                continue
            if isinstance(s.value, Call) and s.value.op == "iadd":
                continue
            deps = set(expr_names(s.value))
            for j in range(i + 1, len(block)):
                u = block[j]
                if t in stmt_reads(u) and not isinstance(u, While):
                    if isinstance(u, Assign) and isinstance(u.value, Call) and u.value.op == "iadd" \
                            and isinstance(u.value.args[1], Name) and False:
                        break
                    block[j] = _replace_in_stmt(u, t, s.value)
                    del block[i]
                    changed = True
                    break
                if t in set(all_reads([u])) or (_nested_writes(u) & deps) or (
                        isinstance(u, SetItem) and u.target in deps):
                    break
            if changed:
                break
    out = []
    for s in block:
        if isinstance(s, If):
            s = If(s.test, tuple(_inline_block(s.body, temps, reads, defs)),
                   tuple(_inline_block(s.orelse, temps, reads, defs)), s.loc)
        elif isinstance(s, For):
            s = For(s.target, s.iter, tuple(_inline_block(s.body, temps, reads, defs)), s.loc)
        elif isinstance(s, While):
            s = While(s.test, tuple(_inline_block(s.body, temps, reads, defs)), s.loc)
        out.append(s)
    return out


def inline_temporaries(fn: Function, temps: set) -> Function:
    reads, defs = _counts(fn.body)
    body = _inline_block(fn.body, temps, reads, defs)
    return Function(fn.name, fn.params, tuple(body), fn.defaults, fn.header, fn.loc)


def _dce_block(block, reads):
    out = []
    for s in block:
        if isinstance(s, Assign) and all(reads[t] == 0 for t in s.targets) and not (
                isinstance(s.value, Call) and s.value.op in (".pop",)):
            continue
        if isinstance(s, If):
            s = If(s.test, tuple(_dce_block(s.body, reads)), tuple(_dce_block(s.orelse, reads)), s.loc)
        elif isinstance(s, For):
            s = For(s.target, s.iter, tuple(_dce_block(s.body, reads)), s.loc)
        elif isinstance(s, While):
            s = While(s.test, tuple(_dce_block(s.body, reads)), s.loc)
        out.append(s)
    return out


def eliminate_dead(fn: Function) -> Function:
    body = list(fn.body)
    while True:
        reads = Counter(all_reads(body))
        new = _dce_block(body, reads)
        if new == body:
            break
        body = new
    return Function(fn.name, fn.params, tuple(body), fn.defaults, fn.header, fn.loc)
