"""Single exit and structured jumps (normalize.py's first steps).

`single_exit(body, taken)` guarantees: the body has no Return; the value is the expression it
returns (a name, or a tuple of names where every return gives a tuple of one length); a return
inside a loop sets a `returned` flag and breaks, and each enclosing loop breaks on the flag.
`structure_jumps(block)` guarantees: every Break, Continue or Return is the last statement of its
block; what followed a statement that may jump is copied into the branches that fall through; a
trailing `continue` of a loop body is dropped.
"""
from __future__ import annotations

from ..ir import Assign, Break, Const, Continue, For, If, Name, Return, Tuple, While, walk


def _jumps(s) -> bool:
    return isinstance(s, (Break, Continue, Return))


def definitely_jumps(block) -> bool:
    if not block:
        return False
    last = block[-1]
    if _jumps(last):
        return True
    if isinstance(last, If):
        return definitely_jumps(last.body) and definitely_jumps(last.orelse)
    return False


def _may_jump(s) -> bool:
    """Whether s may transfer control out of the enclosing block (loops keep their own breaks)."""
    if _jumps(s):
        return True
    if isinstance(s, If):
        return any(_may_jump(x) for x in s.body) or any(_may_jump(x) for x in s.orelse)
    if isinstance(s, (For, While)):
        return any(isinstance(x, Return) for x in walk(s.body))
    return False


def structure_jumps(block) -> tuple:
    """Make every jump the last statement of its block, copying the rest into fall-through branches."""
    out = []
    block = list(block)
    for i, s in enumerate(block):
        if _jumps(s):
            out.append(s)
            return tuple(out)  # the rest is dead
        if isinstance(s, (For, While)):
            out.append(type(s)(*((s.target, s.iter) if isinstance(s, For) else (s.test,)),
                               _loop_body(s.body), s.loc))
            continue
        if isinstance(s, If) and _may_jump(s):
            rest = block[i + 1:]
            body = structure_jumps(list(s.body) + ([] if definitely_jumps(s.body) else rest))
            orelse = structure_jumps(list(s.orelse) + ([] if definitely_jumps(s.orelse) else rest))
            out.append(If(s.test, body, orelse, s.loc))
            return tuple(out)
        if isinstance(s, If):
            s = If(s.test, structure_jumps(s.body), structure_jumps(s.orelse), s.loc)
        out.append(s)
    return tuple(out)


def _loop_body(body):
    return _drop_trailing_continue(structure_jumps(body))


def _drop_trailing_continue(block):
    if not block:
        return block
    last = block[-1]
    if isinstance(last, Continue):
        return block[:-1]
    if isinstance(last, If):
        return block[:-1] + (If(last.test, _drop_trailing_continue(last.body),
                                _drop_trailing_continue(last.orelse), last.loc),)
    return block


def _fresh(base, taken: set):
    """base, or base_2, base_3, ... : the first not in taken, added to it."""
    name, k = base, 2
    while name in taken:
        name = f"{base}_{k}"
        k += 1
    taken.add(name)
    return name


def single_exit(body, taken: set):
    """Remove Return statements. Returns (body, result expression)."""
    body = tuple(body)
    returns = [s for s in walk(body) if isinstance(s, Return)]
    if not returns:
        return body, Const(None)
    if len(returns) == 1 and body and body[-1] is returns[0]:
        return body[:-1], body[-1].value if body[-1].value is not None else Const(None)
    result = _fresh("result", taken)
    flag = None
    if any(isinstance(r, Return) for s in walk(body) if isinstance(s, (For, While)) for r in walk(s.body)):
        flag = _fresh("returned", taken)
        arity = {len(r.value.elts) if isinstance(r.value, Tuple) else None for r in returns}
        if len(arity) == 1 and None not in arity:
            # `return x, t` from inside a loop (and everywhere else): a name per element, so no
            # tuple is bound on one path through the loop only (the container pass would refuse it)
            taken.add(result)
            result = tuple(_fresh(f"{result}_{i}", taken) for i in range(arity.pop()))
            taken.update(result)
    body = _returns_in_loops(body, result, flag, in_loop=False)
    body = structure_jumps(body)
    body = _returns_to_assign(body, result)
    if flag is not None:
        body = (Assign((flag,), Const(False), None),) + body
    return body, (Tuple(tuple(Name(r) for r in result)) if isinstance(result, tuple) else Name(result))


def _result_of(result, value, loc) -> list:
    """The assignments of a return's value to the result name(s) (a tuple: one per element)."""
    if isinstance(result, tuple):
        return [Assign((r,), v, loc) for r, v in zip(result, value.elts)]
    return [Assign((result,), value if value is not None else Const(None), loc)]


class _ReturnMarker(Return):
    """Where a loop that returned continues: the result is already set."""


def _returns_in_loops(block, result, flag, in_loop):
    out = []
    for s in block:
        if isinstance(s, Return) and in_loop:
            out += _result_of(result, s.value, s.loc) + [Assign((flag,), Const(True), s.loc), Break(s.loc)]
        elif isinstance(s, If):
            out.append(If(s.test, _returns_in_loops(s.body, result, flag, in_loop),
                          _returns_in_loops(s.orelse, result, flag, in_loop), s.loc))
        elif isinstance(s, (For, While)):
            has_ret = any(isinstance(r, Return) for r in walk(s.body))
            body = _returns_in_loops(s.body, result, flag, True)
            out.append(For(s.target, s.iter, body, s.loc) if isinstance(s, For) else While(s.test, body, s.loc))
            if has_ret:
                leave = Break(s.loc) if in_loop else _ReturnMarker(None, s.loc)
                out.append(If(Name(flag), (leave,), (), s.loc))
        else:
            out.append(s)
    return tuple(out)


def _returns_to_assign(block, result):
    out = []
    for s in block:
        if isinstance(s, _ReturnMarker):
            continue
        if isinstance(s, Return):
            out += _result_of(result, s.value, s.loc)
        elif isinstance(s, If):
            out.append(If(s.test, _returns_to_assign(s.body, result), _returns_to_assign(s.orelse, result), s.loc))
        elif isinstance(s, (For, While)):
            body = _returns_to_assign(s.body, result)
            out.append(For(s.target, s.iter, body, s.loc) if isinstance(s, For) else While(s.test, body, s.loc))
        else:
            out.append(s)
    return tuple(out)
