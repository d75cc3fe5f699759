"""Control flow around containers bound at compile time (helpers of flatten_stmts.py).

- `without_continue(body)`: a loop body with its own `continue`s turned into branches (the rest
  of the body copied under the branch that goes on), so a loop over a container can be unrolled
  into straight code; None when that copy would grow past a bound.  `without_jumps` does the same
  for `break` and `return`, which become assignments of flags (flatten_stmts.unrolled_stops).
- a name bound to another container in a loop's body is sound when no pass through the body reads
  the binding of the pass before (dataflow.exposed).
- `Conflict`: what a name holds after a branch or a loop left it on different containers: reading
  it later is refused (at the read, naming where the containers diverged); binding it again is
  fine, as is never reading it (the frontend's own temporaries, `for W, b in layers` in an `if`).
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Break, Continue, If, Return

_MAX_STATEMENTS = 400  # copies of the rest of a body past this: refused rather than compiled slowly


def _jumps(block, kind=Continue) -> bool:
    """Whether block holds a `continue` (or `break`) of the loop around it, not one of a nested loop."""
    for s in block:
        if isinstance(s, kind):
            return True
        if isinstance(s, If) and (_jumps(s.body, kind) or _jumps(s.orelse, kind)):
            return True
    return False


def stops_early(body) -> bool:
    """Whether the loop around body may stop before its last pass: its own `break`, or any `return`."""
    return _jumps(body, Break) or any(isinstance(s, Return) for s in ir.walk(body))


class _TooLarge(Exception):
    pass


def _own_jump(s) -> bool:
    return isinstance(s, (Continue, Break, Return))


def _jumps_at_all(block) -> bool:
    """Whether block holds a `continue`, `break` or `return` of the loop around it (not in a nested loop)."""
    return any(_own_jump(s) or isinstance(s, If) and (_jumps_at_all(s.body) or _jumps_at_all(s.orelse))
               for s in block)


def _eliminate(block, budget, at_jump):
    for i, s in enumerate(block):
        if _own_jump(s):
            return list(block[:i]) + at_jump(s)
        if isinstance(s, If) and (_jumps_at_all(s.body) or _jumps_at_all(s.orelse)):
            rest = list(block[i + 1:])
            budget[0] -= sum(1 for _ in ir.walk(rest))  # the rest is copied into both branches
            if budget[0] < 0:
                raise _TooLarge
            return list(block[:i]) + [If(s.test, tuple(_eliminate(list(s.body) + rest, budget, at_jump)),
                                         tuple(_eliminate(list(s.orelse) + rest, budget, at_jump)), s.loc)]
    return list(block)


def without_continue(body):
    """body with its loop's `continue`s made branches, or None when the copies grow too large."""
    if not _jumps(body):
        return list(body)
    return without_jumps(body, lambda s: [])


def without_jumps(body, at_jump):
    """body with its loop's own `continue`, `break` and `return` made branches: each is replaced by
    at_jump(statement) (nothing for a continue), and the rest of the body after a branch that may
    jump is copied under the branch that goes on; None when the copies grow too large."""
    try:
        return _eliminate(list(body), [_MAX_STATEMENTS], at_jump)
    except _TooLarge:
        return None


@dataclass(frozen=True)
class Conflict:
    """A name left on different containers by the statement at `loc` (`what` says how)."""
    name: str
    what: str
    loc: object
    test: str = None  # the name an if tests, where its test is one (a parameter may be made static)
    kind: str = "container"  # what differs: a container, or the function an object holds

    def refuse(self, at):
        line = getattr(self.loc, "line", None)
        where = f" at line {line}" if line is not None else ""
        err = UnsupportedSyntaxError(
            f"'{self.name}' is read here, but the {self.what}{where} leaves it on a different {self.kind} "
            "depending on the path taken (bind it to one container before that statement, or read it "
            "inside it)", at)
        if self.test is not None:  # (`if use_bias:` of a bool argument: compiled per value, static_args.py)
            err.runtime_name = self.test
        raise err
