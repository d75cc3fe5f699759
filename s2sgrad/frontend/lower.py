"""libcst -> s2sgrad IR, with the fence.

Guarantees about its output:
- the IR Function holds only Assign, SetItem, If, For (over `range` only: iteration over arrays,
  enumerate and zip are rewritten to index loops), While, Return, Break, Continue;
- every Call's `op` is a row of the rule table (`rules.RULES`) or an internal op; calls to plain
  user functions are inlined (their locals prefixed with the function's name);
- names are resolved: numpy is `np` whatever the module alias; module-level constants are inlined
  (numbers) or captured (arrays), see `ParsedFunction.captured`;
- anything unsupported raised an `S2SGradError` at the user's line and column, before any
  transformation ran.
"""
from __future__ import annotations

import builtins
import types
from dataclasses import dataclass, field

import libcst as cst
import numpy as np
from libcst.metadata import MetadataWrapper, PositionProvider

from .. import ir
from ..errors import UnknownFunctionError, UnsupportedSyntaxError
from ..ir import Assign, Call, Const, For, If, Name, SetItem, Tuple
from ..markers import no_grad, stop_gradient
from ..rules import ATTRIBUTES, METHODS, op_for_callable
from . import aliasing
from . import closures, listbuild, methods
from .effects import lower_effect
from .source import SourceInfo, get_source

_BINOPS = {
    cst.Add: "add", cst.Subtract: "sub", cst.Multiply: "mul", cst.Divide: "truediv",
    cst.FloorDivide: "floordiv", cst.Modulo: "mod", cst.Power: "pow", cst.MatrixMultiply: "matmul",
    cst.BitAnd: "and_", cst.BitOr: "or_",
}
_AUGOPS = {
    cst.AddAssign: "add", cst.SubtractAssign: "sub", cst.MultiplyAssign: "mul",
    cst.DivideAssign: "truediv", cst.PowerAssign: "pow", cst.MatrixMultiplyAssign: "matmul",
    cst.FloorDivideAssign: "floordiv", cst.ModuloAssign: "mod",
}
_CMPOPS = {
    cst.LessThan: "lt", cst.LessThanEqual: "le", cst.GreaterThan: "gt", cst.GreaterThanEqual: "ge",
    cst.Equal: "eq", cst.NotEqual: "ne", cst.Is: "is_", cst.IsNot: "is_not", cst.In: "in_",
    cst.NotIn: "not_in",
}
_UNOPS = {cst.Minus: "neg", cst.Plus: "pos", cst.BitInvert: "invert", cst.Not: "not_"}

_CONTAINER_METHODS = {"get", "items", "keys", "values"}

_REFUSED_STATEMENTS = {
    cst.Try: "try statement (put the try around the call to f.grad instead)", cst.ClassDef: "class definition",
    cst.Nonlocal: "nonlocal statement", cst.Import: "import statement", cst.ImportFrom: "import statement",
}
_REFUSED_EXPRESSIONS = {
    cst.Lambda: "lambda", cst.Yield: "yield", cst.Await: "await",
    cst.GeneratorExp: "generator expression (write a list comprehension [...])", cst.DictComp: "dict comprehension",
    cst.SetComp: "set comprehension", cst.NamedExpr: "assignment expression (:=)",
    cst.Set: "set literal", cst.FormattedString: "f-string",
    cst.Imaginary: "complex number", cst.StarredElement: "starred expression",
}


@dataclass
class ParsedFunction:
    """A user function lowered to IR, with what the generated code needs to run."""
    ir: ir.Function
    source: SourceInfo
    captured: dict = field(default_factory=dict)  # name -> object read from globals/closure
    py_function: object = None
    guards: tuple = ()  # (container, name, object): what compilation read from globals and closures
    deferred: tuple = ()  # aliasing.Deferred: refusals that depend on the signature


def _namespace(fn):
    """(names visible to fn's body -> object, name -> where it came from: its globals dict or its
    closure cell; builtins are not tracked)."""
    ns = dict(builtins.__dict__)
    where = {}
    g = getattr(fn, "__globals__", {})
    ns.update(g)
    where.update({k: g for k in g})
    code = getattr(fn, "__code__", None)
    if code is not None and fn.__closure__:
        for name, cell in zip(code.co_freevars, fn.__closure__):
            try:
                ns[name] = cell.cell_contents
                where[name] = cell
            except ValueError:
                pass
    return ns, where


