"""Functions an object holds as instance attributes: `Dense(W, b, act=np.tanh)`, a layer passed in
(passes/trees.function_attribute: a compile-time constant of its Tree, keyed by identity) or made in
the function (frontend/held_functions.init_function: its __init__'s `self.act = act`).

Guarantees: `self.act(z)` in the object's methods calls that function as Python would (the
frontend is given them: frontend/function_values.held_by_self), and so does `obj.act(z)` elsewhere
(`call`): a def or lambda of the module inlined, a numpy function or builtin as its rule row.
Which function is held is part of the signature (an argument's attribute rebound compiles again);
any use other than a call or a test against None is refused (passes/constant_tests.py).
"""
from __future__ import annotations

import types

from .. import ir
from ..errors import UnknownFunctionError, UnsupportedSyntaxError
from ..ir import Const, Name
from .trees import function_attribute


def held(tree):
    """The functions the object holds as instance attributes, as the frontend calls them (name ->
    function_values.Known): what `self.act(...)` calls in its methods.  An attribute that a data
    descriptor of the class shadows (a property: Python reads that) is left out."""
    from ..frontend.function_values import Known
    from .objects import _static
    out = {}
    for k, x in zip(tree.keys, tree.items):
        if isinstance(x, Const) and function_attribute(x.value) and not hasattr(type(_static(tree.cls, k)), "__set__"):
            out[k] = Known(x.value, f"{tree.cls.__name__}.{k}")
    return out


def call(flat, receiver, name, fn, args, kwargs, loc):
    """`obj.act(z)` where obj holds the function `act`: a def or lambda inlined (as a staticmethod
    is), a numpy function or builtin as its rule row."""
    from ..rules.args import arrange
    from ..rules.resolve import op_for_callable
    from .normalize import _fresh
    from .objects import _describe, _inline
    if isinstance(fn, types.FunctionType) and not (fn.__module__ or "").startswith(("numpy", "scipy")):
        return _inline(flat, receiver, name, args, kwargs, loc, fn=fn, bound=False)
    op = op_for_callable(fn)
    if op is None:
        raise UnknownFunctionError(f"'{getattr(fn, '__name__', fn)}', which the {_describe(receiver.cls)} object holds "
                                   f"as '{name}', has no differentiation rule", loc)

    def bind(value, base):  # (a value the row reads twice: computed once, before the call)
        held = _fresh(base, flat.taken)
        flat.pre.extend(flat.block([ir.Assign((held,), value, loc)]))
        return Name(held)
    return flat.ev(arrange(op, args, kwargs, lambda what: UnsupportedSyntaxError(what, loc), bind), loc)


def pick(flat, e, loc):
    """`function_pick(key, keys, functions)` (frontend/held_functions._picked_functions): the entry the key
    picks, a constant, where the key is known when compiling (an unrolled loop's position, a
    constant); a key known only when the function runs is refused (an object's function is decided
    when compiling)."""
    key = flat.ev(e.args[0], loc)
    keys, functions = e.args[1].value, e.args[2].value
    if isinstance(key, ir.Call) and key.op in ("table_key", "table_index") and isinstance(key.args[0], Const):
        # (a key known when compiling that the table lacks: Python's KeyError or IndexError)
        raise UnsupportedSyntaxError(f"the key {key.args[0].value!r} picks no function of the table (its keys: "
                                     f"{', '.join(map(repr, keys))}): Python raises "
                                     f"{'KeyError' if key.op == 'table_key' else 'IndexError'} here", loc)
    if not isinstance(key, Const):
        raise UnsupportedSyntaxError("an object made in the function given a function picked by a key known only "
                                     "when the function runs: s2sgrad decides which function an object holds when "
                                     "compiling, so pick it by a constant, or by the position of a loop over a list, "
                                     "tuple or range known when compiling", loc)
    for k, f in zip(keys, functions):
        if k == key.value and type(k) is type(key.value):
            return Const(f)
    raise UnsupportedSyntaxError(f"key {key.value!r} picks no function of the table", loc)  # (checked before)
