"""The s2sgrad IR: small immutable dataclasses for expressions and statements, and a printer.

The IR is deliberately Python-shaped so that every stage of the pipeline can be printed as runnable
Python (`to_source`).  libcst never appears here: whitespace and comments stay at the frontend.

Expressions
    Name, Const, Call(op, args, kwargs), Attr, Tuple, Slice, ListExpr, DictExpr
    A Call's `op` is both the key into the rule table and the way it prints: infix operators use the
    names in `INFIX` ("add", "mul", ...), "getitem" prints as a subscript, an op starting with "."
    prints as a method call on the first argument, anything else prints as a function call
    ("np.exp", "unbroadcast").
Statements
    Assign, SetItem, ExprStmt, If, For, While, Return, Break, Continue, Comment
Every statement carries a `loc` (Loc or None) naming the user's source line it came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
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


# ------------------------------------------------------------------------------------- traversal
def expr_names(e, out=None) -> list:
    """Names read by an expression, in order of appearance (duplicates kept)."""
    if out is None:
        out = []
    if isinstance(e, Name):
        out.append(e.id)
    elif isinstance(e, Call):
        for a in e.args:
            expr_names(a, out)
        for _, v in e.kwargs:
            expr_names(v, out)
    elif isinstance(e, Attr):
        expr_names(e.value, out)
    elif isinstance(e, (Tuple, ListExpr)):
        for a in e.elts:
            expr_names(a, out)
    elif isinstance(e, DictExpr):
        for a in e.values:
            expr_names(a, out)
    elif isinstance(e, Slice):
        for a in (e.lower, e.upper, e.step):
            if a is not None:
                expr_names(a, out)
    return out


def substitute(e, mapping: dict):
    """Replace Names by expressions (mapping: name -> Expr)."""
    if isinstance(e, Name):
        return mapping.get(e.id, e)
    if isinstance(e, Call):
        return Call(e.op, tuple(substitute(a, mapping) for a in e.args),
                    tuple((k, substitute(v, mapping)) for k, v in e.kwargs))
    if isinstance(e, Attr):
        return Attr(substitute(e.value, mapping), e.attr)
    if isinstance(e, Tuple):
        return Tuple(tuple(substitute(a, mapping) for a in e.elts))
    if isinstance(e, ListExpr):
        return ListExpr(tuple(substitute(a, mapping) for a in e.elts))
    if isinstance(e, DictExpr):
        return DictExpr(e.keys, tuple(substitute(a, mapping) for a in e.values))
    if isinstance(e, Slice):
        return Slice(*(None if a is None else substitute(a, mapping) for a in (e.lower, e.upper, e.step)))
    return e


def target_names(t) -> list:
    if isinstance(t, Name):
        return [t.id]
    if isinstance(t, Tuple):
        out = []
        for x in t.elts:
            out.extend(target_names(x))
        return out
    raise TypeError(t)


def stmt_reads(s) -> list:
    """Names a statement reads directly (not inside nested blocks)."""
    if isinstance(s, Assign):
        return expr_names(s.value)
    if isinstance(s, SetItem):
        return [s.target] + expr_names(s.index) + expr_names(s.value)
    if isinstance(s, ExprStmt):
        return expr_names(s.value)
    if isinstance(s, (If, While)):
        return expr_names(s.test)
    if isinstance(s, For):
        return expr_names(s.iter)
    if isinstance(s, Return):
        return [] if s.value is None else expr_names(s.value)
    return []


def stmt_writes(s) -> list:
    """Names a statement binds directly (not inside nested blocks)."""
    if isinstance(s, Assign):
        return list(s.targets)
    if isinstance(s, SetItem):
        return [s.target]
    if isinstance(s, For):
        return target_names(s.target)
    return []


_EXPR_FIELDS = ("value", "iter", "test", "index")


def exprs_of(s) -> list:
    """The expressions a statement holds directly (not those of nested blocks)."""
    return [e for e in (getattr(s, f, None) for f in _EXPR_FIELDS) if isinstance(e, Expr)]


def with_exprs(s, f):
    """s with f (expression -> expression) applied to the expressions it holds directly."""
    fields = {n: f(getattr(s, n)) for n in _EXPR_FIELDS if isinstance(getattr(s, n, None), Expr)}
    return replace(s, **fields) if fields else s


def map_exprs(s, f):
    """s with f applied to every expression it holds, nested blocks' statements included."""
    return map_blocks(with_exprs(s, f), lambda b: [map_exprs(x, f) for x in b])


def map_blocks(s, f):
    """s rebuilt with f (block -> list of statements) applied to each block nested directly in it."""
    if isinstance(s, If):
        return If(s.test, tuple(f(s.body)), tuple(f(s.orelse)), s.loc)
    if isinstance(s, For):
        return For(s.target, s.iter, tuple(f(s.body)), s.loc)
    if isinstance(s, While):
        return While(s.test, tuple(f(s.body)), s.loc)
    return s


def walk(body):
    """All statements of a block, nested ones included, in source order."""
    for s in body:
        yield s
        if isinstance(s, If):
            yield from walk(s.body)
            yield from walk(s.orelse)
        elif isinstance(s, (For, While)):
            yield from walk(s.body)


