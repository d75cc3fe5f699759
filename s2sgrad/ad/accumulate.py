"""How contributions reach an adjoint in the reverse sweep: the first assigns, later ones add (in
place only on arrays the generated code owns); contributions statically larger than their variable
are summed down once (`.sum(axis=...)`), lazily broadcast ones spread first; reads through an index
scatter back (`grad_x[i] += g`, `np.add.at` for repeated indices); writes through an index take
their slot's adjoint and zero it.  A mixin of ReverseGenerator.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .. import ir
from ..builder import E, NP
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, ExprStmt, ListExpr, Name, SetItem, Slice, Tuple, expr_names
from ..passes.shapes import Arr, Known, PyNum
from ..rules.complex_guard import dtype_kind, holds_complex_of
from ..rules.custom import may_draw
from .adjoint_masks import _BOOLEAN_OPS, SINGULAR, where_mask
from .adjoints import AdjVal
from .analysis import _basic_index, _broadcasts, _fresh, _integer_array_index, integer_array_parts
from .context import _index_value, _is_array, _shape


_IMPURE = frozenset({"global_read"})  # (besides draws, rules.custom.may_draw: a read of a global written between)

def _sum(contribs):
    """c0 + c1 + ... as one expression: a left-to-right chain, read as written; past 16 terms a
    balanced tree, whose depth is the logarithm of the count (a 1100-item list literal of one
    name made a chain 1100 calls deep, and walking it exceeded Python's recursion limit)."""
    if len(contribs) > 16:
        mid = len(contribs) // 2
        return _sum(contribs[:mid]) + _sum(contribs[mid:])
    total = E(contribs[0])
    for c in contribs[1:]:
        total = total + E(c)
    return total


class Accumulate:
    def accumulate(self, v, contribs, s, alias_ok, exact, copy_alias=False, logical=None, ans=None, spread=False):
        """Add contributions to v's adjoint: assign the first, accumulate later ones.

        `logical` is the shape of the elementwise result the contribution stands for: a lazy
        cotangent (a scalar standing for a full array) must be spread to that shape before it is
        summed down to a smaller operand."""
        c = _sum(self.widened(v, contribs, s)).e
        cval = self.eval_shape(c, s)
        vval = self.value_of(v, s)
        cs, vs = _shape(cval), _shape(vval)
        keeps = spread and (cs is None or vs is None) and self.keeps_shape(s, v)
        if spread and ans is not None and not keeps:
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
        lazy = exact and cs == () and vs is None  # a number standing for v's shape (np.sum's cotangent)
        if not (keeps or lazy):  # (else c is v's shape, or a lazy number for it)
            c, cval = self.unbroadcast(c, cval, vval, v)
        if isinstance(c, Name) and c.id in self.written_in_place:
            # a primal array the reverse sweep restores in place (`a1[j] = saved.pop()`): an adjoint
            # that merely referred to it would change with it.  The name may hold a number here
            # (`a = x.copy(); a[0] = ...; a = s`): numbers are immutable, and np.copy takes either
            held = self.value_of(c.id, s)
            if isinstance(held, (PyNum, Known)) or (isinstance(held, Arr) and held.scalar):
                pass
            elif isinstance(held, Arr) and held.shape is not None:
                c = E(c).method("copy").e
            else:
                c = NP.copy(c).e
        c, cval = _real_part_for_real(c, cval, vval, holds_complex_of(self))
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
            if copy_alias and not _fresh(c):  # (np.copy where it may be a number: unbroadcast, float_only)
                number = not isinstance(cval, Arr) or (isinstance(c, Call) and c.op in ("float_only", "unbroadcast"))
                c = NP.copy(c).e if number else E(c).method("copy").e
            self.adj[v] = AdjVal(Name(gname), cval, _fresh(c) and _is_array(cval), mask=where_mask(c))
            self.note_borrowed(gname, c)
            self.note_shared(gname, c)
            return [Assign((gname,), c, s.loc)]
        # (two contributions masked alike -- a value under two wheres of one mask -- sum to 0 where
        # both are: the mask holds for the sum, and the rules before keep masking theirs)
        inc = where_mask(c)
        kept = None if cur.mask is None or inc is None or cur.mask[1] != inc[1] or not self.same_mask(
            cur.mask[0].id, inc[0].id) else cur.mask[:2] + (cur.mask[2] or inc[2],)
        joined = []
        if kept is None and cur.mask is not None and inc is not None:
            kept, joined = self.joined_mask(v, cur.mask, inc, s)
        if not (isinstance(cur.expr, Name) and cur.expr.id == gname):
            new = (E(cur.expr) + E(c)).e
            nval = self.eval_shape(new, s)
            self.adj[v] = AdjVal(Name(gname), nval, _fresh(new) and _is_array(nval), mask=kept)
            self.note_borrowed(gname, new)
            self.note_shared(gname, new)
            return joined + [Assign((gname,), new, s.loc)]
        in_place = cur.owned and _shape(cur.value) == _shape(vval) and _broadcasts(_shape(cval), _shape(cur.value)) \
            and not (dtype_kind(cval) == "c" and dtype_kind(cur.value) != "c")  # (a real array cannot hold a complex sum)
        immutable = isinstance(cur.value, (PyNum, Known)) or (isinstance(cur.value, Arr) and cur.value.scalar)
        if in_place or (immutable and _shape(cval) == () and not self.may_share(cur.expr)):
            # (no mask, unless both are masked alike: the sum is no longer zero where the where took
            # the other side)
            self.adj[v] = replace(cur, value=cur.value if in_place else self.eval_shape((E(cur.expr) + E(c)).e, s),
                                  mask=kept)
            return joined + [Assign((gname,), Call("iadd", (cur.expr, c)), s.loc)]
        new = (E(cur.expr) + E(c)).e
        nval = self.eval_shape(new, s)
        self.adj[v] = AdjVal(Name(gname), nval, _is_array(nval) and not self.borrows(new), mask=kept)  # (g + 0.0 is g)
        self.note_borrowed(gname, new)
        self.note_shared(gname, new)
        return joined + [Assign((gname,), new, s.loc)]

    def joined_mask(self, v, a, b, s):
        """(mask, statements) for the sum of two contributions masked differently (np.nanmean and
        np.nanmax of one array; two wheres): it is zero where both are, `zero_v = m1 & ~m2`, a mask
        the rules before keep on theirs.  Only for masks of v's own shape known when compiling."""
        shape = _shape(self.value_of(v, s))
        held = [self.mask_value(m[0], s) for m in (a, b)]
        if a[2] or b[2] or shape is None or any(_shape(h) != shape for h in held):
            return None, []
        # (`~m1 & m2` where both are boolean arrays; np.where reads any truth value -- an integer
        # condition's ~1 is -2, which is true --, so other dtypes are joined logically)
        boolean = all(np.dtype(getattr(h, "dtype", None) or object) == np.bool_ for h in held)
        zero = [m[0] if m[1] else Call("invert" if boolean else "np.logical_not", (m[0],)) for m in (a, b)]
        name = self.names.get(("zero", v, id(s)), f"zero_{v}")
        self.gvals[name] = Arr(shape, np.dtype(bool))
        return (Name(name), True, False), [Assign((name,), Call("and_" if boolean else "np.logical_and", tuple(zero)),
                                                  s.loc)]

    def mask_value(self, m, s):
        """The abstract value of a mask's name: a rule's own (`nan_x`, a value of the reverse sweep)
        or the function's."""
        return self.gvals[m.id] if m.id in self.gvals else self.value_of(m.id, s)

    def same_mask(self, a, b, depth=4) -> bool:
        """Whether the names a and b hold one value: the same name, or each bound once, outside every
        loop, to the same operation of names that hold one value (`t1 = x > 0` and `t3 = x > 0` of
        two np.where(x > 0, ...); `np.abs(x) < 1` twice), parameters never bound again included."""
        if a == b:
            return a in self.bound_once or a in self._once_defs()[1] or depth == 4
        values = self._once_defs()[0]
        va, vb = values.get(a), values.get(b)
        if depth == 0 or not (isinstance(va, Call) and isinstance(vb, Call)) or va.op != vb.op \
                or va.kwargs != vb.kwargs or len(va.args) != len(vb.args) or may_draw(va.op) \
                or va.op in _IMPURE:  # (two draws, two reads of a global, are two values)
            return False
        return all(x == y and not isinstance(x, Name) or isinstance(x, Name) and isinstance(y, Name)
                   and self.same_mask(x.id, y.id, depth - 1) for x, y in zip(va.args, vb.args))

    def _once_defs(self):
        """(name -> the value of its one binding, for names bound once outside every loop; the
        parameters never bound again)."""
        defs = self.__dict__.get("_once")
        if defs is None:
            params = set(self.fn.params) - set(ir.all_writes(self.fn.body))
            defs = self._once = ({st.target: st.value for st in ir.walk(self.fn.body) if isinstance(st, Assign)
                                  and len(st.targets) == 1 and st.target in self.bound_once}, params)
        return defs

    def note_shared(self, gname, c):
        """Whether the adjoint gname now holds the very object another name holds (`grad_s = grad_t3`):
        a number's adjoint may be a 0-d array there (np.copy of one; a 0-d tensor in the Triton
        backend's host code), which `+=` would change in place behind the other name."""
        if isinstance(c, Name):
            self.shared.add(gname)
        else:
            self.shared.discard(gname)

    def may_share(self, e) -> bool:
        return isinstance(e, Name) and e.id in self.shared

    def note_borrowed(self, gname, c):
        """Whether the adjoint gname now holds an array the caller may hold too (a parameter, a
        global, a view of one, another adjoint that does): final_grad returns a copy of such."""
        if self.borrows(c):
            self.borrowed.add(gname)
        else:
            self.borrowed.discard(gname)

    def borrows(self, c) -> bool:
        if isinstance(c, Name):
            return c.id in self.borrowed or c.id in self.primal_names()
        if isinstance(c, ir.Attr) and c.attr in ("T", "mT", "real", "imag"):  # grad_out.T: a view of the seed
            return self.borrows(c.value)
        if isinstance(c, Call) and not _fresh(c) and c.args:  # (np.broadcast_to(1.0, s): a read-only view)
            return isinstance(c.args[0], Const) or self.borrows(c.args[0])
        return False

    def widened(self, v, contribs, s):
        """The contributions, each in v's dtype where its own is narrower.  A partial that is a mask,
        an int array or a float16 constant, times the seed 1.0 (a Python number keeps the other
        operand's dtype, and `1.0 * m` prints as m), would make v's adjoint boolean (m + m is m | m),
        integer (w * w overflows in uint8; `grad += 2 * x` cannot cast) or float16 (inf for 80000)."""
        vval = self.value_of(v, s)
        if isinstance(vval, PyNum) and vval.type is float:
            want = np.dtype(np.float64)  # (a Python float's adjoint: never an int8 or bool scalar's dtype)
        elif isinstance(vval, Arr) and vval.dtype is not None and np.dtype(vval.dtype).kind == "f":
            want = np.dtype(vval.dtype)
        else:
            return contribs
        out = []
        for c in contribs:
            e = self.widened_operands(c.e if isinstance(c, E) else c, want, s)
            cval = self.eval_shape(e, s)
            if self.narrower(cval, want):
                e = self.cast(e, cval, want)
            out.append(e)
        return out

    @staticmethod
    def narrower(val, want) -> bool:
        """Whether a value's dtype would make an adjoint of dtype `want` boolean, integer or a
        narrower float (an int64 numpy scalar is a count, as a Python int is: kept)."""
        dt = np.dtype(val.dtype) if isinstance(val, Arr) and val.dtype is not None else None
        if dt is None or val.scalar and dt.kind in "iu" and dt.itemsize == 8:
            return False
        return dt.kind in "biu" or dt.kind == "f" and dt.itemsize < want.itemsize

    @staticmethod
    def cast(e, val, want):
        # (a numpy scalar by the dtype's constructor: numba has no .astype on one)
        return Call(f"np.{want.name}", (e,)) if val.scalar else E(e).method("astype", Name(f"np.{want.name}")).e

    def widened_operands(self, e, want, s):
        """e with the narrow names it multiplies, adds or divides cast first (`1000 * H` of a float16
        H overflows before a cast of the product could help)."""
        if not (isinstance(e, Call) and e.op in ("mul", "add", "sub", "truediv", "neg", "pos") and not e.kwargs):
            return e
        args = []
        for a in e.args:
            if isinstance(a, Name):
                val = self.eval_shape(a, s)
                args.append(self.cast(a, val, want) if self.narrower(val, want) else a)
            else:
                args.append(self.widened_operands(a, want, s))
        return Call(e.op, tuple(args)) if any(x is not y for x, y in zip(args, e.args)) else e

    def is_number(self, name, s):
        """Whether name holds a number (a Python number or a 0-d value) at statement s."""
        v = self.value_of(name, s)
        return isinstance(v, (PyNum, Known)) or isinstance(v, Arr) and v.shape == ()

    def keeps_shape(self, s, v):
        """Whether s is an elementwise operation whose operands other than v are numbers (`t = v ** 2`,
        `2.0 * v - 1`): its result has v's shape, so a contribution to v (the cotangent times a
        partial of v's shape or a number) needs neither spreading nor summing down, even where the
        shapes are known only at run time (a list's np.stack: `grad_s = 2 * stack_hs`)."""
        val = s.value if isinstance(s, Assign) else None
        if not (isinstance(val, Call) and not val.kwargs and Name(v) in val.args):
            return False
        from ..rules import RULES
        rule = RULES.get(val.op)
        if rule is None or rule.kind != "elementwise":
            return False
        for a in val.args:
            if a == Name(v):
                continue
            if isinstance(a, Const) and isinstance(a.value, (int, float)) and not isinstance(a.value, bool):
                continue
            if not (isinstance(a, Name) and self.is_number(a.id, s)):
                return False
        return True

    def unbroadcast(self, c, cval, vval, v):
        """(c summed down to v's shape, its abstract value): v's shape, c's dtype (summing keeps the
        contribution's precision, which may differ from v's: float32 v, float64 contribution)."""
        out = _with_dtype(vval, cval, holds_complex_of(self))
        cs, vs = _shape(cval), _shape(vval)
        if cs is None or vs is None:
            # shapes known only at run time: the contribution may be larger than v (broadcast in
            # the forward pass) or a lazy scalar: unbroadcast decides when the code runs
            return Call("unbroadcast", (c, Name(v))), out
        if _broadcasts(cs, vs):
            return c, cval
        e = E(c)
        lead = len(cs) - len(vs)
        if lead > 0:
            if not vs:
                return e.method("sum").e, out
            e = e.method("sum", axis=tuple(range(lead)) if lead > 1 else 0)
            cs = cs[lead:]
        axes = tuple(i for i, (a, b) in enumerate(zip(cs, vs)) if b == 1 and a != 1)
        if axes:
            e = e.method("sum", axis=axes if len(axes) > 1 else axes[0], keepdims=True)
        return e.e, out

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
        piece = _split_piece(index, self.split_bounds)
        chain = self.split_writes.get(v)
        # another piece of the same np.split, written into zeros that only pieces of that split were
        # written into (the same adjoint state since): its slot is still zero, so `=` (no read)
        if piece is not None and chain is not None and cur is chain[0] and piece[0] == chain[1] \
                and piece[1] not in chain[2]:
            fresh = True
        elif cur is None:
            code.append(Assign((gname,), NP.zeros_like(base).e, s.loc))
            fresh = True
        elif not (cur.owned and isinstance(cur.expr, Name) and _shape(cur.value) == _shape(vval)):
            code.append(Assign((gname,), NP.full_like(base, cur.expr).e, s.loc))
        index = ir.substitute(index, self.remat) if self.remat else index
        mask, sel = self.selection_mask(v, index, vval, s) if fresh and cur is None else (None, [])
        code += sel
        if sel and isinstance(sel[-1], Assign) and sel[-1].value is index:  # (s[x > 0]: the mask's name, once)
            index = mask[0]
        self.adj[v] = AdjVal(Name(gname), vval, True, mask=mask)
        if fresh and piece is not None:
            done = chain[2] if chain is not None and cur is chain[0] else frozenset()
            self.split_writes[v] = (self.adj[v], piece[0], done | {piece[1]})
        else:
            self.split_writes.pop(v, None)
        if _basic_index(index, self, s):
            code.append(SetItem(gname, index, g, s.loc, None if fresh else "add"))
        else:
            code.append(ExprStmt(Call("np.add.at", (Name(gname), _index_value(index), g)), s.loc))
        return code

    def selection_mask(self, v, index, vval, s):
        """(mask, statements): the adjoint of v read through `index` only is zero outside what the
        index selects, which the rules before keep on their contributions (ad/reverse_rules._remasked):
        `np.sqrt(d2)[iu]` of a zero diagonal gives 0 there, not 0 * inf = nan.  A boolean mask of v's
        shape is that mask itself; another index (a slice, np.triu_indices) gets one of its own, made
        only where v is the result of an operation whose partial may be infinite (SINGULAR)."""
        shape = _shape(vval)
        if shape is None or not shape:
            return None, []
        if isinstance(index, Name):
            ival = self.mask_value(index, s)
            if isinstance(ival, Arr) and ival.dtype is not None and np.dtype(ival.dtype) == np.bool_ \
                    and _shape(ival) == shape:
                return (index, False, False), []
        if isinstance(index, Call) and index.op in _BOOLEAN_OPS:  # s[x > 0]: the mask under a name of its own
            ival = self.eval_shape(index, s)
            if isinstance(ival, Arr) and ival.dtype is not None and np.dtype(ival.dtype) == np.bool_ \
                    and _shape(ival) == shape:
                name = self.names.get(("selected", v, id(s)), f"selected_{v}")
                self.gvals[name] = Arr(shape, np.dtype(bool))
                return (Name(name), False, False), [Assign((name,), index, s.loc)]
        made = self._once_defs()[0].get(v)
        if not (isinstance(made, Call) and made.op in SINGULAR) or not _basic_index(index, self, s) and not \
                _integer_array_index(index, self, s):
            return None, []
        name = self.names.get(("selected", v, id(s)), f"selected_{v}")
        self.gvals[name] = Arr(shape, np.dtype(bool))
        return (Name(name), False, False), [
            Assign((name,), NP.zeros(Tuple(tuple(Const(n) for n in shape)), dtype=Name("bool")).e, s.loc),
            SetItem(name, index, Const(True), s.loc, None)]

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
        kind = np.dtype(yval.dtype).kind if isinstance(yval, Arr) and yval.dtype is not None else None
        if kind is not None and kind not in "fc":
            return []  # a value written into an integer or boolean array is truncated: no derivative
        if not (cur.owned and isinstance(cur.expr, Name) and _shape(cur.value) == _shape(yval)):
            # y's full adjoint first: the slot read below must see y's shape, not a lazy scalar
            code.append(Assign((gname,), NP.full_like(Name(y), cur.expr).e, s.loc))
            cur = AdjVal(Name(gname), yval, True)
            self.adj[y] = cur
            self.gvals[gname] = yval
        if isinstance(s.value, Name) and self.act.is_active(s.value.id):
            parts = integer_array_parts(s.index, self, s) if _integer_array_index(s.index, self, s) else ()
            if parts:
                # L[rows, cols] = v: numpy keeps one of two writes to a position, each of which this
                # sweep would give the cotangent: checked when it runs (runtime.check_distinct)
                where = f"{s.loc.file}:{s.loc.line}" if s.loc is not None else "a write"
                code.append(ExprStmt(Call("check_distinct", (E(Name(gname)).shape.e, Const(parts[0]),
                                                             ir.Tuple(parts[1]), Const(where))), s.loc))
            elif parts is None:
                raise UnsupportedSyntaxError(
                    f"writing a differentiated value into '{y}' through an integer-array index: if the index "
                    "repeats a position, numpy keeps only the last write, which s2sgrad cannot know before "
                    f"run time. Use a boolean mask ({y}[mask] = ...), a slice, or build the array with "
                    "np.where / np.concatenate", s.loc)
            slot = E(cur.expr)[s.index].e
            if kind is None:  # y's dtype known only at run time: no derivative if it is not floating
                slot = Call("float_only", (slot, Name(y)))
            code += self.accumulate(s.value.id, [slot], s, alias_ok=False, exact=False, copy_alias=True)
        code.append(SetItem(gname, s.index, Const(0.0), s.loc))
        self.adj[y] = AdjVal(Name(gname), yval, True)
        return code


def _split_piece(index, bounds_vars):
    """(bounds variable, i) when index reads piece i of an np.split -- `[b[i]:b[i + 1]]`, after full
    slices of the leading axes, b a `split_bounds(...)` result (non-decreasing: pieces are disjoint)."""
    parts = index.elts if isinstance(index, Tuple) else (index,)
    if not parts:  # `a[()]`: the whole of a 0-d array, no piece of a split
        return None
    *lead, last = parts
    if not isinstance(last, Slice) or last.step is not None or any(
            not (isinstance(p, Slice) and p.lower is None and p.upper is None and p.step is None) for p in lead):
        return None

    def at(e):
        if isinstance(e, Call) and e.op == "getitem" and isinstance(e.args[0], Name) and \
                e.args[0].id in bounds_vars and isinstance(e.args[1], Const) and type(e.args[1].value) is int:
            return e.args[0].id, e.args[1].value
        return None
    lo, hi = at(last.lower), at(last.upper)
    if lo is None or hi is None or lo[0] != hi[0] or hi[1] != lo[1] + 1:
        return None
    return (lo[0], len(lead)), lo[1]


def _real_part_for_real(c, cval, vval, holds_complex=False):
    """A contribution known to be complex reaching a variable known to be real (or a Python float):
    its real part.  The cotangent convention for complex values (rules/fft.py: zbar = dL/dx -
    i dL/dy, dL = Re(zbar dz)) makes a real variable's cotangent the real part of the complex
    formula, e.g. `w` in `H * w` gets Re(g H); taken here, where the variable is real, so a real
    adjoint never holds a complex value (numpy would refuse `+=` into it, or drop the imaginary
    part with a ComplexWarning on a cast)."""
    kind = dtype_kind(cval)
    if kind != "c" and not (kind is None and holds_complex):
        return c, cval  # (a contribution of unknown dtype, in a function holding complex values: Re too)
    if dtype_kind(vval) != "r":
        return c, cval
    out = NP.real(c).e
    if not isinstance(cval, Arr) or cval.dtype is None:
        return out, cval
    return out, replace(cval, dtype=np.empty(0, cval.dtype).real.dtype)


def _with_dtype(vval, cval, holds_complex=False):
    """vval with cval's dtype.  cval's dtype unknown: unknown (None), except for a float64 v in a
    function that holds no complex value, which keeps float64 (a float64 function's sums are
    float64).  Where complex values may occur the contribution may be complex though v is real, and
    its real part must be taken (_real_part_for_real).  (Written out, not `dtype == vval.dtype`:
    numpy reads None as float64, so a complex adjoint of unknown dtype passed for a real one.)"""
    if not isinstance(vval, Arr):
        return vval
    dtype = cval.dtype if isinstance(cval, Arr) else None
    if dtype is None:
        keeps = not holds_complex and vval.dtype is not None and np.dtype(vval.dtype) == np.float64
        return vval if keeps else replace(vval, dtype=None)
    return vval if dtype == vval.dtype else replace(vval, dtype=dtype)
