"""Lowering of expressions, and the resolution of names and attribute paths.

Guarantees: operators become the rule table's op names (`_BINOPS`, `_CMPOPS`, `_UNOPS`); a
conditional expression becomes an If assigning a fresh name (its branches' statements stay inside
their branch); a global or closure name is read once, when compiling, and guarded (`guard`): a
number becomes a constant, an array, tuple or string a captured value, a numpy dtype its numpy
name, anything else is refused; `static_path` resolves `np.linalg.norm` to the object Python would
find; `np.r_[...]` and `np.c_[...]` become the concatenations numpy performs (`index_trick`).
Refused expressions (`_REFUSED_EXPRESSIONS`) raise at their line and column.

A mixin of frontend.lower._Lowerer: it uses the lowerer's state (namespace, locals, prelude,
captured, guards) and calls.py's methods; names.py (NameResolution, its base) resolves names and
attribute paths.
"""
from __future__ import annotations

import libcst as cst
import numpy as np

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, If, Name, Tuple
from ..rules import ATTRIBUTES
from ..markers import FUNCTION_PASSED
from . import dictops, draw_order, effects, function_comps, function_values, listbuild, methods, none_entries
from .names import NameResolution

_BINOPS = {
    cst.Add: "add", cst.Subtract: "sub", cst.Multiply: "mul", cst.Divide: "truediv",
    cst.FloorDivide: "floordiv", cst.Modulo: "mod", cst.Power: "pow", cst.MatrixMultiply: "matmul",
    cst.BitAnd: "and_", cst.BitOr: "or_",
}
_CMPOPS = {
    cst.LessThan: "lt", cst.LessThanEqual: "le", cst.GreaterThan: "gt", cst.GreaterThanEqual: "ge",
    cst.Equal: "eq", cst.NotEqual: "ne", cst.Is: "is_", cst.IsNot: "is_not", cst.In: "in_",
    cst.NotIn: "not_in",
}
_UNOPS = {cst.Minus: "neg", cst.Plus: "pos", cst.BitInvert: "invert", cst.Not: "not_"}

_REFUSED_EXPRESSIONS = {
    cst.Lambda: "lambda", cst.Yield: "yield", cst.Await: "await",
    cst.GeneratorExp: "generator expression (write a list comprehension [...]; one given to sum, list or tuple "
                      "is read as one)",
    cst.SetComp: "set comprehension",
    cst.Set: "set literal",
    cst.StarredElement: "starred expression",
}


_LAMBDA_HERE = (" here (s2sgrad calls a function where it is called, decided when compiling: bind it to a name, "
                "`f = lambda z: ...`, put it in a list literal of functions, or pass it to a helper; a comprehension "
                "making functions is read when bound to a name, fs = [lambda z, c=c: ... for c in CS])")

# functions giving a tuple of index arrays of a known count, read as that many parts of an index
_INDEX_TUPLES = (np.tril_indices, np.triu_indices, np.tril_indices_from, np.triu_indices_from, np.diag_indices,
                  np.diag_indices_from)


_TESTS = frozenset({"lt", "le", "gt", "ge", "eq", "ne", "not_", "bool_and", "bool_or", "in_", "not_in", "is_",
                    "is_not", "bool"})


def _runs_methods(e) -> bool:
    """Whether e calls a method of an object (inlined when compiling: it may set attributes, so it
    must run only where Python runs it)."""
    return any(c.op == "obj_method" for c in ir.expr_calls(e))


def _boolish(e) -> bool:
    """Whether e is a test's value (a comparison, not, in, is, bool(): a Python bool)."""
    return isinstance(e, Const) and type(e.value) is bool or isinstance(e, Call) and e.op in _TESTS


