"""Reverse mode: from a normalized (ANF) function to its adjoint, as IR.

Guarantees about its output (`generate`):
- the forward sweep is the user's computation, plus a minimal record of what the reverse sweep
  reads and the forward sweep destroys: a branch flag per `if` whose reverse does work, a trip count
  per loop that needs one, and the old value of a variable about to be overwritten *only* when an
  adjoint reads that variable (to-be-recorded analysis).  Records inside loops are plain Python
  lists (`append`/`pop`); outside loops they are plain variables;
- the reverse sweep visits statements in reverse order; the first contribution to an adjoint is an
  assignment and later ones accumulate; adjoints that are zero are symbolic (never allocated), except
  where a loop or a branch needs the same state on every path (then `np.zeros_like` once, before the
  loop, as a hand-written backprop does);
- adjoints exist only for active variables (activity.py);
- broadcasting is undone once, where a contribution is statically larger than its variable
  (`.sum(axis=...)`), and only where static shapes are missing is the run-time `unbroadcast` used;
- an adjoint may be *lazy* (a scalar or a keepdims-shaped array that broadcasts to its variable's
  shape) while only elementwise rules consume it; it is materialised (`np.broadcast_to`) before a
  rule that needs the exact shape, and before it is returned.

Generation runs in two passes: the first learns which primal variables the reverse sweep reads (R),
the second emits save/restore code only for those.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .. import ir
from ..builder import E, NP
from ..errors import S2SGradError
from ..ir import Assign, Break, Call, Const, ExprStmt, For, If, Name, SetItem, Tuple, While
from ..passes.shapes import UNKNOWN, Arr, Known, PyNum
from .accumulate import Accumulate
from .adjoints import AdjointState, AdjVal
from .context import _is_array, _shape
from .list_scopes import reads_list
from .records import Restore
from .reverse_flow import ReverseControlFlow
from .reverse_rules import ApplyRules


class ReverseGenerator(ApplyRules, Accumulate, ReverseControlFlow, AdjointState):
    """The adjoint of one normalized function (see the module docstring); `run` returns
    (reverse-sweep code, the expression of each wrt gradient).  The reverse of an assignment is
    ApplyRules' (reverse_rules.py); branches and loops are ReverseControlFlow's."""

    # ------------------------------------------------------------------ entry point
    def run(self):
        seed_val = self.shapes.at_exit(self.result)
        if self.fold_seed:
            self.adj[self.result] = AdjVal(Const(1.0), PyNum(float), False)
        else:
            val = seed_val if _is_array(seed_val) else PyNum(float)
            self.adj[self.result] = AdjVal(Name(self.seed_name()), val, False)
        reverse = self.block(self.fn.body)
        if self.lists:
            reverse = self.list_adj.prologue(self.fn.loc) + reverse
        finals, tail = [], []
        for p in self.wrt:
            tail += self.gather_slots(p)
            finals.append(self.final_grad(p))
        return reverse + tail, finals

    def gather_slots(self, p):
        """Write the scalar adjoints of p's slots (see slot_of) into p's adjoint."""
        slots = sorted((k, name) for name, (base, k) in self.slots.items() if base == p and name in self.adj)
        if not slots:
            return []
        gname = self.grad_name(p)
        pval = self.value_of(p)
        cur = self.adj.get(p)
        code = []
        if cur is None:
            code.append(Assign((gname,), NP.zeros_like(Name(p)).e, self.fn.loc))
            op = None
        else:
            code += self.materialize(p, cur, self.fn.loc)[0] if not (cur.owned and self._settled(p, cur)) else []
            op = "add"
        for k, name in slots:
            code.append(SetItem(gname, Const(k), self.adj.pop(name).expr, self.fn.loc, op))
        self.adj[p] = AdjVal(Name(gname), pval, True)
        return code

    def primal_names(self):
        """The names of the user's function that may hold an array the caller holds too: its
        parameters, the globals it reads, and names bound to them or to views of them (an adjoint
        that is one of these is returned as a copy; one bound to a new array, `u = x * x`, is not)."""
        if getattr(self, "_primal_names", None) is None:
            from ..frontend.aliasing import view_base
            writes = set(ir.all_writes(self.fn.body))
            visible = set(self.fn.params) | (set(ir.all_reads(self.fn.body)) - writes) | {self.seed_name()}
            grew = True
            while grew:
                grew = False
                for st in ir.walk(self.fn.body):
                    if isinstance(st, Assign) and len(st.targets) == 1 and st.targets[0] not in visible:
                        v = st.value
                        base = v.id if isinstance(v, Name) else view_base(v)
                        if base in visible:
                            visible.add(st.targets[0])
                            grew = True
            self._primal_names = visible
        return self._primal_names

    def final_grad(self, p):
        """The expression returned for p's gradient: p's shape and dtype, never a view or a lazy
        scalar (`np.full_like` spreads one), a zero of p's shape when p does not reach the output."""
        cur = self.adj.get(p)
        pval = self.shapes.at_entry(p)
        if cur is None:
            if isinstance(pval, (PyNum, Known)):
                return Const(0.0)
            if p not in self.frozen and isinstance(pval, Arr) and pval.shape is not None and pval.dtype is not None:
                # p was rebound and never restored (nothing needed its old value): its shape is
                # the argument's, known from the signature, not whatever p holds now
                dtype = np.dtype(pval.dtype).name
                if pval.scalar:
                    return Call(f"np.{dtype}", (Const(0.0),))
                return NP.zeros(Tuple(tuple(Const(n) for n in pval.shape)), dtype=ir.Attr(Name("np"), dtype)).e
            return NP.zeros_like(Name(p)).e
        expr = cur.expr
        if isinstance(pval, PyNum) and pval.type is float and isinstance(cur.value, Arr) and \
                cur.value.shape == () and not cur.value.scalar:
            return Call("float", (expr,))  # (a Python float's gradient: np.where's 0-d array read as a number)
        if isinstance(pval, (PyNum, Known)) or (isinstance(pval, Arr) and pval.scalar):
            if _shape(cur.value) not in ((), None) or cur.value is UNKNOWN:
                expr = Call("unbroadcast", (expr, Name(p)))
            if isinstance(pval, Arr) and pval.dtype is not None and np.dtype(pval.dtype).kind == "f" and \
                    np.dtype(pval.dtype) != np.float64 and not (isinstance(expr, Call) and expr.op.startswith("np.float")):
                # a numpy float32 scalar's gradient in its own precision: the adjoint may be float64
                # (numpy promotes a float32 scalar with a Python float), whatever shape inference says
                return Call(f"np.{np.dtype(pval.dtype).name}", (expr,))
            return expr
        if not isinstance(pval, Arr) or pval.shape is None or _shape(cur.value) is None:
            return NP.full_like(Name(p), Call("unbroadcast", (expr, Name(p)))).e
        if _shape(cur.value) != pval.shape or isinstance(expr, Const) or not _is_array(cur.value):
            return NP.full_like(Name(p), expr).e
        cd = cur.value.dtype if isinstance(cur.value, Arr) else None
        if cd is not None and pval.dtype is not None and cd != pval.dtype:
            return E(expr).method("astype", ir.Attr(Name(p), "dtype")).e
        if cd is None and pval.dtype is not None and np.dtype(pval.dtype) != np.float64:
            # the adjoint's dtype unknown (shape inference lost it): in the argument's (no copy if same)
            return NP.asarray(expr, dtype=ir.Attr(Name(p), "dtype")).e
        if self.borrows(expr):
            # the adjoint is another name's array (grad_w = x of np.sum(w * x), a global's, the
            # seed's): returned as it is, the caller's `g *= 0.1` would scale x
            return E(expr).method("copy").e
        return expr

    # ------------------------------------------------------------------ blocks
    def block(self, body):
        out = []
        for s in reversed(body):
            out += self.stmt(s)
        return out

    def stmt(self, s):
        # a where's mask kept on an adjoint (AdjVal.mask) holds only while the mask's name does:
        # dropped where it is bound, also anywhere inside a branch or loop (an adjoint the branch or
        # loop changes is a new AdjVal, without a mask, once the states merge)
        written = set(ir.stmt_writes(s)) if isinstance(s, (Assign, SetItem)) else set(ir.all_writes([s]))
        written -= self.bound_once  # (its value is the one the where read, before its binding too)
        self.drop_masks(written)
        code = self._stmt(s)
        self.drop_masks(written)
        return code

    def drop_masks(self, names):
        for v, a in list(self.adj.items()):
            if a.mask is not None and a.mask[0].id in names:
                self.adj[v] = replace(a, mask=None)

    def _stmt(self, s):
        if isinstance(s, Assign) and self.lists:
            if isinstance(s.value, Call) and s.value.op == "list_append" and s.target in self.lists:
                return self.list_adj.append(s)  # the list is never restored: it is only appended to
            if isinstance(s.value, Call) and s.value.op == "list_pop" and s.target in self.lists:
                return self.list_adj.pop(s)  # (its element was read into a name before the pop)
            if reads_list(s, self.lists):
                return self.list_adj.read(s) + [self.restore(t, s) for t in s.targets if self.keeps(t)]
            if s.target in self.lists:
                return self.list_adj.rebind(s)  # hs = [], or hs = items
        if isinstance(s, Assign):
            self.pending = []
            code = self.assign(s) if self.act.is_active(s.target) or len(s.targets) > 1 else self.kill(s.targets)
            code += [self.restore(t, s) for t in s.targets if self.keeps(t)]
            for t, contribs, st, exact, logical, spread in self.pending:
                code += self.accumulate(t, contribs, st, alias_ok=False, exact=exact, logical=logical, ans=t,
                                        spread=spread)
            return code
        if isinstance(s, SetItem):
            code = self.setitem(s) if self.act.is_active(s.target) else []
            return code + ([self.restore(s.target, s, s.index)] if self.keeps(s.target) else [])
        if isinstance(s, If):
            return self.if_(s)
        if isinstance(s, (For, While)):
            return self.loop(s)
        if isinstance(s, (Break, ExprStmt)):
            return []  # an assert, raise or print runs in the forward sweep only
        raise S2SGradError(f"internal: unexpected statement {type(s).__name__}", getattr(s, "loc", None))

    def keeps(self, name):
        if name in self.lists:  # only appended to: its prefix is what the forward sweep saw (lists.py),
            # unless a pass or branch in a loop makes it anew, or it is bound again
            return name in self.list_adj.restored or name in self.list_adj.first_binding
        if name in self.local_loop_of:
            return False  # restored with its iteration's group (see _loop_locals)
        if name in self.bound_once:
            # one value throughout (nothing before its one binding reads it); restoring what it held
            # before (None, in a branch) would break a where's mask an adjoint still carries
            return False
        return self.needed is None or name in self.needed

    def restore(self, name, s, index=None):
        return Restore(name, id(s), index, s.loc)

    def kill(self, targets):
        for t in targets:
            self.adj.pop(t, None)
        return []
