"""Control flow in the reverse sweep: a branch's adjoint states agree where they meet (same
variable, same shape, materialized zeros where one path has none), a loop's adjoint state is a fixed
point at the top of each reverse iteration, and loops run backwards over their recorded trip counts
or ranges.  A mixin of ReverseGenerator.
"""
from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..ir import Assign, Call, For, If, Name, Slice, While, expr_names, target_names
from ..passes.shapes import PyNum
from .analysis import _breaks, _has_work, _line, always_raises, loop_binds
from .context import _shape
from .checkpoint import reverse_loop
from .merge import AdjointMerge
from .records import GroupRestore


class ReverseControlFlow(AdjointMerge):
    """Branches and loops of the reverse sweep; their states meet through AdjointMerge (merge.py)."""

    def if_(self, s):
        before = dict(self.adj)
        self.split_writes = {}  # nor a branch (accumulate.scatter)
        body = self._branch_lists(s, 0, self.block(s.body))
        a_state = self.adj
        self.adj = dict(before)
        self.split_writes = {}
        orelse = self._branch_lists(s, 1, self.block(s.orelse))
        b_state = self.adj
        merged = {}
        # a branch that always raises has no reverse: the adjoints leave the if as the other's
        # (no zeros to fill in for values only the other branch binds)
        if always_raises(s.body) != always_raises(s.orelse):
            body, orelse = ([], orelse) if always_raises(s.body) else (body, [])
            a_state = b_state = b_state if always_raises(s.body) else a_state
        for v in sorted(set(a_state) | set(b_state)):
            a, b = a_state.get(v), b_state.get(v)
            if a == b:
                merged[v] = a
                continue
            (code_a, code_b), val = self._agree(v, [a, b], s.loc)
            body += code_a
            orelse += code_b
            merged[v] = val
        self.adj = merged
        if not _has_work(body) and not _has_work(orelse):
            return []
        flag = self.names.get(("flag", id(s)), f"branch_{_line(s)}")
        self.used_flags.add(id(s))
        code = []
        if self.loop_depth:
            stack = self.names.get(("flags", id(s)), f"branches_{_line(s)}")
            code.append(Assign((flag,), Call(".pop", (Name(stack),)), s.loc))
        code.append(If(Name(flag), tuple(body), tuple(orelse), s.loc))
        return code

    def _branch_lists(self, s, side, code):
        """A branch's reverse code, after the start of its own lists' adjoints (ad/lists.py)."""
        own = self.list_adj.of_branch.get((id(s), side)) if self.lists else None
        return self.list_adj.prologue(s.loc, own) + code if own and _has_work(code) else code

    def loop(self, s):
        entry0 = dict(self.adj)
        self.loop_depth += 1
        try:
            # the adjoint state at the top of every reverse iteration: a fixed point
            entry, fresh = dict(entry0), set()
            last = None
            for _ in range(8):
                self.adj = dict(entry)
                self.split_writes = {}  # runs of np.split pieces never span a loop's passes
                last = self.block(s.body)
                exit_ = self.adj
                new = {}
                for v in sorted(set(entry) | set(exit_)):
                    a, b = entry.get(v), exit_.get(v)
                    if v not in entry:
                        fresh.add(v)
                        a = None
                    _, val = self._agree(v, [a, b], s.loc)
                    if v in fresh and v not in entry:
                        val = replace(val, mask=None, owned=not isinstance(self.full_value(v), PyNum)) \
                            if _shape(val.value) == _shape(self.full_value(v)) else val
                    new[v] = val
                if new == entry:
                    break
                entry = new
            else:
                last = None
            if last is not None and self._own_before(entry, last):
                last = None  # the body again, from the owned state
            pre = []
            for v in sorted(entry):
                cur0 = entry0.get(v)
                if cur0 == entry[v]:
                    continue
                code, val = self._reach(v, cur0, entry[v], s.loc)
                pre += code
            if last is not None:  # the last round ran from this very state: its code is the body's
                body, self.adj = last, exit_
            else:
                self.adj = dict(entry)
                self.split_writes = {}
                body = self.block(s.body)
            group = tuple(n for n in self.loop_locals.get(id(s), ()) if self.needed is None or n in self.needed)
            own = self.list_adj.of_loop.get(id(s)) if self.lists else None
            if own:  # lists of one pass: an empty adjoint and their own length (ad/lists.py)
                body = self.list_adj.prologue(s.loc, own) + body
            if group:
                body = [GroupRestore(id(s), group, s.loc)] + body
            for v in sorted(entry):  # the end of a reverse iteration must look like its start
                cur = self.adj.get(v)
                if cur == entry[v]:
                    continue
                code, _ = self._reach(v, cur, entry[v], s.loc)
                body += code
            self.adj = dict(entry)
        finally:
            self.loop_depth -= 1
        if not _has_work(body):
            # no reverse iterations, but the loop binds names the reverse sweep may read before it
            # (`for j in ...: if x[i, j] > t: break` then x[i, j]): given back their values from
            # before the loop, as an assignment's target is (records.PrimalSweep saves them)
            return pre + [self.restore(t, s) for t in loop_binds(s) if self.keeps(t)]
        self.loops_emitted.add(id(s))
        code = list(pre)
        # the loop's target gets back the value it held before the loop (records.PrimalSweep saves it)
        after = [self.restore(t, s) for t in (target_names(s.target) if isinstance(s, For) else ())
                 if self.keeps(t)]
        if self.plan is not None and self.plan.covers(s) and not self.loop_depth:
            return code + reverse_loop(self.plan, s, body, self.plan.name("range", s)) + after
        trips = self.trip_name(s)
        if trips is not None and self.loop_depth:
            stack = self.names.get(("tripstack", id(s)), f"trip_counts_{_line(s)}")
            code.append(Assign((trips,), Call(".pop", (Name(stack),)), s.loc))
        if isinstance(s, For):
            it = Name(self.names.get(("range", id(s)), f"range_{_line(s)}")) if self.record_range(s) else s.iter
            if trips is not None:
                it = Call("getitem", (it, Slice(None, Name(trips), None)))
            code.append(For(s.target, Call("reversed", (it,)), tuple(body), s.loc))
        else:
            code.append(For(Name("_"), Call("range", (Name(trips),)), tuple(body), s.loc))
        return code + after

    def _own_before(self, entry, body):
        """Make owned, at the top of every reverse iteration, each adjoint the body copies whole
        into itself to update it in place (`grad_a = np.full_like(a, grad_a)` before
        `np.add.at(grad_a, t - 1, ...)`: the entry adjoint aliased a seed or another adjoint).  The
        copy then happens once, before the loop, instead of once per iteration -- quadratic in the
        trip count for a recurrence over the rows of an array.  Whether any was changed."""
        copied = {st.targets[0] for st in ir.walk(body) if isinstance(st, Assign) and len(st.targets) == 1
                  and isinstance(st.value, Call) and st.value.op == "np.full_like" and len(st.value.args) == 2
                  and st.value.args[1] == Name(st.targets[0])}
        changed = False
        for v in sorted(entry):
            cur = entry[v]
            if cur is not None and not cur.owned and self.grad_name(v) in copied and self._settled(v, cur) \
                    and not isinstance(self.full_value(v), PyNum):
                entry[v] = replace(cur, owned=True, mask=None)
                changed = True
        return changed

    def trip_name(self, s):
        if isinstance(s, While) or _breaks(s.body):
            self.used_trips[id(s)] = True
            return self.names.get(("trips", id(s)), f"trips_{_line(s)}")
        return None

    def record_range(self, s):
        written = set(ir.all_writes(s.body))
        return bool(set(expr_names(s.iter)) & written)