def all_reads(body) -> list:
    out = []
    for s in walk(body):
        out.extend(stmt_reads(s))
    return out


def expr_calls(e):
    """The calls in an expression, outermost first."""
    if isinstance(e, Call):
        yield e
        for a in e.args:
            yield from expr_calls(a)
        for _, v in e.kwargs:
            yield from expr_calls(v)
    elif isinstance(e, (Tuple, ListExpr)):
        for a in e.elts:
            yield from expr_calls(a)
    elif isinstance(e, Attr):
        yield from expr_calls(e.value)


def stmt_calls(s):
    """The calls in a statement's own expressions (not inside nested blocks), outermost first."""
    for attr in ("value", "test", "iter", "index"):
        e = getattr(s, attr, None)
        if isinstance(e, Expr):
            yield from expr_calls(e)


def all_writes(body) -> list:
    out = []
    for s in walk(body):
        out.extend(stmt_writes(s))
    return out


# --------------------------------------------------------------------------------------- printer
# precedence: higher binds tighter (Python's table)
INFIX = {
    "add": ("+", 11), "sub": ("-", 11), "mul": ("*", 12), "truediv": ("/", 12),
    "floordiv": ("//", 12), "mod": ("%", 12), "matmul": ("@", 12), "pow": ("**", 14),
    "lt": ("<", 6), "le": ("<=", 6), "gt": (">", 6), "ge": (">=", 6), "eq": ("==", 6), "ne": ("!=", 6),
    "and_": ("&", 9), "or_": ("|", 7), "bool_and": ("and", 4), "bool_or": ("or", 3),
    "is_": ("is", 6), "is_not": ("is not", 6), "in_": ("in", 6), "not_in": ("not in", 6),
}
PREFIX = {"neg": ("-", 13), "pos": ("+", 13), "invert": ("~", 13), "not_": ("not ", 5)}
ATOM = 100


def _const_src(v) -> str:
    if v is Ellipsis:
        return "..."
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return f"float({str(v)!r})"
        return repr(v)
    if isinstance(v, tuple):
        inner = ", ".join(_const_src(x) for x in v)
        return f"({inner},)" if len(v) == 1 else f"({inner})"
    return repr(v)


def expr_src(e, parent_prec: int = 0) -> str:
    text, prec = _expr(e)
    return f"({text})" if prec < parent_prec else text


def _expr(e):
    if isinstance(e, Name):
        return e.id, ATOM
    if isinstance(e, Const):
        v = e.value
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v < 0:
            return _const_src(v), PREFIX["neg"][1]
        return _const_src(v), ATOM
    if isinstance(e, Attr):
        return f"{expr_src(e.value, ATOM)}.{e.attr}", ATOM
    if isinstance(e, Tuple):
        inner = ", ".join(expr_src(x, 1) for x in e.elts)
        return (f"({inner},)" if len(e.elts) == 1 else f"({inner})"), ATOM
    if isinstance(e, ListExpr):
        return "[" + ", ".join(expr_src(x, 1) for x in e.elts) + "]", ATOM
    if isinstance(e, DictExpr):
        return "{" + ", ".join(f"{expr_src(k, 1)}: {expr_src(v, 1)}" for k, v in zip(e.keys, e.values)) + "}", ATOM
    if isinstance(e, Slice):
        parts = ["" if a is None else expr_src(a, 1) for a in (e.lower, e.upper, e.step)]
        s = f"{parts[0]}:{parts[1]}"
        if e.step is not None:
            s += f":{parts[2]}"
        return s, ATOM
    if isinstance(e, Call):
        return _call(e)
    raise TypeError(f"not an expression: {e!r}")


def _args_src(args, kwargs) -> str:
    parts = [expr_src(a, 1) for a in args]
    parts += [f"{k}={expr_src(v, 1)}" for k, v in kwargs]
    return ", ".join(parts)


def _index_src(idx) -> str:
    if isinstance(idx, Tuple) and idx.elts:
        return ", ".join(expr_src(x, 1) for x in idx.elts)
    return expr_src(idx, 1)


def _call(e: Call):
    op = e.op
    if op in INFIX:
        sym, prec = INFIX[op]
        a, b = e.args
        if op == "pow":  # right-associative
            return f"{expr_src(a, prec + 1)} {sym} {expr_src(b, prec)}", prec
        if prec == 6:  # comparisons do not chain the way arithmetic does
            return f"{expr_src(a, prec + 1)} {sym} {expr_src(b, prec + 1)}", prec
        return f"{expr_src(a, prec)} {sym} {expr_src(b, prec + 1)}", prec
    if op in PREFIX:
        sym, prec = PREFIX[op]
        return f"{sym}{expr_src(e.args[0], prec)}", prec
    if op == "getitem":
        return f"{expr_src(e.args[0], ATOM)}[{_index_src(e.args[1])}]", ATOM
    if op == "ifexp":
        c, a, b = e.args
        return f"{expr_src(a, 2)} if {expr_src(c, 2)} else {expr_src(b, 1)}", 1
    if op == "list_sum":  # builtin sum of a list of arrays (lists.py)
        return f"sum({_args_src(e.args, e.kwargs)})", ATOM
    if op.startswith("@"):
        return f"{expr_src(e.args[0], ATOM)}.{op[1:]}", ATOM
    if op.startswith("."):
        return f"{expr_src(e.args[0], ATOM)}{op}({_args_src(e.args[1:], e.kwargs)})", ATOM
    return f"{op}({_args_src(e.args, e.kwargs)})", ATOM


