"""A comprehension that makes functions, or objects of a class of yours, written out when
compiling:

    basis = [lambda t, c=c: np.exp(-(t - c) ** 2) for c in CENTRES]
    named = {name: make_penalty(name, s) for name, s in (("l2", 0.05), ("l1", 0.02))}
    combs = [LowpassComb(d, fb[i]) for i, d in enumerate(COMB_DELAYS)]

A function value is decided when compiling (function_values.py), and so is which methods an object
in a list has (passes/objects.py), so such a comprehension is unrolled into the list or dict literal it makes -- `[lambda t, c=CENTRES[0]: ..., lambda t,
c=CENTRES[1]: ...]` -- when the sequence it runs over has a length known when compiling: a
`range` of constants, a tuple or list literal, a module-level (or closure) tuple, list or array,
and `enumerate`, `zip` and a module-level dict's `.items()` / `.keys()` / `.values()` of those.

Guarantees: the literal made evaluates what Python evaluates, in the same order: each pass's
values go where the pass reads them -- a lambda's defaults (read when it is made), a factory
call's arguments, a dict's key.  A lambda body that reads the comprehension's own name is refused:
Python reads it when the lambda is called, after the comprehension has ended (every lambda sees
the last value), which is seldom what the author meant; the message gives the `c=c` idiom.  A
module-level sequence read here is guarded as any read of it is (names.py), so changing it makes
the caller compile again.
"""
from __future__ import annotations

import libcst as cst
import numpy as np

from ..errors import UnsupportedSyntaxError

_MAX = 64  # (a longer sequence is a loop's job, not a table's)


def makes_functions(lowerer, node) -> bool:
    """Whether node is a list or dict comprehension whose items are lambdas or factory calls."""
    from .function_values import _looks_like_function
    if isinstance(node, cst.ListComp):
        return _looks_like_function(lowerer, node.elt)
    if isinstance(node, cst.DictComp):
        return _looks_like_function(lowerer, node.value)
    return False


def makes_objects(lowerer, node) -> bool:
    """Whether node is a list comprehension making objects of a class of yours (`[Allpass(d) for d in
    DELAYS]`) over a sequence of a length known when compiling: written out as the list literal it
    makes, so the objects' methods are resolved as a written-out list's are."""
    if not (isinstance(node, cst.ListComp) and isinstance(node.elt, cst.Call)
            and isinstance(node.elt.func, (cst.Name, cst.Attribute))):
        return False
    cls = lowerer.static_callee(node.elt.func)
    if not (isinstance(cls, type) and not issubclass(cls, tuple)
            and not (getattr(cls, "__module__", "") or "").startswith(("numpy", "builtins", "scipy", "collections"))):
        return False
    comp = node.for_in
    if comp.inner_for_in is not None or comp.ifs or comp.asynchronous is not None \
            or _target_names(comp.target) is None or _scopes(node.elt):
        return False
    items = _items(lowerer, comp.iter)
    # (a constructor may change what a later item reads: Python reads the items first, so only
    # items no constructor can change are written out)
    return items is not None and all(_stable(lowerer, i) for i in items)


def unrolled(lowerer, node):
    """The list or dict literal the comprehension `node` makes (see the module docstring); raises
    where it cannot be written out."""
    comp = node.for_in
    if comp.inner_for_in is not None or comp.ifs or comp.asynchronous is not None:
        raise lowerer.error(UnsupportedSyntaxError, "a comprehension of functions with more than one `for` or "
                            "an `if`: write the list of functions out, or build it with one `for`", node)
    names = _target_names(comp.target)
    if names is None:
        raise lowerer.error(UnsupportedSyntaxError, "a comprehension of functions whose target is not a name or "
                            "a tuple of names", comp.target)
    items = _items(lowerer, comp.iter)
    if items is None:
        raise lowerer.error(UnsupportedSyntaxError, "a comprehension of functions over a sequence whose length "
                            "s2sgrad cannot know when compiling (which functions a name calls is decided then): "
                            "run it over range(n), a literal, or a module-level tuple, list or array", comp.iter)
    parts = [node.elt] if isinstance(node, cst.ListComp) else [node.key, node.value]
    for part in parts:
        if _scopes(part):
            raise lowerer.error(UnsupportedSyntaxError, "a comprehension of functions with another comprehension "
                                "inside its items (whose names the writing out would confuse): compute that value "
                                "before, bound to a name", part)
        if _calls(part) and not all(_stable(lowerer, i) for i in items):
            raise lowerer.error(UnsupportedSyntaxError, "a comprehension of functions made by calls over items "
                                "computed in the function (a call may change what a later item reads, which "
                                "Python read before the first call): run it over constants, range(n) or a "
                                "module-level tuple", comp.iter)
        _refuse_late_binding(lowerer, part, set(names))
    out = []
    for item in items:
        values = _unpack(lowerer, names, item, comp.target)
        made = [p.visit(_Substitute(values)) for p in parts]
        out.append(cst.Element(made[0]) if len(made) == 1 else cst.DictElement(made[0], made[1]))
    return cst.List(out) if isinstance(node, cst.ListComp) else cst.Dict(out)


