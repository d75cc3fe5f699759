"""Live variables of a block of IR statements: for each statement, the names some path after it
may read before binding them again.

Guarantee: an over-approximation of what runs after each statement can read -- a loop's next pass
counts as after (its reads before its own bindings), a break continues after its loop, a continue
at the loop's next pass, a return ends every path.  The alias fence (aliasing.py) relies on it: a
name not in the set is never read again before it is bound anew."""
from __future__ import annotations

from .. import ir
from ..ir import Assign, For


def later_reads(block) -> dict:
    """id(statement) -> the names some path after it may read before binding them again (live
    variables: a loop's next pass counts as after, its reads before its own bindings; a break
    goes on after its loop, a continue to the loop's next pass)."""
    out: dict = {}
    _live(block, frozenset(), out, None)
    return out


def _live(block, after, out, jumps):
    """The names live before block, given those live after it; out[id(s)]: live after s.
    `jumps`: (live after the innermost loop, live at its next pass), for break and continue."""
    live = set(after)
    for s in reversed(block):
        out[id(s)] = frozenset(live)
        live = _live_before(s, live, out, jumps)
    return live


def _live_before(s, after, out, jumps):
    if isinstance(s, ir.Return):
        return set(ir.stmt_reads(s))  # (nothing after a return runs)
    if isinstance(s, (ir.Break, ir.Continue)):
        return set(jumps[0] if isinstance(s, ir.Break) else jumps[1])
    if isinstance(s, ir.If):
        return set(ir.stmt_reads(s)) | _live(s.body, after, out, jumps) | _live(s.orelse, after, out, jumps)
    if isinstance(s, (For, ir.While)):
        head = set(ir.stmt_reads(s))
        own = set(ir.target_names(s.target)) if isinstance(s, For) else set()
        # live at the end of a pass (and at a continue): what follows the loop, the next pass's
        # reads before its bindings, and a while's test (read before each pass)
        loop_out = set(after) | (head if isinstance(s, ir.While) else set())
        for _ in range(50):  # (each round adds names: a fixed point within the body's names)
            inner = _live(s.body, loop_out, out, (frozenset(after), frozenset(loop_out))) - own
            grown = loop_out | inner
            if grown == loop_out:
                break
            loop_out = grown
        else:  # (no fixed point: every name the loop reads, as a bound that holds)
            _live(s.body, set(after) | set(ir.all_reads([s])), out, (frozenset(after) | set(ir.all_reads([s])),) * 2)
            return set(after) | set(ir.all_reads([s]))
        return set(after) | head | inner
    if isinstance(s, Assign):
        return (set(after) - set(s.targets)) | set(ir.stmt_reads(s))
    return set(after) | set(ir.stmt_reads(s))
