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

The lowerer is split by what it lowers: this module holds the entry point and the core (the
function, blocks, the statement dispatch); simple.py the simple statements and assignments,
control.py the compound statements (if, for, while, with), expressions.py the expressions and name
resolution, calls.py the calls (rule rows, markers, inlined helpers).  closures.py, methods.py, listbuild.py and effects.py lower the rest.
"""
from __future__ import annotations

import builtins
import functools
import re
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from .. import ir
from ..errors import UnsupportedSyntaxError
from .guards import ContentGuard, refuse_changes
from . import aliasing, draw_order, evaluation_order
from . import closures, defaultdicts, effects, matching, methods, spread, trystmt
from .calls import Calls
from .control import ControlFlow
from .expressions import _BINOPS, _CMPOPS, _REFUSED_EXPRESSIONS, _UNOPS, Expressions
from .scan import (appended_names, binding_counts, bound_otherwise, container_names, is_docstring,
                   list_literal_names, name_mentions)
from .simple import _AUGOPS, _REFUSED_STATEMENTS, SimpleStatements
from .source import SourceInfo, get_source

# the syntax tables (defined in simple.py and expressions.py), listed by docs/syntax_table.py (and
# tests/test_docs.py) from this module
__all__ = ["ParsedFunction", "parse_function", "guards_hold", "_AUGOPS", "_REFUSED_STATEMENTS",
           "_BINOPS", "_CMPOPS", "_UNOPS", "_REFUSED_EXPRESSIONS"]


@dataclass
class ParsedFunction:
    """A user function lowered to IR, with what the generated code needs to run."""
    ir: ir.Function
    source: SourceInfo
    captured: dict = field(default_factory=dict)  # name -> object read from globals/closure
    py_function: object = None
    # (container, name, object): what compilation read from globals and closures; a list shared by
    # every copy of this ParsedFunction, as methods of object arguments inlined per signature add
    # theirs (passes/objects.py) and the per-call check must see what any compilation read
    guards: list = field(default_factory=list)
    deferred: tuple = ()  # aliasing.Deferred: refusals that depend on the signature
    spread: dict = field(default_factory=dict)  # a helper's **kwargs key -> its parameter here (spread.py)


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


def _holds_arrays(v) -> bool:
    import numpy as np
    if isinstance(v, np.ndarray):
        return True
    if type(v) in (list, tuple, dict):
        return any(_holds_arrays(x) for x in (v.values() if type(v) is dict else v))
    return False


def guards_hold(guards) -> bool:
    """Whether every global and closure value a compilation read is still the same object (and,
    for a list or dict of constants read when compiling, still holds what it held then)."""
    for container, name, obj in guards:
        if isinstance(container, type):  # a name looked up on a class (passes/objects.py)
            now = container.__dict__.get(name, _MISSING)
        elif isinstance(container, dict):
            now = container.get(name, _MISSING)
        else:
            try:
                now = container.cell_contents
            except ValueError:
                return False
        if not (obj.holds(now) if isinstance(obj, ContentGuard) else now is obj):
            return False
    return True


_MISSING = object()


def _lambda_def(fn, module, positions, src):
    """(def, its loc) for a lambda object: the one lambda of its source statement on its first line
    with its parameter names, as `def relu(z): return ...` (named after the name it is bound to,
    `lambda_` when it is bound to none); (None, None) when there is not exactly one."""
    code = fn.__code__
    names = list(code.co_varnames[:code.co_argcount + code.co_kwonlyargcount])
    line = code.co_firstlineno - src.first_line + 1
    found = []

    class Find(cst.CSTVisitor):
        def __init__(self):
            self.bound = []

        def visit_Assign(self, node):
            self.bound.append(node)

        def leave_Assign(self, node):
            self.bound.pop()

        def visit_Lambda(self, node):
            pos = positions.get(node)
            params = [p.name.value for p in list(node.params.params) + list(node.params.kwonly_params)]
            if pos is not None and pos.start.line == line and params == names:
                target = self.bound[-1].targets[0].target if self.bound and len(self.bound[-1].targets) == 1 else None
                found.append((node, target.value if isinstance(target, cst.Name) else "lambda_", pos))
    module.visit(Find())
    if len(found) > 1:  # lambdas on one line (pair = [lambda x: ..., lambda x: ...]): the one whose body
        # starts at the column fn's code does (its first instruction after RESUME)
        col = next((c for _, _, c, _ in list(code.co_positions())[1:] if c is not None), None)
        found = [f for f in found if positions.get(f[0].body) is not None
                 and positions[f[0].body].start.column + src.indent == col]
    if len(found) != 1:
        return None, None
    lam, name, pos = found[0]
    body = cst.IndentedBlock([cst.SimpleStatementLine([cst.Return(lam.body)])])
    return cst.FunctionDef(name=cst.Name(name), params=lam.params, body=body), src.loc(pos.start.line, pos.start.column)


def parse_function(fn, _stack=(), cls=None, fn_params=None, init_of=None, keywords=None,
                   extra=None, self_owned=False, self_functions=None) -> ParsedFunction:
    """Read `fn`'s source and lower it to IR (see the module docstring for the guarantees).  A helper
    being inlined gives `keywords`, the names its call passes to a `**kwargs`, and `extra`, how many
