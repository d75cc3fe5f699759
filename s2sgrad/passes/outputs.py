"""Auxiliary outputs (`has_aux=True`, JAX's convention): `return loss, aux`.

Guarantee: `split_aux` rewrites every `return loss, aux` into `aux_value = stop_gradient(aux)` then
`return loss`, so the derivative is the loss's alone and the auxiliary value is computed by the
forward sweep exactly as the function computes it.  A return that is not a pair is refused at its
line (has_aux promises a pair on every path).
"""
from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, For, If, Return, Tuple, While


def split_aux(fn: ir.Function):
    """(function returning the loss alone, the name holding the auxiliary value)."""
    taken = set(fn.params) | set(ir.all_writes(fn.body)) | set(ir.all_reads(fn.body))
    aux = "aux" if "aux" not in taken else next(f"aux_{k}" for k in range(2, 999) if f"aux_{k}" not in taken)

    # arrays written in place (`y[0] = ...`) are restored in place by the reverse sweep: the aux
    # output keeps a copy of them, taken where the function returns
    written = {s.target for s in ir.walk(fn.body) if isinstance(s, ir.SetItem)}
    copies = {n: Call(".copy", (ir.Name(n),)) for n in written}

    def split(s):
        if not (isinstance(s.value, Tuple) and len(s.value.elts) == 2):
            raise UnsupportedSyntaxError("with has_aux=True every return gives a pair: return loss, aux", s.loc)
        loss, value = s.value.elts
        return [Assign((aux,), Call("stop_gradient", (ir.substitute(value, copies),)), s.loc), Return(loss, s.loc)]
    return replace(fn, body=tuple(_map_returns(fn.body, split))), aux


def _map_returns(body, f):
    """The block with each Return (nested ones too) replaced by the statements f gives for it."""
    out = []
    for s in body:
        if isinstance(s, Return):
            out += f(s)
        elif isinstance(s, If):
            out.append(If(s.test, tuple(_map_returns(s.body, f)), tuple(_map_returns(s.orelse, f)), s.loc))
        elif isinstance(s, For):
            out.append(For(s.target, s.iter, tuple(_map_returns(s.body, f)), s.loc))
        elif isinstance(s, While):
            out.append(While(s.test, tuple(_map_returns(s.body, f)), s.loc))
        else:
            out.append(s)
    return out


def structured_return(fn: ir.Function) -> bool:
    """Whether the function returns a tuple, list or dict of values (on some path)."""
    return any(isinstance(s, Return) and isinstance(s.value, (Tuple, ir.ListExpr, ir.DictExpr))
               for s in ir.walk(fn.body))


def scalarize(fn: ir.Function, seed: str):
    """The vector-Jacobian product of a function with a structured output, as the gradient of a
    scalar: `return a, b` becomes `return np.sum(a * seed[0]) + np.sum(b * seed[1])` (dict outputs by
    key), with the cotangent `seed` (the same structure) a new, non-differentiated parameter."""
    def pair(value, cot):
        if isinstance(value, (Tuple, ir.ListExpr)):
            parts = [pair(v, Call("getitem", (cot, Const(i)))) for i, v in enumerate(value.elts)]
        elif isinstance(value, ir.DictExpr):
            parts = [pair(v, Call("getitem", (cot, k))) for k, v in zip(value.keys, value.values)]
        else:
            return Call("np.sum", (Call("mul", (value, cot)),))
        out = parts[0]
        for p in parts[1:]:
            out = Call("add", (out, p))
        return out

    def scalar(s):
        if not isinstance(s.value, (Tuple, ir.ListExpr, ir.DictExpr)):
            raise UnsupportedSyntaxError("this return gives a single value where another gives a tuple, "
                                         "list or dict: return the same structure on every path", s.loc)
        return [Return(pair(s.value, ir.Name(seed)), s.loc)]
    return replace(fn, params=fn.params + (seed,), body=tuple(_map_returns(fn.body, scalar)))
