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

A module-level factory may choose what it returns by its parameters (`get_activation("tanh")`,
`make_penalty("l2", 0.05)`): where each `if` test reads only parameters the call gives numbers,
strings, bools or None (literals, elements of a module-level tuple or dict, literal defaults; a
name the body binds again to a literal is followed to where each test reads it, to anything else
it is no longer known; a body with := or del is not decided), the branch Python takes is read
alone (factory_branches.specialised); it may return a function of the module by name (`return
relu`, `return np.tanh`), which the caller's name is then bound to.  Its defaults are guarded with
it.

Guarantee: applied only to a factory (a nested function of the caller, or a module-level function
with the caller's own globals, none of whose free names -- scope by scope -- the caller binds: they
would read the caller's there) whose body -- after the `if`s decided so -- is simple statements,
one nested `def` (or `return lambda ...`, or the return of a module's function by name) and a final
`return` of it, with no other return and no name of the returned function's own shadowing a
renamed one through a comprehension; the result bound to one plain name.  Anything else is left to
the caller, which refuses a function used as a value at its line.
"""
from __future__ import annotations

import functools
import inspect

import libcst as cst

from ..errors import S2SGradError, UnsupportedSyntaxError
from . import closures
from .factory_branches import SameDefaults, branches, free_names, specialised
from .factory_branches import names_of as _names
from .names import LITERAL_TYPES, literal_node
from .scan import assigned_names


def makes_function(lowerer, call: cst.Call) -> bool:
    """Whether call is a call of a factory (its result a function bind() makes local)."""
    found = _factory(lowerer, call.func)
    if found is None:
        return False
    # (a factory choosing by its parameters, called with names a comprehension's unrolling makes
    # constants: {k: make_penalty(k, s) for k, s in PAIRS}, function_comps.py)
    return _shaped(lowerer, found[0], found[1], call) is not None or _returns_functions(lowerer, found[1])


def _returns_functions(lowerer, fdef) -> bool:
    """Whether every return of fdef, through its `if`s, gives a function: a lambda, its own nested
    def, or a function of the module by name."""
    if not isinstance(fdef.body, cst.IndentedBlock) or not branches(fdef):
        return False
    own = {x.name.value for x in fdef.body.body if isinstance(x, cst.FunctionDef)}
    params = {x.name.value for x in list(fdef.params.params) + list(fdef.params.kwonly_params)}
    found = []

    class Returns(cst.CSTVisitor):
        def visit_FunctionDef(self, node):
            return node is fdef  # (a nested def's own returns are its own)

        def visit_Lambda(self, node):
            return False

        def visit_Return(self, node):
            v = node.value
            if isinstance(v, cst.Lambda) or isinstance(v, cst.Name) and v.value in own:
                found.append(True)
            elif isinstance(v, (cst.Name, cst.Attribute)) and not (isinstance(v, cst.Name) and v.value in params):
                from .function_values import _callable
                hit = lowerer.static_path(v)
                found.append(hit is not None and _callable(hit[1]))
            else:
                found.append(False)
    fdef.visit(Returns())
    return bool(found) and all(found)


def _shaped(lowerer, sig, fdef, call):
    """(fdef as this call runs it, its factory_shape), or None: fdef's `if`s whose tests read only
    parameters this call gives constants (or their literal defaults) are decided here
    (`get_activation("tanh")`: the branch Python takes, rules.py of branches.py), and a function
    returned by name must be one of the module's (`return relu`, `return np.tanh`)."""
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in sig.parameters.values()):
        return None  # (*args, **kwargs: bound to a tuple or dict of expressions, not one each)
    fdef = specialised(lowerer, sig, fdef, call)
    shape = factory_shape(fdef)
    if shape is None or not isinstance(shape[1], (cst.Name, cst.Attribute)):
        return None if shape is None else (fdef, shape)
    own = set(sig.parameters) | (assigned_names(cst.IndentedBlock(shape[0])) if shape[0] else set())
    root = shape[1]
    while isinstance(root, cst.Attribute):
        root = root.value
    if not isinstance(root, cst.Name) or root.value in own:
        return None
    hit = lowerer.static_path(shape[1])
    from .function_values import _callable
    return (fdef, shape) if hit is not None and _callable(hit[1]) else None


def bind(lowerer, s: cst.Assign, loc):
    """The statements for `name = factory(...)`, or None when s is not such a binding."""
    if len(s.targets) != 1 or not isinstance(s.targets[0].target, cst.Name) or not isinstance(s.value, cst.Call):
        return None
    found = _factory(lowerer, s.value.func)
    if found is None:
        return None
    sig, fdef = found
    name = s.targets[0].target.value
    shaped = _shaped(lowerer, sig, fdef, s.value)
    if shaped is None:
        return None
    fdef, (pre, inner) = shaped
    params = list(sig.parameters)
    own = set(params) | (assigned_names(cst.IndentedBlock(pre)) if pre else set())
    if name not in params:  # (k = make(k=...): the parameter gets a name of its own all the same)
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
        if isinstance(inner, (cst.Name, cst.Attribute)):  # return relu: the module's function itself
            out += lowerer.statement_of(cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(name))],
                                                                            inner)]), loc)
        elif isinstance(inner, cst.Lambda):
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
    elif isinstance(ret.value, (cst.Name, cst.Attribute)) and not inner_defs:
        inner = ret.value  # (return relu, return np.tanh: _shaped checks it is a module's function)
    elif isinstance(ret.value, cst.Name) and len(inner_defs) == 1 and inner_defs[0].name.value == ret.value.value:
        inner = inner_defs[0]
    else:
        return None
    pre = [x for x in body[:-1] if x is not inner]
    if not all(isinstance(x, cst.SimpleStatementLine) for x in pre) or _returns(pre):
        return None
    if isinstance(inner, (cst.Name, cst.Attribute)):
        return pre, inner
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
    if fdef is None:
        return None
    caller = set(lowerer.locals) | set(getattr(lowerer, "fn_params", ())) | set(lowerer.local_functions)
    clash = sorted(free_names(fdef) & caller)
    if clash:  # (its body is read in the caller: the module's W0 would read the caller's own W0)
        raise lowerer.error(UnsupportedSyntaxError, f"the factory '{fdef.name.value}' reads the module's "
                            f"'{clash[0]}', a name this function binds too (its function is written into this "
                            f"one, where '{clash[0]}' would be this function's): rename one of them", func)
    if isinstance(func, cst.Name) and lowerer.where.get(func.value) is not None:
        # (its defaults decide ifs too: make.__defaults__ = (...) recompiles, as rebinding make does)
        lowerer.guards[func.value] = (lowerer.where[func.value], func.value, SameDefaults(fn))
    return inspect.signature(fn), fdef


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
    # (a factory, or a function with an `if` that a call's constants may decide: factory_branches)
    return fdef if fdef is not None and (factory_shape(fdef) is not None or branches(fdef)) else None


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
