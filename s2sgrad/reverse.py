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

from dataclasses import dataclass, replace
from typing import Optional

import numpy as np

from . import ir
from .builder import E, NP
from .errors import S2SGradError, UnsupportedSyntaxError
from .ir import (Assign, Blank, Break, Call, Comment, Const, ExprStmt, For, If, ListExpr, Name, SetItem,
                 Slice, Tuple, While, expr_names, target_names, walk)
from .passes.activity import Activity
from .passes.shapes import UNKNOWN, Arr, Known, PyNum, ShapeInfo, evaluate
from .lists import ListAdjoints, list_vars, reads_list, refuse_other_uses
from .rules import RULES

_VIEW_OPS = {"@T", ".reshape", "np.reshape", "np.transpose", ".transpose", "np.broadcast_to",
             "np.expand_dims", "getitem", "np.squeeze", ".squeeze", "np.ravel", ".ravel", "np.asarray"}


@dataclass(frozen=True)
class AdjVal:
    """The current adjoint of one variable during generation."""
    expr: ir.Expr   # Name("grad_x"), or a Const folded in (a seed of 1.0)
    value: object   # abstract value (shapes.Arr / PyNum / Known / UNKNOWN)
    owned: bool     # a fresh ndarray only this adjoint refers to: safe to update in place


@dataclass(frozen=True)
class _GroupRestore(ir.Stmt):
    """At the top of a reverse iteration: the values local to that iteration of the forward loop."""
    loop: int
    names: tuple
    loc: object = None


@dataclass(frozen=True)
class _Restore(ir.Stmt):
    name: str
    site: int
    index: object = None
    loc: object = None


def _shape(v):
    if isinstance(v, Arr):
        return v.shape
    if isinstance(v, (PyNum, Known)):
        return ()
    return None


def _is_array(v):
    return isinstance(v, Arr) and not v.scalar and v.shape is not None


def _index_value(index):
    """An index as a value (np.add.at's argument): `x[[0, 1], :]` -> `([0, 1], slice(None))`."""
    def part(p):
        if isinstance(p, Slice):
            bounds = [Const(None) if b is None else b for b in (p.lower, p.upper, p.step)]
            while len(bounds) > 1 and bounds[-1] == Const(None):
                bounds.pop()
            return Call("slice", tuple(bounds))
        return p
    return Tuple(tuple(part(p) for p in index.elts)) if isinstance(index, Tuple) else part(index)


class _RuleCtx:
    """What a rule sees: g, ans and the arguments as expressions, plus static facts about them."""

    def __init__(self, gen, s, g):
        self.gen, self.s = gen, s
        call = s.value
        self.call = call
        self.g = E(g)
        self.ans = E(Name(s.target))
        self.args = [E(a) for a in call.args]
        self.lets = []  # statements for values several contributions share (see let)

    def _abstract(self, i):
        a = self.call.args[i]
        if isinstance(a, Name):
            return self.gen.shapes.before(self.s, a.id)
        if isinstance(a, Const):
            return Known(a.value)
        return UNKNOWN

    def shape(self, i):
        return _shape(self._abstract(i))

    def ndim(self, i):
        s = self.shape(i)
        return None if s is None else len(s)

    def kw(self, name, pos=None, default=None):
        v = self.call.kw(name)
        if v is None and pos is not None and pos < len(self.call.args):
            v = self.call.args[pos]
        if v is None:
            return default
        if isinstance(v, Const):
            return v.value
        if isinstance(v, (Tuple, ListExpr)) and all(isinstance(x, Const) for x in v.elts):
            return tuple(x.value for x in v.elts)
        raise self.unsupported(f"'{name}' computed at run time (it must be a constant)")

    def const_arg(self, i):
        a = self.call.args[i]
        if not isinstance(a, Const):
            raise self.unsupported("a computed axis argument")
        return a.value

    def list_len(self, i):
        a = self.call.args[i]
        if isinstance(a, (ListExpr, Tuple)):
            return len(a.elts)
        raise self.unsupported("a sequence that is not written out as a list or tuple")

    def list_shapes(self, i):
        a = self.call.args[i]
        shapes = [_shape(self.gen.shapes.before(self.s, x.id)) if isinstance(x, Name) else () for x in a.elts]
        return None if any(s is None for s in shapes) else shapes

    def active(self, i):
        """Whether argument i (a name, or a list literal holding one) carries a derivative."""
        a = self.call.args[i] if i < len(self.call.args) else None
        names = [a] if isinstance(a, Name) else list(a.elts) if isinstance(a, (ListExpr, Tuple)) else []
        return any(isinstance(n, Name) and self.gen.act.is_active(n.id) for n in names)

    def is_number(self, i):
        """Argument i is a Python number (no .shape/.size attributes at run time)."""
        return isinstance(self._abstract(i), (PyNum, Known))

    def is_array(self, i):
        """Argument i is a numpy array or scalar (it has .shape and .size at run time)."""
        return isinstance(self._abstract(i), Arr)

    def ans_shape(self):
        return _shape(self.gen.shapes.after(self.s, self.s.target))

    def ans_dtype(self):
        """The result's numpy dtype when known (None for Python numbers or an unknown dtype)."""
        v = self.gen.shapes.after(self.s, self.s.target)
        return np.dtype(v.dtype) if isinstance(v, Arr) and v.dtype is not None else None

    def unsupported(self, what):
        return UnsupportedSyntaxError(f"{self.call.op}: {what} is not supported", self.s.loc)

    def let(self, value, base):
        """A value two contributions share (solve's `solve(A.T, g)`), computed once in a statement
        of its own before them; returns its name."""
        name = self.gen.names.get(("let", base, id(self.s), len(self.lets)), base)
        e = self.gen.recompute(E(value)).e
        self.gen.gvals[name] = self.gen.eval_shape(e, self.s)
        self.lets.append(Assign((name,), e, self.s.loc))
        return E(Name(name))


