"""Calls inlined or given the user's own rule (a mixin of frontend.lower._Lowerer, beside calls.py):
`inline` lowers a helper's, method's or __init__'s body in place of the call, with its arguments
bound as Python binds them (*args and **kwargs written out, defaults that are arrays read like
module-level ones, functions passed bound to the parameters that call them); `custom_call` lowers a
call of a custom_vjp / custom_jvp function to its row; `refuse_out` refuses a numpy call writing into
an existing array (`out=`).

Guarantees: an inlined body reads its own globals (guarded, as the function's are) and the caller's
names never; recursion is refused at the call; a custom rule's function sees every parameter (its
defaults given when left out) and is guarded, so a rule given again compiles again.
"""
from __future__ import annotations

import inspect

import libcst as cst
import numpy as np

from ..errors import UnsupportedSyntaxError
from .. import ir
from ..ir import Assign, Call, Const, Name, Tuple
from ..markers import FUNCTION_PASSED, custom_vjp
from . import call_stars, closures, spread
from .guards import plain_constants


class Inlining:
    """inline, custom_call, array_defaults, refuse_out (see the module docstring)."""

    def refuse_out(self, obj, e, label):
        """`np.floor(c, y)`, `np.clip(c, 0, 1, out=y)`: numpy writes the result into y, which the
        program's later reads of y see; s2sgrad binds results to names, so such a call is refused."""
        pos = _out_position(obj)
        positional = [a for a in e.args if a.keyword is None and not a.star]
        for a in e.args:
            given = a.keyword is not None and a.keyword.value == "out" or \
                a.keyword is None and pos is not None and pos >= 0 and positional.index(a) == pos if not a.star else False
            if given and not (isinstance(a.value, cst.Name) and a.value.value == "None"):
                raise self.error(UnsupportedSyntaxError, f"'{label}' writing its result into an existing array (out=): "
                                 f"bind the result to a name instead (y = {label}(...))", a)

    def custom_call(self, obj, e):
        """A function with the user's own rule (rules/custom.py): custom_vjp calls become
        `y, y_res = f_fwd(...)`, custom_jvp calls stay `f(...)`, under their rows."""
        from ..rules.custom import register
        kind = "custom_vjp" if isinstance(obj, custom_vjp) else "custom_jvp"
        if kind == "custom_vjp" and (obj.fwd is None or obj.bwd is None):
            raise self.error(UnsupportedSyntaxError, f"the custom_vjp function '{obj.__name__}' has no rule yet: "
                             f"call {obj.__name__}.defvjp(fwd, bwd) before differentiating", e)
        if kind == "custom_jvp" and obj.jvp is None:
            raise self.error(UnsupportedSyntaxError, f"the custom_jvp function '{obj.__name__}' has no rule yet: "
                             f"decorate its rule with @{obj.__name__}.defjvp", e)
        args, kwargs = self.call_args(e)
        if kwargs:
            raise self.error(UnsupportedSyntaxError, f"keyword arguments to '{obj.__name__}', a function with its "
                             "own rule (pass them positionally: its rule returns one cotangent per position)", e)
        args += _defaults_given(self, obj, args, e)  # (JAX's convention: the rule sees every parameter)
        op, names = register(obj, kind, frozenset(self.locals))
        self.captured.update(names)
        for attr in ("fwd", "bwd") if kind == "custom_vjp" else ("fn", "jvp"):
            # (defvjp / defjvp given again after compiling: the code compiles again with the new rule)
            self.guards[(id(vars(obj)), attr)] = (vars(obj), attr, getattr(obj, attr))
        if kind == "custom_jvp":
            return Call(op, args)
        out, res = self.fresh(f"{obj.__name__}_out"), self.fresh(f"{obj.__name__}_res")
        self.prelude.append(Assign((out, res), Call(op, args), self.loc(e)))
        return Name(out)

    def array_defaults(self, callee, args, kwargs, name):
        """(parameter, Name) for each parameter the call leaves to an array default (`g=np.array([0.,
        -9.8])`): the array read like a module-level one, under a name of its own."""
        try:
            bound = inspect.signature(callee, follow_wrapped=False).bind_partial(*args, **dict(kwargs)).arguments
        except (TypeError, ValueError):
            return ()  # (inline_body says what is wrong with the call)
        out = []
        for p in inspect.signature(callee, follow_wrapped=False).parameters.values():
            if p.name not in bound and isinstance(p.default, np.ndarray):
                g = f"{name}_{p.name}_default"
                while g in self.captured and self.captured[g] is not p.default or g in self.locals:
                    g += "_"
                self.captured[g] = p.default
                out.append((p.name, Name(g)))
            elif p.name not in bound and type(p.default) in (dict, list) and plain_constants(p.default):
                # cfg=CONFIG, a module-level dict of numbers: a literal of what it holds now, as a
                # read of CONFIG is (guarded with the defaults: guards.SameDefaults)
                out.append((p.name, literal_of(p.default)))
        return tuple(out)

    def inline(self, callee, e, label, pre_args=(), init_of=None, passed=None, on_self=False):
        if callee in self.stack:
            raise self.error(UnsupportedSyntaxError, f"recursive call to '{label}'", e)
        from ..passes.normalize import inline_body, own_globals
        if isinstance(e, cst.Call):  # f(x, **d), f(*t) of a helper without *args/**kwargs: written out
            e = call_stars.expanded(self, callee, call_stars.in_order(self, e), len(pre_args))
            e = call_stars.into_kwargs(self, callee, e, len(pre_args))  # f(x, **d) of `def f(x, **kw)`
        fn_args = closures.function_arguments(self, callee, e, len(pre_args)) if isinstance(e, cst.Call) else {}
        defaulted = closures.left_to_defaults(fn_args, e) if isinstance(e, cst.Call) else ()
        fn_args.update(passed or {})  # (a classmethod's cls)
        parsed = self.parse_callee(callee, fn_args, init_of, *_spread_of(callee, e, len(pre_args)), on_self=on_self)
        name = parsed.ir.name if callee.__name__ == "<lambda>" else callee.__name__  # (relu = lambda: relu)
        parsed = own_globals(parsed, self.captured, self.locals, name)
        self.captured.update(parsed.captured)
        for g in parsed.guards:  # the helper's own globals count too
            self.guards[(id(g[0]), g[1])] = g
        if getattr(callee, "__defaults__", None) or getattr(callee, "__kwdefaults__", None):
            from .guards import DefaultsOf, SameDefaults  # its defaults, compiled in, too
            self.guards[("defaults", id(callee))] = (DefaultsOf(callee), "__defaults__", SameDefaults(callee))
        positional = [a for a in e.args if a.keyword is None and a.star != "**"] if isinstance(e, cst.Call) else []
        starred = positional[-1] if positional and positional[-1].star == "*" else None
        args, kwargs = self.call_args(e, functions=bool(fn_args), star=starred, mapping=parsed.spread) \
            if isinstance(e, cst.Call) else ((), ())
        args = tuple(pre_args) + tuple(args)
        kwargs = tuple(kwargs) + tuple((p, Const(FUNCTION_PASSED)) for p in defaulted) + self.array_defaults(callee, args, kwargs, name)
        # h(X, base, *trees) of `def h(X, base, *trees)`: the sequence's items, as a tuple
        star = Call("tuple", (self.expr(starred.value),)) if starred is not None else None
        base = init_of.__name__.lower() if init_of is not None else name  # Lin(W): lin_W
        n = self.inline_count.get(base, 0) + 1
        self.inline_count[base] = n
        prefix = base if n == 1 else f"{base}{n}"
        before = set(self.locals)
        try:
            stmts, result = inline_body(parsed.ir, args, kwargs, prefix, self.locals, callee, self.loc(e),
                                        avoid=self.ns.keys() | self.captured.keys(), star=star, spread=parsed.spread)
        except TypeError as err:
            raise self.error(UnsupportedSyntaxError, f"call to '{label}': {err}", e) from None
        self.prelude.extend(stmts)
        return closures.read_now(self, stmts, result, before, prefix, self.loc(e))


