"""Batched forward mode: many tangents in one generated call (forward Jacobians, `jacfwd`).

`BatchedForward` is ForwardGenerator with every tangent carrying a leading batch axis: dot_v has
shape (batch,) + v.shape, always (nothing lazy), so a call with the identity basis as tangents gives
a whole Jacobian in one sweep of array code.  Elementwise rows need only alignment: an argument's
tangent of lower rank than the result gets size-1 axes after the batch axis (`dot_x[:, None]`), so
numpy's right-aligned broadcasting cannot pair the batch axis with a data axis.  Structural rows
need rules that know about the batch axis; `BATCHED` has them for the matmul/dot family (1-D and
2-D), sum and mean, indexing, transposes, reshapes, stack and concatenate; an indexed write becomes
`dot_x[:, idx] = dot_v`.  Anything else -- another structural row, a list built in a loop, unknown
static shapes, a user's rule --
raises `NotBatchable`, and the caller falls back to one JVP per basis vector (same numbers).
"""
from __future__ import annotations

from ..builder import E, NP
from ..ir import Assign, Call, Const, ListExpr, Name, SetItem, Slice, Tuple
from ..passes.shapes import Arr, Known, PyNum
from ..rules import RULES
from .context import _shape
from .forward import ForwardCtx, ForwardGenerator, _fresh


class NotBatchable(Exception):
    """This function's forward code cannot carry a batch axis (see the module docstring)."""


_ALL = Slice(None, None, None)