def stmt_lines(s, indent: int = 0) -> list:
    pad = "    " * indent
    if isinstance(s, Assign):
        tgt = ", ".join(s.targets)
        v = s.value
        if isinstance(v, Call) and v.op == "iadd" and isinstance(v.args[0], Name) and v.args[0].id == tgt:
            inc = v.args[1]
            if isinstance(inc, Call) and inc.op == "neg":
                return [f"{pad}{tgt} -= {expr_src(inc.args[0])}"]
            return [f"{pad}{tgt} += {expr_src(inc)}"]
        if isinstance(v, Call) and v.op == "list_append" and len(s.targets) == 1 and v.args[0] == Name(tgt):
            return [f"{pad}{tgt}.append({expr_src(v.args[1], 1)})"]
        if isinstance(v, Call) and v.op == "list_pop" and len(s.targets) == 1 and v.args[0] == Name(tgt):
            return [f"{pad}{tgt}.pop({'' if v.args[1] == Const(-1) else expr_src(v.args[1])})"]
        return [f"{pad}{tgt} = {expr_src(v)}"]
    if isinstance(s, SetItem):
        op = "+=" if s.aug == "add" else "="
        value = s.value
        if s.aug == "add" and isinstance(value, Call) and value.op == "neg":
            op, value = "-=", value.args[0]
        return [f"{pad}{s.target}[{_index_src(s.index)}] {op} {expr_src(value)}"]
    if isinstance(s, ExprStmt):
        v = s.value
        if isinstance(v, Call) and v.op == "assert":
            return [f"{pad}assert " + ", ".join(expr_src(a, 1) for a in v.args)]
        if isinstance(v, Call) and v.op == "raise":
            return [f"{pad}raise {expr_src(v.args[0])}"]
        return [f"{pad}{expr_src(v)}"]
    if isinstance(s, Blank):
        return [""]
    if isinstance(s, Comment):
        return [f"{pad}# {line}" if line else f"{pad}#" for line in s.text.split("\n")]
    if isinstance(s, Return):
        if s.value is None:
            return [f"{pad}return"]
        if isinstance(s.value, Tuple) and len(s.value.elts) > 1:
            return [f"{pad}return {', '.join(expr_src(x, 1) for x in s.value.elts)}"]
        return [f"{pad}return {expr_src(s.value)}"]
    if isinstance(s, Break):
        return [f"{pad}break"]
    if isinstance(s, Continue):
        return [f"{pad}continue"]
    if isinstance(s, If):
        if _empty(s.body) and not _empty(s.orelse):  # `if c: pass else: B` reads better as `if not c: B`
            return [f"{pad}if not {expr_src(s.test, PREFIX['not_'][1])}:"] + block_lines(s.orelse, indent + 1)
        lines = [f"{pad}if {expr_src(s.test)}:"] + block_lines(s.body, indent + 1)
        orelse = s.orelse
        while len(orelse) == 1 and isinstance(orelse[0], If) and orelse[0].orelse:
            inner = orelse[0]
            lines += [f"{pad}elif {expr_src(inner.test)}:"] + block_lines(inner.body, indent + 1)
            orelse = inner.orelse
        if orelse:
            lines += [f"{pad}else:"] + block_lines(orelse, indent + 1)
        return lines
    if isinstance(s, For):
        tgt = ", ".join(target_names(s.target)) if isinstance(s.target, Tuple) else s.target.id
        return [f"{pad}for {tgt} in {expr_src(s.iter)}:"] + block_lines(s.body, indent + 1)
    if isinstance(s, While):
        return [f"{pad}while {expr_src(s.test)}:"] + block_lines(s.body, indent + 1)
    raise TypeError(f"not a statement: {s!r}")


def _empty(body) -> bool:
    return all(isinstance(s, (Comment, Blank)) for s in body)


def block_lines(body, indent: int) -> list:
    lines = []
    for s in body:
        lines.extend(stmt_lines(s, indent))
    if not any(not isinstance(s, (Comment, Blank)) for s in body):
        lines.append("    " * indent + "pass")
    return lines


def to_source(fn: Function) -> str:
    """Print a Function as Python source (deterministic: same IR, same bytes)."""
    params = list(fn.params) + [f"{k}={expr_src(v)}" for k, v in fn.defaults]
    lines = [f"# {h}" for h in fn.header]
    lines.append(f"def {fn.name}({', '.join(params)}):")
    lines += block_lines(fn.body, 1)
    return "\n".join(lines) + "\n"


__all__ = [n for n in dir() if not n.startswith("_")] + ["replace", "field"]
