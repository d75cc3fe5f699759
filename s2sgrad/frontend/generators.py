"""A loop over a generator of the user's, with the loop's body written where the generator yields:

    def batches(X, y, size):                  for i, (xb, yb) in enumerate(batches(X, y, 8)):
        for start in range(0, len(X), size):      loss = loss + f(xb, yb)
            yield X[start:start + size], y[start:start + size]

is read as

    batches_X, batches_y, batches_size = X, y, 8
    batches_count = 0
    for batches_start in range(0, len(batches_X), batches_size):
        i = batches_count
        batches_count = batches_count + 1
        (xb, yb) = batches_X[batches_start:...], batches_y[batches_start:...]
        loss = loss + f(xb, yb)

-- Python's own order of evaluation: the arguments once, then the generator's code up to each
yield, the loop's body, and on.  The generator's names get names of their own (its arguments, its
locals), the loop's body keeps the caller's.

Guarantee: only a plain generator function of the caller's module (the same globals), with
`yield value` statements (no `yield from`, no value sent in, no return), arguments given by position
or keyword and defaults that are constants, under a loop whose body has no break or continue (they
would leave or skip the generator's own loops) is read so; anything else is refused at its line.
"""
from __future__ import annotations

import inspect

import libcst as cst

from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Const
from .listbuild import Rename
from .scan import assigned_names
from .source import get_source


def generator_of(lowerer, it):
    """(the generator function, its call, whether under enumerate) of a loop's iterable, else None."""
    counted = False
    if isinstance(it, cst.Call) and lowerer.static_callee(it.func) is enumerate and len(it.args) == 1 \
            and isinstance(it.args[0].value, cst.Call):
        it, counted = it.args[0].value, True
    if not isinstance(it, cst.Call):
        return None
    fn = lowerer.static_callee(it.func)
    return (fn, it, counted) if inspect.isgeneratorfunction(fn) else None


def loop(lowerer, s: cst.For, found, loc) -> list:
    """The IR of `for target in gen(...)`: the generator's body, the loop's body at each yield."""
    fn, call, counted = found
    _refuse_jumps(lowerer, s.body)
    if getattr(fn, "__globals__", None) is not lowerer.fn.__globals__:
        raise lowerer.error(UnsupportedSyntaxError, f"a loop over the generator '{fn.__name__}' of another module "
                            "(define it in this module, or return a list from it)", call)
    fdef = _definition(lowerer, fn, call)
    try:
        bound = inspect.signature(fn, follow_wrapped=False).bind(*[a.value for a in call.args if a.keyword is None],
                                           **{a.keyword.value: a.value for a in call.args if a.keyword is not None})
    except TypeError as e:
        raise lowerer.error(UnsupportedSyntaxError, f"call to '{fn.__name__}': {e}", call) from None
    if any(a.star for a in call.args):
        raise lowerer.error(UnsupportedSyntaxError, f"*args / **kwargs in a call to the generator '{fn.__name__}'",
                            call)
    params = list(inspect.signature(fn, follow_wrapped=False).parameters.values())
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        raise lowerer.error(UnsupportedSyntaxError, f"the generator '{fn.__name__}' takes *args or **kwargs", call)
    if fn in getattr(lowerer, "generators", ()):
        raise lowerer.error(UnsupportedSyntaxError, f"a loop over the generator '{fn.__name__}' inside itself "
                            "(a recursive generator: build the items into a list instead)", call)
    if counted and not (isinstance(s.target, (cst.Tuple, cst.List)) and len(s.target.elements) == 2):
        raise lowerer.error(UnsupportedSyntaxError, "enumerate must be unpacked into a counter and an item", s.target)
    names = {p.name for p in params} | assigned_names(fdef.body)
    free = _reads(fdef.body) - names  # (its globals: a caller's local of the name would be read instead)
    shadowed = sorted(free & lowerer.locals)
    if shadowed:
        raise lowerer.error(UnsupportedSyntaxError, f"the generator '{fn.__name__}' reads the module's "
                            f"'{shadowed[0]}', which this function has a name of its own for: rename one of them",
                            call)
    rename = {n: lowerer.fresh(f"{fn.__name__}_{n}") for n in sorted(names)}
    out = []
    by_position = {}  # (the arguments in the order written, as Python evaluates them)
    for k, a in enumerate(x for x in call.args if x.keyword is None):
        by_position[id(a)] = params[k].name
    for a in call.args:
        p = a.keyword.value if a.keyword is not None else by_position[id(a)]
        out += lowerer.flush([Assign((rename[p],), lowerer.expr(a.value), loc)])
    for p in params:
        if p.name not in bound.arguments:  # a default: its value (inf, nan and all)
            out.append(Assign((rename[p.name],), _default(lowerer, fn, p, call), loc))
    count = lowerer.fresh(f"{fn.__name__}_count") if counted else None
    if counted:
        out.append(Assign((count,), Const(0), loc))
    target = s.target.elements[1].value if counted else s.target
    index = s.target.elements[0].value if counted else None
    renamed = fdef.body.visit(Rename(rename))
    counted_by = _position(lowerer, renamed) if counted else None
    body = renamed.visit(_Spliced(lowerer, target, index, count, s.body.body, counted_by))
    lowerer.generators = getattr(lowerer, "generators", ()) + (fn,)
    try:
        for st in body.body:
            out += lowerer.statement_of(st, loc)
    finally:
        lowerer.generators = lowerer.generators[:-1]
    return out


