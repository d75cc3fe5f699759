"""Writes whose index s2sgrad cannot differentiate soundly, decided from the source (the alias
fence, frontend/aliasing.py, runs it first): an index that reads the values of the array written
(an in-place masked write: the reverse sweep would read the index again after the write; its shape,
`P[np.arange(P.shape[0]), y] -= 1`, no write changes), and an index of
constant lists naming a position twice (numpy keeps only the last write).

Guarantee: `check_indices(stmts)` raises at the user's line for each such write, saying what to
write instead; any other write passes unchanged.
"""
from __future__ import annotations

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Const, ListExpr, SetItem, Tuple
from .user_words import user_name


def check_indices(stmts):
    """Writes whose index s2sgrad cannot differentiate soundly, decided from the source."""
    for s in stmts:
        if not isinstance(s, SetItem):
            continue
        if reads_values(s.index, s.target):
            t = user_name(s.target, s.loc.text if s.loc else None) or s.target  # (a helper's name: its own)
            raise UnsupportedSyntaxError(
                f"the index of this write into '{t}' reads '{t}' itself (an in-place masked "
                f"write): s2sgrad reads the index again in the reverse sweep, where '{t}' holds what was "
                f"written. Build a new array instead, e.g. "
                f"'{t} = np.where(mask, value, {t})' or '{t} = np.maximum({t}, 0)' "
                "for an in-place ReLU", s.loc)
        dup = _repeated_constant_index(s.index)
        if dup is not None:
            raise UnsupportedSyntaxError(
                f"this write into '{s.target}' repeats index {dup}: numpy keeps only the last write, so "
                "each position must appear once (remove the repeated index)", s.loc)


# reads of an array's shape, which no write into it changes (P[np.arange(P.shape[0]), y] -= 1)
_SHAPE_READS = frozenset({"@shape", "@size", "@ndim", "len", "np.shape", "np.size", "np.ndim"})


def reads_values(e, target) -> bool:
    """Whether e reads the array `target` other than through its shape."""
    if isinstance(e, ir.Call) and e.op in _SHAPE_READS and e.args and e.args[0] == ir.Name(target):
        return any(reads_values(a, target) for a in e.args[1:]) or \
            any(reads_values(v, target) for _, v in e.kwargs)
    if isinstance(e, ir.Call):
        return any(reads_values(a, target) for a in e.args) or any(reads_values(v, target) for _, v in e.kwargs)
    if isinstance(e, (Tuple, ListExpr)):
        return any(reads_values(x, target) for x in e.elts)
    return target in ir.expr_names(e)


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
