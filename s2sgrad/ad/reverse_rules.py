"""Reverse mode, one assignment at a time: the rule of the called function (rules/) gives each
argument's contribution to its adjoint from the result's adjoint, which is popped (a variable's
adjoint ends at its definition).  Guarantees:
- an adjoint narrower than the result (a lazy scalar or keepdims shape) is spread to the result's
  shape before a rule that needs the exact shape (`lazy_g` rules take it as is);
- contributions of one statement to one variable are summed before they reach its adjoint, and a
  self-update's (`y = y + x`) old-y contribution is accumulated last, after y is restored
  (ReverseGenerator.stmt runs `pending`), so a run-time unbroadcast sees the old y's shape;
- custom_vjp calls run the user's backward function, its cotangents checked by `cotangents_of`;
  custom_jvp calls are refused in reverse mode.
A mixin of ReverseGenerator (reverse.py), split from it to keep the statement walk and the rule
application apart.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .. import ir
from ..builder import E, NP
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, ListExpr, Name, Tuple
from ..passes.shapes import Arr, Known, PyNum
from ..passes.activity import UNFOLDED_BUILTINS, unfolded_builtin
from ..rules import RULES
from .context import RuleCtx, _shape


class ApplyRules:
    """`assign` and `custom`: the reverse of one assignment statement (see the module docstring)."""

    def assign(self, s):
        rule = RULES.get(s.value.op) if isinstance(s.value, Call) else None
        if rule is not None and rule.kind in ("custom_vjp", "custom_jvp"):
            return self.custom(s, rule)
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
            return code + self.sum_of_array(val.args[0], cur.expr, s) + self.list_adj.start_of_sum(val, cur.expr, s)
        if val.op == ".copy" and val.args and isinstance(val.args[0], Call):
            # a copied view of a written array (passes/views.py): the copy is the identity for
            # derivatives, so the inner operation's rule applies, on a statement of its own
            inner = replace(s, value=val.args[0])
            self.shapes.rekey(s, inner)
            s, val = inner, inner.value
        rule = RULES.get(val.op)
        if rule is None and val.op in UNFOLDED_BUILTINS:
            raise unfolded_builtin(val.op, s.loc)
        if rule is None or rule.kind == "nondiff":
            return []
        g = cur.expr
        ans_val = self.shapes.after(s, t)
        if not rule.lazy_g and (_shape(cur.value) != _shape(ans_val) or _shape(ans_val) is None):
            if _shape(ans_val) != () or not isinstance(ans_val, (PyNum, Known)):
                g = NP.full_like(Name(t), g).e if _narrow_float(ans_val) and isinstance(cur.value, (PyNum, Known)) \
                    else NP.broadcast_to(g, E(Name(t)).shape).e
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
        masked = cur.mask if rule.kind == "elementwise" and g is cur.expr else None
        if rule.kind == "elementwise" and cur.mask is not None and masked is None and \
                isinstance(g, Call) and g.op == "np.broadcast_to" and g.args[0] is cur.expr:
            masked = cur.mask[:2] + (True,)  # (spread to the result's shape: aligned when it runs)
        ctx = RuleCtx(self, s, g)
        contribs = [self.recompute(c) for c in rule.vjp(ctx)]
        if masked is not None:
            contribs = [c if c is None else _remasked(masked, c) for c in contribs]
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

    def sum_of_array(self, arg, g, s):
        """Python's sum() of an array (a parameter, `list(x)` kept as an array: passes/list_arrays):
        0 + a[0] + a[1] + ..., so each row's adjoint is g, whatever the order of the additions."""
        av = self.shapes.before(s, arg.id) if isinstance(arg, Name) else None
        if not (isinstance(av, Arr) and not av.scalar and (av.rank or 0) >= 1):
            raise UnsupportedSyntaxError("sum() of something that is neither an array nor a list built with append or "
                                         "a comprehension (for an array's sum write np.sum(x, axis=0))", s.loc)
        if not self.act.is_active(arg.id):
            return []
        return self.accumulate(arg.id, [NP.broadcast_to(g, NP.shape(arg)).e], s, alias_ok=False, exact=True)

    def custom(self, s, rule):
        """`y, y_res = f_fwd(x, W)` (a custom_vjp call, rules/custom.py): the user's f_bwd gives the
        arguments' contributions, checked for number and shapes by `cotangents_of`."""
        from ..rules.custom import CUSTOM
        kind, obj, partner = CUSTOM[s.value.op]
        if kind == "custom_jvp":
            raise UnsupportedSyntaxError(f"reverse mode of '{obj.__name__}', which has a forward rule only "
                                         "(custom_jvp): give it a reverse rule with s2sgrad.custom_vjp", s.loc)
        y, res = s.targets
        cur = self.adj.pop(y, None)
        if cur is None:
            return []
        yval = self.shapes.after(s, y)
        g = cur.expr
        if _shape(cur.value) != _shape(yval) or _shape(yval) is None:
            g = NP.broadcast_to(g, NP.shape(Name(y))).e
        args = s.value.args
        outs = tuple(self.names.get(("custom", id(s), i), f"cotangent_{a.id}" if isinstance(a, Name) else "cotangent")
                     for i, a in enumerate(args))
        # (a copy: the user's bwd may change its cotangent in place, `g *= 3`, and g may be another
        # path's adjoint or a read-only broadcast)
        where = f"{s.loc.file}:{s.loc.line}" if s.loc is not None else ""
        call = Call("cotangents_of", (Call(partner, (Name(res), NP.copy(g).e)), Const(obj.__name__),
                                      Tuple(tuple(args)), Const(where)))
        code = [Assign(outs, call, s.loc)]
        for a, o in zip(args, outs):
            if isinstance(a, Name) and self.act.is_active(a.id):
                self.gvals[o] = self.value_of(a.id, s)
                code += self.accumulate(a.id, [Name(o)], s, alias_ok=False, exact=False)
        return code


def _remasked(masked, c):
    """An elementwise contribution `grad_y * partial` of an adjoint that is np.where(m, 0.0, G) (the
    operand of a where on the side not picked): np.where(m, 0.0, grad_y * partial), so that it is 0
    where the where took the other side, not 0 * inf = nan where the partial is infinite there
    (np.sqrt of a negative number, np.log of 0: the gradient of np.where(x < 1, x, np.sqrt(x - 1))
    at x = 0.5 is 1).  Sound while m holds the mask the where read: ReverseGenerator drops the
    mask at a statement binding m, or a branch or loop binding it, unless m is bound once outside
    every loop (reverse.py), and accumulate drops it at a second contribution."""
    m, zero_first, checked = masked
    c = c.e if isinstance(c, E) else c
    if checked:  # (shapes known at run time only: the mask where it lines up with c, else c as it is)
        m = Call("aligned_mask", (m, c, Const(bool(zero_first))))
    return E(Call("np.where", (m, Const(0.0), c) if zero_first else (m, c, Const(0.0))))


def _narrow_float(val):
    """A float32 (or float16) array: a Python-number cotangent spread to its shape keeps its dtype
    (np.full_like) where np.broadcast_to would make a float64 adjoint of it."""
    return isinstance(val, Arr) and val.dtype is not None and np.dtype(val.dtype).kind == "f" \
        and np.dtype(val.dtype).itemsize < 8
