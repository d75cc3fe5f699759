"""Forward mode: from a normalized (ANF) function to its Jacobian-vector product, as IR.

Guarantees about its output (`ForwardGenerator.run`):
- one sweep: every statement of the user's computation, followed by its tangent statement
  (`dot_h = dot_X @ W1 + X @ dot_W1`); control flow stays Python control flow (the tangents ride
  along the path the values take), nothing is recorded;
- a tangent exists only for active variables (activity.py); a zero tangent is symbolic (never
  allocated) until a branch or a loop needs the same variable on every path, or an indexed write
  needs an array to write into;
- the tangent rules come from the same rule table as reverse mode: an elementwise row's
  contribution is linear in g and diagonal, so evaluated on an argument's tangent it is that
  argument's share of the result's tangent; every other row carries its own `jvp`, and a row
  without one is refused at the user's line (never a silent zero);
- a tangent may be *lazy* (a scalar or smaller array that broadcasts to its variable's shape) while
  only elementwise rules read it; it is materialised (`np.broadcast_to`) before a rule that needs
  the exact shape, and the returned tangent has the output's shape and dtype;
- a tangent written through an index (`dot_x[i] = dot_v`) is an array only it refers to (copied
  first where it may share its memory with another tangent).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .. import ir
from ..builder import E, NP
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Break, Call, Const, ExprStmt, For, If, ListExpr, Name, SetItem, Tuple, While, walk
from ..passes.shapes import Arr, Known, PyNum
from ..passes.dataflow import unbinds
from ..passes.activity import UNFOLDED_BUILTINS, unfolded_builtin
from ..passes.optimize import masked_parts
from ..rules import RULES
from ..rules.table import casts_to_integer
from .analysis import _VIEW_OPS, bound_once
from .context import RuleCtx
from .list_scopes import list_vars, refuse_other_uses
from .lists import refuse_container_append
from .forward_flow import ForwardControlFlow
from .tangents import Tan, TangentState

# views, and the identity rows whose derived tangent is the argument's tangent itself
_VIEWS = _VIEW_OPS | {"stop_gradient_identity", ".copy", "np.copy"}


class ForwardCtx(RuleCtx):
    """What a forward rule sees: RuleCtx's facts, plus each argument's tangent."""

    forward = True  # (see RuleCtx.forward)

    def __init__(self, gen, s, g=None):
        super().__init__(gen, s, g if g is not None else Const(0.0))

    def has_tangent(self, i):
        a = self.call.args[i] if i < len(self.call.args) else None
        names = [a] if isinstance(a, Name) else list(a.elts) if isinstance(a, (ListExpr, Tuple)) else []
        return any(isinstance(n, Name) and self.gen.tangent(n.id) is not None for n in names)

    def t(self, i):
        """Argument i's tangent with exactly its shape (None: zero)."""
        a = self.call.args[i]
        return E(self.gen.exact(a.id, self.s)) if isinstance(a, Name) and self.gen.tangent(a.id) is not None else None

    def tangent_arg(self, i):
        """Argument i replaced by its tangent, zeros where it carries none (lists element by element)."""
        a = self.call.args[i]
        if isinstance(a, (ListExpr, Tuple)):
            return type(a)(tuple(self.gen.tangent_or_zero(x, self.s) for x in a.elts))
        return self.gen.tangent_or_zero(a, self.s)

    def with_args(self, args) -> E:
        return E(Call(self.call.op, tuple(args), self.call.kwargs))


