"""Statements people leave in a differentiated function: kept for their effect, never differentiated.

- `assert cond, msg` and `raise Error(msg)` run in the forward sweep exactly where the user wrote
  them (the generated code prints them back as `assert` / `raise` statements);
- `print(...)` and `warnings.warn(msg[, Category])` run in the forward sweep only (the adjoint
  never repeats them);
- `del x` and `pass` change nothing the derivative depends on: dropped;
- `global X` then assignments to X (a counter of calls, as scipy.optimize code keeps): X is a local
  read from the module at the start of each run (`global_read`: no floating input, so constant in
  them) and written back after each assignment (`global_write`, in the forward sweep only), as the
  user's function would (`written_through`).

Messages may be strings, f-strings (without format specs) and values; they are lowered as
expressions of their own, outside ANF, and have no adjoint.  Guarantee: these statements become
`ExprStmt(Call("assert" | "raise" | "print", ...))`, which every pass passes through unchanged
(no writes, no derivative); anything else in them is refused at the user's line.
"""
from __future__ import annotations

import builtins
import os
import warnings

import libcst as cst
import numpy as np

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, ExprStmt, Name
from ..passes.dataflow import UNBOUND
from .. import runtime
from ..runtime import global_key

OUTPUT_OPS = frozenset({"print", "warn_at", "global_write"})  # (what the user sees: run once, never recomputed)


def _deletes_an_element(target) -> bool:
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_deletes_an_element(el.value) for el in target.elements)
    return not isinstance(target, cst.Name)


def lower_effect(lowerer, s, loc):
    """IR statements for an effect statement, or None when s is not one."""
    if isinstance(s, cst.Del) and _deletes_an_element(s.target):  # (it was dropped: d kept the key)
        raise lowerer.error(UnsupportedSyntaxError, "del of an element or attribute (del d['a'], del lst[0]): "
                            "s2sgrad does not change containers; keep the values you need in variables, or "
                            "build the container without it", s)
    if isinstance(s, cst.Global):
        bound = [n.name.value for n in s.names if n.name.value in lowerer.locals]
        if bound and (len(lowerer.stack) > 1 or lowerer.inlined):
            raise lowerer.error(UnsupportedSyntaxError, f"global {bound[0]}, then an assignment to it, in a helper: "
                                "s2sgrad writes module-level names through only from the differentiated function "
                                "itself (count there, or return the new value and bind it where you call the "
                                "helper)", s)
        for n in bound:  # (read at the start of each run, written through: written_through)
            lowerer.written_globals.setdefault(n, loc)
        return []
    if isinstance(s, cst.Del):  # del y: y unbound from here on (passes/unbound.py checks what reads it)
        names = [el.value.value for el in s.target.elements] if isinstance(s.target, (cst.Tuple, cst.List)) \
            else [s.target.value]
        # (the read first: `del y` of an unbound y raises, as Python's does)
        return [x for n in names for x in (ExprStmt(Name(n), loc), Assign((n,), UNBOUND, loc))]
    if isinstance(s, (cst.Global, cst.Pass)):
        return []
    if isinstance(s, cst.Assert):
        args = (lowerer.expr(s.test),) + ((message(lowerer, s.msg),) if s.msg is not None else ())
        return lowerer.flush([ExprStmt(Call("assert", args), loc)])
    if isinstance(s, cst.Raise):
        if s.exc is None:
            raise lowerer.error(UnsupportedSyntaxError, "a bare raise (re-raising) outside an except block", s)
        return lowerer.flush([ExprStmt(Call("raise", (exception(lowerer, s.exc),)), loc)])
    if isinstance(s, cst.Expr) and isinstance(s.value, cst.Call) and isinstance(s.value.func, cst.Name) \
            and s.value.func.value == "print" and lowerer.static_callee(s.value.func) is builtins.print:
        args = tuple(message(lowerer, a.value) for a in s.value.args if a.keyword is None)
        return lowerer.flush([ExprStmt(Call("print", args), loc)])
    if isinstance(s, cst.Expr) and isinstance(s.value, cst.Call) and isinstance(s.value.func, (cst.Name, cst.Attribute)) \
            and lowerer.static_callee(s.value.func) is warnings.warn:
        # (warned from the user's line and module, as warnings.warn called there warns: the filters
        # keyed on them -- filterwarnings('error', module=...) -- apply to the generated code too)
        where = (Const(os.path.basename(loc.file)), Const(loc.line), Const(getattr(lowerer.fn, "__module__", None)))
        return lowerer.flush([ExprStmt(Call("warn_at", (_warning(lowerer, s.value),) + where), loc)])
    if isinstance(s, cst.Expr) and isinstance(s.value, cst.Call) and isinstance(s.value.func, (cst.Name, cst.Attribute)) \
            and lowerer.static_callee(s.value.func) is np.random.seed:
        # np.random.seed(3) in the function: every run of the generated code seeds numpy's global
        # generator as Python's does, so its draws are the user's (a draw, kept: rules/custom.may_draw)
        args, kwargs = lowerer.call_args(s.value)
        if kwargs or len(args) != 1:
            raise lowerer.error(UnsupportedSyntaxError, "np.random.seed with other than one seed", s.value)
        return lowerer.flush([ExprStmt(Call("np.random.seed", (Call("draw_seed", args),)), loc)])
    if isinstance(s, cst.Expr) and isinstance(s.value, cst.Call) and isinstance(s.value.func, cst.Name) \
            and s.value.func.value in _CHECKS and lowerer.static_callee(s.value.func) is _CHECKS[s.value.func.value]:
        # generated code differentiated again (hvp, hessian): its checks and global writes are the
        # effects they were in the function it was generated from
        args, kwargs = lowerer.call_args(s.value)
        return lowerer.flush([ExprStmt(Call(s.value.func.value, args, kwargs), loc)])
    return None


