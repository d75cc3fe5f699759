"""A `try` around one call with a fallback, as numerical code writes it:

    try:
        du = np.linalg.solve(J, -r)
    except np.linalg.LinAlgError:
        du = 0.1 * r

is the branch it is: `ok = succeeds(np.linalg.solve, J, t, catching=(np.linalg.LinAlgError,))`,
then `if ok:` the body (and an `else:` clause's statements), otherwise the handler.  The probe
calls the function once more when it runs (a solve costs twice), so the branch the program takes is
known before any of its statements run, and both sides are differentiated like an if's.

Guarantee: only a body that is one assignment of one call of a library function or a rule's
function (whose arguments are computed before the probe, as Python computes them before the call)
with one `except` clause of exception classes (a bare `except` or `except Exception` catches what
`Exception` does), without `as name` or `finally`; anything else is refused at its line, saying
what to write.  The call must be deterministic (it runs twice): a random draw is refused.
"""
from __future__ import annotations

import builtins

import libcst as cst
import numpy as np

from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, If, Name, Tuple


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
    target, call = _one_call(lowerer, s)
    value = lowerer.expr(call)
    if not (isinstance(value, Call) and not value.op.startswith((".", "@")) and value.op.replace(".", "_").isidentifier()
            and value.op not in _INFIX):
        raise lowerer.error(UnsupportedSyntaxError, "a try whose call is not a function of numpy, scipy or your "
                            "own module by name (write the call as f(x), bound to a name)", call)
    if value.op.startswith("np.random"):
        raise lowerer.error(UnsupportedSyntaxError, "a try around a random draw (s2sgrad calls the function once "
                            "to know the branch, and again in it)", call)
    ok = lowerer.fresh("ok")
    probe = Call("succeeds", (Name(value.op),) + tuple(value.args), tuple(value.kwargs) + (("catching", catching),))
    out = lowerer.flush([Assign((ok,), probe, loc)])
    body = lowerer.flush(lowerer.assign(target, value, loc))
    if s.orelse is not None:
        body += lowerer.block(s.orelse.body.body)
    fallback = lowerer.block(handler.body.body)
    return out + [If(Name(ok), tuple(body), tuple(fallback), loc)]


_INFIX = {"add", "sub", "mul", "truediv", "floordiv", "mod", "matmul", "pow", "neg", "pos", "getitem"}


def _one_call(lowerer, s):
    stmts = s.body.body
    small = stmts[0].body if len(stmts) == 1 and isinstance(stmts[0], cst.SimpleStatementLine) else None
    if not (small and len(small) == 1 and isinstance(small[0], cst.Assign) and len(small[0].targets) == 1
            and isinstance(small[0].value, cst.Call)):
        raise lowerer.error(UnsupportedSyntaxError, "a try whose body is not one assignment of one call "
                            "(try: x = np.linalg.solve(A, b) / except ...: x = ...): compute the arguments "
                            "before the try", s.body)
    return small[0].targets[0].target, small[0].value


def _exceptions(lowerer, node):
    """The caught classes as a tuple expression (a bare except: Exception)."""
    if node is None:
        return Tuple((Name("Exception"),))
    parts = node.elements if isinstance(node, cst.Tuple) else [node]
    out = []
    for p in parts:
        e = p.value if isinstance(p, cst.Element) else p
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
