"""One name per shape: a name the program binds to values of different shapes or dtypes is renamed
binding by binding, before the Triton backend plans its kernels.

The planner knows one abstract value per name (the join over the function).  `x = np.sum(W,
axis=1)` over a parameter `x` of another shape, or `x = np.where(..., x, ...)` broadcasting x up
to a matrix, made x's shape unknown, and every statement reading x went to the host (torch); one
such program crashed the launcher.  Giving the later binding a name of its own (`x_2`, read until
the next binding) lets each binding be planned with its own shape.

Only straight-line bindings are renamed: top-level assignments of a name that no nested block
(if/for/while body, loop target, record restore) writes, so which binding a read sees is fixed by
its position.  Names whose bindings all have one abstract value are left alone (the host code and
the kernels read as before).  Guarantee: the renamed function computes the same values; only
names change.
"""
from __future__ import annotations

from collections import defaultdict

from .. import ir
from ..ir import Assign, Call, For, If, While
from ..passes.normalize import _sub, rename_block
from ..passes.shapes import UNKNOWN, Arr, ShapeInfo


def split_rebinds(fn: ir.Function, info: ShapeInfo, reserved=lambda n: False) -> ir.Function:
    """fn (itself when nothing changes) with the bindings described above renamed, read from `info`,
    fn's shape inference; a new name is never one the function uses nor one `reserved` says the
    generated code keeps for itself (`launch_3` for a `launch`)."""
    nested = set()
    for s in fn.body:
        if isinstance(s, (If, For, While)):
            nested |= set(ir.all_writes([s]))
    bindings = defaultdict(list)  # name -> top-level statements binding it, in order
    for s in fn.body:
        if isinstance(s, Assign):
            for t in s.targets:
                bindings[t].append(s)
    rename = set()
    for x, stmts in bindings.items():
        if x in nested or len(stmts) + (x in fn.params) < 2:
            continue
        values = [info.after(s, x) for s in stmts] + ([info.entry.get(x)] if x in fn.params else [])
        keys = {_key(v) for v in values}
        if len(keys) > 1 and None not in keys:  # (an unknown binding stays unknown under any name)
            rename.add(x)
    if not rename:
        return fn
    taken = set(ir.all_writes(fn.body)) | set(ir.all_reads(fn.body)) | set(fn.params)
    mapping, count, body = {}, defaultdict(int), []
    for s in fn.body:
        bound = [t for t in (s.targets if isinstance(s, Assign) else ()) if t in rename]
        if not bound:
            body.extend(rename_block([s], mapping))
            continue
        value = _sub(s.value, mapping)
        if isinstance(value, Call) and value.op == "iadd" and len(s.targets) == 1 and s.targets[0] in rename:
            value = Call("add", value.args)  # `g += v` into a new name: g + v (printed as such)
        for x in bound:
            count[x] += 1
            if count[x] == 1 and x not in fn.params:
                mapping.pop(x, None)  # the first binding keeps the name
                continue
            k = count[x] + (x in fn.params)
            while _name(x, k, reserved) in taken:
                k += 1
            taken.add(_name(x, k, reserved))
            mapping[x] = _name(x, k, reserved)
        body.append(Assign(tuple(mapping.get(t, t) for t in s.targets), value, s.loc, s.aug))
    return ir.Function(fn.name, fn.params, tuple(body), fn.defaults, fn.header, fn.loc)


def _key(v):
    """What the planner reads of an abstract value: an array's shape and dtype; every scalar (a
    Python number, a 0-d array) is a kernel's scalar operand alike, so numbers are one key."""
    if isinstance(v, Arr) and (v.shape is None or v.dtype is None):
        return None
    if isinstance(v, Arr) and v.shape != ():
        return ("array", v.shape, str(v.dtype))
    return None if v is UNKNOWN or v is None else ("scalar",)


def _name(x, k, reserved):
    """x_k, or xk where the generated code keeps x_k for itself (`launch_3`, `k0_...`)."""
    return f"{x}_{k}" if not reserved(f"{x}_{k}") else f"{x}{k}"
