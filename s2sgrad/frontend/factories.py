"""A function made by a factory: `k = make_rbf(bw)` where make_rbf defines a function and returns it.

    def make_rbf(bandwidth):                 k_bandwidth = bw           (at the binding)
        def k(a, b):                   ->    def k(a, b):               (a local function of the
            return ... bandwidth ...             return ... k_bandwidth ...   caller, closures.py)
        return k

The factory's parameters and the names its body binds before the return become variables of the
caller under names of their own (`k_bandwidth`), bound where the factory is called, exactly when
Python binds them; the function it returns becomes a local function of the caller whose free names
are those variables.  Each later call `k(z, z)` is inlined like any local function.  Python's
closure reads the factory's variables, which nothing changes once the factory has returned:
reading the caller's copies, which nothing else binds, gives the same values.

Guarantee: applied only to a factory (a nested function of the caller, or a module-level function
with the caller's own globals) whose body is simple statements, one nested `def` (or `return
lambda ...`) and a final `return` of it, with no other return and no name of the returned
function's own shadowing a renamed one through a comprehension; the result bound to one plain name.
Anything else is left to the caller, which refuses a function used as a value at its line.
"""
from __future__ import annotations

import functools
import inspect

import libcst as cst

from ..errors import S2SGradError, UnsupportedSyntaxError
from . import closures
from .names import LITERAL_TYPES, literal_node
from .scan import assigned_names


def makes_function(lowerer, call: cst.Call) -> bool:
    """Whether call is a call of a factory (its result a function bind() makes local)."""
    found = _factory(lowerer, call.func)
    return found is not None and factory_shape(found[1]) is not None


def bind(lowerer, s: cst.Assign, loc):
    """The statements for `name = factory(...)`, or None when s is not such a binding."""
    if len(s.targets) != 1 or not isinstance(s.targets[0].target, cst.Name) or not isinstance(s.value, cst.Call):
        return None
    found = _factory(lowerer, s.value.func)
    if found is None:
        return None
    sig, fdef = found
    name = s.targets[0].target.value
    shape = factory_shape(fdef)
    if shape is None:
        return None
    pre, inner = shape
    params = list(sig.parameters)
    own = set(params) | (assigned_names(cst.IndentedBlock(pre)) if pre else set())
    own.discard(name)
    rename = {n: lowerer.fresh(f"{name}_{n}") for n in sorted(own)}
    # the caller's argument expressions, bound to the factory's parameters as Python binds them
    try:
        bound = sig.bind(*[a.value for a in s.value.args if a.keyword is None and not a.star],
                         **{a.keyword.value: a.value for a in s.value.args if a.keyword is not None})
    except TypeError as err:
        raise lowerer.error(UnsupportedSyntaxError, f"call to the factory: {err}", s.value) from None
    if any(a.star for a in s.value.args):
        return None
    stmts = []
    for p in params:
        value = bound.arguments.get(p)
        if value is None:
            default = sig.parameters[p].default
            if default is inspect.Parameter.empty or not isinstance(default, LITERAL_TYPES):
                return None
            value = literal_node(default)
        stmts.append(cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(rename[p]))], value)]))
    renamer = _Rename(rename)
    stmts += [x.visit(renamer) for x in pre]
    inner = inner.visit(renamer)
    if renamer.shadowed:
        return None
    lowerer.locals |= set(rename.values())
    out = []
    saved = lowerer.synthetic_loc  # (a module-level factory's nodes have no place in this source)
    try:
        for x in stmts:
            out += lowerer.statement_of(x, loc)
        lowerer.synthetic_loc = loc
        if isinstance(inner, cst.Lambda):
            closures.define_lambda(lowerer, name, inner, s)
        else:
            closures.define(lowerer, inner.with_changes(name=cst.Name(name)))
    finally:
        lowerer.synthetic_loc = saved
    return out


def factory_shape(fdef: cst.FunctionDef):
    """(statements before, the function returned) when fdef is a factory, else None."""
    body = list(fdef.body.body) if isinstance(fdef.body, cst.IndentedBlock) else []
    if not body:
        return None
    ret = body[-1].body[0] if isinstance(body[-1], cst.SimpleStatementLine) and len(body[-1].body) == 1 else None
    if not isinstance(ret, cst.Return):
        return None
    inner_defs = [x for x in body[:-1] if isinstance(x, cst.FunctionDef)]
    if isinstance(ret.value, cst.Lambda) and not inner_defs:
        inner = ret.value
    elif isinstance(ret.value, cst.Name) and len(inner_defs) == 1 and inner_defs[0].name.value == ret.value.value:
        inner = inner_defs[0]
    else:
        return None
    pre = [x for x in body[:-1] if x is not inner]
    if not all(isinstance(x, cst.SimpleStatementLine) for x in pre) or _returns(pre):
        return None
    p = inner.params
    if any(x.default is not None and not _literal(x.default) for x in list(p.params) + list(p.kwonly_params)):
        return None  # (def f(x, c=a): Python reads a when the def runs, which this would not)
    return pre, inner


