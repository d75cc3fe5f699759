"""Which names a block reads before binding them, on structured IR.

`exposed(block)` lists, in the order of their first read, the names that some path through block
may read before block binds them: a read after an assignment on the same path is not exposed; a
name bound in only one branch of an `if`, or only inside a loop (which may run no times), is not
bound after it; a loop's body is walked once with its counter bound (a body that reads a name
before binding it is exposed, whichever pass it is).  Checkpointing uses it for the values a
segment must start from, the container pass for the names a loop's next pass reads from the last.
"""
from __future__ import annotations

from .. import ir
from ..ir import Assign, For, If, While


def exposed(block, bound=frozenset()) -> list:
    """Names block may read before binding them (first-read order)."""
    out: dict = {}
    _visit(block, set(bound), out)
    return list(out)


def _visit(block, bound, out):
    for s in block:
        for n in ir.stmt_reads(s):
            if n not in bound:
                out.setdefault(n, None)
        if isinstance(s, If):
            _visit(s.body, set(bound), out)
            _visit(s.orelse, set(bound), out)
            bound |= bound_on_every_path(s.body) & bound_on_every_path(s.orelse)
        elif isinstance(s, For):
            _visit(s.body, bound | set(ir.target_names(s.target)), out)
        elif isinstance(s, While):
            _visit(s.body, set(bound), out)
        elif isinstance(s, Assign):
            bound |= set(s.targets)


def bound_on_every_path(block) -> set:
    """Names every path through block binds (loops may run no times: theirs do not count)."""
    bound = set()
    for s in block:
        if isinstance(s, Assign):
            bound |= set(s.targets)
        elif isinstance(s, If):
            bound |= bound_on_every_path(s.body) & bound_on_every_path(s.orelse)
    return bound
