"""The IR printed as Python: `expr_src`, `stmt_lines`, `to_source`.  Deterministic (the same IR gives
the same bytes), with the fewest parentheses Python's precedence allows."""
from __future__ import annotations

import enum

from .nodes import (Assign, Attr, Blank, Break, Call, Comment, Const, Continue, DictExpr, ExprStmt, For,
                    Function, If, ListExpr, Name, Return, SetItem, Slice, Tuple, While)
from .walk import target_names
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
    if isinstance(v, enum.Enum):  # (frontend/dispatch.py: Enum members are compared when compiling only)
        from ..errors import UnsupportedSyntaxError
        raise UnsupportedSyntaxError(f"the Enum member {v} used as a value when the code runs: s2sgrad reads Enum "
                                     "members when compiling only (as a key of a table of functions, or compared "
                                     "with ==); pass what it stands for (its .value) instead")
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
    if isinstance(e, Slice):  # (a slice as a value, idx = [slice(None)] * n: inside [] it is a:b)
        lower, upper, step = ("None" if a is None else expr_src(a, 1) for a in (e.lower, e.upper, e.step))
        # (slice(a) is slice(None, a): one part is the stop, so a start is never printed alone)
        parts = [lower, upper, step] if step != "None" else [upper] if lower == "None" else [lower, upper]
        return f"slice({', '.join(parts)})", ATOM
    if isinstance(e, Call):
        return _call(e)
    raise TypeError(f"not an expression: {e!r}")


def _args_src(args, kwargs) -> str:
    parts = [expr_src(a, 1) for a in args]
    parts += [f"{k}={expr_src(v, 1)}" for k, v in kwargs]
    return ", ".join(parts)


def _index_src(idx) -> str:
    if isinstance(idx, Tuple) and idx.elts:
        return ", ".join(_index_part(x) for x in idx.elts)
    return _index_part(idx)


def _index_part(e) -> str:
    """One part of an index: a slice written a:b:c, as inside [] only."""
    if not isinstance(e, Slice):
        return expr_src(e, 1)
    parts = ["" if a is None else expr_src(a, 1) for a in (e.lower, e.upper, e.step)]
    return f"{parts[0]}:{parts[1]}" + (f":{parts[2]}" if e.step is not None else "")


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
    if op in ("smooth_square", "smooth_abs_square"):  # (a norm's square as written: passes/smooth_squares.py)
        kw = dict(e.kwargs)
        form = kw.get("form", Const("pow")).value
        n = e.args[0]
        if form == "mul":
            return _call(Call("mul", (n, kw["by"])))
        if form == "pow":
            return _call(Call("pow", (n, Const(2))))
        return _call(Call(form, (n,) + ((Const(2),) if form == "np.power" else ())))
    if op == "getitem":
        return f"{expr_src(e.args[0], ATOM)}[{_index_src(e.args[1])}]", ATOM
    if op == "ifexp":
        c, a, b = e.args
        return f"{expr_src(a, 2)} if {expr_src(c, 2)} else {expr_src(b, 1)}", 1
    if op == "list_sum":  # builtin sum of a list of arrays (lists.py); math.fsum's, marked exact
        if e.kwargs == (("exact", Const(True)),):
            return f"math.fsum({_args_src(e.args, ())})", ATOM
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
        if s.attr:  # (obj.t = v: only before the container pass)
            return [f"{pad}{s.target}.{s.index.value} {op} {expr_src(value)}"]
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