def _literal(e) -> bool:
    if isinstance(e, cst.UnaryOperation) and isinstance(e.operator, cst.Minus):
        e = e.expression
    return isinstance(e, (cst.Integer, cst.Float, cst.SimpleString)) or \
        isinstance(e, cst.Name) and e.value in ("True", "False", "None")


def _factory(lowerer, func):
    """(signature, FunctionDef) of the function called, when it may be a factory."""
    if isinstance(func, cst.Name) and func.value in lowerer.local_functions:
        lf = lowerer.local_functions[func.value]
        if not isinstance(getattr(lf, "node", None), cst.FunctionDef):  # (a lambda, a dispatch.Picked)
            return None
        return lf.signature(), lf.node
    if not isinstance(func, (cst.Name, cst.Attribute)) or isinstance(func, cst.Name) and func.value in lowerer.locals:
        return None
    hit = lowerer.static_path(func)
    fn = hit[1] if hit is not None else None
    if not inspect.isfunction(fn) or fn.__globals__ is not getattr(lowerer.fn, "__globals__", None) or fn.__closure__:
        return None  # (another module's globals, or a closure's cells: its names would read the caller's)
    fdef = _factory_def(fn.__code__)
    return (inspect.signature(fn), fdef) if fdef is not None else None


@functools.lru_cache(maxsize=256)
def _factory_def(code):
    """The FunctionDef of a module-level function's code when it is a factory, else None: read once
    per code object (every `name = helper(...)` of a compile asks; a function defined again has
    another code object)."""
    from .source import get_source
    try:
        module = cst.parse_module(get_source(code).text)
    except (TypeError, S2SGradError, cst.ParserSyntaxError):
        return None
    fdef = next((s for s in module.body if isinstance(s, cst.FunctionDef)), None)  # (None: a lambda)
    return fdef if fdef is not None and factory_shape(fdef) is not None else None


def _returns(nodes) -> bool:
    class Find(cst.CSTVisitor):
        def __init__(self):
            super().__init__()
            self.found = False

        def visit_Return(self, node):
            self.found = True
    find = Find()
    for n in nodes:
        n.visit(find)
    return find.found


class _Rename(cst.CSTTransformer):
    """The factory's names renamed where they are read or bound, except where the returned
    function binds a name of its own (its parameters and the names its body assigns)."""

    def __init__(self, rename):
        self.rename, self.shadow, self.shadowed = rename, [set()], False

    def visit_FunctionDef(self, node):
        p = node.params
        names = {x.name.value for x in list(p.posonly_params) + list(p.params) + list(p.kwonly_params)}
        self.shadow.append(self.shadow[-1] | names | assigned_names(node.body))
        return True

    def leave_FunctionDef(self, original, updated):
        self.shadow.pop()
        return updated

    def visit_Lambda(self, node):
        p = node.params
        self.shadow.append(self.shadow[-1] | {x.name.value for x in list(p.params) + list(p.kwonly_params)})
        return True

    def leave_Lambda(self, original, updated):
        self.shadow.pop()
        return updated

    def visit_CompFor(self, node):
        names = set()
        for n in _names(node.target):
            names.add(n)
        if names & set(self.rename):
            self.shadowed = True  # (a comprehension variable named like a factory variable: left alone)
        return True

    def leave_Attribute(self, original, updated):
        return updated.with_changes(attr=original.attr)  # (x.bandwidth: an attribute, not a variable)

    def leave_Arg(self, original, updated):
        return updated.with_changes(keyword=original.keyword)  # f(bandwidth=...): a keyword, not a name

    def leave_Param(self, original, updated):
        return updated.with_changes(name=original.name)

    def leave_Name(self, original, updated):
        n = original.value
        if n in self.rename and n not in self.shadow[-1]:
            return updated.with_changes(value=self.rename[n])
        return updated


def _names(target):
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for el in target.elements:
            yield from _names(el.value)