def guards_hold(guards) -> bool:
    """Whether every global and closure value a compilation read is still the same object."""
    for container, name, obj in guards:
        if isinstance(container, dict):
            if container.get(name, _MISSING) is not obj:
                return False
        else:
            try:
                if container.cell_contents is not obj:
                    return False
            except ValueError:
                return False
    return True


_MISSING = object()


def parse_function(fn, _stack=(), cls=None, fn_params=None) -> ParsedFunction:
    """Read `fn`'s source and lower it to IR (see the module docstring for the guarantees)."""
    src = get_source(fn)
    try:
        module = cst.parse_module(src.text)
    except cst.ParserSyntaxError as e:  # pragma: no cover - inspect gave us source Python compiled
        raise UnsupportedSyntaxError(f"cannot parse the source of {fn.__qualname__}: {e.message}",
                                     src.loc(e.raw_line, e.raw_column)) from None
    wrapper = MetadataWrapper(module)
    positions = wrapper.resolve(PositionProvider)
    fdef = next((s for s in wrapper.module.body if isinstance(s, cst.FunctionDef)), None)
    if fdef is None:
        raise UnsupportedSyntaxError(f"{fn.__qualname__} is not a def statement (lambdas have no name "
                                     "s2sgrad can give the generated code; use def)",
                                     src.loc(1, 0))
    ns, where = _namespace(fn)
    lowerer = _Lowerer(src, positions, ns, fn, _stack + (fn,), where)
    lowerer.cls = cls  # a method's class: self.attr and self.method() resolve through it (methods.py)
    lowerer.fn_params = dict(fn_params or {})
    function = lowerer.function(fdef)
    return ParsedFunction(function, src, lowerer.captured, fn, tuple(lowerer.guards.values()), lowerer.deferred)


