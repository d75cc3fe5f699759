"""Records: what the forward sweep of a gradient saves for its reverse sweep, and nothing more.

The reverse transform emits restore markers (`Restore`, `GroupRestore`) where it overwrites a primal
value in reverse; `live_restores` keeps only those whose restored value is read later (backward
liveness over the reverse code); `PrimalSweep` re-emits the user's forward code with exactly those
saves (a list per loop, a plain variable outside loops, one tuple per iteration for values local to
it), branch flags and trip counts; `resolve_restores` turns markers into pops or assignments.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import ir
from ..builder import E, NP
from ..ir import Assign, Call, Const, ExprStmt, For, If, Name, SetItem, Tuple, While, expr_names, target_names, walk
from ..passes.shapes import Arr
from .analysis import _line, loop_binds
from .checkpoint import Recompute, forward_loop


_COMPARISONS = {"eq", "ne", "lt", "le", "gt", "ge", "not_", "is_", "is_not", "in_", "not_in", "bool"}


@dataclass(frozen=True)
class GroupRestore(ir.Stmt):
    """At the top of a reverse iteration: the values local to that iteration of the forward loop."""
    loop: int
    names: tuple
    loc: object = None


@dataclass(frozen=True)
class Restore(ir.Stmt):
    name: str
    site: int
    index: object = None
    loc: object = None


class PrimalSweep:
    """Re-emits the normalized forward code with the records the reverse sweep asked for."""

    def __init__(self, gen, needed: set, live_sites: set):
        self.gen = gen
        self.needed = needed
        self.live_sites = live_sites
        self.depth = 0
        self.inits = []
        self.stacks = []
        self.saves = {}  # site id -> (kind, name)   kind: "list" | "var"
        self.recorded = {}  # id(checkpointed loop) -> (loop, its body with records)

    def build(self, body):
        order = 0
        # program order of every assignment site, and whether it is unconditional at top level
        self.sites = {}
        def visit(block, top):
            nonlocal order
            for st in block:
                order += 1
                if isinstance(st, Assign):
                    for t in st.targets:
                        self.sites.setdefault(t, []).append((order, id(st), top))
                elif isinstance(st, If):
                    visit(st.body, False)
                    visit(st.orelse, False)
                elif isinstance(st, (For, While)):
                    visit(st.body, False)
        visit(body, True)
        self.order_of = {sid: o for sites in self.sites.values() for o, sid, _ in sites}
        return self.block(body)

    def block(self, body):
        out = []
        for s in body:
            out += self.stmt(s)
        return out

    def save(self, name, s, index=None):
        if name not in self.needed or (id(s), name) not in self.live_sites:
            return []
        gen = self.gen
        if index is None and name not in gen.fn.params:
            sites = self.sites.get(name, [])
            here = self.order_of.get(id(s), 0)
            earlier_top = any(o < here and top for o, _, top in sites)
            if not earlier_top:
                first = sites and sites[0][1] == id(s) and sites[0][2]
                if first:
                    return []  # its first definition, unconditional: nothing to overwrite yet
                if name not in self.inits:
                    self.inits.append(name)  # may be unbound here on the first iteration
        value = Name(name) if index is None else self._slot_copy(name, index, s)
        if self.depth:
            stack = gen.names.get(("saved", name), f"saved_{name}")
            if stack not in self.stacks:
                self.stacks.append(stack)
            self.saves[(id(s), name)] = ("list", stack)
            return [ExprStmt(Call(".append", (Name(stack), value)), s.loc)]
        var = gen.names.get(("saved1", id(s), name), f"{name}_before_{_line(s)}")
        self.saves[(id(s), name)] = ("var", var)
        return [Assign((var,), value, s.loc)]

    def _slot_copy(self, name, index, s):
        """The slot `name[index]` about to be overwritten, copied: `.copy()` of an array's (a view
        otherwise), np.copy where name may be a list (a float has no .copy; d = [0.0] * n)."""
        slot = E(Call("getitem", (Name(name), index)))
        return slot.method("copy").e if isinstance(self.gen.shapes.before(s, name), Arr) else NP.copy(slot.e).e

    def stmt(self, s):
        gen = self.gen
        if isinstance(s, Assign):
            pre = []
            for t in s.targets:
                pre += self.save(t, s)
            return pre + [s]
        if isinstance(s, SetItem):
            return self.save(s.target, s, s.index) + [s]
        if isinstance(s, If):
            body, orelse = self.block(s.body), self.block(s.orelse)
            if id(s) not in gen.used_flags:
                return [If(s.test, tuple(body), tuple(orelse), s.loc)]
            flag = gen.names.get(("flag", id(s)), f"branch_{_line(s)}")
            test = s.test
            if set(expr_names(test)) & gen.lists and not (isinstance(test, Call) and test.op in _COMPARISONS):
                # `if out:` on a list still growing: the flag keeps its truth then, not the list itself
                test = Call("bool", (test,))
            out = [Assign((flag,), test, s.loc)]
            if self.depth:
                stack = gen.names.get(("flags", id(s)), f"branches_{_line(s)}")
                if stack not in self.stacks:
                    self.stacks.append(stack)
                out.append(ExprStmt(Call(".append", (Name(stack), Name(flag))), s.loc))
            out.append(If(Name(flag), tuple(body), tuple(orelse), s.loc))
            return out
        if isinstance(s, (For, While)):
            # a for loop's target that held a value before the loop: the reverse loop leaves it at the
            # first item, so the code before the loop gets it back from here (ReverseControlFlow.loop);
            # a loop without reverse code: every name it binds, given back the same way
            binds = loop_binds(s) if id(s) not in gen.loops_emitted else \
                target_names(s.target) if isinstance(s, For) else ()
            kept = [x for t in binds for x in self.save(t, s)]
            self.depth += 1
            body = self.block(s.body)
            self.depth -= 1
            group = tuple(n for n in gen.loop_locals.get(id(s), ()) if (id(s), n) in self.live_sites)
            if group and id(s) in gen.loops_emitted:
                var = (target_names(s.target)[0] if isinstance(s, For) else "iteration")
                store = gen.names.get(("group", id(s)), f"saved_per_{var}")
                if store not in self.stacks:
                    self.stacks.append(store)
                self.saves[("group", id(s))] = (store, group)
                value = Name(group[0]) if len(group) == 1 else Tuple(tuple(Name(n) for n in group))
                body = body + [ExprStmt(Call(".append", (Name(store), value)), s.loc)]
            if gen.plan is not None and gen.plan.covers(s) and id(s) in gen.loops_emitted and not self.depth:
                # checkpointed: the plain body with snapshots here, the recorded one recomputed in
                # the reverse sweep (ad/checkpoint.py)
                self.recorded[id(s)] = (s, body)
                return kept + forward_loop(gen.plan, s, s.body, gen.plan.name("range", s), self.inits)
            out = []
            emitted = id(s) in gen.loops_emitted
            trips = gen.names.given.get(("trips", id(s))) if emitted and gen.used_trips.get(id(s)) else None
            if trips is not None:
                out.append(Assign((trips,), Const(0), s.loc))
                body = [Assign((trips,), Call("iadd", (Name(trips), Const(1))), s.loc)] + body
            if isinstance(s, For):
                it = s.iter
                if emitted and gen.record_range(s):
                    rng = gen.names.get(("range", id(s)), f"range_{_line(s)}")
                    out.append(Assign((rng,), it, s.loc))
                    it = Name(rng)
                out.append(For(s.target, it, tuple(body), s.loc))
            else:
                out.append(While(s.test, tuple(body), s.loc))
            if trips is not None and self.depth:
                stack = gen.names.get(("tripstack", id(s)), f"trip_counts_{_line(s)}")
                if stack not in self.stacks:
                    self.stacks.append(stack)
                out.append(ExprStmt(Call(".append", (Name(stack), Name(trips))), s.loc))
            return kept + out
        return [s]


def resolve_restores(code, saves):
    """Replace restore markers by pops / plain assignments (or drop them: nothing was saved)."""
    out = []
    for s in code:
        if isinstance(s, GroupRestore):
            hit = saves.get(("group", s.loop))
            if hit is None:
                continue
            store, names = hit
            out.append(Assign(tuple(names), Call(".pop", (Name(store),)), s.loc))
            continue
        if isinstance(s, Restore):
            hit = saves.get((s.site, s.name))  # one site may restore several names (`y, res = f(x)`)
            if hit is None:
                continue
            kind, store = hit
            value = Call(".pop", (Name(store),)) if kind == "list" else Name(store)
            if s.index is None:
                out.append(Assign((s.name,), value, s.loc))
            else:
                out.append(SetItem(s.name, s.index, value, s.loc))
        elif isinstance(s, If):
            out.append(If(s.test, tuple(resolve_restores(s.body, saves)), tuple(resolve_restores(s.orelse, saves)), s.loc))
        elif isinstance(s, For):
            out.append(For(s.target, s.iter, tuple(resolve_restores(s.body, saves)), s.loc))
        else:
            out.append(s)
    return out


def live_restores(code, live_out=frozenset()) -> set:
    """Sites whose restore is read later in the reverse sweep (flow-sensitive to-be-recorded).

    A value overwritten in the forward sweep needs saving only if, once restored, the reverse
    sweep reads it before it is restored again: a backward liveness analysis over the reverse
    code, where a restore of v is a definition of v, and a reverse loop's body also flows into
    its own start (the next reverse iteration)."""
    needed = set()

    def block(code, live):
        live = set(live)
        for st in reversed(code):
            if isinstance(st, Recompute):  # a segment recomputed: defines what it writes, reads its inputs
                live -= set(st.writes)
                live |= set(st.reads)
                continue
            if isinstance(st, GroupRestore):
                for n in st.names:
                    if n in live:
                        needed.add((st.loop, n))
                        live.discard(n)
                continue
            if isinstance(st, Restore):
                if st.name in live:
                    needed.add((st.site, st.name))
                    live.discard(st.name)
                    if st.index is not None:
                        live.add(st.name)  # a slot restore keeps the rest of the array's value
                        live |= set(expr_names(st.index))
            elif isinstance(st, If):
                live = block(st.body, live) | block(st.orelse, live) | set(expr_names(st.test))
            elif isinstance(st, For):
                after = live | set(expr_names(st.iter))
                inner = set()
                while True:
                    new = block(st.body, after | inner)
                    if new <= inner:
                        break
                    inner |= new
                live = after | inner
            else:
                for w in ir.stmt_writes(st):
                    if not isinstance(st, SetItem):
                        live.discard(w)
                live |= set(ir.stmt_reads(st))
        return live
    block(code, set(live_out))
    return needed


def primal_reads(code, primal: set) -> set:
    out = set()
    for s in walk(code):
        if isinstance(s, Recompute):
            out |= set(s.reads) & primal
            continue
        if isinstance(s, Restore):
            if s.index is not None:
                out |= set(expr_names(s.index)) & primal
            continue
        if isinstance(s, For):
            out |= (set(expr_names(s.iter)) & primal)
            continue
        out |= set(ir.stmt_reads(s)) & primal
        if isinstance(s, SetItem):
            out |= set(expr_names(s.index)) & primal
    return out
