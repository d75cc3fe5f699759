"""The s2sgrad IR: small immutable dataclasses for expressions and statements, a printer and walks.

The IR is deliberately Python-shaped so that every stage of the pipeline can be printed as runnable
Python (`to_source`).  libcst never appears here: whitespace and comments stay at the frontend.

Expressions
    Name, Const, Call(op, args, kwargs), Attr, Tuple, Slice, ListExpr, DictExpr
    A Call's `op` is both the key into the rule table and the way it prints: infix operators use the
    names in `INFIX` ("add", "mul", ...), "getitem" prints as a subscript, an op starting with "."
    prints as a method call on the first argument, anything else prints as a function call
    ("np.exp", "unbroadcast").
Statements
    Assign, SetItem, ExprStmt, If, For, While, Return, Break, Continue, Comment
Every statement carries a `loc` (Loc or None) naming the user's source line it came from.

The package: `nodes` (the dataclasses), `walk` (queries and rewrites), `printer` (IR to Python).
Everything is re-exported here, so the rest of the compiler says `ir.Assign`, `ir.walk`, `ir.to_source`.
"""
from __future__ import annotations

from dataclasses import field, replace

from .nodes import *  # noqa: F401,F403  (the node types, listed in nodes.__all__)
from .nodes import __all__ as _nodes
from .printer import ATOM, INFIX, PREFIX, block_lines, expr_src, stmt_lines, to_source
from .walk import (all_reads, all_writes, expr_calls, expr_names, exprs_of, map_blocks, map_exprs,
                   stmt_calls, stmt_reads, stmt_writes, substitute, target_names, walk, with_exprs)

__all__ = list(_nodes) + ["field", "replace", "ATOM", "INFIX", "PREFIX", "block_lines", "expr_src",
                          "stmt_lines", "to_source", "all_reads", "all_writes", "expr_calls", "expr_names",
                          "exprs_of", "map_blocks", "map_exprs", "stmt_calls", "stmt_reads", "stmt_writes",
                          "substitute", "target_names", "walk", "with_exprs"]
