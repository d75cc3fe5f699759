"""A `try` around one call with a fallback, as numerical code writes it:

    try:
        du = np.linalg.solve(J, -r)
    except np.linalg.LinAlgError:
        du = 0.1 * r

is the branch it is: `ok = succeeds(np.linalg.solve, J, t, catching=(np.linalg.LinAlgError,))`,
then `if ok:` the body (and an `else:` clause's statements), otherwise the handler.  The probe
calls the function once more when it runs (a solve costs twice), so the branch the program takes is
known before any of its statements run, and both sides are differentiated like an if's.

Guarantee: only a body that is one assignment of one call of a function of numpy, scipy or math,
called as written by the probe (math.log raises where its row np.log gives nan), then at most
`break`, `continue`, `pass` or a name bound to a literal (`ok = True`) (the jitter retry: `for j in JITTERS: try: L = cholesky(K + j * I);
break / except LinAlgError: continue`), whose arguments cannot raise (names, constants,
attributes, -name: an exception there would escape the probe) -- or, where only LinAlgError is
caught, cannot raise that (arithmetic, numpy outside np.linalg, builtins: computed once, before
the probe, which changes nothing the except clause sees) --
with one `except` clause of exception classes (a bare `except` or `except Exception` catches what
`Exception` does), without `as name` or `finally`; anything else is refused at its line, saying
what to write.  The call must be deterministic (it runs twice): a random draw, and a function of
the user's own (which may draw), are refused.
"""
from __future__ import annotations

import builtins

import libcst as cst
import numpy as np

from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, If, Name, Tuple
from ..rules.resolve import op_for_callable


def lower_try(lowerer, s: cst.Try) -> list:
    loc = lowerer.loc(s)
    if s.finalbody is not None:
        raise lowerer.error(UnsupportedSyntaxError, "try ... finally (put the cleanup after the try, or the try "
                            "around the call to f.grad)", s.finalbody)
    if len(s.handlers) != 1:
        raise lowerer.error(UnsupportedSyntaxError, "a try with more than one except clause (catch a tuple of "
                            "exceptions in one: except (ValueError, np.linalg.LinAlgError):)", s)
    handler = s.handlers[0]
    if handler.name is not None:
        raise lowerer.error(UnsupportedSyntaxError, "except ... as name (the exception object is not a value "
                            "s2sgrad follows: drop 'as name')", handler)
    catching = _exceptions(lowerer, handler.type)
    target, call, jumps = _one_call(lowerer, s)
    fn, obj = _library_function(lowerer, call)
    # (a bare except catches everything: not LinAlgError only)
    linalg_only = handler.type is not None and all(lowerer.static_callee(e) is np.linalg.LinAlgError
                                                   for e in _caught(handler.type))
    for a in call.args:
        if a.star or not (_plain(a.value) or linalg_only and not _may_raise_linalg(lowerer, a.value)):
            raise lowerer.error(UnsupportedSyntaxError, "a try around a call whose argument is computed there "
                                "(an exception in it would escape the branch s2sgrad decides): compute the "
                                "arguments before the try", a.value)
    if jumps and s.orelse is not None:
        raise lowerer.error(UnsupportedSyntaxError, "a try whose body ends with break or continue and that has an "
                            "else clause (which never runs then): drop the else clause", s.orelse)
    ok = lowerer.fresh("ok")
    # (an argument computed in the try is computed once, before the probe: where only LinAlgError is
    # caught and the argument calls nothing of np.linalg, scipy.linalg or the user's, nothing it can
    # raise is caught, so computing it first changes nothing)
    args = tuple(_once(lowerer, a.value, loc) for a in call.args if a.keyword is None)
    kwargs = tuple((a.keyword.value, _once(lowerer, a.value, loc)) for a in call.args if a.keyword is not None)
    # (the probe calls the function as written -- math.log raises where np.log, its row, gives nan)
    probe = Call("succeeds", (fn,) + args, kwargs + (("catching", catching),))
    out = lowerer.flush([Assign((ok,), probe, loc)])
    op = op_for_callable(obj)
    value = lowerer.rule_args(op, args, kwargs, call) if op is not None else lowerer.expr(call)
    body = lowerer.flush(lowerer.assign(target, value, loc))
    body += lowerer.block(jumps)
    if s.orelse is not None:
        body += lowerer.block(s.orelse.body.body)
    fallback = lowerer.block(handler.body.body)
    return out + [If(Name(ok), tuple(body), tuple(fallback), loc)]


def _library_function(lowerer, call):
    """The function a try's call makes, as the probe names it: a function of numpy, scipy or math by
    its dotted name (a function of your own may draw random numbers, which a second call changes)."""
    hit, module = _module_of(lowerer, call.func)
    if hit is None or not module.startswith(("numpy", "scipy", "math")) or module.startswith("numpy.random"):
        raise lowerer.error(UnsupportedSyntaxError, "a try around a call that is not a function of numpy, scipy or "
                            "math by name (s2sgrad calls it once more to know the branch; a function of your own "
                            "may draw random numbers): call such a function inside a library call's try, or "
                            "test its inputs with an if", call)
    label, obj = hit
    return (Name(label) if label.startswith("np.") else lowerer.captured_value(label, obj)), obj


