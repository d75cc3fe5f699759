"""The IR's node types: frozen dataclasses for expressions and statements (see the package docstring).

Nodes are immutable and compared by value, so passes rebuild them with `dataclasses.replace` and a
rebuilt tree that did not change compares equal to the old one."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

@dataclass(frozen=True)
class Loc:
    """Where a construct came from in the user's file (1-based line, 0-based column)."""
    file: str
    line: int
    col: int
    text: str  # the source line, stripped of indentation


# ----------------------------------------------------------------------------------------- exprs
class Expr:
    __slots__ = ()


@dataclass(frozen=True)
class Name(Expr):
    id: str


@dataclass(frozen=True)
class Const(Expr):
    value: Any


@dataclass(frozen=True)
class Call(Expr):
    op: str
    args: tuple = ()
    kwargs: tuple = ()  # tuple of (name, Expr)

    def kw(self, name, default=None):
        for k, v in self.kwargs:
            if k == name:
                return v
        return default


@dataclass(frozen=True)
class Attr(Expr):
    value: Expr
    attr: str


@dataclass(frozen=True)
class Tuple(Expr):
    elts: tuple


@dataclass(frozen=True)
class ListExpr(Expr):
    elts: tuple


@dataclass(frozen=True)
class DictExpr(Expr):
    """`{key: value, ...}` with constant keys (a gradient container rebuilt for the user)."""
    keys: tuple    # of Const
    values: tuple  # of Expr


@dataclass(frozen=True)
class Slice(Expr):
    lower: Optional[Expr]
    upper: Optional[Expr]
    step: Optional[Expr]


# ------------------------------------------------------------------------------------------ stmts
class Stmt:
    __slots__ = ()


@dataclass(frozen=True)
class Assign(Stmt):
    targets: tuple  # of str; more than one means tuple unpacking
    value: Expr
    loc: Optional[Loc] = None
    aug: bool = False  # written by the user as `x op= v` (numpy updates an array x in place)

    @property
    def target(self) -> str:
        return self.targets[0]


@dataclass(frozen=True)
class SetItem(Stmt):
    """`target[index] = value`, or `target[index] += value` when `aug` is "add"."""
    target: str
    index: Expr
    value: Expr
    loc: Optional[Loc] = None
    aug: Optional[str] = None
    # written by the user as `target[index] op= value`: numpy updates the element in place (an
    # array a container holds, which other names may share: passes/container_writes.py)
    inplace: bool = False
    # `target.index = value` (index a Const naming the attribute) of an object the function made:
    # only the container pass reads it (passes/container_writes.py), and nothing after it sees one
    attr: bool = False


@dataclass(frozen=True)
class ExprStmt(Stmt):
    value: Expr
    loc: Optional[Loc] = None


@dataclass(frozen=True)
class If(Stmt):
    test: Expr
    body: tuple
    orelse: tuple = ()
    loc: Optional[Loc] = None


@dataclass(frozen=True)
class For(Stmt):
    target: Expr  # Name or Tuple of Names
    iter: Expr
    body: tuple
    loc: Optional[Loc] = None


@dataclass(frozen=True)
class While(Stmt):
    test: Expr
    body: tuple
    loc: Optional[Loc] = None


@dataclass(frozen=True)
class Return(Stmt):
    value: Optional[Expr]
    loc: Optional[Loc] = None


@dataclass(frozen=True)
class Break(Stmt):
    loc: Optional[Loc] = None


@dataclass(frozen=True)
class Continue(Stmt):
    loc: Optional[Loc] = None


@dataclass(frozen=True)
class Comment(Stmt):
    text: str
    loc: Optional[Loc] = None


@dataclass(frozen=True)
class Blank(Stmt):
    """An empty line in printed output (separates the forward and reverse sweeps)."""
    loc: Optional[Loc] = None


@dataclass(frozen=True)
class Function:
    name: str
    params: tuple  # of str
    body: tuple
    defaults: tuple = ()  # of (name, Expr) printed as keyword defaults
    header: tuple = ()  # comment lines printed above the def
    loc: Optional[Loc] = None


__all__ = ["Loc", "Expr", "Name", "Const", "Call", "Attr", "Tuple", "ListExpr", "DictExpr", "Slice", "Stmt",
           "Assign", "SetItem", "ExprStmt", "If", "For", "While", "Return", "Break", "Continue", "Comment",
           "Blank", "Function"]