class BatchedForward(ForwardGenerator):
    batch = "batch"

    def _nd(self, v, s=None):
        pv = self.primal_value(v, s)
        if isinstance(pv, (PyNum, Known)):
            return 0
        shape = _shape(pv)
        if shape is None:
            raise NotBatchable(f"the shape of '{v}' is known only at run time")
        return len(shape)

    def exact(self, v, s=None):
        return Name(self.dot(v))

    def zero_of(self, v, s=None):
        return NP.zeros(Call("add", (Tuple((Name(self.batch),)), NP.shape(Name(v)).e))).e

    def tangent_or_zero(self, a, s):
        if isinstance(a, Name):
            return Name(self.dot(a.id)) if a.id in self.tan else self.zero_of(a.id, s)
        raise NotBatchable("a constant where a batched tangent is needed")

    def output(self):
        r = self.result
        if r not in self.tan:
            return self.zero_of(r)
        return Name(self.dot(r))

    def setitem(self, s):
        """`x[idx] = v`: `dot_x[:, idx] = dot_v`, dot_v aligned to the slot's rank after the batch axis."""
        x, v = s.target, s.value
        has_v = isinstance(v, Name) and v.id in self.tan
        if not self.act.is_active(x) or (x not in self.tan and not has_v):
            return []
        pv = self.primal_value(x, s)
        if isinstance(pv, Arr) and pv.dtype is not None and pv.dtype.kind != "f":
            return []
        slot = self.eval_shape(Call("getitem", (Name(x), s.index)), s)
        if _shape(slot) is None or _shape(pv) is None:
            raise NotBatchable("an indexed write of shapes known only at run time")
        code = []
        if x not in self.tan:
            code += self.set(x, self.zero_of(x, s), s, owned=True, exact=True)
        elif not self.tan[x].owned:  # may share memory with another tangent: a copy of its own
            code += self.set(x, E(Name(self.dot(x))).method("copy").e, s, owned=True, exact=True)
        value = Const(0.0)
        if has_v:
            k = len(_shape(slot)) - self._nd(v.id, s)
            if k < 0:
                raise NotBatchable("an indexed write of a value of higher rank than its slot")
            value = Name(self.dot(v.id))
            if k > 0:
                value = Call("getitem", (value, Tuple((_ALL,) + (Const(None),) * k)))
        if has_v and not (isinstance(pv, Arr) and pv.dtype is not None):
            value = Call("float_only", (value, Name(x)))  # x's dtype known only at run time
        parts = s.index.elts if isinstance(s.index, Tuple) else (s.index,)
        code.append(SetItem(self.dot(x), Tuple((_ALL,) + tuple(parts)), value, s.loc))
        return code

    def custom_jvp(self, s):
        raise NotBatchable("a custom_jvp function")

    def stmt(self, s):
        if isinstance(s, Assign) and isinstance(s.value, (ListExpr, Call)) and (
                s.target in self.lists or (isinstance(s.value, Call) and s.value.op in ("list_append", "list_sum", "list_pop"))):
            if self.act.is_active(s.target):
                raise NotBatchable("a list built at run time")
        return super().stmt(s)

    def rule(self, s, t, call):
        rule = RULES.get(call.op)
        if rule is None or rule.kind == "nondiff":
            return []
        ans = self.shapes.after(s, t)
        if isinstance(ans, Arr) and ans.dtype is not None and ans.dtype.kind in "biu":
            return []
        ctx = ForwardCtx(self, s)
        if not any(ctx.has_tangent(i) for i in range(len(call.args))):
            return []
        if isinstance(ans, (PyNum, Known)):
            nd_ans = 0
        elif _shape(ans) is not None:
            nd_ans = len(_shape(ans))
        else:
            raise NotBatchable(f"the shape of '{t}' is known only at run time")
        if rule.kind == "elementwise":
            return self.elementwise(s, t, call, rule, nd_ans)
        make = BATCHED.get(call.op)
        if make is None:
            raise NotBatchable(f"{call.op} has no batched forward rule")
        out = make(self, ctx, nd_ans)
        e = out.e if isinstance(out, E) else out
        return ctx.lets + self.set(t, e, s, owned=_fresh(e), exact=True)

    def elementwise(self, s, t, call, rule, nd_ans):
        total, full = None, False
        for i, a in enumerate(call.args):
            if isinstance(a, (ListExpr, Tuple)) and ForwardCtx(self, s).has_tangent(i):
                raise NotBatchable("a list literal of differentiable values")
            if not (isinstance(a, Name) and a.id in self.tan):
                continue
            k = nd_ans - self._nd(a.id, s)
            g = Name(self.dot(a.id))
            if k > 0:  # keep the batch axis first: size-1 axes for the ones the argument lacks
                g = Call("getitem", (g, Tuple((_ALL,) + (Const(None),) * k)))
            c = ForwardCtx(self, s, g)
            part = rule.vjp(c)
            share = part[i] if i < len(part) else None
            if share is None:
                continue
            full = full or (_shape(self.primal_value(a.id, s)) == _shape(self.shapes.after(s, t)))
            total = E(share) if total is None else total + E(share)
        if total is None:
            return []
        e = total.e
        if not full:  # every contribution may be smaller than the result: spread it
            e = NP.broadcast_to(e, Call("add", (Tuple((Name(self.batch),)), NP.shape(Name(t)).e))).e
        return self.set(t, e, s, owned=False, exact=True)


# ----------------------------------------------------------------------- batched structural rows
def _shift(axis, nd):
    if axis is None:
        return tuple(range(1, nd + 1))
    if isinstance(axis, tuple):
        return tuple(a + 1 if a >= 0 else a for a in axis)
    return axis + 1 if axis >= 0 else axis


def _matmul(gen, c, nd_ans):
    nx, ny = c.ndim(0), c.ndim(1)
    if nx not in (1, 2) or ny not in (1, 2):
        raise NotBatchable("a matmul of operands other than vectors and matrices")
    x, y = c.args
    total = None
    if c.t(0) is not None:
        total = c.t(0) @ y
    if c.t(1) is not None:
        dy = c.t(1)
        term = x @ dy if ny == 2 else (dy @ x.T if nx == 2 else dy @ x)
        total = term if total is None else total + term
    return total


