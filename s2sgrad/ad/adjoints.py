"""The state of the reverse transform while it walks the function backwards: the current adjoint of
every variable (`AdjVal`), their names (`grad_x`), the abstract value each holds, constant-index
slots of parameters (`grad_p0`), and the rematerialized temporaries.  ReverseGenerator (reverse.py)
builds on it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, Name, SetItem, expr_names, walk
from ..passes.activity import Activity
from ..passes.shapes import UNKNOWN, Arr, ShapeInfo, evaluate
from ..builder import E
from .analysis import _loop_locals, _rematerializable, _single_defs, bound_once
from .checkpoint import Plan
from .context import Names
from .list_scopes import list_vars, refuse_other_uses
from .lists import ListAdjoints


@dataclass(frozen=True)
class AdjVal:
    """The current adjoint of one variable during generation."""
    expr: ir.Expr   # Name("grad_x"), or a Const folded in (a seed of 1.0)
    value: object   # abstract value (shapes.Arr / PyNum / Known / UNKNOWN)
    owned: bool     # a fresh ndarray only this adjoint refers to: safe to update in place
    # (mask, zero first) when the variable holds np.where(mask, 0.0, G) (or (mask, G, 0.0)): an
    # operand of np.where on the side the where did not pick; ad/reverse_rules.py keeps the zero
    mask: Optional[tuple] = None



class AdjointState:
    def __init__(self, nf, wrt, shapes: ShapeInfo, activity: Activity, fold_seed: bool, names: Names,
                 needed: Optional[set] = None, user_names: frozenset = frozenset()):
        self.fn = nf.fn
        self.result = nf.result
        self.user_names = user_names  # names the user wrote: their adjoints get their own statement
        self.wrt = tuple(wrt)
        self.shapes = shapes
        self.act = activity
        self.fold_seed = fold_seed
        self.names = names
        self.needed = needed  # R: primal names the reverse sweep reads (None in the first pass)
        self.primal = set(self.fn.params) | set(ir.all_writes(self.fn.body)) | set(ir.all_reads(self.fn.body))
        self.adj = {}
        self.borrowed = set()  # adjoint variables holding an array the caller may hold (accumulate.note_borrowed)
        self.shared = set()  # adjoint variables holding another name's very object (accumulate.note_shared)
        self.gvals = {}  # adjoint variable -> abstract value it was last given (read by eval_shape)
        self.grad_of = {}  # adjoint variable -> its primal variable
        self.single_defs = _single_defs(self.fn.body)
        self.slots = {}  # pseudo-variable "p[0]" -> (p, 0)
        self.loop_locals = _loop_locals(self.fn.body)  # id(loop) -> names recorded once per iteration
        self.local_loop_of = {n: lid for lid, names in self.loop_locals.items() for n in names}
        writes = set(ir.all_writes(self.fn.body))
        self.frozen = {p for p in self.fn.params if p not in writes}
        self.remat = _rematerializable(self.fn)
        self.loop_depth = 0
        self.used_flags = set()
        self.used_trips = {}  # id(loop) -> needs trip count
        self.loops_emitted = set()
        self.pending = []  # a self-update's own contribution, written after the target's restore
        self.bound_once = bound_once(self.fn)  # (AdjVal.mask outlives the binding of such a mask)
        self.lists = list_vars(self.fn)  # lists built at run time (lists.py)
        if self.lists:
            refuse_other_uses(self.fn, self.lists, self.act.is_active)
            if self.result in self.lists:
                raise UnsupportedSyntaxError(f"returning the list '{self.result}' built at run time: return "
                                             f"np.stack({self.result}) (or a tuple of its elements)", self.fn.loc)
        self.list_adj = ListAdjoints(self, self.lists)
        self.written_in_place = {st.target for st in walk(self.fn.body) if isinstance(st, SetItem)}
        # np.split's pieces (accumulate.scatter writes disjoint pieces into fresh zeros with `=`)
        self.split_bounds = {st.target for st in walk(self.fn.body) if isinstance(st, Assign) and len(st.targets) == 1
                             and isinstance(st.value, Call) and st.value.op == "split_bounds"
                             and _disjoint_sections(st.value.args[1])}
        self.split_writes = {}
        # checkpointed loops (ad/checkpoint.py): a Plan when differentiate(..., checkpoint=...)
        self.plan = Plan(self.fn, nf.checkpoint, names, self.lists) if getattr(nf, "checkpoint", None) else None

    # ------------------------------------------------------------------ naming
    def grad_name(self, v):
        name = self.names.get(("grad", v), f"grad_{v}")
        self.grad_of[name] = v
        return name

    def seed_name(self):
        return self.grad_name(self.result)

    def slot_of(self, v, index, s):
        """A pseudo-variable `p[0]` for a constant-index read of a parameter that is never
        reassigned: its adjoint is a scalar accumulated on its own (`grad_p0 += ...`, no in-place
        array update per use) and written into grad_p once, at the end."""
        if v not in self.frozen or not isinstance(index, Const) or not isinstance(index.value, int) \
                or isinstance(index.value, bool):
            return None
        vval = self.value_of(v, s)
        if not (isinstance(vval, Arr) and vval.shape is not None and len(vval.shape) == 1):
            return None
        k = index.value % vval.shape[0]
        name = f"{v}[{k}]"
        if name not in self.slots:
            self.slots[name] = (v, k)
            self.names.get(("grad", name), f"grad_{v}{k}")
            self.shapes.all[name] = Arr((), vval.dtype, scalar=True)
        return name

    def recompute(self, c):
        """Rematerialize cheap temporaries in a contribution (see _rematerializable)."""
        if c is None or not self.remat:
            return c
        if isinstance(c, tuple):
            return tuple(self.recompute(x) for x in c)
        e = c.e if isinstance(c, E) else c
        if isinstance(e, str):
            return c
        return E(ir.substitute(e, {k: v for k, v in self.remat.items()}))

    def stable_alias(self, gname):
        """Whether another adjoint may simply refer to gname (no copy, no assignment emitted).

        Safe when gname belongs to a variable defined once: once its adjoint is consumed it is
        never written again in this iteration, and loops and branches turn aliases into real
        assignments where their states meet.  Aliases are never updated in place (not owned)."""
        v = self.result if gname == self.seed_name() else self.grad_of.get(gname)
        return v is not None and v in self.single_defs and v not in self.fn.params

    # ------------------------------------------------------------------ abstract values
    def value_of(self, v, s=None):
        if s is not None:
            val = self.shapes.before(s, v)
            if val is not UNKNOWN:
                return val
        return self.shapes.all.get(v, UNKNOWN)

    def _current(self, n):
        """The abstract value an adjoint variable named n holds now (None: no adjoint holds it).
        Looked up through the variable it belongs to; a scan of all adjoints (an alias held under
        another variable) only when that finds nothing -- the scan per call made long functions
        compile in quadratic time."""
        v = self.grad_of.get(n)
        cur = self.adj.get(v) if v is not None else None
        if cur is not None and isinstance(cur.expr, Name) and cur.expr.id == n:
            return cur
        if n not in self.grad_of and not n.startswith("grad_"):
            return None  # a primal name: no adjoint is named so
        return next((a for a in self.adj.values() if isinstance(a.expr, Name) and a.expr.id == n), None)

    def eval_shape(self, expr, s):
        env = {}
        for n in set(expr_names(expr)):
            if "." in n:  # np.float64, np.pi: evaluate reads the module's value
                continue
            cur = self._current(n)
            if cur is not None:
                env[n] = cur.value
            elif n in self.gvals:
                env[n] = self.gvals[n]
            elif s is not None and isinstance(s, Assign) and n in s.targets:
                env[n] = self.shapes.after(s, n)
            else:
                env[n] = self.value_of(n, s)
        return evaluate(expr, env, self.shapes.namespace)


def _disjoint_sections(sections):
    """Whether np.split's pieces for these sections are disjoint: a count, or indices that are
    non-negative and non-decreasing (np.split(x, [8, 3]) is x[:8], x[8:3], x[3:], which overlap, as
    do negative indices such as [5, -8]: those pieces' adjoints are added, not written)."""
    if isinstance(sections, Const):
        return isinstance(sections.value, int)
    vals = [e.value for e in getattr(sections, "elts", ()) if isinstance(e, Const) and type(e.value) is int]
    return len(vals) == len(getattr(sections, "elts", (None,))) and all(v >= 0 for v in vals) and \
        all(a <= b for a, b in zip(vals, vals[1:]))
