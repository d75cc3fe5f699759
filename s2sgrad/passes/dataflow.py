"""Which names a block reads before binding them, on structured IR.

`exposed(block)` lists, in the order of their first read, the names that some path through block
may read before block binds them: a read after an assignment on the same path is not exposed; a
name bound in only one branch of an `if`, or only inside a loop (which may run no times), is not
bound after it; a loop's body is walked once with its counter bound (a body that reads a name
before binding it is exposed, whichever pass it is).  Checkpointing uses it for the values a
segment must start from, the container pass for the names a loop's next pass reads from the last.
`maybe_unbound(block)` gives, statement by statement, the names it reads that some path may leave
unbound there (passes/unbound.py checks those reads); `UNBOUND` is the IR's name for the sentinel
such a name starts as, and `unbinds(s)` the name a statement binds to it.
"""
from __future__ import annotations

from .. import ir
from ..ir import Assign, Break, Call, Continue, ExprStmt, For, If, Name, Return, While

UNBOUND = Name("UNBOUND")  # (s2sgrad.runtime's sentinel: a name that may be unbound starts as it)


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


def maybe_unbound(block, bound=frozenset()) -> dict:
    """id(statement) -> the names it reads directly that may be unbound when it runs: bound on no
    path, in one branch only, or only inside a loop (which may run no times; in its body, a name
    the body binds later is unbound on the first pass).  A branch that ends in return, break,
    continue or raise does not reach the code after the `if`, so its bindings are not needed.
    `x = UNBOUND` (a `del x`, a helper's local at the start of each inlined call) unbinds x, and a
    check of x (passes/unbound.py) is not a read of it, and binds it for the code after it."""
    out: dict = {}
    _unbound(block, set(bound), out)
    return out


def unbinds(s):
    """The name `x = UNBOUND` unbinds, or None."""
    if isinstance(s, Assign) and len(s.targets) == 1 and s.value == UNBOUND:
        return s.targets[0]
    return None


def checked(s):
    """The name `if x is UNBOUND: raise UnboundLocalError(...)` checks, or None."""
    t = s.test if isinstance(s, If) else None
    if isinstance(t, Call) and t.op == "is_" and t.args[1:] == (UNBOUND,) and isinstance(t.args[0], ir.Name):
        return t.args[0].id
    return None


def _unbound(block, bound, out):
    for s in block:
        name = checked(s)
        if name is not None:
            bound.add(name)
            continue
        late = [n for n in ir.stmt_reads(s) if n not in bound and n != "UNBOUND"]
        if late:
            out[id(s)] = list(dict.fromkeys(late))
        if isinstance(s, If):
            body, orelse = set(bound), set(bound)
            _unbound(s.body, body, out)
            _unbound(s.orelse, orelse, out)
            reach = [b for b, blk in ((body, s.body), (orelse, s.orelse)) if _falls_through(blk)]
            if reach:
                bound.clear()
                bound |= set.intersection(*reach)
        elif isinstance(s, (For, While)):
            # (a name the body unbinds may be unbound on its next pass, and after it)
            bound -= {unbinds(x) for x in ir.walk(s.body)}
            _unbound(s.body, bound | (set(ir.target_names(s.target)) if isinstance(s, For) else set()), out)
        elif unbinds(s) is not None:
            bound.discard(unbinds(s))
        elif isinstance(s, Assign):
            bound |= set(s.targets)


def _falls_through(block) -> bool:
    """Whether the end of block can be reached (it does not end in return/break/continue/raise)."""
    if not block:
        return True
    last = block[-1]
    if isinstance(last, (Return, Break, Continue)):
        return False
    if isinstance(last, ExprStmt) and isinstance(last.value, Call) and last.value.op == "raise":
        return False
    if isinstance(last, If):
        return _falls_through(last.body) or _falls_through(last.orelse)
    return True


def bound_on_every_path(block) -> set:
    """Names every path through block binds (loops may run no times: theirs do not count)."""
    bound = set()
    for s in block:
        if isinstance(s, Assign):
            bound |= set(s.targets)
        elif isinstance(s, If):
            bound |= bound_on_every_path(s.body) & bound_on_every_path(s.orelse)
    return bound