_CHECKS = {"global_write": runtime.global_write, "check_rows": runtime.check_rows,
           "check_number_item": runtime.check_number_item, "check_scalar_operand": runtime.check_scalar_operand}


def _warning(lowerer, call):
    """warnings.warn(msg) or warnings.warn(msg, Category) of a builtin warning class: the message, or
    `Category(msg)` (warn reads a Warning instance as its message and category); other arguments
    (stacklevel=, source=) are refused."""
    args = [a for a in call.args if a.keyword is None and not a.star]
    category = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "category"), None)
    if len(args) + (category is not None) != len(call.args) or not 1 <= len(args) + (category is not None) <= 2:
        raise lowerer.error(UnsupportedSyntaxError, "warnings.warn with other than a message and a category "
                            "(stacklevel= and the rest are not kept)", call)
    category = args[1].value if len(args) == 2 else category
    msg = message(lowerer, args[0].value)
    if category is None:
        return msg
    cls = lowerer.static_callee(category) if isinstance(category, (cst.Name, cst.Attribute)) else None
    if not (isinstance(cls, type) and issubclass(cls, Warning) and getattr(builtins, cls.__name__, None) is cls):
        raise lowerer.error(UnsupportedSyntaxError, "warnings.warn with a category that is not a builtin warning "
                            "class (UserWarning, RuntimeWarning, ...)", category)
    return Call(cls.__name__, (msg,))


def exception(lowerer, e):
    """`ValueError("...")`: a builtin exception class called with messages."""
    func = e.func if isinstance(e, cst.Call) else e
    cls = lowerer.static_callee(func) if isinstance(func, (cst.Name, cst.Attribute)) else None
    from ..errors import ArgumentError  # (s2sgrad's own check, zip's lengths, in generated code read again)
    if not (isinstance(cls, type) and issubclass(cls, BaseException)
            and (getattr(builtins, cls.__name__, None) is cls or cls is ArgumentError)):
        raise lowerer.error(UnsupportedSyntaxError, "raise of anything but a builtin exception "
                            "(ValueError(...), RuntimeError(...), ...)", e)
    args = tuple(message(lowerer, a.value) for a in e.args) if isinstance(e, cst.Call) else ()
    return Call(cls.__name__, args)