class ForwardGenerator(ForwardControlFlow, TangentState):
    """The tangent code of one normalized function (see the module docstring); `run` returns
    (code, the expression of the output's tangent)."""

    def __init__(self, nf, wrt, shapes, activity, names):
        self.fn, self.result = nf.fn, nf.result
        self.wrt = tuple(wrt)
        self.shapes, self.act, self.names = shapes, activity, names
        self.tan = {}        # variable -> Tan (absent: a symbolic zero)
        self.gvals = {}      # tangent variable -> abstract value (read by RuleCtx.let / eval_shape)
        self.defined = set(self.fn.params)
        self.given = set()   # variables the statement being transformed gave a tangent
        # names holding one value throughout (a tangent's mask reading them means the same where it is read)
        self.bound_once = bound_once(self.fn) | (set(self.fn.params) - set(ir.all_writes(self.fn.body)))
        self.own_masks = set()  # masks bound to names of their own, with their tangents (rule)
        self.copying = False  # the statement is a copy: its tangent is copied too (TangentState.set)
        self.lists = {s.target for s in walk(self.fn.body) if isinstance(s, Assign) and len(s.targets) == 1
                      and isinstance(s.value, ListExpr) and not s.value.elts}
        # (as reverse mode refuses them: np.maximum.accumulate(L) of a list read as an array)
        refuse_other_uses(self.fn, list_vars(self.fn), self.act.is_active)


    # ------------------------------------------------------------------ entry point
    def run(self):
        code = self.block(self.fn.body)
        return code, self.output()

    def output(self):
        r = self.result
        out = self.shapes.at_exit(r)
        if r not in self.tan:
            if isinstance(out, (PyNum, Known)):
                return Const(0.0)
            if isinstance(out, Arr) and out.dtype is not None and np.dtype(out.dtype).kind == "f":
                return NP.zeros_like(Name(r)).e
            return Call("zero_tangent", (Name(r),))
        t = self.tan[r]
        name = Name(self.dot(r))
        if isinstance(out, (PyNum, Known)):
            return name
        if not self._is_exact(r, t):
            return NP.full_like(Name(r), name, dtype=Call("tangent_dtype", (Name(r),))).e
        if not isinstance(out, Arr):
            return name
        td = t.value.dtype if isinstance(t.value, Arr) else None
        if td is not None and out.dtype is not None and np.dtype(out.dtype).kind == "f" and td != out.dtype:
            return E(name).method("astype", ir.Attr(Name(r), "dtype")).e
        return name

    # ------------------------------------------------------------------ statements
    def block(self, body):
        out = []
        for s in body:
            out += self.stmt(s)
        return out

    def stmt(self, s):
        custom = _custom_kind(s)
        if custom == "custom_vjp" and any(isinstance(a, Name) and a.id in self.tan for a in s.value.args):
            from ..rules.custom import CUSTOM
            raise UnsupportedSyntaxError(f"forward mode of '{CUSTOM[s.value.op][1].__name__}', which has a reverse rule "
                                         "only (custom_vjp): give it a forward rule with s2sgrad.custom_jvp", s.loc)
        if custom == "custom_jvp" and self.act.is_active(s.target) and \
                any(isinstance(a, Name) and a.id in self.tan for a in s.value.args):
            return self.custom_jvp(s)
        if isinstance(s, Assign):
            code = [s] + self.assign(s)
            if unbinds(s) is not None:  # y = UNBOUND: no value there, so no tangent either (passes/unbound.py)
                self.defined.discard(s.target)
            else:
                self.defined.update(s.targets)
            return code
        if isinstance(s, SetItem):
            return [s] + self.setitem(s)
        if isinstance(s, If):
            return self.if_(s)
        if isinstance(s, (For, While)):
            return self.loop(s)
        if isinstance(s, (Break, ExprStmt)):
            return [s]
        raise UnsupportedSyntaxError(f"forward mode: the statement {type(s).__name__}", getattr(s, "loc", None))

    def assign(self, s):
        active = [t for t in s.targets if self.act.is_active(t)]
        if isinstance(s.value, Call) and s.value.op == "list_pop" and s.target in self.tan:
            return [Assign((self.dot(s.target),), Call("list_pop", (Name(self.dot(s.target)), s.value.args[1])), s.loc)]
        if isinstance(s.value, Call) and s.value.op == "list_append" and s.target in self.tan:
            lst, item = s.value.args  # `hs.append(h)`: the tangent list grows the same way
            refuse_container_append(s, self.act.is_active)
            return [Assign((self.dot(lst.id),), Call("list_append", (Name(self.dot(lst.id)),
                                                                      self.tangent_or_zero(item, s))), s.loc)]
        self.given = set()
        code = self._assign(s, active) if active else []
        for t in s.targets:  # a target this statement gave no tangent has a zero one now
            if t not in self.given:
                self.tan.pop(t, None)
        return code

    def _assign(self, s, active):
        """The tangent statements of an assignment (reading the arguments' tangents before the
        target's is replaced: `y = y + x` reads the old dot_y)."""
        if len(s.targets) > 1:
            raise UnsupportedSyntaxError("unpacking a value that must be differentiated", s.loc)
        t, val = s.target, s.value
        if isinstance(val, Name):
            if val.id not in self.tan:
                return []
            src = self.tan[val.id]
            self.tan[val.id] = replace(src, owned=False)  # two variables now share one tangent
            return self.set(t, Name(self.dot(val.id)), s, owned=False, exact=src.exact, mask=src.mask)
        if isinstance(val, ListExpr) and not val.elts and t in self.lists:
            return self.set(t, ListExpr(()), s, owned=True)
        if isinstance(val, Const):
            return []
        if isinstance(val, (Tuple, ListExpr, ir.DictExpr)):
            raise UnsupportedSyntaxError("a tuple, list or dict of differentiable values stored in a variable "
                                         "(keep each value in a variable)", s.loc)
        if not isinstance(val, Call):
            return []
        if val.op in ("list_append", "list_pop"):
            return []  # a list without a tangent (built before anything varied) stays without one
        if val.op == "list_sum":  # sum(L) or sum(L, start): the sum of the tangents, from start's
            items, start = val.args[0], (val.args[1] if len(val.args) == 2 else None)
            d_items = Name(self.dot(items.id)) if isinstance(items, Name) and items.id in self.tan else None
            d_start = Name(self.dot(start.id)) if isinstance(start, Name) and start.id in self.tan else None
            if d_items is None and d_start is None:
                return []
            zero = Call("np.zeros_like", (Name(t),))  # (the result's shape and type: start may broadcast)
            if d_items is None:
                return self.set(t, Call("add", (zero, d_start)), s, owned=True)
            args = (d_items,) if start is None else (d_items, d_start if d_start is not None else zero)
            return self.set(t, Call("list_sum", args), s, owned=True)
        if val.op == ".copy" and val.args and isinstance(val.args[0], Call):
            # a copied view of a written array (passes/views.py): the inner operation's rule, then a copy
            # the tangent copied too (so the array it viewed stays its own: a loop reading a row and
            # writing the next would otherwise copy the whole tangent every iteration)
            inner = Assign(s.targets, val.args[0], s.loc)
            self.shapes.rekey(s, inner)
            self.copying = True
            try:
                return self.assign(inner)
            finally:
                self.copying = False
        return self.rule(s, t, val)

    def rule(self, s, t, call):
        rule = RULES.get(call.op)
        if rule is None and call.op in UNFOLDED_BUILTINS and any(ForwardCtx(self, s).has_tangent(i)
                                                                  for i in range(len(call.args))):
            raise unfolded_builtin(call.op, s.loc)
        if rule is None or rule.kind == "nondiff" or casts_to_integer(call):
            return []  # (np.array(L, dtype=int) of a list: piecewise constant, its dtype not inferred)
        ans = self.shapes.after(s, t)
        if isinstance(ans, Arr) and ans.dtype is not None and np.dtype(ans.dtype).kind in "biu":
            return []  # an integer or boolean result is piecewise constant
        ctx = ForwardCtx(self, s)
        if not any(ctx.has_tangent(i) for i in range(len(call.args))):
            return []
        if rule.kind == "elementwise":
            for i, a in enumerate(call.args):
                if isinstance(a, (ListExpr, Tuple)) and ctx.has_tangent(i):  # as reverse mode (table._guarded)
                    raise UnsupportedSyntaxError(f"{_spell(call.op)}: a list or tuple literal of differentiable values "
                                                 "in this position is not supported (write np.array([...]) or "
                                                 "np.stack([...]))", s.loc)
            total, masks = None, []
            for i, a in enumerate(call.args):
                if not (isinstance(a, Name) and a.id in self.tan):
                    continue
                c = ForwardCtx(self, s, Name(self.dot(a.id)))
                part = rule.vjp(c)
                share = part[i] if i < len(part) else None
                if share is None:
                    continue
                mask = self.tan[a.id].mask
                if mask is not None and not _scaled(share, self.dot(a.id)):
                    # (0 * inf = nan where the tangent is zero and the factor infinite: sqrt(maximum(v, 0)) at v < 0)
                    share = NP.where(mask, share, 0.0).e
                masks.append(mask)
                ctx.lets += c.lets
                total = E(share) if total is None else total + E(share)
            if total is None:
                return []
            # (-np.minimum(v, 0.0): a masked tangent negated or scaled is zero where it was; y + y of
            # two tangents masked alike is too)
            mask = self._mask_of(total.e) or (masks[0] if len(masks) == 1 and _scaled(total.e, None) else None)
            if mask is None and len(masks) > 1 and masks[0] is not None and all(m == masks[0] for m in masks) \
                    and _sum_of_scaled(total.e, masks[0]):
                mask = masks[0]
            if mask is None and _where_zero(total.e) is not None:
                # a mask reading a name bound again later (x = x + sqrt(maximum(x, 0))): in a name of its
                # own, bound with the tangent (so the two always go together)
                mask = ctx.let(_where_zero(total.e), "mask").e
                self.own_masks.add(mask.id)
                total = E(Call("np.where", (mask,) + total.e.args[1:]))
            return ctx.lets + self.set(t, total.e, s, owned=_fresh(total.e), mask=mask)
        from ..rules.complex_guard import check
        check(ctx, ctx.has_tangent)  # (elementwise rows: in rule.vjp, table._guarded)
        if rule.jvp is None:
            raise UnsupportedSyntaxError(f"{_spell(call.op)} has no forward-mode rule yet: differentiate it in "
                                         "reverse mode (s2sgrad.grad / jacobian(..., mode='rev'))", s.loc)
        out = rule.jvp(ctx)
        if out is None:
            return []
        e = out.e if isinstance(out, E) else out
        return ctx.lets + self.set(t, e, s, owned=_fresh(e), exact=True, mask=self._moved_mask(ctx, call))

    def _moved_mask(self, ctx, call):
        """y[:2], y.reshape(...), y.T of a masked tangent: zero where the mask, moved the same way, is
        False (the mask in a name of its own, bound with the tangent)."""
        a = call.args[0] if call.args else None
        if call.op not in _MOVES or not isinstance(a, Name) or a.id not in self.tan or self.tan[a.id].mask is None \
                or any(ctx.has_tangent(i) for i in range(1, len(call.args))):
            return None
        mask = self.tan[a.id].mask  # (of a scalar, a Python bool: an array first, so .T or [i] applies)
        moved = ctx.let(Call(call.op, (Call("np.asarray", (mask,)),) + tuple(call.args[1:]), call.kwargs), "mask").e
        self.own_masks.add(moved.id)
        return moved

    def _mask_of(self, e):
        """The mask of a tangent `np.where(mask, t, 0.0)` whose mask reads names bound once (so it
        means the same wherever the tangent is read), else None."""
        m = _where_zero(e)
        return m if m is not None and all(n in self.bound_once or n in self.own_masks for n in ir.expr_names(m)) \
            else None

    def custom_jvp(self, s):
        """`y = f(x, W)` with the user's rule: `y, dot_y = f_jvp((x, W), (dot_x, dot_W))`."""
        from ..rules.custom import CUSTOM
        _, obj, partner = CUSTOM[s.value.op]
        args = s.value.args
        tangents = Tuple(tuple(self.tangent_or_zero(a, s) for a in args))
        t = s.target
        name = self.dot(t)
        self.gvals[name] = self.shapes.after(s, t)
        self.tan[t] = Tan(self.shapes.after(s, t), True, True)
        self.defined.add(t)
        return [Assign((t, name), Call(partner, (Tuple(tuple(args)), tangents)), s.loc)]

    def setitem(self, s):
        x, v = s.target, s.value
        if not self.act.is_active(x):
            return []
        has_v = isinstance(v, Name) and v.id in self.tan
        if x not in self.tan and not has_v:
            return []
        pv = self.primal_value(x, s)
        if isinstance(pv, Arr) and pv.dtype is not None and np.dtype(pv.dtype).kind not in "fc":
            return []  # (written into an integer or boolean array: truncated, piecewise constant)
        code = []
        name = self.dot(x)
        if x not in self.tan:
            code += self.set(x, self.zero_of(x, s), s, owned=True, exact=True)
        elif not (self.tan[x].owned and self._is_exact(x, self.tan[x], s)):
            # a tangent that may share memory with another (or is a lazy broadcast): a copy of its own
            code += self.set(x, NP.full_like(Name(x), Name(name)).e, s, owned=True, exact=True)
        value = self.exact(v.id, s) if has_v else Const(0.0)
        if has_v and not (isinstance(pv, Arr) and pv.dtype is not None):
            value = Call("float_only", (value, Name(x)))  # x's dtype known only at run time (int: no derivative)
        code.append(SetItem(name, s.index, value, s.loc))
        # the written elements need not be zero where a mask of the tangent's is False (`a =
        # np.clip(x, ...).copy(); a[[2, 0]] = x[:2]`): the tangent is masked no more
        self.tan[x] = replace(self.tan[x], mask=None)
        return code