class _Names:
    """Deterministic, collision-free names for everything the generator introduces."""

    def __init__(self, taken):
        self.taken = set(taken)
        self.given = {}

    def get(self, key, base):
        if key in self.given:
            return self.given[key]
        name, k = base, 2
        while name in self.taken:
            name = f"{base}_{k}"
            k += 1
        self.taken.add(name)
        self.given[key] = name
        return name


class ReverseGenerator:
    def __init__(self, nf, wrt, shapes: ShapeInfo, activity: Activity, fold_seed: bool, names: _Names,
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
        self.lists = list_vars(self.fn)  # lists built at run time (lists.py)
        if self.lists:
            refuse_other_uses(self.fn, self.lists)
            if self.result in self.lists:
                raise UnsupportedSyntaxError(f"returning the list '{self.result}' built at run time: return "
                                             f"np.stack({self.result}) (or a tuple of its elements)", self.fn.loc)
        self.list_adj = ListAdjoints(self, self.lists)
        self.written_in_place = {st.target for st in walk(self.fn.body) if isinstance(st, SetItem)}

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
        if isinstance(pval, (PyNum, Known)) or (isinstance(pval, Arr) and pval.scalar):
            if _shape(cur.value) not in ((), None) or cur.value is UNKNOWN:
                return Call("unbroadcast", (expr, Name(p)))
            return expr
        if not isinstance(pval, Arr) or pval.shape is None or _shape(cur.value) is None:
            return NP.full_like(Name(p), Call("unbroadcast", (expr, Name(p)))).e
        if _shape(cur.value) != pval.shape or isinstance(expr, Const) or not _is_array(cur.value):
            return NP.full_like(Name(p), expr).e
        cd = cur.value.dtype if isinstance(cur.value, Arr) else None
        if cd is not None and pval.dtype is not None and cd != pval.dtype:
            return E(expr).method("astype", ir.Attr(Name(p), "dtype")).e
        return expr

    # ------------------------------------------------------------------ blocks
    def block(self, body):
        out = []
        for s in reversed(body):
            out += self.stmt(s)
        return out

    def stmt(self, s):
        if isinstance(s, Assign) and self.lists:
            if isinstance(s.value, Call) and s.value.op == "list_append" and s.target in self.lists:
                return self.list_adj.append(s)  # the list is never restored: it is only appended to
            if reads_list(s, self.lists):
                return self.list_adj.read(s) + [self.restore(t, s) for t in s.targets if self.keeps(t)]
            if s.target in self.lists:
                return []  # hs = []
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
        if name in self.lists:
            return False  # only appended to: its prefix is what the forward sweep saw (lists.py)
        if name in self.local_loop_of:
            return False  # restored with its iteration's group (see _loop_locals)
        return self.needed is None or name in self.needed

    def restore(self, name, s, index=None):
        return _Restore(name, id(s), index, s.loc)

    def kill(self, targets):
        for t in targets:
            self.adj.pop(t, None)
        return []

    # ------------------------------------------------------------------ assignments
    def assign(self, s):
        if len(s.targets) > 1:
            raise UnsupportedSyntaxError("unpacking a value that must be differentiated", s.loc)
        t = s.target
        cur = self.adj.pop(t, None)
        if cur is None:
            return []
        if isinstance(cur.expr, Name):
            self.gvals[cur.expr.id] = cur.value
        val = s.value
        code = []
        if isinstance(val, Name):
            if self.act.is_active(val.id):
                code += self.accumulate(val.id, [cur.expr], s, alias_ok=True, exact=False)
            return code
        if isinstance(val, Const):
            return []
        if isinstance(val, (Tuple, ListExpr, ir.DictExpr)):
            raise UnsupportedSyntaxError("a tuple, list or dict of differentiable values stored in a variable "
                                         "(return it with has_aux=True, or keep each value in a variable)", s.loc)
        if not isinstance(val, Call):
            return []
        if val.op == "list_sum":  # sums of lists built with append are handled in lists.py
            raise UnsupportedSyntaxError("sum() of something that is not a list built with append or a "
                                         "comprehension (for an array write np.sum(x, axis=0))", s.loc)
        if val.op == ".copy" and val.args and isinstance(val.args[0], Call):
            # a copied view of a written array (passes/views.py): the copy is the identity for
            # derivatives, so the inner operation's rule applies, on a statement of its own
            inner = replace(s, value=val.args[0])
            self.shapes.rekey(s, inner)
            s, val = inner, inner.value
        rule = RULES.get(val.op)
        if rule is None or rule.kind == "nondiff":
            return []
        g = cur.expr
        ans_val = self.shapes.after(s, t)
        if not rule.lazy_g and (_shape(cur.value) != _shape(ans_val) or _shape(ans_val) is None):
            if _shape(ans_val) != () or not isinstance(ans_val, (PyNum, Known)):
                g = NP.broadcast_to(g, E(Name(t)).shape).e
        if val.op == "getitem":
            return self.scatter(val.args[0], val.args[1], g, s)
        if rule.kind == "elementwise" and _shape(ans_val) is None and \
                any(isinstance(a, Name) and a.id == t for a in val.args) and self.act.is_active(t):
            # a self-update of unknown shape (`y = y + x`): the old y's contribution is summed
            # after y is restored, when y.shape is the old shape -- spread g to the result's
            # shape while the name still holds the result
            full = self.names.get(("spread", t, id(s)), f"grad_{t}_full")
            code.append(Assign((full,), NP.broadcast_to(g, NP.shape(Name(t))).e, s.loc))
            g = Name(full)
        ctx = _RuleCtx(self, s, g)
        contribs = [self.recompute(c) for c in rule.vjp(ctx)]
        code += ctx.lets
        groups = {}
        order = []
        for arg, c in zip(val.args, contribs):
            if c is None:
                continue
            if isinstance(arg, (ListExpr, Tuple)) and isinstance(c, tuple):
                pairs = list(zip(arg.elts, c))
            else:
                pairs = [(arg, c)]
            for a, ci in pairs:
                if isinstance(a, Name) and self.act.is_active(a.id):
                    if a.id not in groups:
                        groups[a.id] = []
                        order.append(a.id)
                    groups[a.id].append(ci.e if isinstance(ci, E) else ci)
        logical = _shape(ans_val) if rule.kind == "elementwise" else None
        if t in order:
            # `y = y + x`: the other arguments' contributions read the adjoint of the new y, so the
            # old y's adjoint (the same variable grad_y) is written last -- after y is restored,
            # so that a run-time unbroadcast against y sees the old y's shape (see stmt)
            order.remove(t)
            self.pending.append((t, groups[t], s, not rule.kind == "elementwise", logical, rule.kind == "elementwise"))
        for name in order:
            code += self.accumulate(name, groups[name], s, alias_ok=False, exact=not rule.kind == "elementwise",
                                    logical=logical, ans=t, spread=rule.kind == "elementwise")
        return code

    def accumulate(self, v, contribs, s, alias_ok, exact, copy_alias=False, logical=None, ans=None, spread=False):
        """Add contributions to v's adjoint: assign the first, accumulate later ones.

        `logical` is the shape of the elementwise result the contribution stands for: a lazy
        cotangent (a scalar standing for a full array) must be spread to that shape before it is
        summed down to a smaller operand."""
        total = E(contribs[0])
        for c in contribs[1:]:
            total = total + E(c)
        c = total.e
        cval = self.eval_shape(c, s)
        vval = self.value_of(v, s)
        cs, vs = _shape(cval), _shape(vval)
        if spread and ans is not None:
            if logical is not None and cs is not None and vs is not None:
                need = cs != logical and not _broadcasts(logical, vs)
            else:  # shapes known only at run time: spread, and unbroadcast sums down what it must
                need = not (cs is not None and cs == logical)
            # the result's shape; for a self-update (`s = W + s`) the name s holds the old value
            # here (restored already), so the shape is spelled out (or g was spread in `assign`)
            shape = (E(Name(ans)).shape if _is_array(self.shapes.after(s, ans)) else NP.shape(Name(ans))) \
                if ans != v else (Tuple(tuple(Const(n) for n in logical)) if logical is not None else None)
            if need and shape is not None:
                c = NP.broadcast_to(c, shape).e
                cval = self.eval_shape(c, s)
        c, cval = self.unbroadcast(c, cval, vval, v)
        if isinstance(c, Name) and c.id in self.written_in_place:
            # a primal array the reverse sweep restores in place (`a1[j] = saved.pop()`): an adjoint
            # that merely referred to it would change with it
            c = E(c).method("copy").e
        cur = self.adj.get(v)
        gname = self.grad_name(v)
        if cur is None and isinstance(c, Name) and c.id == gname:
            self.adj[v] = AdjVal(c, cval, False)  # `s = s + x`: the old s gets the new s's adjoint
            return []
        if cur is None:
            alias = isinstance(c, Name) and self.stable_alias(c.id) and (
                v not in self.user_names or self.grad_of.get(c.id) in self.user_names)
            if isinstance(c, Const) or alias:
                self.adj[v] = AdjVal(c, cval, False)
                return []
            if copy_alias and not _fresh(c):
                c = E(c).method("copy").e
            self.adj[v] = AdjVal(Name(gname), cval, _fresh(c) and _is_array(cval))
            return [Assign((gname,), c, s.loc)]
        if not (isinstance(cur.expr, Name) and cur.expr.id == gname):
            new = (E(cur.expr) + E(c)).e
            nval = self.eval_shape(new, s)
            self.adj[v] = AdjVal(Name(gname), nval, _fresh(new) and _is_array(nval))
            return [Assign((gname,), new, s.loc)]
        in_place = cur.owned and _shape(cur.value) == _shape(vval) and _broadcasts(_shape(cval), _shape(cur.value))
        immutable = isinstance(cur.value, (PyNum, Known)) or (isinstance(cur.value, Arr) and cur.value.scalar)
        if in_place or (immutable and _shape(cval) == ()):
            self.adj[v] = replace(cur, value=cur.value if in_place else self.eval_shape((E(cur.expr) + E(c)).e, s))
            return [Assign((gname,), Call("iadd", (cur.expr, c)), s.loc)]
        new = (E(cur.expr) + E(c)).e
        nval = self.eval_shape(new, s)
        self.adj[v] = AdjVal(Name(gname), nval, _is_array(nval))
        return [Assign((gname,), new, s.loc)]

    def unbroadcast(self, c, cval, vval, v):
        cs, vs = _shape(cval), _shape(vval)
        if cs is None or vs is None:
            # shapes known only at run time: the contribution may be larger than v (broadcast in
            # the forward pass) or a lazy scalar: unbroadcast decides when the code runs
            return Call("unbroadcast", (c, Name(v))), vval
        if _broadcasts(cs, vs):
            return c, cval
        e = E(c)
        lead = len(cs) - len(vs)
        if lead > 0:
            if not vs:
                return e.method("sum").e, vval
            e = e.method("sum", axis=tuple(range(lead)) if lead > 1 else 0)
            cs = cs[lead:]
        axes = tuple(i for i, (a, b) in enumerate(zip(cs, vs)) if b == 1 and a != 1)
        if axes:
            e = e.method("sum", axis=axes if len(axes) > 1 else axes[0], keepdims=True)
        return e.e, vval

    def scatter(self, base, index, g, s):
        if isinstance(base, (ListExpr, Tuple)):
            return self.scatter_literal(base, index, g, s)
        if not isinstance(base, Name) or not self.act.is_active(base.id):
            return []
        v = base.id
        slot = self.slot_of(v, index, s)
        if slot is not None:
            return self.accumulate(slot, [g], s, alias_ok=False, exact=False)
        vval = self.value_of(v, s)
        if not isinstance(vval, Arr):
            raise UnsupportedSyntaxError("indexing into a tuple or list of differentiable values "
                                         "(pass an array, or separate arguments)", s.loc)
        gname = self.grad_name(v)
        cur = self.adj.get(v)
        code = []
        fresh = False
        if cur is None:
            code.append(Assign((gname,), NP.zeros_like(base).e, s.loc))
            fresh = True
        elif not (cur.owned and isinstance(cur.expr, Name) and _shape(cur.value) == _shape(vval)):
            code.append(Assign((gname,), NP.full_like(base, cur.expr).e, s.loc))
        self.adj[v] = AdjVal(Name(gname), vval, True)
        index = ir.substitute(index, self.remat) if self.remat else index
        if _basic_index(index, self, s):
            code.append(SetItem(gname, index, g, s.loc, None if fresh else "add"))
        else:
            code.append(ExprStmt(Call("np.add.at", (Name(gname), _index_value(index), g)), s.loc))
        return code

    def scatter_literal(self, base, index, g, s):
        """`[a, b][1]`: a constant index reads one element, which gets g; anything else that
        reads a literal holding differentiable values is refused (it would be a silent zero)."""
        n = len(base.elts)
        active = [x for x in expr_names(base) if self.act.is_active(x)]
        if isinstance(index, Const) and type(index.value) is int and -n <= index.value < n:
            el = base.elts[index.value]
            if isinstance(el, Name) and self.act.is_active(el.id):
                return self.accumulate(el.id, [g], s, alias_ok=False, exact=False)
            if isinstance(el, Name) or not any(self.act.is_active(x) for x in expr_names(el)):
                return []
        if active:
            raise UnsupportedSyntaxError("indexing a list or tuple literal of differentiable values other than "
                                         "at a constant position (write np.array([...])[i])", s.loc)
        return []

    def setitem(self, s):
        y = s.target
        cur = self.adj.get(y)
        if cur is None:
            return []
        code = []
        gname = self.grad_name(y)
        yval = self.value_of(y, s)
        if not (cur.owned and isinstance(cur.expr, Name) and _shape(cur.value) == _shape(yval)):
            # y's full adjoint first: the slot read below must see y's shape, not a lazy scalar
            code.append(Assign((gname,), NP.full_like(Name(y), cur.expr).e, s.loc))
            cur = AdjVal(Name(gname), yval, True)
            self.adj[y] = cur
            self.gvals[gname] = yval
        if isinstance(s.value, Name) and self.act.is_active(s.value.id):
            if _integer_array_index(s.index, self, s):
                raise UnsupportedSyntaxError(
                    f"writing a differentiated value into '{y}' through an integer-array index: if the index "
                    "repeats a position, numpy keeps only the last write, which s2sgrad cannot know before "
                    f"run time. Use a boolean mask ({y}[mask] = ...), a slice, or build the array with "
                    "np.where / np.concatenate", s.loc)
            slot = E(cur.expr)[s.index].e
            code += self.accumulate(s.value.id, [slot], s, alias_ok=False, exact=False, copy_alias=True)
        code.append(SetItem(gname, s.index, Const(0.0), s.loc))
        self.adj[y] = AdjVal(Name(gname), yval, True)
        return code

    # ------------------------------------------------------------------ control flow
    def full_value(self, v):
        vval = self.shapes.all.get(v, UNKNOWN)
        if isinstance(vval, (PyNum, Known)) or (isinstance(vval, Arr) and vval.scalar):
            return PyNum(float)
        return vval

    def materialize(self, v, cur, loc, zero=False):
        """(code, AdjVal): v's adjoint as the full-shaped variable grad_v (zero: a zero one)."""
        gname = self.grad_name(v)
        full = self.full_value(v)
        if isinstance(full, PyNum):
            value = Const(0.0) if zero else cur.expr
            val = AdjVal(Name(gname), full, False)
        else:
            value = NP.zeros_like(Name(v)).e if zero else NP.full_like(Name(v), cur.expr).e
            val = AdjVal(Name(gname), full, True)
        if isinstance(value, Name) and value.id == gname:
            return [], val
        return [Assign((gname,), value, loc)], val

    def _named(self, v, cur):
        return isinstance(cur.expr, Name) and cur.expr.id == self.grad_name(v)

    def _settled(self, v, cur):
        """In the variable grad_v with the variable's full shape."""
        full = self.full_value(v)
        return self._named(v, cur) and (isinstance(full, PyNum) or _shape(cur.value) == _shape(full))

    def _as_variable(self, v, cur, loc):
        """(code, AdjVal): the same value, held in the variable grad_v (no shape change)."""
        if self._named(v, cur):
            return [], cur
        gname = self.grad_name(v)
        self.gvals[gname] = cur.value
        return [Assign((gname,), cur.expr, loc)], AdjVal(Name(gname), cur.value, False)

    def _agree(self, v, states, loc):
        """Code per state so that all end with v's adjoint in grad_v with one shape (and the
        ownership they share); returns (codes, AdjVal).  Reads v itself only when shapes differ."""
        shapes = {_shape(c.value) for c in states if c is not None}
        if None not in states and len(shapes) == 1 and None not in shapes:
            pairs = [self._as_variable(v, c, loc) for c in states]
            owned = all(p[1].owned for p in pairs)
            val = AdjVal(Name(self.grad_name(v)), pairs[0][1].value, owned)
            return [p[0] for p in pairs], val
        codes = []
        for c in states:
            if c is None:
                codes.append(self.materialize(v, None, loc, zero=True)[0])
            elif self._settled(v, c):
                codes.append([])
            else:
                codes.append(self.materialize(v, c, loc)[0])
        full = self.full_value(v)
        owned = not isinstance(full, PyNum) and all(c is None or not self._settled(v, c) or c.owned for c in states)
        return codes, AdjVal(Name(self.grad_name(v)), full, owned)

    def if_(self, s):
        before = dict(self.adj)
        body = self.block(s.body)
        a_state = self.adj
        self.adj = dict(before)
        orelse = self.block(s.orelse)
        b_state = self.adj
        merged = {}
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

    def loop(self, s):
        entry0 = dict(self.adj)
        self.loop_depth += 1
        try:
            # the adjoint state at the top of every reverse iteration: a fixed point
            entry, fresh = dict(entry0), set()
            last = None
            for _ in range(8):
                self.adj = dict(entry)
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
                        val = replace(val, owned=not isinstance(self.full_value(v), PyNum)) \
                            if _shape(val.value) == _shape(self.full_value(v)) else val
                    new[v] = val
                if new == entry:
                    break
                entry = new
            else:
                last = None
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
                body = self.block(s.body)
            group = tuple(n for n in self.loop_locals.get(id(s), ()) if self.needed is None or n in self.needed)
            if group:
                body = [_GroupRestore(id(s), group, s.loc)] + body
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
            return pre
        self.loops_emitted.add(id(s))
        code = list(pre)
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
        return code

    def _reach(self, v, cur, want, loc):
        """Code taking v's adjoint from state `cur` to state `want` (a settled variable state)."""
        if cur is None:
            if _shape(want.value) == _shape(self.full_value(v)) or isinstance(self.full_value(v), PyNum):
                return self.materialize(v, None, loc, zero=True)
            gname = self.grad_name(v)  # a zero of the (lazy) shape the loop carries
            return [Assign((gname,), NP.zeros(_shape(want.value)).e, loc)], want
        if _shape(cur.value) == _shape(want.value) and (cur.owned or not want.owned):
            return self._as_variable(v, cur, loc)
        return self.materialize(v, cur, loc)

    def trip_name(self, s):
        if isinstance(s, While) or _breaks(s.body):
            self.used_trips[id(s)] = True
            return self.names.get(("trips", id(s)), f"trips_{_line(s)}")
        return None

    def record_range(self, s):
        written = set(ir.all_writes(s.body))
        return bool(set(expr_names(s.iter)) & written)


# ---------------------------------------------------------------------------------- helpers
def _loop_locals(body):
    """Per loop (without break): the variables local to one iteration -- assigned once at the top
    level of its body, nowhere else, read only inside the body and only after that assignment.
    Their values are recorded together, once per iteration, at the end of the forward iteration,
    and restored together at the start of the reverse one (a per-step cache, as in hand-written
    backprop through time), instead of one push and pop per variable."""
    count = {}
    for st in walk(body):
        for w in ir.stmt_writes(st):
            count[w] = count.get(w, 0) + 1
    out = {}
    for st in walk(body):
        if isinstance(st, (For, While)) and not any(isinstance(x, Break) for x in walk(st.body)):
            names = _locals_of(st, body, count)
            if names:
                out[id(st)] = names
    return out


def _locals_of(loop, fn_body, count):
    inside = {id(x) for x in walk(loop.body)}
    header = set(expr_names(loop.test if isinstance(loop, While) else loop.iter))
    names = []
    for st in loop.body:
        if not (isinstance(st, Assign) and len(st.targets) == 1):
            continue
        v = st.target
        if count.get(v) != 1 or v in header or v in names:
            continue
        if any(v in ir.stmt_reads(x) and id(x) not in inside for x in walk(fn_body)):
            continue  # read outside the loop
        before = []
        for x in loop.body:
            if x is st:
                break
            before.append(x)
        if any(v in ir.stmt_reads(x) for x in walk(before)):
            continue  # read before its definition: the previous iteration's value
        names.append(v)
    return tuple(names)


def _single_defs(body):
    """Variables assigned exactly once in the whole function."""
    count = {}
    for st in walk(body):
        for w in ir.stmt_writes(st):
            count[w] = count.get(w, 0) + 1
    return {v for v, n in count.items() if n == 1}


_CHEAP = {"getitem", "add", "sub", "mul", "neg", "@T", "len", "@shape"}


def _rematerializable(fn):
    """Temporaries the reverse sweep recomputes instead of recording: defined once, by a cheap
    operation (an index, a scalar's arithmetic) on values that never change -- parameters never
    reassigned, loop counters (the reverse loop counts through the same values), constants, and
    other such temporaries.  `p[0]` and `i + 1` inside a loop are read again, not pushed."""
    writes = {}
    for st in walk(fn.body):
        for w in ir.stmt_writes(st):
            writes[w] = writes.get(w, 0) + 1
    loop_vars = {n for st in walk(fn.body) if isinstance(st, For) for n in target_names(st.target)}
    frozen = {p for p in fn.params if p not in writes}
    # a loop counter bound by one loop only: a second loop over the same name (`for j in ...`
    # twice) changes it between the forward use and the reverse sweep's read
    frozen |= {v for v in loop_vars if writes.get(v) == 1}
    defs, first_read, def_at = {}, {}, {}
    for k, st in enumerate(walk(fn.body)):
        for n in ir.stmt_reads(st):
            first_read.setdefault(n, k)
        if isinstance(st, Assign) and len(st.targets) == 1 and writes.get(st.target) == 1:
            defs[st.target], def_at[st.target] = st.value, k
    # a parameter assigned once still has two values (the argument's, then the new one), and a
    # name read before its definition (`use(t)` then `t = W[i]` in a loop body) is read with the
    # previous iteration's value: recomputing either would read the wrong one
    for t in list(defs):
        if t in fn.params or first_read.get(t, def_at[t] + 1) <= def_at[t]:
            del defs[t]
    out = {}
    changed = True
    while changed:
        changed = False
        for t, e in defs.items():
            if t in out or not isinstance(e, Call) or e.op not in _CHEAP:
                continue
            if e.op in ("add", "sub", "mul", "neg") and not all(
                    isinstance(a, Const) or (isinstance(a, Name) and a.id in loop_vars) for a in e.args):
                continue  # arithmetic only on loop counters: never recompute array work
            if all(n in frozen or n in out for n in expr_names(e)):
                out[t] = e
                changed = True
    return {t: ir.substitute(e, {k: v for k, v in out.items() if k != t}) for t, e in out.items()}


def _line(s):
    return s.loc.line if s.loc is not None else 0


def _breaks(body):
    for s in body:
        if isinstance(s, Break):
            return True
        if isinstance(s, If) and (_breaks(s.body) or _breaks(s.orelse)):
            return True
    return False


def _has_work(code):
    return any(not isinstance(c, (Comment, Blank)) for c in code)


def _broadcasts(small, big):
    """Whether an array of shape `small` broadcasts to `big` without growing it."""
    if small is None or big is None:
        return False
    if len(small) > len(big):
        return False
    for a, b in zip(reversed(small), reversed(big)):
        if a != b and a != 1:
            return False
    return True


def _fresh(e):
    """Whether an expression certainly builds a new array (not a view or an alias)."""
    return isinstance(e, Call) and e.op not in _VIEW_OPS and e.op != "unbroadcast"


def _integer_array_index(index, gen, s):
    """Whether an index may hold an integer array that is not a constant (so may repeat a position)."""
    parts = index.elts if isinstance(index, Tuple) else (index,)
    for p in parts:
        if isinstance(p, (Slice, Const, ListExpr)):
            continue  # constant lists were checked for repeats by the frontend
        v = gen.value_of(p.id, s) if isinstance(p, Name) else gen.eval_shape(p, s)
        if isinstance(v, (PyNum, Known)):
            continue
        if isinstance(v, Arr) and v.dtype is not None and np.dtype(v.dtype).kind == "b":
            continue  # a mask names each position once
        if isinstance(v, Arr) and v.shape == () and v.dtype is not None:
            continue
        return True
    return False


def _basic_index(index, gen, s):
    parts = index.elts if isinstance(index, Tuple) else (index,)
    for p in parts:
        if isinstance(p, (Slice,)):
            continue
        if isinstance(p, Const) and (p.value is None or p.value is Ellipsis or isinstance(p.value, int)):
            continue
        if isinstance(p, Name):
            v = gen.value_of(p.id, s)
            if isinstance(v, (PyNum, Known)) and not isinstance(getattr(v, "value", 0), (tuple, list)):
                continue
            if isinstance(v, Arr) and v.scalar and v.dtype is not None and np.dtype(v.dtype).kind in "iu":
                continue
        return False
    return True


# ------------------------------------------------------------------------- the forward sweep
class ForwardBuilder:
    """Re-emits the normalized forward code with the records the reverse sweep asked for."""

    def __init__(self, gen: ReverseGenerator, needed: set, live_sites: set):
        self.gen = gen
        self.needed = needed
        self.live_sites = live_sites
        self.depth = 0
        self.inits = []
        self.stacks = []
        self.saves = {}  # site id -> (kind, name)   kind: "list" | "var"

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
        if name not in self.needed or id(s) not in self.live_sites:
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
        value = Name(name) if index is None else E(Call("getitem", (Name(name), index))).method("copy").e
        if self.depth:
            stack = gen.names.get(("saved", name), f"saved_{name}")
            if stack not in self.stacks:
                self.stacks.append(stack)
            self.saves[id(s)] = ("list", stack)
            return [ExprStmt(Call(".append", (Name(stack), value)), s.loc)]
        var = gen.names.get(("saved1", id(s), name), f"{name}_before_{_line(s)}")
        self.saves[id(s)] = ("var", var)
        return [Assign((var,), value, s.loc)]

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
            out = [Assign((flag,), s.test, s.loc)]
            if self.depth:
                stack = gen.names.get(("flags", id(s)), f"branches_{_line(s)}")
                if stack not in self.stacks:
                    self.stacks.append(stack)
                out.append(ExprStmt(Call(".append", (Name(stack), Name(flag))), s.loc))
            out.append(If(Name(flag), tuple(body), tuple(orelse), s.loc))
            return out
        if isinstance(s, (For, While)):
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
            return out
        return [s]


def resolve_restores(code, saves):
    """Replace restore markers by pops / plain assignments (or drop them: nothing was saved)."""
    out = []
    for s in code:
        if isinstance(s, _GroupRestore):
            hit = saves.get(("group", s.loop))
            if hit is None:
                continue
            store, names = hit
            out.append(Assign(tuple(names), Call(".pop", (Name(store),)), s.loc))
            continue
        if isinstance(s, _Restore):
            hit = saves.get(s.site)
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
            if isinstance(st, _GroupRestore):
                for n in st.names:
                    if n in live:
                        needed.add((st.loop, n))
                        live.discard(n)
                continue
            if isinstance(st, _Restore):
                if st.name in live:
                    needed.add(st.site)
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
        if isinstance(s, _Restore):
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
