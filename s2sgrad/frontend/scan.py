"""Syntactic scans of a libcst body that need no lowering state.

Guarantee: `assigned_names` is every plain name a body binds by assignment (plain, annotated,
augmented, tuple/list unpacking) or as a for target, at any depth of its compound statements
(nested function bodies included, as libcst visits them); `is_docstring` is true only for a lone
string expression statement; `appended_names` every name a body calls `.append` or `.extend` on, or
extends with `+=` where it is bound to a list literal.
"""
from __future__ import annotations

from collections import Counter

import libcst as cst


def is_docstring(s) -> bool:
    return (isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1 and isinstance(s.body[0], cst.Expr)
            and isinstance(s.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))


class _Assigned(cst.CSTVisitor):
    def __init__(self):
        self.names = set()
        self.counts, self.loops = Counter(), Counter()  # (binding_counts)

    def _target(self, t, loop=False):
        if isinstance(t, cst.Name):
            self.names.add(t.value)
            self.counts[t.value] += 1
            self.loops[t.value] += loop
        elif isinstance(t, (cst.Tuple, cst.List)):
            for el in t.elements:
                self._target(el.value, loop)

    def visit_AssignTarget(self, node):
        self._target(node.target)

    def visit_AnnAssign(self, node):
        self._target(node.target)

    def visit_AugAssign(self, node):
        self._target(node.target)

    def visit_For(self, node):
        self._target(node.target, loop=True)

    def visit_NamedExpr(self, node):  # (d := ...): a local of the function, a comprehension's too
        self._target(node.target)

    def visit_MatchAs(self, node):  # case (2, n): n bound (frontend/matching.py)
        if node.name is not None:
            self._target(node.name)



class _Appended(cst.CSTVisitor):
    def __init__(self):
        self.names, self.lists, self.added, self.made = set(), set(), set(), set()

    def visit_Call(self, node):
        f = node.func
        if isinstance(f, cst.Attribute) and f.attr.value in ("append", "extend") and isinstance(f.value, cst.Name):
            self.names.add(f.value.value)

    def visit_Assign(self, node):
        if isinstance(node.value, (cst.Dict, cst.DictComp)) or isinstance(node.value, cst.Call) and isinstance(
                node.value.func, cst.Name) and node.value.func.value in ("dict", "list"):
            self.made.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))
        if isinstance(node.value, (cst.List, cst.ListComp)):
            self.lists.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))
        elif isinstance(node.value, cst.Tuple):  # hs, gs = [], []
            for t in node.targets:
                if isinstance(t.target, cst.Tuple) and len(t.target.elements) == len(node.value.elements):
                    self.lists.update(el.value.value for el, v in zip(t.target.elements, node.value.elements)
                                      if isinstance(el.value, cst.Name) and isinstance(v.value, (cst.List, cst.ListComp)))

    def visit_AugAssign(self, node):
        if isinstance(node.operator, cst.AddAssign) and isinstance(node.target, cst.Name):
            self.added.add(node.target.value)


def appended_names(body) -> set:
    """Every plain name `X` of an `X.append(...)` or `X.extend(...)` call in body, at any depth, and
    every `X += ...` where body binds X to a list literal or comprehension (a list it extends)."""
    v = _Appended()
    body.visit(v)
    return v.names | (v.added & v.lists)


class _Literals(_Assigned):
    """Binding occurrences: `literal` the names bound by `name = [...]`, `names` (as _Assigned)
    every name bound any way, `other` those bound by anything but `name = [...]`."""

    def __init__(self):
        super().__init__()
        self.literal, self.other = set(), set()

    def _target(self, t, loop=False):
        if isinstance(t, cst.Name):
            self.other.add(t.value)
        super()._target(t)

    def visit_AssignTarget(self, node):
        if isinstance(node.target, cst.Name) and isinstance(self._value, cst.List):
            self.literal.add(node.target.value)
            self.names.add(node.target.value)
        else:
            self._target(node.target)

    def visit_Assign(self, node):
        self._value = node.value

    _value = None


def list_literal_names(body) -> set:
    """Every plain name body binds to list literals (`parts = [a, b]`) and in no other way."""
    v = _Literals()
    body.visit(v)
    return v.literal - v.other


def container_names(body) -> set:
    """Every plain name body binds to a list or dict it makes (a literal, a comprehension, dict(...),
    list(...)) or appends to: the names whose pop(), insert(), setdefault()... are refused."""
    v = _Appended()
    body.visit(v)
    return v.names | v.lists | v.made


def assigned_names(body) -> set:
    v = _Assigned()
    body.visit(v)
    return v.names


def binding_counts(body):
    """(the names assigned_names gives, how many places bind each name, how many of them are `for`
    targets), from one walk; nested functions' bindings included (function_values.py: a name bound
    to a function is bound nowhere else)."""
    v = _Assigned()
    body.visit(v)
    return v.names, v.counts, v.loops


class _BoundOtherwise(_Assigned):
    """Names bound other than by a plain `name = value` (unpacking, `+=`, a loop, with, :=, chained)."""

    def visit_Assign(self, node):
        if len(node.targets) > 1:  # (a = b = C(w))
            for t in node.targets:
                self._target(t.target)

    def visit_AssignTarget(self, node):
        if not isinstance(node.target, cst.Name):
            self._target(node.target)

    def visit_AnnAssign(self, node):
        pass

    def visit_WithItem(self, node):
        if node.asname is not None:
            self._target(node.asname.name)


def bound_otherwise(body) -> set:
    v = _BoundOtherwise()
    body.visit(v)
    return v.names



class _Mentions(cst.CSTVisitor):
    def __init__(self):
        self.counts = Counter()

    def visit_Name(self, node):
        self.counts[node.value] += 1

    def visit_Attribute(self, node):  # (obj.k is no name k)
        node.value.visit(self)
        return False

    def visit_Arg(self, node):  # (f(k=1) is no name k)
        node.value.visit(self)
        return False


def name_mentions(node) -> Counter:
    """How many times each name is written in node (attribute and keyword names are not names)."""
    v = _Mentions()
    node.visit(v)
    return v.counts