class Expressions(NameResolution):
    """expr, and the name/attribute resolution it needs (a mixin of lower._Lowerer)."""

    def expr(self, e):
        for cls, what in _REFUSED_EXPRESSIONS.items():
            if isinstance(e, cls):
                raise self.error(UnsupportedSyntaxError, f"{what} is not supported in a differentiated function"
                                 + (_LAMBDA_HERE if cls is cst.Lambda else ""), e)
        if isinstance(e, cst.Name):
            return self.name(e)
        if isinstance(e, cst.Integer):
            return Const(int(e.evaluated_value))
        if isinstance(e, cst.Float):
            return Const(float(e.evaluated_value))
        if isinstance(e, cst.Imaginary):  # 1j: complex values (np.fft; rules/complex_guard.py says which rows take them)
            return Const(complex(e.evaluated_value))
        if isinstance(e, (cst.SimpleString, cst.ConcatenatedString)):
            return Const(e.evaluated_value)
        if isinstance(e, cst.BinaryOperation):
            op = _BINOPS.get(type(e.operator))
            if op is None:
                raise self.error(UnsupportedSyntaxError, f"operator {type(e.operator).__name__}", e)
            left = self.expr(e.left)
            mark = len(self.prelude)
            right = self.expr(e.right)
            return Call(op, (self.read_before(left, mark, e.left), right))
        if isinstance(e, cst.UnaryOperation):
            negated = none_entries.truth(self, e.expression, negated=True) if isinstance(e.operator, cst.Not) else None
            return negated if negated is not None else self.unary(e)  # (`not act`: act is None)
        if isinstance(e, cst.Comparison):
            tested = none_entries.test(self, e)  # act is not None of a function value (or None entry)
            if tested is not None:
                return tested
            left = self.expr(e.left)
            parts = []
            for i, c in enumerate(e.comparisons):
                mark = len(self.prelude)
                right = self.expr(c.comparator)
                left = self.read_before(left, mark, e.left)  # (h[0] < put(h, v): h[0] read first)
                if i > 0 and (len(self.prelude) > mark or _runs_methods(right) or draw_order.draws(right, self)):
                    # (Python skips it where an earlier comparison is False; here it would always run)
                    raise self.error(UnsupportedSyntaxError, "a chained comparison whose later operand calls a "
                                     "method or a function of yours (Python does not evaluate it where an "
                                     "earlier comparison is False): compute it first, or test with if", c.comparator)
                if i + 1 < len(e.comparisons) and not isinstance(right, (Name, Const)):
                    right = self.atom(right, self.loc(c.comparator))  # (a < m < b reads m once, as Python does)
                parts.append(Call(_CMPOPS[type(c.operator)], (left, right)))
                left = right
            out = parts[0]
            for p in parts[1:]:
                out = Call("bool_and", (out, p))
            return out
        if isinstance(e, cst.BooleanOperation):
            return self.boolean(e)
        if isinstance(e, cst.NamedExpr):
            return self.named(e)
        if isinstance(e, cst.Call):
            return self.call(e)
        if isinstance(e, cst.Attribute):
            return self.attribute(e)
        if isinstance(e, cst.Subscript):
            joined = self.index_trick(e)
            if joined is not None:
                return joined
            return Call("getitem", (self.expr(e.value), self.index(e)))
        if isinstance(e, cst.FormattedString):  # f"W{i}": 'W' + str(i), a key known once i is (effects.py)
            return effects.message(self, e, exact=True)
        if isinstance(e, (cst.Tuple, cst.List)):
            kind, make = (Tuple, "tuple") if isinstance(e, cst.Tuple) else (ir.ListExpr, "list")
            parts, run = [], []
            for x in e.elements:  # (*x.shape[:-1], 2): tuple(x.shape[:-1]) + (2,), as Python builds it
                if isinstance(x, cst.StarredElement):
                    if run:
                        parts.append(kind(tuple(run)))
                        run = []
                    parts.append(Call(make, (self.expr(x.value),)))
                else:
                    mark = len(self.prelude)
                    v = self.expr(x.value)
                    run = [self.read_before(r, mark, e) for r in run]  # ((np.sum(h), put(h, 1.0)): in order)
                    run.append(v)
            if run or not parts:
                parts.append(kind(tuple(run)))
            out = parts[0]
            for p in parts[1:]:
                out = Call("add", (out, p))
            return out
        if isinstance(e, cst.ListComp):
            if function_comps.makes_objects(self, e):  # [Allpass(d) for d in DELAYS]: written out
                return self.expr(function_comps.unrolled(self, e))
            return listbuild.comprehension(self, e)
        if isinstance(e, cst.DictComp):
            return listbuild.dict_comprehension(self, e)
        if isinstance(e, cst.Dict):  # an auxiliary output, or a gradient-free value (has_aux)
            merged = dictops.dict_literal(self, e)  # {**p, 'w': w}: p | {'w': w}
            if merged is not None:
                return merged
            keys, values = [], []
            for el in e.elements:
                if not isinstance(el, cst.DictElement) or not isinstance(k := self.expr(el.key), Const):
                    raise self.error(UnsupportedSyntaxError, "a dict literal with computed keys", el)
                keys.append(k)
                values.append(self.expr(el.value))
            return ir.DictExpr(tuple(keys), tuple(values))
        if isinstance(e, cst.IfExp):
            return self.ifexp(e)
        if isinstance(e, cst.Ellipsis):
            return Const(Ellipsis)
        raise self.error(UnsupportedSyntaxError, f"{type(e).__name__} expression is not supported", e)

    def unary(self, e):
        op = _UNOPS[type(e.operator)]
        inner = self.expr(e.expression)
        if op == "neg" and isinstance(inner, Const) and isinstance(inner.value, (int, float)):
            return Const(-inner.value)
        return Call(op, (inner,))

    def test_expr(self, e):
        """A test's expression (if, while, a conditional expression's): `a and b` stays a test."""
        truth = none_entries.truth(self, e)  # `if act:` of a function value (or None entry)
        if truth is not None:
            return truth
        self.testing = getattr(self, "testing", 0) + 1
        try:
            return self.expr(e)
        finally:
            self.testing -= 1

    def named(self, e: cst.NamedExpr):
        """`(d := a_new - a)`: the value bound to d where Python evaluates it -- in the statement's
        prelude, before the rest of the statement (inside a branch, `a and (d := f())`, only where
        Python evaluates it: boolean/ifexp keep a part's prelude in its branch).  That order is
        Python's only where the statement reads d nowhere before the := (checked: `d + (d := 3)`
        is refused)."""
        if not isinstance(e.target, cst.Name):
            raise self.error(UnsupportedSyntaxError, "an assignment expression (:=) to something other than a name", e)
        target = e.target.value
        if target in self.stmt_reads:
            raise self.error(UnsupportedSyntaxError, f"an assignment expression binding '{target}', which this "
                             "statement reads before it (Python reads the old value there): bind it in a "
                             "statement of its own, first", e)
        value = self.expr(e.value)
        self.prelude.append(ir.Assign((target,), value, self.loc(e)))
        self.stmt_reads.add(target)
        return Name(target)

    def boolean(self, e: cst.BooleanOperation):
        """`a and b` / `a or b`: a test where it is one (or both sides are tests); as a value (`(n > 100
        and y * 3) or y * 2`), the choice Python makes: a evaluated once, b only where Python evaluates
        it, the result one of the two -- differentiated through the branch taken (a test's rows have
        no derivative: a value chosen so came out zero)."""
        op = "bool_and" if isinstance(e.operator, cst.And) else "bool_or"
        saved, self.testing = getattr(self, "testing", 0), 0  # (the operands are values of their own)
        try:
            left = self.expr(e.left)
            held, self.prelude = self.prelude, []
            right = self.expr(e.right)
            right_pre = self.prelude
            self.prelude = held
        finally:
            self.testing = saved
        if (saved or _boolish(left) and _boolish(right)) and not right_pre and not _runs_methods(right):
            return Call(op, (left, right))
        # (in a test too, where b needs statements of its own -- a min(..., key=) loop, an inlined
        # helper -- they run only where Python evaluates b: `if n > 0 and x[min(range(n), ...)] > 0`)
        loc = self.loc(e)
        first = self.fresh("first")
        self.prelude.append(Assign((first,), left, loc))
        tmp = self.fresh("choice")
        taken = tuple(right_pre) + (Assign((tmp,), right, loc),)
        kept = (Assign((tmp,), Name(first), loc),)
        self.prelude.append(If(Name(first), taken if op == "bool_and" else kept,
                               kept if op == "bool_and" else taken, loc))
        return Name(tmp)

    def ifexp(self, e):
        test = self.test_expr(e.test)
        saved, self.prelude = self.prelude, []
        body_v = self.expr(e.body)
        body = self.prelude
        self.prelude = []
        else_v = self.expr(e.orelse)
        orelse = self.prelude
        self.prelude = saved
        tmp = self.fresh("choice")
        loc = self.loc(e)
        self.prelude.append(If(test, tuple(body + [Assign((tmp,), body_v, loc)]),
                               tuple(orelse + [Assign((tmp,), else_v, loc)]), loc))
        return Name(tmp)

    def attribute(self, e: cst.Attribute):
        hit = self.static_path(e)
        if hit is not None:
            label, obj = hit
            if obj is np.newaxis:
                return Const(None)
            return self.static_value(label, obj, e)
        op = ATTRIBUTES.get(e.attr.value)
        if function_values.held_by_self(self, e) is not None:  # `self.act is None`: a function, never None
            return Const(FUNCTION_PASSED)  # (any use but a test is refused: passes/constant_tests.py)
        if op is None:
            prop = methods.property_of(self, e)
            if prop is not None:  # self.area, a @property: its getter inlined
                return self.inline(prop, e, e.attr.value, pre_args=(self.expr(e.value),), on_self=True)
            if isinstance(e.value, cst.Name) and e.value.value in self.locals or \
                    isinstance(e.value, (cst.Call, cst.Subscript, cst.Attribute, cst.BinaryOperation,
                                         cst.UnaryOperation)):
                # an attribute of an object (self.W1, layers[0].W, model.l1.W, Lin(W).W, (v + w).x): read when
                # compiling (passes/containers.py, passes/objects.py), which refuses what is no object
                return Call("getattr", (self.expr(e.value), Const(e.attr.value)))
            raise self.error(UnsupportedSyntaxError, f"attribute '.{e.attr.value}' is not supported", e.attr)
        return Call(op, (self.expr(e.value),))

    def read_before(self, left, mark, node):
        """`left`, computed before the statements the prelude got from `mark` on where those write into
        an array it reads (`np.sum(h) + put(h, 1.0)`, `h[0] + bump(h)` of a helper writing into h):
        bound to a name at `mark`, as Python computes the left operand before the right one.  A plain
        name is left alone: Python reads the object, which the write changes for it too."""
        if isinstance(left, (Name, Const)) or len(self.prelude) == mark:
            return left
        written = {s.target for s in ir.walk(self.prelude[mark:]) if isinstance(s, ir.SetItem)}
        if not written & set(ir.expr_names(left)):
            return left
        tmp = self.fresh("first")
        self.prelude.insert(mark, Assign((tmp,), left, self.loc(node)))
        return Name(tmp)

    def index(self, sub: cst.Subscript):
        if len(sub.slice) == 1 and isinstance(sub.slice[0].slice, cst.Index):
            mesh = self.open_mesh(sub.slice[0].slice.value)
            if mesh is not None:
                return mesh
        parts = []
        for el in sub.slice:
            s = el.slice
            if isinstance(s, cst.Index):
                if s.star is not None:
                    raise self.error(UnsupportedSyntaxError, "starred index", s)
                parts.append(self.expr(s.value))
            else:
                parts.append(ir.Slice(*(None if x is None else self.expr(x) for x in (s.lower, s.upper, s.step))))
        parts = draw_order.atomic_index(self, parts, self.loc(sub))  # (x[rng.integers(n)]: drawn once)
        if len(parts) == 1 and isinstance(sub.slice[0].comma, cst.Comma):
            if isinstance(parts[0], Tuple):
                # X[(0, 2),]: a tuple holding one sequence, the integer array [0, 2] (X[(0, 2)] is X[0, 2])
                return ir.ListExpr(parts[0].elts)
            if not (isinstance(parts[0], (Const, ir.Slice, ir.ListExpr))):
                # X[idx,]: as idx is a tuple or not, the rows it lists or the index it is
                raise self.error(UnsupportedSyntaxError, "an index of one name and a trailing comma (X[idx,]): "
                                 "write X[np.asarray(idx)] for the rows idx lists, or X[idx]", sub)
        return parts[0] if len(parts) == 1 else Tuple(tuple(parts))

    def open_mesh(self, e):
        """`K[np.ix_(rows, cols)]`: the index np.ix_ makes, one integer array per axis, each as its own
        part (`ix_part(0, 2, rows, cols)`), so that a write through it is an integer-array write whose
        positions are checked when it runs; None when e is no np.ix_ call."""
        if not (isinstance(e, cst.Call) and isinstance(e.func, (cst.Name, cst.Attribute))):
            return None
        hit = self.static_path(e.func)
        if hit is not None and any(hit[1] is f for f in _INDEX_TUPLES):  # L[np.tril_indices(3, -1)]
            if any(a.star for a in e.args):
                return None
            if hit[1] is np.diag_indices:
                ndim = next((a.value for a in e.args if a.keyword is not None and a.keyword.value == "ndim"),
                            e.args[1].value if len(e.args) > 1 else cst.Integer("2"))
                if not isinstance(ndim, cst.Integer):
                    return None
                n = int(ndim.value)
            else:
                n = 2
            held = self.fresh("indices")  # (its arrays as an index's parts: a write through them is checked
            self.prelude.append(ir.Assign((held,), self.expr(e), self.loc(e)))  # for repeats when it runs)
            if hit[1] is np.diag_indices_from:  # (one array per axis of its argument: two, checked)
                self.prelude.append(ir.ExprStmt(Call("unpack_count", (Name(held), Const(2))), self.loc(e)))
            return Tuple(tuple(Call("getitem", (Name(held), Const(i))) for i in range(n)))
        if hit is None or hit[1] is not np.ix_:
            return None
        if any(a.keyword or a.star for a in e.args) or not e.args:
            raise self.error(UnsupportedSyntaxError, "np.ix_ with keyword or starred arguments", e)
        seqs = tuple(self.expr(a.value) for a in e.args)
        n = Const(len(seqs))
        return Tuple(tuple(Call("ix_part", (Const(i), n) + seqs) for i in range(len(seqs))))

    def grid_trick(self, sub, label, sparse):
        """`np.mgrid[0:h, 0:w]` as numpy makes it: `np.stack(np.meshgrid(np.arange(0, h), np.arange(0, w),
        indexing='ij'))` (a complex step `0:1:5j` is np.linspace(0, 1, 5)); np.ogrid the open (sparse)
        meshgrid's list; one slice is its np.arange alone."""
        axes = []
        for el in sub.slice:
            s = el.slice
            if not isinstance(s, cst.Slice) or s.upper is None:
                raise self.error(UnsupportedSyntaxError, f"{label}[...] of anything but slices with a stop", el)
            lo = Const(0) if s.lower is None else self.expr(s.lower)
            if s.step is not None and isinstance(s.step, cst.Imaginary):
                count = Const(int(abs(complex(s.step.value))))
                axes.append(Call("np.linspace", (lo, self.expr(s.upper), count)))
            else:
                axes.append(Call("np.arange", (lo, self.expr(s.upper)) + ((self.expr(s.step),) if s.step else ())))
        if len(axes) == 1:
            return axes[0]
        grid = self.rule_args("np.meshgrid", tuple(axes), (("indexing", Const("ij")), ("sparse", Const(sparse))), sub)
        return grid if sparse else Call("np.stack", (ir.ListExpr(grid.elts),))

    def index_trick(self, sub: cst.Subscript):
        """`np.r_[a, 0:3, x]` and `np.c_[a, b]` as the calls numpy makes for them, else None.

        np.r_ joins its pieces along axis 0 after making each at least 1-d (a slice is np.arange of
        its bounds): `np.concatenate([np.atleast_1d(a), np.arange(0, 3), ...])`.  np.c_ makes each
        piece at least 2-d with a 1-d piece as a column and joins along the last axis: for pieces of
        up to two dimensions that is `np.column_stack((a, b))`, written with a tuple so shape
        inference (passes/shapes.py) can refuse a piece of more dimensions, where the two differ.
        Directive strings (`np.r_['0,2', ...]`) and complex steps (`0:1:5j`) are refused."""
        if not isinstance(sub.value, (cst.Name, cst.Attribute)):
            return None
        hit = self.static_path(sub.value)
        if hit is not None and any(hit[1] is t for t in (np.mgrid, np.ogrid)):
            return self.grid_trick(sub, hit[0], hit[1] is np.ogrid)
        if hit is None or not any(hit[1] is t for t in (np.r_, np.c_)):
            return None
        label, column = hit[0], hit[1] is np.c_
        pieces = []
        for el in sub.slice:
            s = el.slice
            if isinstance(s, cst.Slice):
                if s.step is not None and isinstance(s.step, cst.Imaginary):
                    raise self.error(UnsupportedSyntaxError, f"{label}[start:stop:nj] (a complex step): write "
                                     "np.linspace(start, stop, n)", s)
                if s.upper is None:
                    raise self.error(UnsupportedSyntaxError, f"{label}[...] with a slice without a stop", s)
                bounds = [Const(0) if s.lower is None else self.expr(s.lower), self.expr(s.upper)]
                if s.step is not None:
                    bounds.append(self.expr(s.step))
                pieces.append(Call("np.arange", tuple(bounds)))
                continue
            if s.star is not None:
                raise self.error(UnsupportedSyntaxError, "starred index", s)
            if isinstance(s.value, (cst.SimpleString, cst.ConcatenatedString)):
                raise self.error(UnsupportedSyntaxError, f"{label}[...] with a directive string "
                                 f"({s.value.evaluated_value!r}): write np.concatenate([...], axis=...) or np.stack",
                                 s.value)
            v = self.expr(s.value)
            if isinstance(v, (Tuple, ir.ListExpr)):  # a literal: the array numpy makes of it
                v = self.rule_args("np.array", (ir.ListExpr(v.elts),), (), sub)
            if column:
                pieces.append(v)
            elif isinstance(v, Const) and isinstance(v.value, (int, float)):
                pieces.append(Call("np.array", (ir.ListExpr((v,)),)))
            elif isinstance(v, Call) and v.op == "np.array" and isinstance(v.args[0], ir.ListExpr):
                pieces.append(v)  # a literal made an array above: at least 1-d already
            else:
                pieces.append(Call("np.atleast_1d", (v,)))
        if not pieces:
            raise self.error(UnsupportedSyntaxError, f"{label}[] with nothing to join", sub)
        if column:
            return self.rule_args("np.column_stack", (Tuple(tuple(pieces)),), (), sub)
        return self.rule_args("np.concatenate", (ir.ListExpr(tuple(pieces)),), (), sub)