def _position(lowerer, body):
    """The item's position as its range gives it, where the generator is one `for v in range(...)`
    yielding once per pass, directly in its body: v, v - a or (v - a) // c -- a function of the loop's
    counter, so a key built from it (`losses[f"batch_{i}"]`) is known in each pass of the unrolled
    loop; else None (a counter bound again at each yield)."""
    stmts = list(body.body)
    loops = [x for x in stmts if isinstance(x, cst.For)]
    if len(loops) != 1 or any(_yields(x) for x in stmts if x is not loops[0]):
        return None
    loop = loops[0]
    it = loop.iter
    if not (isinstance(loop.target, cst.Name) and isinstance(it, cst.Call) and lowerer.static_callee(it.func) is range
            and 1 <= len(it.args) <= 3 and all(a.keyword is None and not a.star for a in it.args)):
        return None
    direct = [x for x in loop.body.body if _yields(x)]
    if len(direct) != 1 or len(_yields(loop.body)) != 1 or not isinstance(direct[0], cst.SimpleStatementLine) \
            or loop.orelse is not None:
        return None
    bound = assigned_names(body)  # (the counter and the range's start and step must keep their values)
    if loop.target.value in assigned_names(loop.body) or any(
            not (isinstance(a.value, cst.Integer) or isinstance(a.value, cst.Name) and a.value.value not in bound)
            for a in it.args[:1] + it.args[2:] if len(it.args) > 1):
        return None
    v = cst.Name(loop.target.value)
    if len(it.args) == 1:
        return v
    shifted = cst.BinaryOperation(v, cst.Subtract(), it.args[0].value, lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return shifted if len(it.args) == 2 else cst.BinaryOperation(shifted, cst.FloorDivide(), it.args[2].value)


def _default(lowerer, fn, p, call):
    if type(p.default) not in (int, float, bool, str, type(None)):
        raise lowerer.error(UnsupportedSyntaxError, f"the generator '{fn.__name__}''s default for '{p.name}' "
                            "is not a number or string (pass it)", call)
    return Const(p.default)


def _reads(node) -> set:
    found = set()

    class Names(cst.CSTVisitor):
        def visit_Name(self, n):
            found.add(n.value)

        def visit_Attribute(self, n):
            n.value.visit(self)
            return False  # (x.attr: the attribute is no name)

        def visit_Arg(self, n):
            n.value.visit(self)
            return False  # (f(k=v): the keyword is no name)
    node.visit(Names())
    return found


def _definition(lowerer, fn, call):
    src = get_source(fn)
    fdef = next((x for x in cst.parse_module(src.text).body if isinstance(x, cst.FunctionDef)), None)
    if fdef is None:
        raise lowerer.error(UnsupportedSyntaxError, f"the generator '{fn.__name__}' is not a def statement", call)
    check = _Checked()
    fdef.body.visit(check)
    if check.refused:
        raise lowerer.error(UnsupportedSyntaxError, f"the generator '{fn.__name__}' {check.refused}: s2sgrad reads a "
                            "loop over a generator only where it yields values as statements (yield x)", call)
    return fdef


class _Checked(cst.CSTVisitor):
    def __init__(self):
        self.refused = None

    def visit_Return(self, node):
        self.refused = "returns"

    def visit_Yield(self, node):
        if isinstance(node.value, cst.From):
            self.refused = "uses yield from"

    def visit_FunctionDef(self, node):
        self.refused = "defines a function"
        return False

    def visit_Lambda(self, node):
        self.refused = "holds a lambda"
        return False

    def visit_SimpleStatementLine(self, node):
        for small in node.body:
            for y in _yields(small):
                if not (isinstance(small, cst.Expr) and small.value is y):
                    self.refused = "uses the value of a yield (x = yield ...)"


def _yields(node):
    found = []

    class Find(cst.CSTVisitor):
        def visit_Yield(self, n):
            found.append(n)
    node.visit(Find())
    return found


class _Spliced(cst.CSTTransformer):
    """Each `yield v` statement as: counter, `target = v`, the loop's body."""

    def __init__(self, lowerer, target, index, count, body, counted_by=None):
        self.lowerer, self.target, self.index, self.count, self.body = lowerer, target, index, count, body
        self.counted_by = counted_by

    def leave_SimpleStatementLine(self, original, updated):
        if not any(isinstance(x, cst.Expr) and isinstance(x.value, cst.Yield) for x in updated.body):
            return updated
        if len(updated.body) != 1:
            raise self.lowerer.error(UnsupportedSyntaxError, "a yield sharing its line with another statement",
                                     original)
        value = updated.body[0].value.value
        out = []
        if self.count is not None and self.counted_by is not None:  # (the position its range gives)
            out.append(_assign(self.index, self.counted_by))
        elif self.count is not None:
            out.append(_assign(self.index, cst.Name(self.count)))
            out.append(_assign(cst.Name(self.count), cst.BinaryOperation(cst.Name(self.count), cst.Add(),
                                                                         cst.Integer("1"))))
        out.append(_assign(self.target, value if value is not None else cst.Name("None")))
        return cst.FlattenSentinel(out + list(self.body))


def _assign(target, value):
    if isinstance(target, (cst.Tuple, cst.List)):
        target = cst.Tuple([cst.Element(e.value) for e in target.elements])
    return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(target)], value)])


def _refuse_jumps(lowerer, body):
    class Find(cst.CSTVisitor):
        hit = None

        def visit_Break(self, node):
            Find.hit = Find.hit or node

        def visit_Continue(self, node):
            Find.hit = Find.hit or node

        def visit_For(self, node):
            return False  # (a loop of its own inside the body: its jumps are its own)

        def visit_While(self, node):
            return False

        def visit_FunctionDef(self, node):
            return False
    body.visit(Find())
    if Find.hit is not None:
        raise lowerer.error(UnsupportedSyntaxError, "break or continue in a loop over a generator (it would leave "
                            "or skip the generator's own loops): collect the items into a list first", Find.hit)
