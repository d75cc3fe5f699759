"""A list built at run time given to a numpy function that reads it as an array: `np.mean(losses)`.

numpy converts a list argument with np.asarray before it computes, so `np.mean(losses)` is
`np.mean(np.array(losses))`; this pass writes it so (`losses_array = np.array(losses)`), and
ad/lists.py differentiates np.array of a list.

Guarantee: only the functions below, whose first argument numpy reads as one array (never as a
sequence of arrays, as np.stack or np.concatenate do), and only their first argument; only a list
bound to `[]` at the top level (a list ad/lists.py follows).  Anything else is left as it was.
"""
from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..ir import Assign, Call, ListExpr, Name
from .normalize import _fresh

_AS_ARRAY = frozenset({
    "np.mean", "np.sum", "np.max", "np.min", "np.amax", "np.amin", "np.prod", "np.std", "np.var", "np.median",
    "np.average", "np.linalg.norm", "np.cumsum", "np.cumprod", "np.ptp", "np.percentile", "np.quantile",
    "np.sort", "np.nanmean", "np.nansum", "np.nanmax", "np.nanmin", "np.argmax", "np.argmin", "np.diff",
    "np.exp", "np.log", "np.abs", "np.sqrt", "np.square", "np.tanh", "np.maximum", "np.minimum", "np.clip",
})


def lists_read_as_arrays(fn: ir.Function) -> ir.Function:
    lists = {s.target for s in fn.body if isinstance(s, Assign) and len(s.targets) == 1 and s.value == ListExpr(())}
    if not lists:
        return fn
    taken = set(fn.params) | set(ir.all_writes(fn.body)) | set(ir.all_reads(fn.body))

    def block(body):
        out = []
        for s in body:
            v = s.value if isinstance(s, Assign) and len(s.targets) == 1 else None
            if isinstance(v, Call) and v.op in _AS_ARRAY and v.args and isinstance(v.args[0], Name) \
                    and v.args[0].id in lists:
                arr = _fresh(f"{v.args[0].id}_array", taken)
                out.append(Assign((arr,), Call("np.array", (v.args[0],)), s.loc))
                out.append(replace(s, value=replace(v, args=(Name(arr),) + v.args[1:])))
                continue
            out.append(ir.map_blocks(s, block))
        return out
    return replace(fn, body=tuple(block(fn.body)))
