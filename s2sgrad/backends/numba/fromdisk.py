"""A signature's compiled code rebuilt from its disk entry (diskcache.py): the two module texts
numba compiles, loaded from their files at the first call of each, with no compilation by
s2sgrad.  What the entry does not hold (the IR other code reads: `irs`, `signature`, the seeded
variant of explicit seeds and vjp) comes from a full compilation made on first use, so every
attribute of a `Compiled` keeps its meaning.
"""
from __future__ import annotations

from typing import Callable

from ...compiler import LATER, Compiled
from .module import load, numba_failed, timed_first_call, with_globals

_FROM_FULL = ("irs", "signature", "seeded", "seeded_source", "value_and_grad_ir")


class DiskCompiled(Compiled):
    """A Compiled whose value_and_grad and grad come from the disk entry; `full()` (memoised) is the
    compilation the entry skipped, made when something asks for what the entry does not hold."""

    full: Callable[[], Compiled]

    def __post_init__(self):
        super().__post_init__()
        for n in ("irs", "signature"):
            if self.__dict__.get(n) is LATER:
                del self.__dict__[n]

    def __getattr__(self, name):
        if name in _FROM_FULL and "full" in self.__dict__:
            return getattr(self.__dict__["full"](), name)
        raise AttributeError(name)


class _FirstCallFromDisk:
    """A variant until its first call: its module loaded (numba's disk cache of it) and called; then
    the DiskCompiled holds the dispatcher, guarded and its numbers boxed as on a fresh compilation
    (__init__.compiled_call).  A container argument (refused by the fresh compilation; such a
    signature has no entry, diskcache._signature), a numba error (its cache gone and the text no
    longer compiling: not expected), and numba failing on a later call's arguments of another layout
    go to the full compilation's variant, whose errors name the user's line and which honours
    fallback=True: what a process with an empty cache does."""

    def __init__(self, backend, compiled, attr, entry):
        self.backend, self.compiled, self.attr, self.entry = backend, compiled, attr, entry

    def __call__(self, *args):
        from . import compiled_call, is_container
        e = self.entry
        if any(is_container(a) for a in args):
            return self._full(args)
        try:
            dispatcher = getattr(load(e["text"]), e["name"])
            call = dispatcher
            if e["extra"]:
                call = with_globals(dispatcher, e["nparams"], tuple(e["extra"]), self.compiled.namespace)
            out, seconds, from_cache = timed_first_call(call, dispatcher, args)
        except Exception as err:
            if not numba_failed(err):
                raise
            return self._full(args)
        self.backend.compile_log.append((self.attr, seconds, from_cache))
        call, out = compiled_call(call, dispatcher, self.attr, out, lambda err, a: self._full(a))
        setattr(self.compiled, self.attr, call)
        return out

    def _full(self, args):
        """The call made by the full compilation's variant (its first call: the error at the user's
        line, or the numpy backend's run with fallback=True), which the DiskCompiled then holds when
        that call returns."""
        full = self.compiled.full()
        out = getattr(full, self.attr)(*args)
        setattr(self.compiled, self.attr, getattr(full, self.attr))  # its dispatcher, once compiled
        return out


def compiled(backend, payload, captured, full) -> DiskCompiled:
    """The Compiled of a disk entry; `full()` makes the compilation the entry stands for."""
    memo: list = []

    def full_once():
        if not memo:
            memo.append(full())
        return memo[0]
    variants = payload["variants"]
    shape = payload["output_shape"]
    out = DiskCompiled(None, None, variants["value_and_grad"]["text"], variants["grad"]["text"],
                       payload["output_scalar"], payload["guard"], value_and_grad_ir=LATER,
                       namespace=dict(captured), signature=LATER, seeded=LATER, seeded_source=LATER,
                       output_shape=tuple(shape) if shape is not None else None, irs=LATER)
    out.full = full_once
    for attr in ("value_and_grad", "grad", "seeded"):
        if attr in variants:
            setattr(out, attr, _FirstCallFromDisk(backend, out, attr, variants[attr]))
    if "seeded" in variants:
        out.seeded_source = variants["seeded"]["text"]
    return out


def payload_of(compiled, built) -> dict:
    """What an entry holds for a lowered Compiled (`built`: variant -> LoadedVariant), or None when
    a variant did not lower (its error is not kept: the next process compiles and raises it)."""
    if "value_and_grad" not in built or "grad" not in built:
        return None
    shape = compiled.output_shape
    if shape is not None and not all(type(n) is int for n in shape):
        return None
    if compiled.guard is not None and not isinstance(compiled.guard, str):
        return None
    return {"output_scalar": compiled.output_scalar, "output_shape": list(shape) if shape is not None else None,
            "guard": compiled.guard,
            "variants": {k: {"text": v.text, "name": v.fn_ir.name, "nparams": len(v.fn_ir.params),
                             "extra": list(v.extra_names)} for k, v in built.items()
                         if k in ("value_and_grad", "grad", "seeded")}}
