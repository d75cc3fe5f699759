"""Writes whose index s2sgrad cannot differentiate soundly, decided from the source (the alias
fence, frontend/aliasing.py, runs it first): an index that reads the array written (an in-place
masked write: the reverse sweep would read the index again after the write), and an index of
constant lists naming a position twice (numpy keeps only the last write).

Guarantee: `check_indices(stmts)` raises at the user's line for each such write, saying what to
write instead; any other write passes unchanged.
"""
from __future__ import annotations

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Const, ListExpr, SetItem, Tuple


def check_indices(stmts):
    """Writes whose index s2sgrad cannot differentiate soundly, decided from the source."""
    for s in stmts:
        if not isinstance(s, SetItem):
            continue
        if s.target in ir.expr_names(s.index):
            raise UnsupportedSyntaxError(
                f"the index of this write into '{s.target}' reads '{s.target}' itself (an in-place masked "
                f"write): s2sgrad reads the index again in the reverse sweep, where '{s.target}' holds what was "
                f"written. Build a new array instead, e.g. "
                f"'{s.target} = np.where(mask, value, {s.target})' or '{s.target} = np.maximum({s.target}, 0)' "
                "for an in-place ReLU", s.loc)
        dup = _repeated_constant_index(s.index)
        if dup is not None:
            raise UnsupportedSyntaxError(
                f"this write into '{s.target}' repeats index {dup}: numpy keeps only the last write, so "
                "each position must appear once (remove the repeated index)", s.loc)


def _repeated_constant_index(index):
    """A position an index of integer-constant lists names twice (the lists of one index broadcast
    together: `y[[0, 1], [1, 1]]` names (0, 1) and (1, 1)), else None.  Lists with a negative
    entry are left to the run-time check, which knows the shape (`y[[0, -3]]` of 3 elements names 0
    twice: ad/accumulate.py, runtime.check_distinct)."""
    parts = index.elts if isinstance(index, Tuple) else (index,)
    if any(isinstance(p, ListExpr) and not all(isinstance(e, Const) for e in p.elts) for p in parts):
        return None  # (nested lists K[[[0], [2]], [[1, 2]]], names: checked when it runs)
    lists = [[e.value for e in p.elts] for p in parts if isinstance(p, ListExpr)]
    if not lists or not all(all(type(v) is int and v >= 0 for v in vals) for vals in lists) \
            or len({len(vals) for vals in lists}) != 1:
        return None
    seen = set()
    for pos in zip(*lists):
        if pos in seen:
            return pos if len(pos) > 1 else pos[0]
        seen.add(pos)
    return None