def _target_names(target):
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)) and all(isinstance(el.value, cst.Name) for el in target.elements):
        return [el.value.value for el in target.elements]
    return None


def _unpack(lowerer, names, item, target):
    if len(names) == 1 and isinstance(target, cst.Name):
        return {names[0]: item}
    if not (isinstance(item, (cst.Tuple, cst.List)) and len(item.elements) == len(names)):
        raise lowerer.error(UnsupportedSyntaxError, "a comprehension of functions unpacking items s2sgrad cannot "
                            "split when compiling (run it over enumerate, zip or a literal of tuples)", target)
    return {n: el.value for n, el in zip(names, item.elements)}


def _items(lowerer, it):
    """The items of the sequence `it`, each as an expression to read it by (None: not known)."""
    if isinstance(it, (cst.Tuple, cst.List)):
        if any(isinstance(el, cst.StarredElement) for el in it.elements) or _calls(it):
            return None  # (an item computed by a call: read once, where the comprehension runs)
        return [el.value for el in it.elements]
    if isinstance(it, cst.Call) and isinstance(it.func, cst.Name) and not any(a.keyword or a.star for a in it.args):
        f, args = it.func.value, [a.value for a in it.args]
        if f == "range" and f not in lowerer.locals:
            ints = [_int(lowerer, a) for a in args]
            if None in ints or not 1 <= len(ints) <= 3 or len(range(*ints)) > _MAX:
                return None
            return [cst.Integer(str(i)) if i >= 0 else cst.UnaryOperation(cst.Minus(), cst.Integer(str(-i)))
                    for i in range(*ints)]
        if f == "enumerate" and f not in lowerer.locals and len(args) == 1:
            inner = _items(lowerer, args[0])
            return None if inner is None else [cst.Tuple([cst.Element(cst.Integer(str(k))), cst.Element(v)])
                                               for k, v in enumerate(inner)]
        if f == "zip" and f not in lowerer.locals and args:
            seqs = [_items(lowerer, a) for a in args]
            return None if any(s is None for s in seqs) else \
                [cst.Tuple([cst.Element(v) for v in vs]) for vs in zip(*seqs)]
    if isinstance(it, cst.Call) and isinstance(it.func, cst.Attribute) and not it.args \
            and it.func.attr.value in ("items", "keys", "values"):
        hit = lowerer.static_path(it.func.value)
        if hit is None or type(hit[1]) is not dict or not all(type(k) in (str, int) for k in hit[1]):
            return None
        from .dispatch import guard_entries
        guard_entries(lowerer, it.func.value, hit[1])  # (a key added or removed: compiled again)
        keys = [cst.parse_expression(repr(k)) for k in hit[1]]
        vals = [cst.Subscript(it.func.value, [cst.SubscriptElement(cst.Index(k))]) for k in keys]
        kind = it.func.attr.value
        return keys if kind == "keys" else vals if kind == "values" else \
            [cst.Tuple([cst.Element(k), cst.Element(v)]) for k, v in zip(keys, vals)]
    if isinstance(it, (cst.Name, cst.Attribute)):
        hit = lowerer.static_path(it)
        if hit is None:
            return None
        obj = hit[1]
        if not (type(obj) in (tuple, list) or isinstance(obj, np.ndarray) and obj.ndim >= 1) or len(obj) > _MAX:
            return None
        if type(obj) is list:
            from .dispatch import guard_entries
            guard_entries(lowerer, it, obj)  # (an item appended: compiled again)
        return [cst.Subscript(it, [cst.SubscriptElement(cst.Index(cst.Integer(str(k))))]) for k in range(len(obj))]
    return None


