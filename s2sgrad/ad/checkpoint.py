"""Checkpointing (`differentiate(fn, checkpoint=True)` or a number of snapshots): bounded memory for
long loops, by recomputing segments in the reverse sweep instead of recording every iteration.

The schedule (√n segments, Griewank & Walther's simplest one; `checkpoint=S` gives S segments):
a top-level `for` loop over a sequence of n items (no `break`) is cut into segments of
`segment = ceil(n / S)` iterations, S = ceil(√n) by default.  The forward sweep runs the user's
body *without records* and keeps a snapshot of the loop-carried values (those the body reads before
it writes them) at the start of each segment.  The reverse sweep walks the segments backwards: it
restores a segment's snapshot, recomputes the segment *with* its records (the same recorded body
an unchecked gradient runs once), and runs the segment's reverse iterations.  The sequence of
reverse iterations is the unchecked one, so the gradient is the same to round-off; memory is S
snapshots plus one segment's records (2√n iterations' worth instead of n); time is one more
forward pass of the loop.

Guarantees: the generated code says so in a comment above each checkpointed loop; snapshots copy
arrays the body writes in place; a loop that only appends to a list made before it (a trajectory,
read after the loop) recomputes its segments without the appends, which the forward sweep made;
a loop that pops from such a list, or reads it, or draws random numbers keeps its records instead,
and the function is refused when no loop can be checkpointed; loops with `break` or trip counts
(while loops) are not checkpointed and keep their records (the comment of the function's header
says which loops were).
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..frontend.effects import OUTPUT_OPS
from ..ir import Assign, Call, Comment, Const, ExprStmt, For, Name, SetItem, Slice, Tuple
from ..passes.dataflow import UNBOUND, exposed, unbinds
from ..rules.custom import may_draw
from .analysis import _line
from .list_scopes import branch_lists, loop_lists


@dataclass(frozen=True)
class Recompute(ir.Stmt):
    """In the reverse sweep: recompute one segment of loop `loop` with its records (replaced by
    the recorded forward body once the primal sweep has built it, see `resolve`)."""
    loop: int
    reads: tuple     # what the recomputation reads (conservatively: everything the body reads)
    writes: tuple    # what it writes
    loc: object = None


class Plan:
    """Which loops are checkpointed, and the names their code uses."""

    def __init__(self, fn, snapshots, names, lists):
        self.snapshots = snapshots  # True: sqrt(n) segments; an int: that many
        self.names = names
        self.loops = {}
        self.appended = {}  # id(loop) -> the lists made before it that it only appends to
        refusals = []  # loops that cannot be checkpointed: recorded as usual, refused if none can be
        scoped = {**loop_lists(fn), **branch_lists(fn)}  # (loop or (if, side) -> the lists made anew there)
        for s in fn.body:
            if isinstance(s, For) and not any(isinstance(x, ir.Break) for x in ir.walk(s.body)):
                # (a list made anew in the body -- in each pass, or in a branch of it -- and used only
                # there is made anew when a segment is recomputed too: ad/list_scopes.loop_lists,
                # branch_lists; a list bound before the loop too is appended to across passes)
                within = {id(x) for x in ir.walk([s])}
                fresh = {L for key, names in scoped.items() if (key[0] if isinstance(key, tuple) else key) in within
                         for L in names}
                appends = [x for x in ir.walk(s.body) if isinstance(x, Assign) and isinstance(x.value, Call)
                           and x.value.op in ("list_append", "list_pop") and x.target in lists - fresh]
                # a trajectory (`qs = []` before the loop, `qs.append(state.flow(k))` in it, read after
                # it): recomputing a segment skips the appends, the forward sweep made the list
                # whole, and the reverse sweep's positions count down as they do without checkpoints
                # -- as long as nothing in the loop reads the list (a read would see the whole list)
                kept = {x.target for x in appends}
                own = {id(x) for x in appends}  # (`L = list_append(L, item)` reads L once: its own append)
                if appends and all(x.value.op == "list_append" for x in appends) and not any(
                        L in ir.stmt_reads(x) for x in ir.walk(s.body) for L in kept
                        if not (id(x) in own and x.target == L and ir.stmt_reads(x).count(L) == 1)):
                    self.appended[id(s)] = frozenset(kept)
                    appends = []
                if appends:
                    refusals.append(UnsupportedSyntaxError(
                        f"checkpointing the loop at line {_line(s)}: it appends to the list '{appends[0].target}', which "
                        "lives across its passes, and recomputing a segment would append to it again "
                        "(keep the values in an array written by index, or differentiate without checkpoint)",
                        appends[0].loc))
                    continue
                draws = [x for x in ir.walk(s.body) if any(may_draw(c.op) for c in ir.stmt_calls(x))]
                if draws:
                    refusals.append(UnsupportedSyntaxError(
                        f"checkpointing the loop at line {_line(s)}: it draws random numbers (or calls a rule of "
                        "yours, which may), and recomputing a "
                        "segment would draw other ones (draw them before the loop, e.g. noise = "
                        "np.random.standard_normal((n, d)), and read noise[i] in it; or differentiate without "
                        "checkpoint)", draws[0].loc))
                    continue
                self.loops[id(s)] = s
        if refusals and not self.loops:
            raise refusals[0]
        # names that may hold the UNBOUND sentinel (passes/unbound.py): a snapshot keeps it as it is
        self.unbound = {unbinds(x) for x in ir.walk(fn.body)} - {None}
        self.before = {}  # id(loop) -> names assigned before it at the top level (or parameters)
        seen = set(fn.params)
        for s in fn.body:
            if id(s) in self.loops:
                self.before[id(s)] = set(seen)
            seen.update(ir.stmt_writes(s))
            seen.update(ir.all_writes([s]))

    def covers(self, s):
        return id(s) in self.loops

    def name(self, kind, s):
        return self.names.get((kind, id(s)), f"{kind}_{_line(s)}")

    def carried(self, s):
        """What a snapshot holds: the values the body reads before writing them, and every value
        it overwrites that existed before the loop (the reverse sweep of the code before the loop
        reads those as they were, and a recomputed segment would otherwise start from whatever the
        previous segment's reverse left in them)."""
        written = set(ir.all_writes(s.body)) - set(ir.target_names(s.target))
        first = [n for n in exposed(s.body) if n in written]
        return tuple(first + sorted(n for n in written if n in self.before[id(s)] and n not in first))

    def in_place(self, s):
        """Names whose array the body may change in place: written into, updated with `+=`, or
        holding the array of such a name (`J = I; J[2] = s` changes I's array: its snapshot is a copy)."""
        out = {x.target for x in ir.walk(s.body) if isinstance(x, SetItem)} | {
            x.target for x in ir.walk(s.body) if isinstance(x, Assign) and x.aug}
        moves = [(x.target, x.value.id) for x in ir.walk(s.body)
                 if isinstance(x, Assign) and len(x.targets) == 1 and isinstance(x.value, Name)]
        grew = True
        while grew:
            grew = False
            for a, b in moves:
                if (a in out) != (b in out):
                    out |= {a, b}
                    grew = True
        return out

    def segments(self, s, rng):
        """`range(0, len(range_L), segment_L)` and the statement computing segment_L."""
        n = Call("len", (Name(rng),))
        seg = self.name("segment", s)
        if self.snapshots is True:  # ceil(sqrt(n))
            size = Call("int", (Call("np.ceil", (Call("np.sqrt", (n,)),)),))
        else:  # ceil(n / S)
            size = Call("neg", (Call("floordiv", (Call("neg", (n,)), Const(int(self.snapshots)))),))
        return seg, Assign((seg,), Call("max", (Const(1), size)), s.loc), Call("range", (Const(0), n, Name(seg)))

    def window(self, s, rng, start):
        seg = self.name("segment", s)
        return Call("getitem", (Name(rng), Slice(Name(start), Call("add", (Name(start), Name(seg))), None)))


def forward_loop(plan, s, plain_body, rng_name, inits):
    """The forward sweep of a checkpointed loop: snapshots every segment, the plain body."""
    carried = plan.carried(s)
    for n in carried:
        if n not in plan.before[id(s)] and n not in inits:
            inits.append(n)  # may be unbound at the first snapshot (read in a later iteration only)
    copies = plan.in_place(s)
    snaps, start = plan.name("snapshots", s), plan.name("start", s)
    seg, seg_stmt, segments = plan.segments(s, rng_name)
    values = tuple(_copy(n, Const(None) if n in inits else UNBOUND if n in plan.unbound else None)
                   if n in copies else Name(n) for n in carried)
    what = ", ".join(carried) or "nothing"
    every = "ceil(sqrt(n))" if plan.snapshots is True else f"n / {plan.snapshots}"
    out = [Comment(f"checkpointed (line {_line(s)}): a snapshot of ({what}) every {every} steps; the reverse "
                   "sweep recomputes one segment at a time from its snapshot"),
           Assign((rng_name,), s.iter, s.loc), seg_stmt, Assign((snaps,), ir.ListExpr(()), s.loc)]
    body = []
    if carried:
        value = values[0] if len(values) == 1 else Tuple(values)
        body.append(ExprStmt(Call(".append", (Name(snaps), value)), s.loc))
    body.append(For(s.target, plan.window(s, rng_name, start), tuple(plain_body), s.loc))
    out.append(For(Name(start), segments, tuple(body), s.loc))
    return out


def _copy(n, unbound):
    """A snapshot's copy of n; n not bound yet when the loop starts (it holds `unbound`, None or
    UNBOUND; None: n is bound) kept as it is."""
    copy = Call(".copy", (Name(n),))
    return Call("ifexp", (Call("is_", (Name(n), unbound)), Name(n), copy)) if unbound is not None else copy


def reverse_loop(plan, s, rev_body, rng_name):
    """The reverse sweep of a checkpointed loop: per segment, backwards, restore its snapshot,
    recompute it with records, run its reverse iterations."""
    carried = plan.carried(s)
    snaps, start = plan.name("snapshots", s), plan.name("start", s)
    _, _, segments = plan.segments(s, rng_name)
    body = []
    if carried:
        body.append(Assign(carried, Call(".pop", (Name(snaps),)), s.loc))
    reads = tuple(sorted(set(ir.all_reads(s.body)) | {rng_name, plan.name("segment", s), start}))
    body.append(Recompute(id(s), reads, tuple(sorted(set(ir.all_writes(s.body)) | set(ir.target_names(s.target)))),
                          s.loc))
    body.append(For(s.target, Call("reversed", (plan.window(s, rng_name, start),)), tuple(rev_body), s.loc))
    return [For(Name(start), Call("reversed", (segments,)), tuple(body), s.loc)]


def resolve(code, recorded, plan):
    """Replace each Recompute marker by the loop's recorded forward body over its segment."""
    out = []
    for s in code:
        if isinstance(s, Recompute):
            loop, body = recorded[s.loop]
            rng, start = plan.name("range", loop), plan.name("start", loop)
            body = _silent(body, plan.appended.get(s.loop, frozenset()))
            out.append(For(loop.target, plan.window(loop, rng, start), tuple(body), s.loc))
        elif isinstance(s, (ir.If, For, ir.While)):
            out.append(ir.map_blocks(s, lambda b: resolve(b, recorded, plan)))
        else:
            out.append(s)
    return out


def _silent(body, appended=frozenset()):
    """A recomputed segment without the user's print and warnings.warn: they ran once, in the
    forward sweep (frontend/effects.py), as Python runs them; and without the appends to the lists
    made before the loop (`appended`), which that sweep made whole."""
    return [ir.map_blocks(s, lambda b: _silent(b, appended)) for s in body
            if not (isinstance(s, ir.ExprStmt) and isinstance(s.value, ir.Call) and s.value.op in OUTPUT_OPS)
            and not (isinstance(s, Assign) and s.targets[0] in appended and isinstance(s.value, Call)
                     and s.value.op == "list_append")]
