"""What a module-level factory returns for one call, decided when compiling (frontend/factories.py
reads its result): its `if` tests decided from the constants the call gives (`specialised`), its
defaults guarded with it (`SameDefaults`), and the names it reads from the module (`free_names`).

Guarantee: `specialised` keeps exactly the statements Python runs for arguments equal to those
constants, or returns the function unchanged where any test reads anything else (a name bound to
a non-literal on the way, a := or a del anywhere, an `is` between values, a call); `free_names`
errs on the side of more names (comprehension targets count as free)."""
from __future__ import annotations

import ast
import inspect

import libcst as cst

from .guards import ContentGuard
from .names import LITERAL_TYPES
from .scan import assigned_names


def constant(lowerer, node):
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
    value = ast.literal_eval(cst.Module([]).code_for_node(node))
    if not isinstance(value, LITERAL_TYPES):  # (a list or dict the factory may change: not a constant)
        raise ValueError("not a constant")
    return value


def specialised(lowerer, sig, fdef, call):
    """fdef with each `if` decided whose test reads only parameters given constants by the call
    (`constant`, or literal defaults), as they stand where the test runs (`if s is None: s = 0.1`
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
                env[p] = constant(lowerer, bound.arguments[p])
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError, KeyError, IndexError):
                continue
        elif param.default is not inspect.Parameter.empty and isinstance(param.default, LITERAL_TYPES):
            env[p] = param.default
    if not env or not isinstance(fdef.body, cst.IndentedBlock) or _walrus_or_del(fdef.body):
        return fdef  # (a := in a test or a value, a del: bindings _decided does not follow)
    body = _decided(list(fdef.body.body), env)
    return fdef if body is None else fdef.with_changes(body=fdef.body.with_changes(body=body))


def _walrus_or_del(node) -> bool:
    found = []

    class Find(cst.CSTVisitor):
        def visit_NamedExpr(self, n):
            found.append(n)

        def visit_Del(self, n):
            found.append(n)
    node.visit(Find())
    return bool(found)


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


class SameDefaults(ContentGuard):
    """A guard's object for a factory read by name: the same function with the same defaults."""

    def __init__(self, fn):
        self.fn, self.defaults, self.kwdefaults = fn, fn.__defaults__, dict(fn.__kwdefaults__ or {})

    def holds(self, now) -> bool:
        return now is self.fn and now.__defaults__ == self.defaults \
            and dict(now.__kwdefaults__ or {}) == self.kwdefaults


def free_names(fdef) -> set:
    """The names fdef reads that no scope of it binds (the module's, or builtins), scope by scope:
    a name a nested def or lambda binds is its own there, and the factory's own elsewhere.
    (Comprehension targets count as not bound: the check is conservative.)"""
    return _scope_free(fdef.body, _param_names(fdef.params))


def _param_names(params) -> set:
    out = {p.name.value for p in list(params.posonly_params) + list(params.params) + list(params.kwonly_params)}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            out.add(star.name.value)
    return out


def _scope_free(body, params) -> set:
    reads, bound, nested = set(), set(params), []

    class Names(cst.CSTVisitor):
        def _defaults(self, p):
            for x in list(p.posonly_params) + list(p.params) + list(p.kwonly_params):
                if x.default is not None:
                    x.default.visit(self)  # (read where the def or lambda is made: this scope)

        def visit_FunctionDef(self, n):
            bound.add(n.name.value)
            self._defaults(n.params)
            nested.append((n.body, _param_names(n.params)))
            return False

        def visit_Lambda(self, n):
            self._defaults(n.params)
            nested.append((n.body, _param_names(n.params)))
            return False

        def visit_Name(self, n):
            reads.add(n.value)

        def visit_Attribute(self, n):
            n.value.visit(self)
            return False

        def visit_Arg(self, n):
            n.value.visit(self)
            return False

        def visit_AssignTarget(self, n):
            bound.update(names_of(n.target))

        def visit_AugAssign(self, n):
            bound.update(names_of(n.target))

        def visit_AnnAssign(self, n):
            bound.update(names_of(n.target))

        def visit_For(self, n):
            bound.update(names_of(n.target))

        def visit_NamedExpr(self, n):
            bound.update(names_of(n.target))
    body.visit(Names())
    free = reads - bound
    for inner, own in nested:
        free |= _scope_free(inner, own) - bound
    return free


def branches(fdef) -> bool:
    return isinstance(fdef.body, cst.IndentedBlock) and any(isinstance(x, cst.If) for x in fdef.body.body)


def names_of(target):
    """The names a binding target binds (a name, or a tuple or list of them, nested)."""
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for el in target.elements:
            yield from names_of(el.value)
