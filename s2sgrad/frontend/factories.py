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
`make_penalty("l2", 0.05)`): where each `if` test reads only parameters the call gives constants
(literals, or literal defaults; a name the body binds again is followed to where each test reads
it), the branch Python takes is read alone (`_specialised`); it may return a function of the module by name (`return relu`, `return
np.tanh`), which the caller's name is then bound to.

Guarantee: applied only to a factory (a nested function of the caller, or a module-level function
with the caller's own globals) whose body -- after the `if`s decided so -- is simple statements,
one nested `def` (or `return lambda ...`, or the return of a module's function by name) and a final
`return` of it, with no other return and no name of the returned
function's own shadowing a renamed one through a comprehension; the result bound to one plain name.
Anything else is left to the caller, which refuses a function used as a value at its line.
"""
from __future__ import annotations

import ast
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
    if found is None:
        return False
    # (a factory choosing by its parameters, called with names a comprehension's unrolling makes
    # constants: {k: make_penalty(k, s) for k, s in PAIRS}, function_comps.py)
    return _shaped(lowerer, found[0], found[1], call) is not None or _returns_functions(lowerer, found[1])


def _returns_functions(lowerer, fdef) -> bool:
    """Whether every return of fdef, through its `if`s, gives a function: a lambda, its own nested
    def, or a function of the module by name."""
    if not isinstance(fdef.body, cst.IndentedBlock) or not _branches(fdef):
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
    fdef = _specialised(lowerer, sig, fdef, call)
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


def _constant(lowerer, node):
    """The value of a call's argument known when compiling: a literal, or an element of a
    module-level tuple or dict by a literal key (`NAMES[0]`, as a comprehension written out reads
    it; the call's lowering guards the module's name); raises ValueError otherwise."""
    if isinstance(node, cst.Subscript) and isinstance(node.value, (cst.Name, cst.Attribute)) \
            and not (isinstance(node.value, cst.Name) and node.value.value in lowerer.locals) \
            and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        hit = lowerer.static_path(node.value)
        key = ast.literal_eval(cst.Module([]).code_for_node(node.slice[0].slice.value))
        if hit is not None and type(hit[1]) in (tuple, dict):
            value = hit[1][key]
            if isinstance(value, LITERAL_TYPES):
                return value
        raise ValueError("not a constant")
    return ast.literal_eval(cst.Module([]).code_for_node(node))


def _specialised(lowerer, sig, fdef, call):
    """fdef with each `if` decided whose test reads only parameters given constants by the call
    (`_constant`, or literal defaults), as they stand where the test runs (`if s is None: s = 0.1`
    binds s to 0.1 for the tests after it; a name bound to anything else is no longer known); fdef
    itself where any `if` cannot be decided so."""
    try:
        bound = sig.bind(*[a.value for a in call.args if a.keyword is None and not a.star],
                         **{a.keyword.value: a.value for a in call.args if a.keyword is not None})
    except TypeError:
        return fdef
    env = {}
    for p, param in sig.parameters.items():
        if p in bound.arguments:
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue  # (*args, **kwargs: a tuple or dict of expressions)
            try:
                env[p] = _constant(lowerer, bound.arguments[p])
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError, KeyError, IndexError):
                continue
        elif param.default is not inspect.Parameter.empty and isinstance(param.default, LITERAL_TYPES):
            env[p] = param.default
    if not env or not isinstance(fdef.body, cst.IndentedBlock):
        return fdef
    body = _decided(list(fdef.body.body), env)
    return fdef if body is None else fdef.with_changes(body=fdef.body.with_changes(body=body))


def _decided(stmts, env):
    out = []
    for st in stmts:
        if isinstance(st, cst.If):
            taken = _test(st.test, env)
            if taken is None:
                return None
            branch = list(st.body.body) if taken else list(st.orelse.body.body) if isinstance(st.orelse, cst.Else) \
                else [st.orelse] if isinstance(st.orelse, cst.If) else []
            inner = _decided(branch, env)
            if inner is None:
                return None
            out += inner
        else:
            out.append(st)
            _rebound(st, env)
        if out and isinstance(out[-1], cst.SimpleStatementLine) and any(isinstance(x, cst.Return)
                                                                         for x in out[-1].body):
            break  # (after a return: nothing runs)
    return out


def _rebound(st, env):
    """env after the statement st runs: a name bound to a literal holds it (`s = 0.1` after `if s is
    None:`), a name bound any other way is no longer known."""
    small = st.body if isinstance(st, cst.SimpleStatementLine) else []
    if len(small) == 1 and isinstance(small[0], cst.Assign) and all(isinstance(t.target, cst.Name)
                                                                      for t in small[0].targets):
        try:
            value = ast.literal_eval(cst.Module([]).code_for_node(small[0].value))
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            value = env  # (not a literal: the marker below)
        for t in small[0].targets:
            if value is env or not isinstance(value, LITERAL_TYPES):
                env.pop(t.target.value, None)
            else:
                env[t.target.value] = value
        return
    for n in assigned_names(cst.IndentedBlock([st])):
        env.pop(n, None)


def _test(test, env):
    """The truth of an if's test computed from the constants `env` (None: it reads anything else)."""
    names = set()

    class Names(cst.CSTVisitor):
        def visit_Name(self, n):
            names.add(n.value)

        def visit_Attribute(self, n):
            n.value.visit(self)
            return False

        def visit_Call(self, n):
            names.add("(a call)")
        def visit_Comparison(self, n):
            # (`kind is "l2"`: whether two equal strings are one object is Python's compiler's
            # choice, which eval here would not share; `is None`, `is True` are decided)
            for i, c in enumerate(n.comparisons):
                if isinstance(c.operator, (cst.Is, cst.IsNot)):
                    sides = (n.left if i == 0 else n.comparisons[i - 1].comparator, c.comparator)
                    if not any(isinstance(x, cst.Name) and x.value in ("None", "True", "False") for x in sides):
                        names.add("(is)")
    test.visit(Names())
    if not names <= set(env) | {"True", "False", "None"}:
        return None
    try:
        return bool(eval(compile(cst.Module([]).code_for_node(test), "<test>", "eval"),  # noqa: S307
                         {"__builtins__": {}}, dict(env)))
    except Exception:  # (a comparison of a string with a number, ...: left to the caller's refusal)
        return None


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
    clash = sorted(_free_names(fdef) & (set(lowerer.locals) | set(getattr(lowerer, "fn_params", ()))))
    if clash:  # (its body is read in the caller: the module's W0 would read the caller's own W0)
        raise lowerer.error(UnsupportedSyntaxError, f"the factory '{fdef.name.value}' reads the module's "
                            f"'{clash[0]}', a name this function binds too (its function is written into this "
                            f"one, where '{clash[0]}' would be this function's): rename one of them", func)
    return inspect.signature(fn), fdef


def _free_names(fdef) -> set:
    """The names fdef reads that nothing in it binds (the module's, or builtins)."""
    reads, bound = set(), set()

    class Names(cst.CSTVisitor):
        def visit_Name(self, n):
            reads.add(n.value)

        def visit_Attribute(self, n):
            n.value.visit(self)
            return False

        def visit_Arg(self, n):
            n.value.visit(self)
            return False

        def visit_Param(self, n):
            bound.add(n.name.value)
            if n.default is not None:
                n.default.visit(self)
            return False

        def visit_FunctionDef(self, n):
            bound.add(n.name.value)

        def visit_AssignTarget(self, n):
            bound.update(_names(n.target))

        def visit_AugAssign(self, n):
            bound.update(_names(n.target))

        def visit_CompFor(self, n):
            bound.update(_names(n.target))

        def visit_For(self, n):
            bound.update(_names(n.target))

        def visit_NamedExpr(self, n):
            bound.update(_names(n.target))
    fdef.visit(Names())
    return reads - bound


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
    # (a factory, or a function with an `if` that a call's constants may decide: _specialised)
    return fdef if fdef is not None and (factory_shape(fdef) is not None or _branches(fdef)) else None


def _branches(fdef) -> bool:
    return isinstance(fdef.body, cst.IndentedBlock) and any(isinstance(x, cst.If) for x in fdef.body.body)


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