def message(lowerer, e, exact=False):
    """A message part: a string, an f-string, or any value s2sgrad can lower.  `exact`: an f-string
    used as a value (a key) -- `{v}` is format(v, ''), which differs from str(v) for np.float32; in
    a message str(v) reads better and says the same."""
    if isinstance(e, cst.FormattedString):
        parts = []
        for p in e.parts:
            if isinstance(p, cst.FormattedStringText):
                parts.append(Const(p.value.replace("{{", "{").replace("}}", "}")))
            else:
                value = lowerer.expr(p.expression)
                if p.conversion is not None:  # {x!r}: repr(x), then the spec applies to that string
                    value = Call({"r": "repr", "s": "str", "a": "ascii"}[p.conversion], (value,))
                spec = p.format_spec or ()
                if not all(isinstance(q, cst.FormattedStringText) for q in spec):
                    raise lowerer.error(UnsupportedSyntaxError, "a format spec computed in the f-string "
                                        "(write the spec out, e.g. {x:.3f})", p)
                text = "".join(q.value for q in spec)
                parts.append(Call("format", (value, Const(text))) if text or exact else Call("str", (value,)))
        out = parts[0] if parts else Const("")
        for p in parts[1:]:
            out = Call("add", (out, p))
        return out
    # the message as s2sgrad prints an f-string back ('got ' + str(n), format(x, '.3f')): generated
    # code read again for a second derivative
    if isinstance(e, cst.BinaryOperation) and isinstance(e.operator, cst.Add):
        return Call("add", (message(lowerer, e.left), message(lowerer, e.right)))
    if isinstance(e, cst.Call) and isinstance(e.func, cst.Name) and all(a.keyword is None and not a.star for a in e.args):
        fn = lowerer.static_callee(e.func)
        if fn in (str, repr, format, ascii):
            return Call(fn.__name__, tuple(message(lowerer, a.value) for a in e.args))
    return lowerer.expr(e)


def written_through(lowerer, body, loc):
    """The function's body with each name declared `global` and assigned read from its module first
    and written back after every statement that binds it (a binding by a loop is refused)."""
    names = sorted(lowerer.written_globals)
    if not names:
        return body
    _refuse_reads(lowerer.guards.values(), lowerer.fn.__globals__, lowerer.written_globals)
    module = Const(global_key(lowerer.fn.__globals__, getattr(lowerer.fn, "__module__", None)))

    def through(block):
        out = []
        for s in block:
            looped = set(ir.target_names(s.target)) & set(names) if isinstance(s, ir.For) else ()
            if looped:
                raise UnsupportedSyntaxError(f"a loop binding the global {sorted(looped)[0]}: count in a local, and "
                                             "assign the global after the loop", s.loc)
            out.append(ir.map_blocks(s, through))
            if not isinstance(s, (ir.For, ir.While, ir.If)):
                out += [ExprStmt(Call("global_write", (module, Const(n), Name(n))), s.loc)
                        for n in names if n in ir.stmt_writes(s)]
        return out
    first = [Assign((n,), Call("global_read", (module, Const(n))), lowerer.written_globals[n] or loc) for n in names]
    return first + through(body)


def _refuse_reads(guards, namespace, written):
    """Refuse where a helper read a global the function assigns (written: name -> where): the
    helper's read was compiled in as the value it had when compiling (a guard records it)."""
    for g in list(guards):
        if len(g) >= 2 and g[0] is namespace and g[1] in written:
            raise UnsupportedSyntaxError(
                f"the global {g[1]} is assigned in this function and read by a helper (or a method) it calls, "
                "which s2sgrad compiles with the value it has when compiling: pass it to the helper as an "
                "argument", written[g[1]])


def refuse_helper_reads(parsed):
    """_refuse_reads once every method is inlined (objects' methods are, per signature, after the
    frontend: passes/objects.py adds their guards to the parsed function's)."""
    written = {}
    for st in parsed.ir.body:
        if isinstance(st, Assign) and isinstance(st.value, Call) and st.value.op == "global_read":
            written[st.value.args[1].value] = st.loc
    if written and parsed.py_function is not None:
        _refuse_reads(parsed.guards, parsed.py_function.__globals__, written)
