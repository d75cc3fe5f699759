"""`for row in A: row /= row.sum()` -- an item of the sequence updated in place through the loop's
name -- as the write into A it is: `A[i] /= row.sum(); row = A[i]`.

numpy's `row /= e` divides the row of A that `row` views, in place, and `row` goes on viewing it;
the rewritten pair computes e from the row as it was, writes A[i], and binds `row` to A[i] again,
so every later read of `row` or of A sees what numpy's would.  The write into A is one s2sgrad
differentiates (where A may be written into: an argument stays refused, frontend/aliasing.py).

Guarantee: only a loop whose target is one name, over a name, whose body binds that name only by
augmented assignments (`row += e`, `row *= e`, ...), and none inside a nested function or class;
anything else is left as it was (and the in-place update is refused as before).
"""
from __future__ import annotations

import libcst as cst

from .scan import _Assigned, assigned_names


class _Rewrite(cst.CSTTransformer):
    def __init__(self, lowerer, row, seq, idx):
        self.lowerer, self.row, self.seq, self.idx = lowerer, row, seq, idx

    def visit_FunctionDef(self, node):
        return False

    def visit_ClassDef(self, node):
        return False

    def visit_Lambda(self, node):
        return False

    def leave_SimpleStatementLine(self, original, updated):
        if not (len(updated.body) == 1 and isinstance(updated.body[0], cst.AugAssign)
                and isinstance(updated.body[0].target, cst.Name) and updated.body[0].target.value == self.row):
            return updated
        item = cst.Subscript(cst.Name(self.seq), [cst.SubscriptElement(cst.Index(cst.Name(self.idx)))])
        aug = self.lowerer.remade(updated.body[0].with_changes(target=item), original.body[0])
        write = self.lowerer.remade(updated.with_changes(body=[aug]), original)
        bind = self.lowerer.remade(cst.Assign([cst.AssignTarget(cst.Name(self.row))], item), original.body[0])
        again = self.lowerer.remade(cst.SimpleStatementLine([bind]), original)
        return cst.FlattenSentinel([write, again])


def _aug_targets(body) -> tuple:
    """(names bound by `name op= e` as a statement of its own line, whether any such line holds more)."""
    found, crowded = set(), False

    class Find(cst.CSTVisitor):
        def visit_SimpleStatementLine(self, node):
            nonlocal crowded
            augs = [s for s in node.body if isinstance(s, cst.AugAssign) and isinstance(s.target, cst.Name)]
            found.update(s.target.value for s in augs)
            crowded = crowded or (augs and len(node.body) > 1)
    body.visit(Find())
    return found, crowded


class _BoundPlainly(_Assigned):
    """Names bound other than by `name op= e` (`name = ...`, a loop, `with ... as`, :=, a match)."""

    def visit_AugAssign(self, node):
        return None

    def visit_AsName(self, node):
        self._target(node.name)


def _bound_plainly(body, name) -> bool:
    v = _BoundPlainly()
    body.visit(v)
    return name in v.names


def rewritten_body(lowerer, s: cst.For, idx: str):
    """s's body with `row op= e` written into the sequence (module docstring), or None to leave it."""
    if not (isinstance(s.target, cst.Name) and isinstance(s.iter, cst.Name)):
        return None
    row, seq = s.target.value, s.iter.value
    augs, crowded = _aug_targets(s.body)
    if row not in augs or crowded or seq in assigned_names(s.body) or _bound_plainly(s.body, row):
        return None  # (bound otherwise too: `row = ...` makes it another object)
    return s.body.visit(_Rewrite(lowerer, row, seq, idx))
