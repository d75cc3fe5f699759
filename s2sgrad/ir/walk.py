"""Queries and rewrites over IR trees: the names an expression reads, the names a statement writes,
its expression fields, the calls it makes, and walks over nested blocks.  Pure functions: nothing
here changes a node; rewrites return new nodes."""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from .nodes import (Assign, Attr, Call, DictExpr, Expr, ExprStmt, For, If, ListExpr, Name, Return, SetItem,
                    Slice, Tuple, While)
def expr_names(e, out=None) -> list:
    """Names read by an expression, in order of appearance (duplicates kept)."""
    if out is None:
        out = []
    if isinstance(e, Name):
        out.append(e.id)
    elif isinstance(e, Call):
        for a in e.args:
            expr_names(a, out)
        for _, v in e.kwargs:
            expr_names(v, out)
    elif isinstance(e, Attr):
        expr_names(e.value, out)
    elif isinstance(e, (Tuple, ListExpr)):
        for a in e.elts:
            expr_names(a, out)
    elif isinstance(e, DictExpr):
        for a in e.values:
            expr_names(a, out)
    elif isinstance(e, Slice):
        for a in (e.lower, e.upper, e.step):
            if a is not None:
                expr_names(a, out)
    return out


def substitute(e, mapping: dict, ops: Optional[dict] = None):
    """Replace Names by expressions (mapping: name -> Expr), and calls' ops by others (ops: op -> op)."""
    if isinstance(e, Name):
        return mapping.get(e.id, e)
    if isinstance(e, Call):
        return Call(ops.get(e.op, e.op) if ops else e.op, tuple(substitute(a, mapping, ops) for a in e.args),
                    tuple((k, substitute(v, mapping, ops)) for k, v in e.kwargs))
    if isinstance(e, Attr):
        return Attr(substitute(e.value, mapping, ops), e.attr)
    if isinstance(e, Tuple):
        return Tuple(tuple(substitute(a, mapping, ops) for a in e.elts))
    if isinstance(e, ListExpr):
        return ListExpr(tuple(substitute(a, mapping, ops) for a in e.elts))
    if isinstance(e, DictExpr):
        return DictExpr(e.keys, tuple(substitute(a, mapping, ops) for a in e.values))
    if isinstance(e, Slice):
        return Slice(*(None if a is None else substitute(a, mapping, ops) for a in (e.lower, e.upper, e.step)))
    return e


def target_names(t) -> list:
    if isinstance(t, Name):
        return [t.id]
    if isinstance(t, Tuple):
        out = []
        for x in t.elts:
            out.extend(target_names(x))
        return out
    raise TypeError(t)


def stmt_reads(s) -> list:
    """Names a statement reads directly (not inside nested blocks)."""
    if isinstance(s, Assign):
        return expr_names(s.value)
    if isinstance(s, SetItem):
        return [s.target] + expr_names(s.index) + expr_names(s.value)
    if isinstance(s, ExprStmt):
        return expr_names(s.value)
    if isinstance(s, (If, While)):
        return expr_names(s.test)
    if isinstance(s, For):
        return expr_names(s.iter)
    if isinstance(s, Return):
        return [] if s.value is None else expr_names(s.value)
    return []


def stmt_writes(s) -> list:
    """Names a statement binds directly (not inside nested blocks)."""
    if isinstance(s, Assign):
        return list(s.targets)
    if isinstance(s, SetItem):
        return [s.target]
    if isinstance(s, For):
        return target_names(s.target)
    return []


_EXPR_FIELDS = ("value", "iter", "test", "index")


def exprs_of(s) -> list:
    """The expressions a statement holds directly (not those of nested blocks)."""
    return [e for e in (getattr(s, f, None) for f in _EXPR_FIELDS) if isinstance(e, Expr)]


def with_exprs(s, f):
    """s with f (expression -> expression) applied to the expressions it holds directly."""
    fields = {n: f(getattr(s, n)) for n in _EXPR_FIELDS if isinstance(getattr(s, n, None), Expr)}
    return replace(s, **fields) if fields else s


def map_exprs(s, f):
    """s with f applied to every expression it holds, nested blocks' statements included."""
    return map_blocks(with_exprs(s, f), lambda b: [map_exprs(x, f) for x in b])


def map_blocks(s, f):
    """s rebuilt with f (block -> list of statements) applied to each block nested directly in it."""
    if isinstance(s, If):
        return If(s.test, tuple(f(s.body)), tuple(f(s.orelse)), s.loc)
    if isinstance(s, For):
        return For(s.target, s.iter, tuple(f(s.body)), s.loc)
    if isinstance(s, While):
        return While(s.test, tuple(f(s.body)), s.loc)
    return s


def walk(body):
    """All statements of a block, nested ones included, in source order."""
    for s in body:
        yield s
        if isinstance(s, If):
            yield from walk(s.body)
            yield from walk(s.orelse)
        elif isinstance(s, (For, While)):
            yield from walk(s.body)


def all_reads(body) -> list:
    out = []
    for s in walk(body):
        out.extend(stmt_reads(s))
    return out


def expr_calls(e):
    """The calls in an expression, outermost first."""
    if isinstance(e, Call):
        yield e
        for a in e.args:
            yield from expr_calls(a)
        for _, v in e.kwargs:
            yield from expr_calls(v)
    elif isinstance(e, (Tuple, ListExpr)):
        for a in e.elts:
            yield from expr_calls(a)
    elif isinstance(e, DictExpr):  # (a draw in a dict literal, {'a': rng.normal()}, is a call too)
        for k, v in zip(e.keys, e.values):
            yield from expr_calls(k)
            yield from expr_calls(v)
    elif isinstance(e, Slice):
        for a in (e.lower, e.upper, e.step):
            if a is not None:
                yield from expr_calls(a)
    elif isinstance(e, Attr):
        yield from expr_calls(e.value)


def stmt_calls(s):
    """The calls in a statement's own expressions (not inside nested blocks), outermost first."""
    for attr in ("value", "test", "iter", "index"):
        e = getattr(s, attr, None)
        if isinstance(e, Expr):
            yield from expr_calls(e)


def all_writes(body) -> list:
    out = []
    for s in walk(body):
        out.extend(stmt_writes(s))
    return out