def _scaled(e, dot) -> bool:
    """Whether e is the tangent `dot` itself, negated or times constants (no factor can be infinite);
    dot None: of any one name."""
    if e == Name(dot) or dot is None and isinstance(e, Name):  # (None: any one name)
        return True
    if isinstance(e, Call) and e.op == "neg" and len(e.args) == 1:
        return _scaled(e.args[0], dot)
    if isinstance(e, Call) and e.op in ("mul", "truediv") and len(e.args) == 2 and not e.kwargs:
        a, b = e.args
        return _scaled(a, dot) and isinstance(b, Const) and b.value != 0 or \
            e.op == "mul" and isinstance(a, Const) and _scaled(b, dot)
    return False


# rows that move a tangent's elements without combining them: its mask moves the same way
_MOVES = frozenset({"getitem", ".reshape", "np.reshape", "np.ravel", ".ravel", ".flatten", "@T", "np.transpose",
                    ".transpose", "np.squeeze", ".squeeze", "np.expand_dims", "np.flip", "np.swapaxes", "np.moveaxis"})


def _sum_of_scaled(e, mask) -> bool:
    """Whether e is a sum of tangents each scaled by constants or held under `mask` (`dot_y + dot_y`)."""
    if isinstance(e, Call) and e.op in ("add", "sub") and len(e.args) == 2 and not e.kwargs:
        return all(_sum_of_scaled(a, mask) for a in e.args)
    return _scaled(e, None) or _where_zero(e) == mask


def _where_zero(e):
    """mask of `np.where(mask, t, 0.0)` -- of nested ones, where(m1, where(m2, t, 0), 0) (a clip, a
    minimum of a maximum), the masks and-ed -- else None."""
    masks = []
    while (parts := masked_parts(e)) is not None:
        m, e = parts
        if m not in masks:
            masks.append(m)
    if not masks:
        return None
    out = masks[0]
    for m in masks[1:]:  # (logically: np.where reads any truth value, and 2 & 1 is 0)
        out = Call("np.logical_and", (out, m))
    return out


def _custom_kind(s):
    if isinstance(s, Assign) and isinstance(s.value, Call):
        rule = RULES.get(s.value.op)
        if rule is not None and rule.kind in ("custom_vjp", "custom_jvp"):
            return rule.kind
    return None


def _fresh(e):
    """Whether an expression certainly builds a new array (not a view or an alias of a tangent)."""
    return isinstance(e, Call) and e.op not in _VIEWS and e.op != "tangent_dtype"


def _spell(op):
    return f"x{op}()" if op.startswith(".") else op

