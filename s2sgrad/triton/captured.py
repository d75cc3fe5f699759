"""Values the program reads that are not its arguments: module-level arrays and numbers, a closure's
cells, a helper's default arguments (`helper_g_default`).  The numpy backend runs its generated
code in a namespace holding them (compiler.Compiled.namespace); the host module of the Triton
backend gets them as module globals, bound before each call of the host program: its text holds
no values, so plans whose programs read different arrays of one shape share a module.

numpy arrays become tensors on the plan's device at every call, as numpy arguments do: the numpy
backend reads a global array as it is at the call (written in place since, too).  A captured array
of a dtype the backend does not read is refused at the line that reads it."""
from __future__ import annotations

import types

import numpy as np

from .. import ir
from ..errors import UnsupportedSyntaxError

_READ = ("float32", "float64", "int32", "int64", "bool")


def bindable(namespace, mapping):
    """name -> value of what the host module must hold (not modules), by the names `renames` gave."""
    return {mapping.get(n, n): v for n, v in (namespace or {}).items() if not isinstance(v, types.ModuleType)}


# names the host module binds itself (runtime imports, host helpers) besides lower._HOST_NAMES
_OWN = {"alloc", "launch", "mm", "record", "add_outer", "check_labels", "f64_arg", "pack_scalars", "strides",
        "unbroadcast", "aligned_mask", "np"}


def renames(namespace, fn, host_names):
    """captured name -> the name the host program reads it by: a name the host module binds
    itself (`mm`, `record`, `scalars`: a global array of that name) gets one of its own."""
    taken = set(ir.all_reads(fn.body)) | set(ir.all_writes(fn.body)) | set(fn.params) | set(namespace or {})
    out = {}
    for n, v in (namespace or {}).items():
        if isinstance(v, types.ModuleType) or not (n in _OWN or host_names(n) or n == fn.name + "_host"):
            continue
        new, k = f"g_{n}", 0
        while new in taken or host_names(new):
            k += 1
            new = f"g{k}_{n}"
        taken.add(new)
        out[n] = new
    return out


def renamed(fn, mapping):
    """fn with its reads of the names in `mapping` renamed (captured values are only read)."""
    if not mapping:
        return fn
    subst = {n: ir.Name(m) for n, m in mapping.items()}
    return ir.Function(fn.name, fn.params, tuple(_block(fn.body, subst)), fn.defaults, fn.header, fn.loc)


def _block(block, m):
    out = []
    sub = ir.substitute
    for s in block:
        if isinstance(s, ir.Assign):
            s = ir.Assign(s.targets, sub(s.value, m), s.loc)
        elif isinstance(s, ir.SetItem):
            s = ir.SetItem(s.target, sub(s.index, m), sub(s.value, m), s.loc, s.aug)
        elif isinstance(s, ir.ExprStmt):
            s = ir.ExprStmt(sub(s.value, m), s.loc)
        elif isinstance(s, ir.If):
            s = ir.If(sub(s.test, m), tuple(_block(s.body, m)), tuple(_block(s.orelse, m)), s.loc)
        elif isinstance(s, ir.For):
            s = ir.For(s.target, sub(s.iter, m), tuple(_block(s.body, m)), s.loc)
        elif isinstance(s, ir.While):
            s = ir.While(sub(s.test, m), tuple(_block(s.body, m)), s.loc)
        elif isinstance(s, ir.Return) and s.value is not None:
            s = ir.Return(sub(s.value, m), s.loc)
        out.append(s)
    return out


def check(captured, fn, own=()):
    """Refuse an array of a dtype the kernels and host code do not read, and a name the host module
    defines itself (`own`: its imports, launchers), at the line reading it."""
    for name, v in captured.items():
        site = next((s.loc for s in ir.walk(fn.body) if name in ir.stmt_reads(s) and s.loc is not None), fn.loc)
        if _user_object(v):  # (its arrays would reach the host code as numpy arrays, not tensors)
            raise UnsupportedSyntaxError(
                f"backend='triton': '{name}', a {type(v).__name__} object read from the function's globals or "
                "closure, is not supported yet: pass it as an argument, or use the numpy backend", site)
        if name in own:
            raise UnsupportedSyntaxError(
                f"backend='triton': the name '{name}', read from the function's globals or closure, is one the "
                "generated host code uses itself; rename it", site)
        for a in _arrays(v):
            if str(a.dtype) not in _READ:
                raise UnsupportedSyntaxError(
                    f"backend='triton': '{name}', read from the function's globals, closure or defaults, is a "
                    f"{a.dtype} array; the Triton backend reads float32, float64, int32, int64 and bool arrays: "
                    "cast it (e.g. .astype(np.float64)) or pass it as an argument", site)


def _user_object(v) -> bool:
    from ..passes.trees import _is_object
    return _is_object(v)


def _arrays(v):
    if isinstance(v, np.ndarray):
        yield v
    elif isinstance(v, (list, tuple)):
        for x in v:
            yield from _arrays(x)
    elif isinstance(v, dict):
        for x in v.values():
            yield from _arrays(x)


def has_arrays(captured):
    return any(True for v in captured.values() for _ in _arrays(v))


def on_device(captured, device):
    """The values, numpy arrays (inside lists, tuples and dicts too) as tensors on `device`."""
    import torch
    from . import _map_tensors
    if not has_arrays(captured):
        return captured
    return {n: _map_tensors(v, lambda t: t, lambda a: torch.from_numpy(np.ascontiguousarray(a)).to(device))
            for n, v in captured.items()}


def binding(host, module, captured, device):
    """host, with the module's captured globals set for `device` before each call."""
    if not captured:
        return host

    def run(*args):
        module.__dict__.update(on_device(captured, device))
        return host(*args)
    return run