extra positional arguments it passes to a `*args` (None: not known; frontend/spread.py).
    `self_owned`: fn is a method inlined on an object the caller holds, whose `self` it may change
    (the alias fence does not count `self` as the caller's; passes/objects.py puts it back).
    `self_functions`: the functions the object holds as attributes (name -> function_values.Known),
    called where the method calls `self.name(...)` (calls.py)."""
    _refuse_generated(fn, cls)
    src = get_source(fn)
    try:
        module = cst.parse_module(src.text)
    except cst.ParserSyntaxError as e:  # pragma: no cover - inspect gave us source Python compiled
        raise UnsupportedSyntaxError(f"cannot parse the source of {fn.__qualname__}: {e.message}",
                                     src.loc(e.raw_line, e.raw_column)) from None
    wrapper = MetadataWrapper(module)
    positions = wrapper.resolve(PositionProvider)
    at, fdef = None, None
    if getattr(fn, "__name__", None) == "<lambda>":  # relu = lambda z: ...: a def of it
        fdef, at = _lambda_def(fn, wrapper.module, positions, src)
    else:
        fdef = next((s for s in wrapper.module.body if isinstance(s, cst.FunctionDef)), None)
    if fdef is None:
        raise UnsupportedSyntaxError(f"{fn.__qualname__} is not a def statement, nor a lambda s2sgrad can tell "
                                     "apart from others on its line (use def)", src.loc(1, 0))
    ns, where = _namespace(fn)
    lowerer = _Lowerer(src, positions, ns, fn, _stack + (fn,), where)
    lowerer.synthetic_loc = at  # (the def made of a lambda is located at the lambda)
    lowerer.cls = cls  # a method's class: self.attr and self.method() resolve through it (methods.py)
    lowerer.fn_params = dict(fn_params or {})
    lowerer.init_of, lowerer.init_attrs = init_of, {}  # an __init__ inlined at a construction (methods.py)
    lowerer.inlined = keywords is not None
    lowerer.self_owned = self_owned
    lowerer.self_functions = dict(self_functions or {})
    names = {}
    if keywords is not None and (fdef.params.star_kwarg is not None or extra is not None
                                 and isinstance(fdef.params.star_arg, cst.Param)):
        names = spread.keyword_names(fdef, keywords, extra)
        fdef = spread.specialised(lowerer, fdef, keywords, extra)
    function = lowerer.function(fdef)
    return ParsedFunction(function, src, lowerer.captured, fn, list(lowerer.guards.values()), lowerer.deferred,
                          names)


def _refuse_generated(fn, cls):
    """A method of a differentiated function (f.grad, f.value_and_grad: the API passes its function and
    class) or a grad of grad is s2sgrad's own code: reading its source would differentiate s2sgrad
    itself, so say what to write instead (at the user's function when it is known)."""
    from ..api import Differentiated
    from ..higher import Derivative
    owner = fn.d if isinstance(fn, Derivative) else getattr(fn, "__self__", None)
    if isinstance(owner, Differentiated):
        from ..higher_grad import _def_loc
        user, loc = owner.__wrapped_py__.__qualname__, _def_loc(owner.__wrapped_py__)
    elif isinstance(cls, type) and issubclass(cls, Differentiated):
        user, loc = "f", None
    else:
        return
    what = "grad of grad" if isinstance(fn, Derivative) else (
        f"{user}.{getattr(fn, '__name__', '?')}" if loc is not None else
        f"the method .{getattr(fn, '__name__', '?')} of a differentiated function f")
    raise UnsupportedSyntaxError(
        f"differentiating {what}, a derivative s2sgrad generated (its code is not {user}'s source). For second "
        f"derivatives write s2sgrad.hessian({user}), s2sgrad.hvp({user}, primals, v), "
        f"s2sgrad.jvp(s2sgrad.grad({user}), primals, tangents), s2sgrad.jacfwd(s2sgrad.grad({user})) or, "
        f"for scalar arguments, s2sgrad.grad(s2sgrad.grad({user}))", loc)


@functools.lru_cache(maxsize=64)
def _names_in(text):
    """Every identifier in a source text (a function, or the file of a lambda), found once per text
    however many lowerers (nested functions, inlined helpers) share it."""
    return frozenset(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))


class _Lowerer(SimpleStatements, ControlFlow, Expressions, Calls):
    """The state of one function's lowering, and its core; the mixins lower the rest (simple.py the
    simple statements and assignments)."""

    def __init__(self, src, positions, namespace, fn, stack, where=None):
        self.where = where or {}
        self.guards = {}  # name -> (container, name, object), for the per-call check
        self.src = src
        self.positions = positions
        self.ns = namespace
        self.fn = fn
        self.stack = stack
        self.locals = set()
        self.made_classes = {}  # name -> the classes its plain assignments construct (None: another value)
        self.fresh_containers = set()  # the names comprehensions build (methods.fresh)
        self.mentions = {}  # name -> how often the function writes it (listbuild._loops; set in function())
        self.bound_otherwise = set()  # names bound other than by `name = value` (evaluation_order: classes_of)
        self.appended = set()  # names the function calls .append on (listbuild.literal_list)
        self.containers = set()
        self.list_literals = set()
        self.captured = {}
        self.prelude = []
        self.stmt_reads = set()  # (see statement)
        self.inside_made = 0  # statement_of's depth: statements the lowering made in a user's one
        self.made_from = {}  # a node the lowering made -> the user's node it stands for (its position)
        self.no_grad = 0
        self.fresh_count = {}
        self.inline_count = {}
        self.local_functions = {}  # nested defs and named lambdas (closures.py)
        self.block_stack, self.bound_in = [], {}  # the blocks being lowered; name -> the block binding it
        self.fn_params = {}  # a helper's parameters bound to the functions passed to it (closures.py)
        self.calling = []
        self.synthetic_loc = None

    def sublowerer(self):
        """A lowerer for a nested function's body: same file, globals and counters (so inlined
        names never clash), its own captured values and guards (merged by the caller)."""
        sub = _Lowerer(self.src, self.positions, self.ns, self.fn, self.stack, self.where)
        sub.fresh_count, sub.inline_count, sub.calling = self.fresh_count, self.inline_count, self.calling
        sub.cls, sub.fn_params = getattr(self, "cls", None), self.fn_params
        sub.block_stack, sub.bound_in = list(self.block_stack), dict(self.bound_in)
        return sub

    # ------------------------------------------------------------------ helpers
    def loc(self, node) -> ir.Loc:
        pos = self.positions.get(self.made_from.get(node, node))
        if pos is None:  # a node made by the lowering itself (a comprehension's loop): its origin's line
            return self.synthetic_loc
        return self.src.loc(pos.start.line, pos.start.column)

    def remade(self, new, old):
        """new, a node the lowering made in place of the user's node old, located where old is."""
        self.made_from[new] = self.made_from.get(old, old)
        return new

    def error(self, cls, msg, node):
        return cls(msg, self.loc(node))

    def fresh(self, base):
        """A new local name for the lowering's own values: clear of the function's locals, of every
        name its source reads (a later local, a name a lambda reads), and of the module's globals
        (a helper or a key function inlined here may read `seq` or `best` of the module)."""
        n = self.fresh_count.get(base, 0) + 1
        self.fresh_count[base] = n
        name = base if n == 1 else f"{base}_{n}"
        while self._taken(name):
            n += 1
            self.fresh_count[base] = n
            name = f"{base}_{n}"
        self.locals.add(name)
        return name

    def _taken(self, name):
        return name in self.locals or name in self.ns or name in _names_in(self.src.text)

    # ------------------------------------------------------------------ function
    def function(self, fdef: cst.FunctionDef) -> ir.Function:
        fdef = defaultdicts.rewritten(self, fdef)  # (groups = defaultdict(list): the dict code Python runs)
        p = fdef.params
        star = p.star_arg if isinstance(p.star_arg, cst.Param) else None
        if star is not None and len(self.stack) == 1 and not self.inlined:  # (a helper's *args: the tuple of its extra arguments)
            if getattr(self.fn, "__wrapped__", None) is not None:  # (functools.wraps: what runs is the wrapper)
                raise self.error(UnsupportedSyntaxError, f"'{self.fn.__name__}' is a decorator's wrapper taking *args: "
                                 "s2sgrad differentiates the wrapper, which runs, but this one reads its *args or "
                                 "**kwargs (not only passing them on); differentiate a function that calls it, "
                                 f"`def objective(x): return {self.fn.__name__}(x)`",
                                 p.star_arg)
            raise self.error(UnsupportedSyntaxError, "*args parameters (take the arrays as separate parameters, "
                             "or as one list or tuple argument)", p.star_arg)
        if p.star_kwarg is not None:
            raise self.error(UnsupportedSyntaxError, "**kwargs parameters", p.star_kwarg)
        params = tuple(x.name.value for x in list(p.posonly_params) + list(p.params) + ([star] if star else [])
                       + list(p.kwonly_params))
        if len(self.stack) == 1:  # (a helper's parameters are renamed where it is inlined)
            for x in list(p.posonly_params) + list(p.params) + list(p.kwonly_params):
                if x.name.value == "np":
                    raise self.error(UnsupportedSyntaxError, "a parameter named 'np': the generated code reads "
                                     "that name as numpy; rename the parameter", x.name)
        # (a name outside rebound keeps its value: partials.py reads it as it is; the counts: a name bound
        # to a function, function_values.py)
        self.rebound, counts, loops = binding_counts(fdef.body)
        counts.update(params)  # (a parameter is bound by the call)
        self.binding_counts = counts, loops
        self.bound_otherwise = bound_otherwise(fdef.body) | set(params)
        self.locals = set(params) | self.rebound
        self.mentions = name_mentions(fdef.body)  # (a comprehension's variable read outside it: listbuild._loops)
        self.appended = appended_names(fdef.body)  # hs = [x] then hs.append(h): a list built at run time
        self.containers = container_names(fdef.body)  # (their pop(), insert()... are refused: listbuild.py)
        self.list_literals = list_literal_names(fdef.body)  # (their pop() is read: listbuild.pop_statement)
        self.first_param = params[0] if params else None  # `self`, when this is a method (methods.py)
        self.written_globals = {}  # names declared global and assigned -> where (effects.py)
        body = self.block(fdef.body.body)
        body = effects.written_through(self, body, self.loc(fdef))
        if getattr(self, "init_of", None) is not None:  # Lin(W, b)'s __init__: its attributes returned
            body = methods.finish_init(self, fdef, body)
        # (a helper's body is checked where it is inlined, with the caller's names for its
        # parameters: record(cache, h) writing into a dict the caller made is fine)
        # (module-level and closure arrays, and containers holding them, are the caller's too)
        held = tuple(n for n, v in self.captured.items() if _holds_arrays(v))
        held += tuple(sorted(self.written_globals))  # (the module's own object until rebound: effects.py)
        owned = params[:1] if getattr(self, "self_owned", False) else ()  # (an inlined method's self)
        self.deferred = aliasing.check(params, body, held, owned) if len(self.stack) == 1 else ()
        # module-level and closure lists and dicts of constants are read, never changed (a helper's too:
        # a decorator's call counter, `calls[0] += 1`; the top level's arguments may be such a list)
        refuse_changes(body, {n: v for n, v in self.captured.items() if type(v) in (list, dict)},
                       params if len(self.stack) == 1 else ())
        return ir.Function(fdef.name.value, params, tuple(body), loc=self.loc(fdef))

    def parse_callee(self, callee, fn_params, init_of=None, keywords=(), extra=None, on_self=False):
        """A helper to inline (calls.py), parsed with this call stack (recursion is refused) and the
        class its first parameter holds: an __init__'s class constructed, or, for a method or property
        called on `self` (on_self), self's class -- never for another helper, whose first parameter
        holds whatever the call passes (its `o.scale()` is resolved on o's own class, passes/objects.py)."""
        cls = init_of or (getattr(self, "cls", None) if on_self else None)
        held = getattr(self, "self_functions", None) if on_self else None  # (self.act of the same object)
        return parse_function(callee, self.stack, cls, fn_params, init_of, keywords, extra, self_functions=held)

    # ------------------------------------------------------------------ statements
    def block(self, stmts) -> list:
        out = []
        self.block_stack.append(stmts)  # (where a name was bound to a function: bound_function)
        try:
            for i, s in enumerate(stmts):
                if i == 0 and is_docstring(s):
                    continue
                out.extend(self.statement(s))
        finally:
            self.block_stack.pop()
        return out

    def note_function(self, name, block=None):
        """Remember the block binding `name` to a function (the innermost being lowered by default)."""
        self.bound_in[name] = id(block if block is not None else self.block_stack[-1]) if (
            block is not None or self.block_stack) else None

    def bound_function(self, name, node):
        """The function value `name` holds, read at node: refused where node is outside the block that
        bound it (`if c: act = np.sin` then `act(x)` after the if: Python raises where c is false)."""
        where = self.bound_in.get(name)
        if where is not None and where not in {id(b) for b in self.block_stack}:
            raise self.error(UnsupportedSyntaxError, f"'{name}' is bound to a function in a branch or loop and read "
                             "after it, where Python may find it unbound: bind it before the branch (act = np.sin "
                             "if c else np.tanh), or call it inside", node)
        return self.local_functions[name]

    def flush(self, stmts):
        if self.prelude:  # (a part of the statement computed first: Python's order must not matter)
            evaluation_order.check(self.prelude, stmts, self.classes_of)
        out, self.prelude = self.prelude + stmts, []
        return out

    def classes_of(self, name) -> tuple:
        """The classes of the objects `name` is bound to by a construction in this function (or `self`'s
        class in a method); empty where it is bound to anything else, or not known."""
        if name == self.first_param and getattr(self, "cls", None) is not None:
            return (self.cls,)
        made = self.made_classes.get(name, ())
        return () if None in made or name in self.bound_otherwise else tuple(made)

    def statement_of(self, s, loc) -> list:
        """A statement the lowering made (a comprehension's loops), located at `loc` (its origin):
        part of the user's statement, so the names that statement read stay read (expressions.named)."""
        self.synthetic_loc = loc
        self.inside_made += 1
        try:
            return self.statement(s)
        finally:
            self.inside_made -= 1

    def statement(self, s) -> list:
        if not self.inside_made:
            self.stmt_reads = set()  # (the locals this statement has read so far: expressions.named)
        for cls, what in _REFUSED_STATEMENTS.items():
            if isinstance(s, cls):
                raise self.error(UnsupportedSyntaxError, f"{what} is not supported in a differentiated function", s)
        if isinstance(s, cst.Try):  # try: x = solve(...) / except LinAlgError: x = ... (trystmt.py)
            return trystmt.lower_try(self, s)
        if isinstance(s, cst.BaseSmallStatement):  # `def f(x): return x` on one line
            return self.small(s, self.loc(s))
        if isinstance(s, cst.SimpleStatementLine):
            out = []
            for small in s.body:
                lowered = self.small(small, self.loc(s) if len(s.body) == 1 else self.loc(small))
                lowered = draw_order.ordered(self, lowered, self.loc(small))  # (random draws in Python's order)
                out.extend(lowered)
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
        if isinstance(s, cst.Match):  # the if/elif chain it decides (matching.py)
            return matching.lower_match(self, s)
        raise self.error(UnsupportedSyntaxError, f"{type(s).__name__} statement is not supported", s)
