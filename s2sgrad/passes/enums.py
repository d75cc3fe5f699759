"""Enum members in the IR (frontend/dispatch.py: keys of tables of functions, compared with ==).
The generated code cannot spell an Enum member, so the container pass compares them when
compiling; these say where they are."""
from __future__ import annotations

import enum

from .. import ir
from ..ir import Call, Const, Tuple


def enum_members(e) -> list:
    """The Enum members an expression holds as constants."""
    if isinstance(e, Const):
        return [e.value] if isinstance(e.value, enum.Enum) else []
    if isinstance(e, (Call, Tuple)):
        parts = list(e.args) + [v for _, v in e.kwargs] if isinstance(e, Call) else list(e.elts)
        return [m for p in parts for m in enum_members(p)]
    return []


def holds_enum_members(fn) -> bool:
    """Whether fn holds an Enum member anywhere (`mode = Act.TANH`)."""
    return any(enum_members(e) for st in ir.walk(fn.body) for e in ir.exprs_of(st))