def _scopes(node) -> bool:
    """Whether node holds a comprehension or generator (a scope whose names substitution could
    confuse)."""
    found = []

    class Find(cst.CSTVisitor):
        def visit_CompFor(self, n):
            found.append(n)
    node.visit(Find())
    return bool(found)


def _stable(lowerer, item) -> bool:
    """An item nothing the function runs can change: a constant, a tuple of them, or an element of
    a module-level tuple or dict read by a constant key."""
    if isinstance(item, (cst.Integer, cst.Float, cst.SimpleString)) or \
            isinstance(item, cst.Name) and item.value in ("True", "False", "None"):
        return True
    if isinstance(item, cst.UnaryOperation) and isinstance(item.operator, cst.Minus):
        return _stable(lowerer, item.expression)
    if isinstance(item, cst.Tuple):
        return all(_stable(lowerer, el.value) for el in item.elements)
    if isinstance(item, cst.Subscript) and isinstance(item.value, (cst.Name, cst.Attribute)) \
            and not (isinstance(item.value, cst.Name) and item.value.value in lowerer.locals):
        hit = lowerer.static_path(item.value)
        return hit is not None and type(hit[1]) in (tuple, dict)
    return False


def _int(lowerer, node):
    from ..ir import Const
    v = lowerer.expr(node)  # (also the guard on a module-level sequence whose len it reads)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "len" \
            and node.func.value not in lowerer.locals and len(node.args) == 1 and not node.args[0].keyword:
        hit = lowerer.static_path(node.args[0].value) if isinstance(node.args[0].value, (cst.Name, cst.Attribute)) \
            else None  # (range(len(SCALES)) of a module-level tuple, list or array)
        if hit is not None and (type(hit[1]) in (tuple, list) or isinstance(hit[1], np.ndarray) and hit[1].ndim):
            return len(hit[1])
    return v.value if isinstance(v, Const) and type(v.value) is int else None


def _calls(node) -> bool:
    """Whether computing node calls anything (a lambda's body runs later: only its defaults count)."""
    found = []

    class Find(cst.CSTVisitor):
        def visit_Call(self, n):
            found.append(n)

        def visit_Lambda(self, n):
            for p in list(n.params.params) + list(n.params.kwonly_params):
                if p.default is not None:
                    p.default.visit(self)
            return False
    node.visit(Find())
    return bool(found)


def _refuse_late_binding(lowerer, part, names):
    """A lambda whose body reads the comprehension's name (not shadowed by its own parameter)."""
    class Find(cst.CSTVisitor):
        def visit_Lambda(self, lam):
            own = {p.name.value for p in list(lam.params.params) + list(lam.params.kwonly_params)
                   + list(lam.params.posonly_params)}
            late = sorted(n for n in _names(lam.body) if n in names and n not in own)
            if late:
                raise lowerer.error(UnsupportedSyntaxError, (
                    f"this lambda reads '{late[0]}', the comprehension's name, when it is called -- after the "
                    f"comprehension has ended, so every lambda sees its last value (Python's late binding); "
                    f"bind each pass's value with a default: lambda ..., {late[0]}={late[0]}: ..."), lam)
            return False  # (its defaults are read where it is made: substituted)
    part.visit(Find())


def _names(node):
    out = []

    class Find(cst.CSTVisitor):
        def visit_Name(self, n):
            out.append(n.value)

        def visit_Attribute(self, n):
            n.value.visit(self)
            return False  # (obj.c: not the name c)
    node.visit(Find())
    return out


class _Substitute(cst.CSTTransformer):
    """Each read of a comprehension name replaced by the pass's expression; a lambda's body is left
    as it is (its defaults are substituted: read where it is made), as are parameter names,
    attribute names and keywords."""

    def __init__(self, values):
        super().__init__()
        self.values = values

    def visit_Lambda(self, node):
        return False

    def leave_Lambda(self, original, updated):
        return updated.with_changes(params=original.params.visit(self))

    def visit_Param(self, node):
        return False

    def leave_Param(self, original, updated):
        return updated if original.default is None else updated.with_changes(default=original.default.visit(self))

    def visit_Attribute(self, node):
        return False

    def leave_Attribute(self, original, updated):
        return updated.with_changes(value=original.value.visit(self))

    def visit_Arg(self, node):
        return False

    def leave_Arg(self, original, updated):
        return updated.with_changes(value=original.value.visit(self))

    def leave_Name(self, original, updated):
        return self.values.get(original.value, updated)