def _module_of(lowerer, func):
    """(label, object) of the function a call names when compiling (None where it names none), and
    the module it comes from ("numpy" for a ufunc, whose __module__ is not set)."""
    hit = lowerer.static_path(func) if isinstance(func, (cst.Name, cst.Attribute)) else None
    if hit is None:
        return None, ""
    return hit, "numpy" if type(hit[1]).__name__ == "ufunc" else (getattr(hit[1], "__module__", None) or "")


def _once(lowerer, node, loc):
    """The argument `node` lowered, bound to a name of its own where it is computed (the probe and
    the call read it)."""
    return lowerer.atom(lowerer.expr(node), loc, "arg")


def _caught(node):
    """The expressions an except clause names (none for a bare except)."""
    if node is None:
        return []
    return [p.value if isinstance(p, cst.Element) else p for p in (node.elements if isinstance(node, cst.Tuple)
                                                                   else [node])]


def _may_raise_linalg(lowerer, node) -> bool:
    """Whether computing `node` may raise np.linalg.LinAlgError: it calls something other than a
    numpy function outside np.linalg or a builtin (a function of np.linalg or scipy, the user's
    own, a method)."""
    found = []

    class Calls(cst.CSTVisitor):
        def visit_Call(self, c):
            hit, module = _module_of(lowerer, c.func)
            if hit is None or not module.startswith(("numpy", "builtins")) or module.startswith("numpy.linalg") \
                    or "linalg" in hit[0]:
                found.append(c)
    node.visit(Calls())
    return bool(found)


def _plain(e) -> bool:
    """An argument that cannot raise when computed: a name, a constant, an attribute, -name."""
    if isinstance(e, (cst.Name, cst.Integer, cst.Float, cst.SimpleString)):
        return True
    if isinstance(e, cst.Attribute):
        return _plain(e.value)
    return isinstance(e, cst.UnaryOperation) and isinstance(e.operator, cst.Minus) and _plain(e.expression)


def _one_call(lowerer, s):
    """The try's one assignment of one call: its target, the call, and the statements after it
    (break, continue, pass or `ok = True` only: they cannot raise)."""
    stmts = s.body.body
    small = stmts[0].body if stmts and isinstance(stmts[0], cst.SimpleStatementLine) else None
    jumps = list(stmts[1:])
    if small and len(small) > 1 and all(_cannot_raise(x) for x in small[1:]):
        jumps = [cst.SimpleStatementLine(list(small[1:]))] + jumps
        small = small[:1]
    if not (small and len(small) == 1 and isinstance(small[0], cst.Assign) and len(small[0].targets) == 1
            and isinstance(small[0].value, cst.Call)
            and all(isinstance(j, cst.SimpleStatementLine) and all(_cannot_raise(x) for x in j.body)
                    for j in jumps)):
        raise lowerer.error(UnsupportedSyntaxError, "a try whose body is not one assignment of one call, then at "
                            "most break, continue or ok = True (try: x = np.linalg.solve(A, b) / except ...: x = ...): "
                            "compute the arguments before the try, and the rest after it", s.body)
    return small[0].targets[0].target, small[0].value, jumps


def _cannot_raise(x) -> bool:
    """break, continue, pass, or a name bound to a literal constant (`ok = True`): nothing the
    except clause could catch."""
    if isinstance(x, (cst.Break, cst.Continue, cst.Pass)):
        return True
    return isinstance(x, cst.Assign) and len(x.targets) == 1 and isinstance(x.targets[0].target, cst.Name) \
        and (isinstance(x.value, (cst.Integer, cst.Float, cst.SimpleString))
             or isinstance(x.value, cst.Name) and x.value.value in ("True", "False", "None"))


def _exceptions(lowerer, node):
    """The caught classes as a tuple expression (a bare except: Exception)."""
    if node is None:
        return Tuple((Name("Exception"),))
    out = []
    for e in _caught(node):
        obj = lowerer.static_callee(e) if isinstance(e, (cst.Name, cst.Attribute)) else None
        if not (isinstance(obj, type) and issubclass(obj, BaseException)):
            raise lowerer.error(UnsupportedSyntaxError, "an except clause naming something that is not an "
                                "exception class", e)
        if getattr(builtins, obj.__name__, None) is obj:
            out.append(Name(obj.__name__))
        elif obj is np.linalg.LinAlgError:
            out.append(Name("np.linalg.LinAlgError"))
        else:
            out.append(lowerer.captured_value(obj.__name__, obj))
    return Tuple(tuple(out))