def _defaults_given(lowerer, obj, args, e):
    """The defaults of the parameters a call of a function with its own rule leaves out (constants
    only: the rule's fwd is called with them, its bwd returns a cotangent for each)."""
    try:
        params = [p for p in inspect.signature(obj.fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return ()
    out = []
    for p in params[len(args):]:
        if p.default is p.empty:
            break  # (too few arguments: Python's own error when the rule is called)
        if type(p.default) not in (int, float, bool, str, type(None)):
            raise lowerer.error(UnsupportedSyntaxError, f"'{obj.__name__}' left its parameter '{p.name}' to a "
                                "default that is not a number (pass it)", e)
        out.append(Const(p.default))
    return tuple(out)


def _spread_of(callee, e, pre=0):
    """(keywords, extra positional count) a call passes to its callee's **kwargs and *args (spread.py)."""
    if not isinstance(e, cst.Call):
        return (), None
    positional = None if any(a.star == "*" for a in e.args) else \
        pre + sum(1 for a in e.args if a.keyword is None and not a.star)
    # (keywords in the call's order; "**" where a `**d` stands, for a callee with **kwargs: into_kwargs)
    return spread.call_spread(callee, positional, [a.keyword.value if a.keyword is not None else "**"
                                                   for a in e.args if a.keyword is not None or a.star == "**"])


def _out_position(obj):
    """The position of a numpy function's `out` parameter (a ufunc's after its inputs), or None
    (a user's helper with a parameter named `out` is no such function: it is inlined)."""
    if type(obj).__name__ == "ufunc":
        return obj.nin
    if (getattr(obj, "__module__", None) or "").partition(".")[0] not in ("numpy", "scipy"):
        return None
    try:
        params = list(inspect.signature(obj).parameters.values())
    except (TypeError, ValueError):
        return None
    names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if "out" in names:
        return names.index("out")
    # keyword-only (np.einsum(*operands, out=None)): no position takes it; -1 still says it exists
    return -1 if any(p.name == "out" for p in params) else None


def literal_of(v):
    """IR for a value of plain constants (frontend/guards.plain_constants)."""
    if type(v) is dict:
        return ir.DictExpr(tuple(Const(k) for k in v), tuple(literal_of(x) for x in v.values()))
    if type(v) in (list, tuple):
        return (ir.ListExpr if type(v) is list else Tuple)(tuple(literal_of(x) for x in v))
    return Const(v)
