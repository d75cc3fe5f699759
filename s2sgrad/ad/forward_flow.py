"""Control flow in forward mode: tangents ride along the path the values take; where paths meet
(a branch's two arms, a loop's entry and back edge) a variable's tangent is one variable in every
path, a zero materialised on a path that has none (only where the variable itself exists there).
A mixin of ad.forward.ForwardGenerator."""
from __future__ import annotations

from .. import ir
from ..ir import Assign, Comment, For, If, While
from ..passes.shapes import UNKNOWN
from .context import _shape
from .tangents import Tan


class ForwardControlFlow:
    # ------------------------------------------------------------------ control flow
    def _agree(self, states, defined_on):
        """The tangent state after paths that end in `states` (one per path): returns the joined
        state and, per path, the code making its tangents that state's (zeros where a path has none)."""
        joined, codes = {}, [[] for _ in states]
        for v in sorted(set().union(*[set(st) for st in states])):
            have = [st.get(v) for st in states]
            vals = {_shape(h.value) for h in have if h is not None}
            joined[v] = Tan(have[0].value if len(vals) == 1 and None not in have else UNKNOWN,
                            all(h is not None and h.owned for h in have),
                            all(h is None or h.exact for h in have))
            for k, h in enumerate(have):
                if h is None and v in defined_on[k]:
                    codes[k].append(Assign((self.dot(v),), self.zero_of(v), None))
        return joined, codes

    def if_(self, s):
        before, defined0 = dict(self.tan), set(self.defined)
        body = self.block(s.body)
        a, da = self.tan, self.defined
        self.tan, self.defined = dict(before), set(defined0)
        orelse = self.block(s.orelse)
        b, db = self.tan, self.defined
        joined, (ca, cb) = self._agree([a, b], [da, db])
        for k in joined:
            self.gvals[self.dot(k)] = joined[k].value
        self.tan, self.defined = joined, da | db
        note = [Comment("the tangents take the branch the values take")] if _tangent_work(body + orelse, self) else []
        return note + [If(s.test, tuple(body + ca), tuple(orelse + cb), s.loc)]

    def loop(self, s):
        entry, defined0 = dict(self.tan), set(self.defined)
        head = entry
        for _ in range(8):
            self.tan, self.defined = dict(head), set(defined0)
            self.block(s.body)
            new, _ = self._agree([entry, self.tan], [defined0, self.defined])
            if new == head:
                break
            head = new
        pre = [Assign((self.dot(v),), self.zero_of(v), s.loc) for v in sorted(head)
               if v not in entry and v in defined0]
        for v, t in head.items():
            self.gvals[self.dot(v)] = t.value
        self.tan, self.defined = dict(head), set(defined0)
        body = self.block(s.body)
        tail = [Assign((self.dot(v),), self.zero_of(v), s.loc) for v in sorted(head)
                if v not in self.tan and v in self.defined]
        self.tan = {v: head[v] for v in head}
        self.defined |= defined0
        note = [Comment("each iteration carries the tangents along with the values")] \
            if _tangent_work(body, self) else []
        if isinstance(s, For):
            return pre + note + [For(s.target, s.iter, tuple(body + tail), s.loc)]
        return pre + note + [While(s.test, tuple(body + tail), s.loc)]


def _tangent_work(code, gen):
    """Whether generated code assigns a tangent (not only the user's own statements)."""
    dots = {n for k, n in gen.names.given.items() if k[0] == "dot"}
    return any(set(ir.stmt_writes(x)) & dots for x in ir.walk(code))