class _Lowerer:
    def __init__(self, src, positions, namespace, fn, stack, where=None):
        self.where = where or {}
        self.guards = {}  # name -> (container, name, object), for the per-call check
        self.src = src
        self.positions = positions
        self.ns = namespace
        self.fn = fn
        self.stack = stack
        self.locals = set()
        self.captured = {}
        self.prelude = []
        self.no_grad = 0
        self.fresh_count = {}
        self.inline_count = {}
        self.local_functions = {}  # nested defs and named lambdas (closures.py)
        self.fn_params = {}  # a helper's parameters bound to the functions passed to it (closures.py)
        self.calling = []
        self.synthetic_loc = None

    def sublowerer(self):
        """A lowerer for a nested function's body: same file, globals and counters (so inlined
        names never clash), its own captured values and guards (merged by the caller)."""
        sub = _Lowerer(self.src, self.positions, self.ns, self.fn, self.stack, self.where)
        sub.fresh_count, sub.inline_count, sub.calling = self.fresh_count, self.inline_count, self.calling
        sub.cls, sub.fn_params = getattr(self, "cls", None), self.fn_params
        return sub

    # ------------------------------------------------------------------ helpers
    def loc(self, node) -> ir.Loc:
        pos = self.positions.get(node)
        if pos is None:  # a node made by the lowering itself (a comprehension's loop): its origin's line
            return self.synthetic_loc
        return self.src.loc(pos.start.line, pos.start.column)

    def error(self, cls, msg, node):
        return cls(msg, self.loc(node))

    def fresh(self, base):
        n = self.fresh_count.get(base, 0) + 1
        self.fresh_count[base] = n
        name = base if n == 1 and base not in self.locals else f"{base}_{n}"
        while name in self.locals:
            n += 1
            self.fresh_count[base] = n
            name = f"{base}_{n}"
        self.locals.add(name)
        return name

    # ------------------------------------------------------------------ function
    def function(self, fdef: cst.FunctionDef) -> ir.Function:
        p = fdef.params
        if p.star_arg not in (None, cst.MaybeSentinel.DEFAULT) and not isinstance(p.star_arg, cst.ParamStar):
            raise self.error(UnsupportedSyntaxError, "*args parameters (take the arrays as separate parameters, "
                             "or as one list or tuple argument)", p.star_arg)
        if p.star_kwarg is not None:
            raise self.error(UnsupportedSyntaxError, "**kwargs parameters", p.star_kwarg)
        params = tuple(x.name.value for x in list(p.posonly_params) + list(p.params) + list(p.kwonly_params))
        self.locals = set(params) | _assigned_names(fdef.body)
        self.first_param = params[0] if params else None  # `self`, when this is a method (methods.py)
        body = self.block(fdef.body.body)
        self.deferred = aliasing.check(params, body)
        return ir.Function(fdef.name.value, params, tuple(body), loc=self.loc(fdef))

    # ------------------------------------------------------------------ statements
    def block(self, stmts) -> list:
        out = []
        for i, s in enumerate(stmts):
            if i == 0 and _is_docstring(s):
                continue
            out.extend(self.statement(s))
        return out

    def flush(self, stmts):
        out, self.prelude = self.prelude + stmts, []
        return out

    def statement(self, s) -> list:
        for cls, what in _REFUSED_STATEMENTS.items():
            if isinstance(s, cls):
                raise self.error(UnsupportedSyntaxError, f"{what} is not supported in a differentiated function", s)
        if isinstance(s, cst.BaseSmallStatement):  # `def f(x): return x` on one line
            return self.small(s, self.loc(s))
        if isinstance(s, cst.SimpleStatementLine):
            out = []
            for small in s.body:
                out.extend(self.small(small, self.loc(s) if len(s.body) == 1 else self.loc(small)))
            return out
        if isinstance(s, cst.FunctionDef):
            return closures.define(self, s)
        if isinstance(s, cst.If):
            return self.if_(s)
        if isinstance(s, cst.For):
            return self.for_(s)
        if isinstance(s, cst.While):
            return self.while_(s)
        if isinstance(s, cst.With):
            return self.with_(s)
        raise self.error(UnsupportedSyntaxError, f"{type(s).__name__} statement is not supported", s)

    def small(self, s, loc) -> list:
        effect = lower_effect(self, s, loc)  # assert, raise, print, del, global, pass
        if effect is not None:
            return effect
        for cls, what in _REFUSED_STATEMENTS.items():
            if isinstance(s, cls):
                raise self.error(UnsupportedSyntaxError, f"{what} is not supported in a differentiated function", s)
        if isinstance(s, cst.Assign) and isinstance(s.value, cst.Lambda) and len(s.targets) == 1 \
                and isinstance(s.targets[0].target, cst.Name):  # f = lambda t: ...: inlined where called
            return closures.define_lambda(self, s.targets[0].target.value, s.value, s)
        if isinstance(s, cst.Assign) and isinstance(s.value, cst.ListComp) and len(s.targets) == 1 \
                and isinstance(s.targets[0].target, cst.Name):  # outs = [f(x) for x in xs]: the list outs
            name = s.targets[0].target.value
            listbuild.comprehension(self, s.value, name)
            return self.flush([])
        if isinstance(s, cst.Assign):
            value = self.expr(s.value)
            out = []
            if len(s.targets) > 1 and not isinstance(value, (Name, Const)):
                tmp = self.fresh("t")
                out.append(Assign((tmp,), value, loc))
                value = Name(tmp)
            for t in s.targets:
                out.extend(self.assign(t.target, value, loc))
            return self.flush(out)
        if isinstance(s, cst.AnnAssign):
            if s.value is None:
                return []
            return self.flush(self.assign(s.target, self.expr(s.value), loc))
        if isinstance(s, cst.AugAssign):
            op = _AUGOPS.get(type(s.operator))
            if op is None:
                raise self.error(UnsupportedSyntaxError, f"augmented assignment {s.operator.__class__.__name__}", s)
            value = self.expr(s.value)
            if isinstance(s.target, cst.Name):
                name = s.target.value
                return self.flush([Assign((name,), self.wrap(Call(op, (Name(name), value))), loc, aug=True)])
            if isinstance(s.target, cst.Subscript) and isinstance(s.target.value, cst.Name):
                base = s.target.value.value
                index = self.index(s.target)
                old = Call("getitem", (Name(base), index))
                return self.flush([SetItem(base, index, self.wrap(Call(op, (old, value))), loc)])
            raise self.error(UnsupportedSyntaxError, "augmented assignment to this target", s.target)
        if isinstance(s, cst.Return):
            value = None if s.value is None else self.expr(s.value)
            return self.flush([ir.Return(value, loc)])
        if isinstance(s, cst.Pass):
            return []
        if isinstance(s, cst.Break):
            return [ir.Break(loc)]
        if isinstance(s, cst.Continue):
            return [ir.Continue(loc)]
        appended = listbuild.append_statement(self, s, loc)  # hs.append(h)
        if appended is not None:
            return appended
        if isinstance(s, cst.Expr):
            if isinstance(s.value, (cst.SimpleString, cst.Ellipsis)):
                return []
            if isinstance(s.value, (cst.Yield, cst.Await)):
                raise self.error(UnsupportedSyntaxError, "yield: a generator cannot be differentiated (return the "
                                 "values, e.g. as a list or a stacked array)", s)
            raise self.error(UnsupportedSyntaxError,
                             "expression statement (a value computed and thrown away, or a call made for its "
                             "side effect) is not supported in a differentiated function", s)
        raise self.error(UnsupportedSyntaxError, f"{type(s).__name__} statement is not supported", s)

    def wrap(self, value):
        """Inside `with no_grad():` every assigned value is a constant for differentiation."""
        return Call("stop_gradient", (value,)) if self.no_grad else value

    def assign(self, target, value, loc) -> list:
        if isinstance(target, cst.Name):
            return [Assign((target.value,), self.wrap(value), loc)]
        if isinstance(target, (cst.Tuple, cst.List)):
            names = []
            for el in target.elements:
                if not isinstance(el.value, cst.Name):
                    raise self.error(UnsupportedSyntaxError, "unpacking into anything but plain names", el.value)
                names.append(el.value.value)
            if isinstance(value, Tuple):
                if len(value.elts) != len(names):
                    raise self.error(UnsupportedSyntaxError,
                                     f"unpacking {len(value.elts)} values into {len(names)} names", target)
                # evaluate every right-hand side before binding (a, b = b, a)
                tmps, out = [], []
                for v in value.elts:
                    if isinstance(v, Const):
                        tmps.append(v)
                    else:
                        tmp = self.fresh("t")
                        out.append(Assign((tmp,), v, loc))
                        tmps.append(Name(tmp))
                out += [Assign((n,), self.wrap(t), loc) for n, t in zip(names, tmps)]
                return out
            if not isinstance(value, Name):
                tmp = self.fresh("t")
                pre = [Assign((tmp,), value, loc)]
                value = Name(tmp)
            else:
                pre = []
            return pre + [Assign((n,), self.wrap(Call("getitem", (value, Const(i)))), loc)
                          for i, n in enumerate(names)]
        if isinstance(target, cst.Subscript):
            if not isinstance(target.value, cst.Name):
                raise self.error(UnsupportedSyntaxError, "assignment to a subscript of an expression", target)
            return [SetItem(target.value.value, self.index(target), self.wrap(value), loc)]
        raise self.error(UnsupportedSyntaxError, f"assignment to {type(target).__name__}", target)

    def if_(self, s: cst.If) -> list:
        test = self.expr(s.test)
        pre = self.flush([])
        body = self.block(s.body.body)
        orelse = []
        if isinstance(s.orelse, cst.If):
            orelse = self.if_(s.orelse)
        elif isinstance(s.orelse, cst.Else):
            orelse = self.block(s.orelse.body.body)
        return pre + [If(test, tuple(body), tuple(orelse), self.loc(s))]

    def for_(self, s: cst.For, loc=None) -> list:
        if loc is not None:
            self.synthetic_loc = loc
        loc = loc or self.loc(s)
        if s.orelse is not None:
            raise self.error(UnsupportedSyntaxError, "for ... else is not supported yet", s.orelse)
        if s.asynchronous is not None:
            raise self.error(UnsupportedSyntaxError, "async for", s)
        it = s.iter
        fname = self.static_callee(it.func) if isinstance(it, cst.Call) else None
        if fname is range:
            iter_expr = self.expr(it)
            target = self.for_target(s.target)
            pre = self.flush([])
            return pre + [For(target, iter_expr, tuple(self.block(s.body.body)), loc)]
        if fname is reversed and isinstance(it.args[0].value, cst.Call) and \
                self.static_callee(it.args[0].value.func) is range:
            rng = self.expr(it.args[0].value)
            iter_expr = Call("getitem", (rng, ir.Slice(None, None, Const(-1))))
            target = self.for_target(s.target)
            pre = self.flush([])
            return pre + [For(target, iter_expr, tuple(self.block(s.body.body)), loc)]
        if fname is enumerate:
            if len(it.args) != 1:
                raise self.error(UnsupportedSyntaxError, "enumerate with a start", it)
            t = s.target
            if not (isinstance(t, (cst.Tuple, cst.List)) and len(t.elements) == 2
                    and isinstance(t.elements[0].value, cst.Name)):
                raise self.error(UnsupportedSyntaxError, "enumerate must be unpacked into a counter and an item", t)
            seq = self.sequence(self.expr(it.args[0].value), loc, s)
            idx = t.elements[0].value.value
            head = self.assign(t.elements[1].value, Call("getitem", (seq, Name(idx))), loc)
            rng = Call("range", (Call("len", (seq,)),))
            pre = self.flush([])  # evaluated once, before the loop (the body flushes its own)
            return pre + [For(Name(idx), rng, tuple(head + self.block(s.body.body)), loc)]
        if fname is zip:
            t = s.target
            if not (isinstance(t, (cst.Tuple, cst.List)) and len(t.elements) == len(it.args)):
                raise self.error(UnsupportedSyntaxError, "zip must be unpacked into one target per sequence", t)
            seqs = [self.sequence(self.expr(a.value), loc, s) for a in it.args]
            idx = self.fresh("k")
            head = [a for e, sq in zip(t.elements, seqs)
                    for a in self.assign(e.value, Call("getitem", (sq, Name(idx))), loc)]
            n = Call("len", (seqs[0],))
            for sq in seqs[1:]:
                n = Call("min", (n, Call("len", (sq,))))
            pre = self.flush([])
            return pre + [For(Name(idx), Call("range", (n,)), tuple(head + self.block(s.body.body)), loc)]
        # iteration over an array, a list or a tuple: an index loop over its first axis
        if not isinstance(s.target, (cst.Name, cst.Tuple, cst.List)):
            raise self.error(UnsupportedSyntaxError, "this loop target (use names)", s.target)
        seq = self.sequence(self.expr(it), loc, s)
        if isinstance(s.target, cst.Name):
            var = s.target.value
            idx = self.fresh(f"i_{var}")
            head = [Assign((var,), Call("getitem", (seq, Name(idx))), loc)]
        else:  # for W, b in layers: each item unpacked
            idx = self.fresh("i_item")
            head = self.assign(s.target, Call("getitem", (seq, Name(idx))), loc)
        pre = self.flush([])
        return pre + [For(Name(idx), Call("range", (Call("len", (seq,)),)), tuple(head + self.block(s.body.body)), loc)]

    def sequence(self, e, loc, loop):
        """The object a `for` iterates: Python evaluates it once, so a body that rebinds the name
        (`for r in y: y = y * 2`) still iterates the original object."""
        if isinstance(e, Name) and e.id in _assigned_names(loop.body):
            tmp = self.fresh(f"{e.id}_seq")
            self.prelude.append(Assign((tmp,), e, loc))
            return Name(tmp)
        return self.atom(e, loc)

    def atom(self, e, loc):
        if isinstance(e, (Name, Const)):
            return e
        tmp = self.fresh("seq")
        self.prelude.append(Assign((tmp,), e, loc))
        return Name(tmp)

    def for_target(self, t):
        if isinstance(t, cst.Name):
            return Name(t.value)
        raise self.error(UnsupportedSyntaxError, "this loop target (use a plain name)", t)

    def while_(self, s: cst.While) -> list:
        if s.orelse is not None:
            raise self.error(UnsupportedSyntaxError, "while ... else is not supported", s.orelse)
        test = self.expr(s.test)
        pre = self.flush([])
        body = self.block(s.body.body)
        if pre:  # the test needs statements (an inlined helper): while True + break
            stop = If(Call("not_", (test,)), (ir.Break(self.loc(s)),), (), self.loc(s))
            return [ir.While(Const(True), tuple(pre + [stop] + body), self.loc(s))]
        return [ir.While(test, tuple(body), self.loc(s))]

    def with_(self, s: cst.With) -> list:
        ok = len(s.items) == 1 and isinstance(s.items[0].item, cst.Call) and s.items[0].asname is None
        if ok:
            ok = self.static_callee(s.items[0].item.func) is no_grad
        if not ok:
            raise self.error(UnsupportedSyntaxError, "with statement (only `with s2sgrad.no_grad():` is supported)", s)
        self.no_grad += 1
        try:
            return self.block(s.body.body)
        finally:
            self.no_grad -= 1

    # ------------------------------------------------------------------ expressions
    def expr(self, e):
        for cls, what in _REFUSED_EXPRESSIONS.items():
            if isinstance(e, cls):
                raise self.error(UnsupportedSyntaxError, f"{what} is not supported in a differentiated function", e)
        if isinstance(e, cst.Name):
            return self.name(e)
        if isinstance(e, cst.Integer):
            return Const(int(e.evaluated_value))
        if isinstance(e, cst.Float):
            return Const(float(e.evaluated_value))
        if isinstance(e, (cst.SimpleString, cst.ConcatenatedString)):
            return Const(e.evaluated_value)
        if isinstance(e, cst.BinaryOperation):
            op = _BINOPS.get(type(e.operator))
            if op is None:
                raise self.error(UnsupportedSyntaxError, f"operator {type(e.operator).__name__}", e)
            return Call(op, (self.expr(e.left), self.expr(e.right)))
        if isinstance(e, cst.UnaryOperation):
            return self.unary(e)
        if isinstance(e, cst.Comparison):
            left = self.expr(e.left)
            parts = []
            for c in e.comparisons:
                right = self.expr(c.comparator)
                parts.append(Call(_CMPOPS[type(c.operator)], (left, right)))
                left = right
            out = parts[0]
            for p in parts[1:]:
                out = Call("bool_and", (out, p))
            return out
        if isinstance(e, cst.BooleanOperation):
            op = "bool_and" if isinstance(e.operator, cst.And) else "bool_or"
            return Call(op, (self.expr(e.left), self.expr(e.right)))
        if isinstance(e, cst.Call):
            return self.call(e)
        if isinstance(e, cst.Attribute):
            return self.attribute(e)
        if isinstance(e, cst.Subscript):
            return Call("getitem", (self.expr(e.value), self.index(e)))
        if isinstance(e, cst.Tuple):
            return Tuple(tuple(self.expr(x.value) for x in e.elements))
        if isinstance(e, cst.List):
            return ir.ListExpr(tuple(self.expr(x.value) for x in e.elements))
        if isinstance(e, cst.ListComp):
            return listbuild.comprehension(self, e)
        if isinstance(e, cst.Dict):  # an auxiliary output, or a gradient-free value (has_aux)
            keys, values = [], []
            for el in e.elements:
                if not isinstance(el, cst.DictElement) or not isinstance(k := self.expr(el.key), Const):
                    raise self.error(UnsupportedSyntaxError, "a dict literal with computed keys or ** unpacking", el)
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

    def ifexp(self, e):
        test = self.expr(e.test)
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

    def name(self, e: cst.Name):
        n = e.value
        if n in self.local_functions:
            raise self.error(UnsupportedSyntaxError, f"the function '{n}' used as a value (returned or stored): "
                             "s2sgrad inlines a nested function where it is called; call it, or pass it straight "
                             "to a helper that calls it", e)
        if n in self.locals:
            return Name(n)
        if n in ("True", "False", "None"):
            return Const({"True": True, "False": False, "None": None}[n])
        if n not in self.ns:
            raise self.error(UnsupportedSyntaxError, f"name '{n}' is not defined", e)
        self.guard(n)
        return self.static_value(n, self.ns[n], e)

    def guard(self, name):
        """Remember that compilation read global/closure `name` (numbers are inlined as constants,
        helpers inlined as code: if the name is rebound later, the function must recompile)."""
        container = self.where.get(name)
        if container is not None and not isinstance(self.ns.get(name), types.ModuleType):
            self.guards[name] = (container, name, self.ns[name])

    def static_value(self, label, obj, node):
        if isinstance(obj, (bool, int, float)) or obj is None:
            return Const(obj)
        if isinstance(obj, type) and getattr(np, obj.__name__, None) is obj:
            return Name(f"np.{obj.__name__}")  # dtypes such as np.float32: printed as numpy's name
        if obj is float or obj is int or obj is bool or obj is complex:
            return Name(obj.__name__)  # x.astype(float): the builtin type, as written
        if isinstance(obj, np.ndarray) or isinstance(obj, (tuple, str)):
            name = label.replace(".", "_")
            self.captured[name] = obj
            return Name(name)
        raise self.error(UnsupportedSyntaxError, f"'{label}' ({type(obj).__name__}) used as a value", node)

    def static_path(self, e):
        """`np.linalg.norm` -> ("np.linalg.norm", object) when the head is not a local, else None."""
        parts = []
        while isinstance(e, cst.Attribute):
            parts.append(e.attr.value)
            e = e.value
        if not isinstance(e, cst.Name) or e.value in self.locals or e.value not in self.ns:
            return None
        obj = self.ns[e.value]
        self.guard(e.value)
        path = [e.value]
        for p in reversed(parts):
            if not hasattr(obj, p):
                return None
            obj = getattr(obj, p)
            path.append(p)
        return ".".join(path), obj

    def static_callee(self, func):
        hit = self.static_path(func)
        return None if hit is None else hit[1]

    def attribute(self, e: cst.Attribute):
        hit = self.static_path(e)
        if hit is not None:
            label, obj = hit
            if obj is np.newaxis:
                return Const(None)
            return self.static_value(label, obj, e)
        op = ATTRIBUTES.get(e.attr.value)
        if op is None:
            prop = methods.property_of(self, e)
            if prop is not None:  # self.area, a @property: its getter inlined
                return self.inline(prop, e, e.attr.value, pre_args=(self.expr(e.value),))
            if isinstance(e.value, cst.Name) and e.value.value in self.locals:
                # an attribute of an object argument (self.W1): read when compiling (passes/containers.py)
                return Call("getattr", (self.expr(e.value), Const(e.attr.value)))
            raise self.error(UnsupportedSyntaxError, f"attribute '.{e.attr.value}' is not supported", e.attr)
        return Call(op, (self.expr(e.value),))

    def call_args(self, e: cst.Call, functions=()):
        args, kwargs = [], []
        for a in e.args:
            if a.star:
                raise self.error(UnsupportedSyntaxError, "*args / **kwargs in a call", a)
            fn_arg = closures.function_value(self, a.value) if functions else None
            v = Const(None) if fn_arg is not None else self.expr(a.value)  # a function: inlined, not passed
            if a.keyword is not None:
                kwargs.append((a.keyword.value, v))
            else:
                if kwargs:
                    raise self.error(UnsupportedSyntaxError, "positional argument after keyword", a)
                args.append(v)
        return tuple(args), tuple(kwargs)

    def rule_args(self, op, args, kwargs, e):
        """The call as the rule row takes it (see rules/args.py)."""
        from ..rules.args import arrange

        def bind(value, base):  # a value used twice is computed once, before the call
            name = self.fresh(base)
            self.prelude.append(Assign((name,), value, self.loc(e)))
            return Name(name)
        return arrange(op, args, kwargs, lambda what: self.error(UnsupportedSyntaxError, what, e), bind)

    def call(self, e: cst.Call):
        func = e.func
        if isinstance(func, cst.Name) and func.value in self.local_functions:
            return closures.call(self, self.local_functions[func.value], e)
        if isinstance(func, cst.Name) and func.value in self.fn_params:  # a helper calling its argument f
            target = self.fn_params[func.value]
            if isinstance(target, closures.LocalFunction):
                return closures.call_passed(self, target, e)
            return self.inline(target, e, func.value)
        hit = self.static_path(func)
        if hit is None:
            if isinstance(func, cst.Attribute):  # a method of a local value: x.sum(axis=0)
                target = methods.method_of(self, func)
                if target is not None:  # self.forward(X): the method inlined, self passed on
                    fn_obj, bound = target
                    return self.inline(fn_obj, e, func.attr.value, pre_args=(self.expr(func.value),) if bound else ())
                method = func.attr.value
                op = METHODS.get(method)
                if op is None and method in _CONTAINER_METHODS:
                    # dict methods of a container argument: evaluated when compiling (passes/containers.py)
                    args, kwargs = self.call_args(e)
                    return Call(f".{method}", (self.expr(func.value),) + args, kwargs)
                if op is None and getattr(self, "cls", None) is not None and isinstance(func.value, cst.Name) \
                        and func.value.value == self.first_param:
                    raise self.error(UnsupportedSyntaxError, f"'{self.cls.__name__}' has no method '{method}' that "
                                     "s2sgrad can inline (a plain method, @staticmethod or @property)", func.attr)
                if op is None:
                    raise self.error(UnknownFunctionError,
                                     f"array method '.{method}()' has no differentiation rule", func.attr)
                obj = self.expr(func.value)
                args, kwargs = self.call_args(e)
                return self.rule_args(op, (obj,) + args, kwargs, e)
            if isinstance(func, cst.Name) and func.value in self.locals:
                raise self.error(UnsupportedSyntaxError, f"calling the local variable '{func.value}'", func)
            if isinstance(func, cst.Name):
                raise self.error(UnsupportedSyntaxError, f"name '{func.value}' is not defined", func)
            raise self.error(UnsupportedSyntaxError, "call of a computed function", func)
        label, obj = hit
        if obj is stop_gradient:
            args, kwargs = self.call_args(e)
            return Call("stop_gradient", args, kwargs)
        if obj is no_grad:
            raise self.error(UnsupportedSyntaxError, "no_grad() outside a with statement", e)
        op = op_for_callable(obj)
        if op is not None:
            args, kwargs = self.call_args(e)
            return self.rule_args(op, args, kwargs, e)
        if obj is sum:  # builtin sum of a list of arrays (lists.py)
            args, kwargs = self.call_args(e)
            if kwargs or len(args) != 1:
                raise self.error(UnsupportedSyntaxError, "sum() with a start value (add it separately)", e)
            if isinstance(args[0], (Tuple, ir.ListExpr)):  # sum([x, y]): written out as x + y
                from ..passes.containers import sum_of
                return sum_of(list(args[0].elts))
            return Call("list_sum", args)
        if obj is reversed or obj is list:  # of a container argument (passes/containers.py)
            args, kwargs = self.call_args(e)
            return Call(obj.__name__, args, kwargs)
        if isinstance(obj, types.FunctionType) and not obj.__module__.startswith("numpy"):
            return self.inline(obj, e, label)
        if hasattr(obj, "__wrapped_py__"):  # a @differentiate'd helper: inline the plain function
            return self.inline(obj.__wrapped_py__, e, label)
        if obj is zip or obj is enumerate:
            raise self.error(UnsupportedSyntaxError, f"{obj.__name__}() anywhere but as the iterable of a for loop "
                             f"(write `for a, b in {obj.__name__}(...):`; nest loops instead of enumerate(zip(...)))",
                             func)
        if obj is super:
            raise self.error(UnsupportedSyntaxError, "super(): call the parent class's method by name "
                             "(Parent.method(self, ...)), which s2sgrad inlines", func)
        if obj is eval or obj is exec:
            raise self.error(UnsupportedSyntaxError, f"{label}(): s2sgrad compiles your source code and cannot see "
                             "code built at run time (write the expression itself)", func)
        raise self.error(UnknownFunctionError,
                         f"'{label}' has no differentiation rule (s2sgrad never guesses a zero gradient; "
                         "the supported functions are listed in the README, 'Supported numpy functions')", func)

    def inline(self, callee, e, label, pre_args=()):
        if callee in self.stack:
            raise self.error(UnsupportedSyntaxError, f"recursive call to '{label}'", e)
        from ..passes.normalize import inline_body
        fn_args = closures.function_arguments(self, callee, e) if isinstance(e, cst.Call) else {}
        parsed = parse_function(callee, self.stack, getattr(self, "cls", None), fn_args)
        self.captured.update(parsed.captured)
        for g in parsed.guards:  # the helper's own globals count too
            self.guards[(id(g[0]), g[1])] = g
        args, kwargs = self.call_args(e, functions=bool(fn_args)) if isinstance(e, cst.Call) else ((), ())
        args = tuple(pre_args) + tuple(args)
        n = self.inline_count.get(callee.__name__, 0) + 1
        self.inline_count[callee.__name__] = n
        prefix = callee.__name__ if n == 1 else f"{callee.__name__}{n}"
        try:
            stmts, result = inline_body(parsed.ir, args, kwargs, prefix, self.locals, callee, self.loc(e))
        except TypeError as err:
            raise self.error(UnsupportedSyntaxError, f"call to '{label}': {err}", e) from None
        self.prelude.extend(stmts)
        return result

    def index(self, sub: cst.Subscript):
        parts = []
        for el in sub.slice:
            s = el.slice
            if isinstance(s, cst.Index):
                if s.star is not None:
                    raise self.error(UnsupportedSyntaxError, "starred index", s)
                parts.append(self.expr(s.value))
            else:
                parts.append(ir.Slice(*(None if x is None else self.expr(x) for x in (s.lower, s.upper, s.step))))
        return parts[0] if len(parts) == 1 else Tuple(tuple(parts))


def _is_docstring(s) -> bool:
    return (isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1 and isinstance(s.body[0], cst.Expr)
            and isinstance(s.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))


class _Assigned(cst.CSTVisitor):
    def __init__(self):
        self.names = set()

    def _target(self, t):
        if isinstance(t, cst.Name):
            self.names.add(t.value)
        elif isinstance(t, (cst.Tuple, cst.List)):
            for el in t.elements:
                self._target(el.value)

    def visit_AssignTarget(self, node):
        self._target(node.target)

    def visit_AnnAssign(self, node):
        self._target(node.target)

    def visit_AugAssign(self, node):
        self._target(node.target)

    def visit_For(self, node):
        self._target(node.target)


def _assigned_names(body) -> set:
    v = _Assigned()
    body.visit(v)
    return v.names
