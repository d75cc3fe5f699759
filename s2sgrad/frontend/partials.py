"""`functools.partial(f, a, k=b)`, passed to a helper (`scan(partial(step, params), h0, xs)`) or
bound to a name (`step = partial(rnn_step, params)`): the lambda it stands for,

    lambda h, x: rnn_step(params, h, x)

taking f's parameters that partial leaves open, inlined wherever it is called like any lambda
(frontend/closures.py).

Guarantees: the bound arguments are evaluated once, where partial is called, as Python does -- a
name the function never binds again is read as it is, anything else is first bound to a name of
its own; f must be a function s2sgrad inlines (a module-level function, a nested def, a lambda)
without *args/**kwargs, its open parameters' defaults numbers, strings, booleans or None; anything
else is refused at its line.  A keyword that partial binds is passed by keyword, so a call giving it
again is refused (Python would let the call's keyword win)."""
from __future__ import annotations

import functools
import inspect

import libcst as cst

from ..errors import UnsupportedSyntaxError
from ..ir import Assign
from .listbuild import name_values
from .names import LITERAL_TYPES, literal_node


def is_partial(lowerer, node) -> bool:
    return isinstance(node, cst.Call) and lowerer.static_callee(node.func) is functools.partial


def partial_lambda(lowerer, node: cst.Call) -> cst.Lambda:
    """The lambda `partial(...)` stands for; its bound arguments' statements in the prelude."""
    from .closures import LocalFunction, function_value
    if not node.args or any(a.star for a in node.args) or node.args[0].keyword is not None:
        raise lowerer.error(UnsupportedSyntaxError, "partial takes a function, then the arguments it binds "
                            "(no *args/**kwargs)", node)
    fn_node = node.args[0].value
    target = function_value(lowerer, fn_node)
    from .function_values import Known
    if isinstance(target, Known) and inspect.isfunction(target.obj):
        target = target.obj
    if not (isinstance(target, LocalFunction) or inspect.isfunction(target)):
        raise lowerer.error(UnsupportedSyntaxError, "partial of something that is not a function of yours "
                            "(a module-level function, a nested def or a lambda)", fn_node)
    try:
        sig = target.signature() if isinstance(target, LocalFunction) else inspect.signature(target)
    except (TypeError, ValueError):  # pragma: no cover - a Python function always has one
        raise lowerer.error(UnsupportedSyntaxError, "partial of a function without a signature", fn_node) from None
    params = list(sig.parameters.values())
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        raise lowerer.error(UnsupportedSyntaxError, "partial of a function taking *args or **kwargs: write the "
                            "lambda it stands for", fn_node)
    positional = [a for a in node.args[1:] if a.keyword is None]
    keywords = [a for a in node.args[1:] if a.keyword is not None]
    takes = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(positional) > len(takes):
        raise lowerer.error(UnsupportedSyntaxError, "partial binds more arguments than the function takes", node)
    bound_kw = {a.keyword.value for a in keywords}
    if bound_kw - set(sig.parameters) or bound_kw & {p.name for p in takes[:len(positional)]}:
        raise lowerer.error(UnsupportedSyntaxError, "partial binds a keyword the function does not take, or "
                            "one it binds by position too", node)
    rebound = getattr(lowerer, "rebound", lowerer.locals)
    loc = lowerer.loc(node)
    held = [_held(lowerer, a.value, rebound, loc) for a in positional + keywords]
    opened = [p for p in params[len(positional):] if p.name not in bound_kw]
    reads = name_values(fn_node) | {n for h in held for n in name_values(h)}
    lam_params, kwonly = [], []
    for p in opened:
        if p.name in reads:
            raise lowerer.error(UnsupportedSyntaxError, f"partial: the parameter '{p.name}' it leaves open is also "
                                "a name its bound arguments read; write the lambda it stands for", node)
        default = None
        if p.default is not inspect.Parameter.empty:
            if not isinstance(p.default, LITERAL_TYPES):
                raise lowerer.error(UnsupportedSyntaxError, f"partial: the default of '{p.name}' is not a number, "
                                    "string, boolean or None; write the lambda it stands for", node)
            default = literal_node(p.default)
        (kwonly if p.kind is p.KEYWORD_ONLY else lam_params).append(cst.Param(cst.Name(p.name), default=default))
    args = [cst.Arg(h) for h in held[:len(positional)]]
    order = [p.name for p in params]
    first_bound = min((order.index(k) for k in bound_kw), default=len(order))
    # (an open parameter after one partial binds by keyword is passed by keyword too: by position it
    # would take the bound one's place)
    args += [cst.Arg(cst.Name(p.name)) if order.index(p.name) < first_bound else
             cst.Arg(cst.Name(p.name), keyword=cst.Name(p.name))
             for p in opened if p.kind is not p.KEYWORD_ONLY]
    args += [cst.Arg(h, keyword=cst.Name(a.keyword.value)) for a, h in zip(keywords, held[len(positional):])]
    args += [cst.Arg(cst.Name(p.name), keyword=cst.Name(p.name)) for p in opened if p.kind is p.KEYWORD_ONLY]
    star = cst.ParamStar() if kwonly else cst.MaybeSentinel.DEFAULT
    lam = cst.Lambda(params=cst.Parameters(params=lam_params, star_arg=star, kwonly_params=kwonly),
                     body=cst.Call(fn_node, args))
    return lowerer.remade(lam, node)


def _held(lowerer, value, rebound, loc):
    """A node reading the bound argument's value as it is now: itself when a constant or a name the
    function never binds again, else a fresh name bound to it here (in the prelude)."""
    if isinstance(value, (cst.Integer, cst.Float, cst.SimpleString)) or \
            isinstance(value, cst.Name) and (value.value not in lowerer.locals or value.value not in rebound):
        return value
    if isinstance(value, cst.Name) and value.value in lowerer.local_functions:
        return value  # (partial(rhs, meal=meal) of a local function: passed on, inlined where rhs calls it)
    tmp = lowerer.fresh("bound")
    lowerer.prelude.append(Assign((tmp,), lowerer.expr(value), loc))
    return cst.Name(tmp)