def _reduce(op):
    def rule(gen, c, nd_ans):
        nd = c.ndim(0)
        if nd is None:
            raise NotBatchable("a reduction of unknown rank")
        kws = {"axis": _shift(c.kw("axis", 1), nd)}
        if c.kw("keepdims", None, False):
            kws["keepdims"] = True
        return getattr(NP, op)(c.t(0), **kws)
    return rule


def _getitem(gen, c, nd_ans):
    idx = c.call.args[1]
    if isinstance(idx, Name):
        v = gen.primal_value(idx.id, c.s)
        if not isinstance(v, (Arr, PyNum)):
            raise NotBatchable("an index held in a variable")
    parts = idx.elts if isinstance(idx, Tuple) else (idx,)
    kinds = [_part_kind(gen, p, c.s) for p in parts]
    if "array" in kinds:  # (numpy moves the broadcast axes of advanced indices split by a slice, None
        # or ... to the front, before the batch axis: x[:, idx, :, k] is not the batch of x[idx, :, k])
        adv = [i for i, k in enumerate(kinds) if k in ("array", "int")]
        if adv[-1] - adv[0] + 1 != len(adv):
            raise NotBatchable("integer-array indices split by a slice, None or ...")
    return c.t(0)[Tuple((_ALL,) + tuple(parts))]


def _part_kind(gen, p, s):
    """'basic' (a slice, None, ...), 'int' (one position) or 'array' (an integer or boolean array)."""
    if isinstance(p, Slice) or isinstance(p, Const) and (p.value is None or p.value is Ellipsis):
        return "basic"
    if isinstance(p, Const) and isinstance(p.value, int):
        return "int"
    if isinstance(p, Name):
        v = gen.primal_value(p.id, s)
        if isinstance(v, PyNum) or isinstance(v, Known) and isinstance(v.value, int) or \
                isinstance(v, Arr) and v.shape == ():
            return "int"
    return "array"


def _transpose(gen, c, nd_ans):
    if len(c.call.args) > 1 or c.call.kwargs:
        raise NotBatchable("a transpose with axes")
    nd = c.ndim(0)
    if nd is None:
        raise NotBatchable("a transpose of unknown rank")
    if nd <= 1:
        return c.t(0)
    if nd == 2:
        return NP.swapaxes(c.t(0), 1, 2)
    return NP.transpose(c.t(0), (0,) + tuple(range(nd, 0, -1)))


def _reshape(gen, c, nd_ans):
    from ..rules.arrays import _order
    _order(c)  # (order='F' of a batch would lay the batch axis out with the values)
    shape = c.ans_shape()
    if shape is None:
        raise NotBatchable("a reshape to a shape known only at run time")
    return c.t(0).method("reshape", Call("add", (Tuple((Name(gen.batch),)), Const(tuple(shape)))))


def _assemble(op):
    def rule(gen, c, nd_ans):
        a = c.call.args[0]
        if not isinstance(a, (ListExpr, Tuple)):
            raise NotBatchable(f"{op} of a list built at run time")
        axis = c.kw("axis", 1, 0)
        if axis is None:
            raise NotBatchable(f"{op} with axis=None")
        parts = ListExpr(tuple(gen.tangent_or_zero(x, c.s) for x in a.elts))
        return E(Call(op, (parts,), (("axis", Const(axis + 1 if axis >= 0 else axis)),)))
    return rule


BATCHED = {op: _matmul for op in ("matmul", "np.matmul", "np.dot", ".dot")}
BATCHED.update({op: _reduce("sum") for op in ("np.sum", ".sum")})
BATCHED.update({op: _reduce("mean") for op in ("np.mean", ".mean")})
BATCHED.update({"getitem": _getitem, "@T": _transpose, "np.transpose": _transpose, ".transpose": _transpose})
BATCHED.update({op: _reshape for op in (".reshape", "np.reshape", ".ravel", "np.ravel", ".flatten", "np.squeeze",
                                        ".squeeze", "np.expand_dims")})
BATCHED.update({"np.stack": _assemble("np.stack"), "np.concatenate": _assemble("np.concatenate")})
