"""`s2sgrad.jit`'s modules kept on disk (diskcache.py's store): a later process calling the same
function with the same argument signature loads the module the first process built, without
running the function in Python to record its call sites' signatures and without compiling the
gradients (the first call then runs compiled; numba's own disk cache serves the machine code).

The key is diskcache.base() and: the function's file, first line and source text; the value of
every name it reads (numbers by exact value, numpy and math, builtins by name, each differentiated
function by what its compiled code depends on -- diskcache.identity); the argument signature
(dtype, shape and layout of arrays, the exact value of numbers: a call site's shapes may depend on
one, `x[:n]`).  Anything else read makes the call uncached.  The call sites' signatures are what
the first process recorded for these arguments: the gradient code checks its arguments' shapes on
entry, so a function whose call sites' shapes depend on its arrays' values raises the error a second
call in one process would raise, never runs code generated for other shapes; the entry is then
dropped, so the next process records and builds again.
"""
from __future__ import annotations

import builtins
import math
import time

import numpy as np

from . import diskcache
from .module import is_numba_error, load


def key_of(jitted, args):
    """The entry's digest for this call, or None when something read has no exact spelling."""
    from ...api import Differentiated
    out = diskcache.base() + ["s2sgrad.jit", jitted._file, str(jitted._first), "\n".join(jitted._src_lines)]
    try:
        for n in jitted._names:
            container, v = jitted._value(n)
            out.append(f"reads {n}:")
            if isinstance(v, Differentiated):
                if v._parsed.guards:
                    v._refresh_if_stale()  # a global its code baked in was rebound: the current parse
                out.append(f"differentiated {v.backend}")
                diskcache.identity(v, out)
            elif v is np or v is math:
                out.append(f"module {v.__name__}")
            elif type(v) in (bool, int, float) and container is not None:
                diskcache.canonical(v, out)
            elif container is None and hasattr(builtins, n):
                out.append("builtin")
            else:
                return None
        for a in args:
            if type(a) is np.ndarray and not a.dtype.hasobject:
                out.append(f"arg array:{diskcache.dtype_text(a.dtype)}:{a.shape}:{a.flags.c_contiguous}:"
                           f"{a.flags.f_contiguous}")
            elif type(a) in (bool, int, float, complex) or isinstance(a, np.generic):
                out.append("arg number:")  # by value: the call sites' shapes may depend on it (x[:n])
                diskcache.canonical(a, out)
            else:
                return None
    except diskcache.Uncacheable:
        return None
    return diskcache.digest(out)


def load_entry(jitted, args, key):
    """The compiled dispatcher of the entry stored under `key` (the Jitted's source and guards set
    as a build sets them), or None: no entry, or numba could not load it (the build runs)."""
    import numba

    from .jit_module import _globals
    payload = diskcache.read(key)
    if payload is None:
        return None
    try:
        disp = getattr(load(payload["text"]), payload["name"])
        t0 = time.perf_counter()
        disp.compile(tuple(numba.typeof(a) for a in args))
    except Exception as e:
        if not is_numba_error(e) and not isinstance(e, (AttributeError, SyntaxError)):
            raise
        return None
    jitted.compile_seconds = time.perf_counter() - t0
    jitted.source = payload["text"]
    _, guards = _globals(jitted)
    jitted._guards = guards + [g for s in jitted._sites for g in s.d._parsed.guards]
    return disp


def store(key, text, name):
    diskcache.write(key, {"text": text, "name": name})


SHAPE_CHECK = "inside the compiled loop (its code was generated for it)"  # jit_module._shape_checks


def drop_if_shapes_differ(err, key) -> None:
    """After a hit's call raised `err`: an entry whose call-site shapes are not this call's is removed."""
    if isinstance(err, ValueError) and SHAPE_CHECK in str(err):
        diskcache.discard(key)
