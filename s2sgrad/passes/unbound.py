"""Names read where no binding of them may have run: checked as Python checks them.

Python raises UnboundLocalError when a local name is read before any assignment to it has run (a
name bound only inside a loop that ran no times, in one branch only, after `del`); the generated
code must too, or it computes with whatever the name last held: a value the records bound it to
(None), or a helper's local left from its previous inlined call.  `check_unbound` binds each name
that some read may find unbound to the sentinel `UNBOUND` (s2sgrad.runtime) where the function
starts, and checks it before each such read:

    y = UNBOUND
    for k in range(n):
        y = w * k
    if y is UNBOUND:
        raise UnboundLocalError("local variable 'y' is read at f.py:8 where no assignment to it has run")

Guarantee: after `check_unbound`, every read of a name the function binds that passes/dataflow's
`maybe_unbound` says may find it unbound is preceded by its check, in the code both modes
differentiate; a check is an effect, so no later pass drops it (or what binds the name).  The
checks are inert where the name is bound: a name bound to UNBOUND is never read but by a check.
"""
from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..ir import Assign, Call, Const, ExprStmt, If, Name, While
from .dataflow import UNBOUND, checked, maybe_unbound, unbinds


def check_unbound(fn, results=()):
    """fn with its possibly unbound reads checked (fn itself where there are none).  `results`: the
    names the function returns (normalization's single exit reads them after the body)."""
    local = set(ir.all_writes(fn.body)) - set(fn.params) - {"UNBOUND"}
    end = ExprStmt(ir.Tuple(tuple(Name(r) for r in results if r is not None)), fn.loc)
    late = {k: [n for n in v if n in local] for k, v in maybe_unbound(fn.body + (end,), set(fn.params)).items()}
    late = {k: v for k, v in late.items() if v}
    if not late and not any(_bare_read(s) for s in ir.walk(fn.body)):
        return fn
    names = list(dict.fromkeys(n for v in late.values() for n in v))
    started = {unbinds(s) for s in fn.body[:len(names)]}  # (code s2sgrad generated, read again: a Hessian's)
    head = [Assign((n,), UNBOUND, None) for n in names if n not in started]
    tail = [check(n, _return_loc(fn)) for n in late.get(id(end), ())]  # (the value returned)
    taken = set(ir.all_writes(fn.body)) | set(ir.all_reads(fn.body)) | set(fn.params)
    return replace(fn, body=tuple(head + _block(fn.body, late, taken) + tail))


def _return_loc(fn):
    """Where the user's function returns: its last statement's place (its `return`), or its own."""
    last = fn.body[-1] if fn.body else None
    return getattr(last, "loc", None) or fn.loc


def _bare_read(s) -> bool:
    """`y` alone on a line (what `del y` reads first): nothing but its check to keep."""
    return isinstance(s, ExprStmt) and isinstance(s.value, Name)


def _block(body, late, taken):
    out = []
    for s in body:
        names = late.get(id(s), ())
        eager = _eager_reads(s) if names else set()
        lazy = [n for n in names if n not in eager]  # (read only where `and`/`or` may skip)
        out += [check(n, s.loc) for n in names if n not in lazy]
        if _bare_read(s):
            continue
        if checked(s) is not None:
            out.append(s)
            continue
        s = ir.map_blocks(s, lambda b: _block(b, late, taken))
        if isinstance(s, While):  # its test is read again after each pass: unbound by the body since?
            again = [n for n in ir.stmt_reads(s) if n in {unbinds(x) for x in ir.walk(s.body)}]
            s = While(s.test, s.body + tuple(check(n, s.loc) for n in again), s.loc)
        if lazy:
            out += _lazily_checked(s, lazy, taken)
        else:
            out.append(s)
    return out


_LAZY = ("bool_and", "bool_or")


def _eager_reads(s) -> set:
    """The names s reads that every run of it reads (not only in the right operand of `and`/`or`)."""
    return set(ir.stmt_reads(ir.with_exprs(s, _first_operands)))


def _first_operands(e):
    """e with each `a and b` / `a or b` cut to a (what is read whatever a's value)."""
    if isinstance(e, Call) and e.op in _LAZY:
        return _first_operands(e.args[0])
    if isinstance(e, Call):
        return Call(e.op, tuple(map(_first_operands, e.args)), tuple((k, _first_operands(v)) for k, v in e.kwargs))
    if isinstance(e, (ir.Tuple, ir.ListExpr)):
        return type(e)(tuple(map(_first_operands, e.elts)))
    if isinstance(e, ir.Attr):
        return ir.Attr(_first_operands(e.value), e.attr)
    return e


def _lazily_checked(s, lazy, taken):
    """s with each name of `lazy` checked only where Python reads it: `x = a and b` as `x = a`, then
    `if x:` check b's names, `x = b` (an `if` on such a test: the test computed so first)."""
    if isinstance(s, Assign) and len(s.targets) == 1:
        return _operands(s.target, s.value, lazy, s.loc)
    if isinstance(s, If):
        k, name = 1, f"test_{s.loc.line if s.loc else 0}"
        while name in taken:
            k += 1
            name = f"test_{s.loc.line if s.loc else 0}_{k}"
        taken.add(name)
        return _operands(name, s.test, lazy, s.loc) + [If(Name(name), s.body, s.orelse, s.loc)]
    from ..errors import UnsupportedSyntaxError
    raise UnsupportedSyntaxError(f"'{lazy[0]}' may be unbound where this reads it, on the right of `and`/`or`, "
                                 f"which s2sgrad checks only in an assignment or an `if`: bind {lazy[0]} before "
                                 "this statement (or test it in an `if` of its own)", s.loc)


def _operands(target, e, lazy, loc):
    if isinstance(e, Call) and e.op in _LAZY:
        first = _operands(target, e.args[0], lazy, loc)
        rest = _operands(target, e.args[1], lazy, loc)
        test = Name(target) if e.op == "bool_and" else Call("not_", (Name(target),))
        return first + [If(test, tuple(rest), (), loc)]
    reads = set(ir.expr_names(e))
    return [check(n, loc) for n in lazy if n in reads] + [Assign((target,), e, loc)]


def check(name, loc):
    """`if name is UNBOUND: raise UnboundLocalError(...)`, saying where the read is."""
    # (no place for code s2sgrad generated and differentiates again: a Hessian's tangent code)
    where = f" at {loc.file.rsplit('/', 1)[-1]}:{loc.line}" if loc is not None and not loc.file.startswith("<") else ""
    message = f"local variable '{name}' is read{where} where no assignment to it has run"
    error = Call("UnboundLocalError", (Const(message),))
    return If(Call("is_", (Name(name), UNBOUND)), (ExprStmt(Call("raise", (error,)), loc),), (), loc)
