"""Syntactic scans of a libcst body that need no lowering state.

Guarantee: `assigned_names` is every plain name a body binds by assignment (plain, annotated,
augmented, tuple/list unpacking) or as a for target, at any depth of its compound statements
(nested function bodies included, as libcst visits them); `is_docstring` is true only for a lone
string expression statement; `appended_names` every name a body calls `.append` on.
"""
from __future__ import annotations

import libcst as cst


def is_docstring(s) -> bool:
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


class _Appended(cst.CSTVisitor):
    def __init__(self):
        self.names = set()

    def visit_Call(self, node):
        f = node.func
        if isinstance(f, cst.Attribute) and f.attr.value == "append" and isinstance(f.value, cst.Name):
            self.names.add(f.value.value)


def appended_names(body) -> set:
    """Every plain name `X` of an `X.append(...)` call in body, at any depth."""
    v = _Appended()
    body.visit(v)
    return v.names


def assigned_names(body) -> set:
    v = _Assigned()
    body.visit(v)
    return v.names

