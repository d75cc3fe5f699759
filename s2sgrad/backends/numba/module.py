"""Generated modules on disk, compiled by `numba.njit(cache=True)`, and numba's refusals as
S2SGradErrors at the user's line.

numba caches machine code only for functions defined in a real file (the cache is keyed by the
file's path and modification time), so every lowered program is written to
`$S2SGRAD_CACHE/numba/s2sgrad_nb_<digest>.py` (default `~/.cache/s2sgrad/numba`), the name a
digest of the text: the same program in another process finds the same file, untouched, and
numba's cache next to it (`__pycache__/`).  A file whose text differs from its name's is
rewritten atomically.

What the generated text may read is fixed here: numpy as `np`, `math`, and the names defined in
the module itself.  Arrays the user's function reads from module globals are passed as extra
arguments (numba would freeze a global array into the machine code, and the disk cache would keep
it after the array changed); any other global is refused by name.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import sys
import time

from ... import debug, ir
from ...cachedir import cache_dir as _cache_dir
from ...cachedir import holds, write_atomically
from ...errors import S2SGradError

PREAMBLE = "import math\n\nimport numpy as np\nfrom numba import njit\n"


class NumbaCompileError(S2SGradError):
    """numba cannot compile a construct of the generated code (the user's line named)."""


def cache_dir() -> str:
    """$S2SGRAD_CACHE/numba or ~/.cache/s2sgrad/numba (s2sgrad/cachedir.py)."""
    return _cache_dir("numba")


def decorated(src: str) -> str:
    """`src` (one or more printed functions) with `@njit(cache=True)` above each `def`."""
    return re.sub(r"^def ", "@njit(cache=True)\ndef ", src, flags=re.M)


def module_text(functions_src: str, head: str = "") -> str:
    return PREAMBLE + head + "\n\n" + decorated(functions_src)


def load(text: str):
    """The module of this text, written under cache_dir() (once) and imported."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    name = f"s2sgrad_nb_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    path = os.path.join(cache_dir(), name + ".py")
    if not holds(path, text):  # rewriting an identical file would change its mtime: numba's cache key
        write_atomically(path, text)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def with_globals(dispatcher, nparams, extra_names, namespace):
    """A call of `dispatcher` (of `nparams` parameters, `extra_names` among them: the global arrays a
    generated function reads, passed after the caller's arguments and before a seed)."""
    n = nparams - len(extra_names)
    extra = tuple(namespace[g] for g in extra_names)

    def call(*a):
        return dispatcher(*a[:n], *extra, *a[n:])
    return call


# ------------------------------------------------------------------------------- numba's errors
def is_numba_error(e: BaseException) -> bool:
    """Whether e is numba failing to compile: its own errors, or a plain Python exception raised
    inside its compiler (an IndexError from lowering `np.broadcast_to(v, ())`), never one the
    compiled code raised while running."""
    try:
        from numba.core.errors import NumbaError
    except ImportError:  # pragma: no cover
        return False
    if isinstance(e, NumbaError):
        return True
    import traceback

    import numba
    # (a plain exception from numba's own Python code -- its compiler, or an overload's typing:
    # "Numba does not support average with axis" is a TypeError from numba/np/arraymath.py; compiled
    # code raising while it runs has no frame there)
    frames = traceback.extract_tb(e.__traceback__)
    if not frames:
        return False
    # (by the path's last parts: a .pyc compiled elsewhere keeps the path it was compiled at)
    last = frames[-1].filename.replace("\\", "/")
    home = os.path.dirname(numba.__file__).replace("\\", "/") + "/"
    in_numba = last.startswith(home) or "/site-packages/numba/" in last or "/dist-packages/numba/" in last
    return in_numba and not last.endswith("/core/dispatcher.py")


def numba_failed(e: BaseException) -> bool:
    """Whether e is numba failing on a variant: its compiler (is_numba_error), or its compiled code
    raising NotImplementedError, a form numba implements for some arguments only (a reshape it cannot
    make without copying, in a version that still reaches one).  The generated code never raises
    NotImplementedError itself: it is not a name a generated function may read (__init__.py)."""
    return isinstance(e, NotImplementedError) or is_numba_error(e)


def guarded(call, failed, box=None):
    """`call` (a variant's compiled function) for every call after the first: an error numba raises
    compiling it for arguments of another layout of the same signature (a Fortran-order or strided
    argument after a C-order one), or a NotImplementedError of its compiled code, goes to
    `failed(error, args)` (an error at the user's line, or the numpy backend's run with
    fallback=True) instead of reaching the caller as numba's; `box` (unboxed()) gives the result's
    numbers numpy's scalar types."""
    if box is None:
        def run(*args):
            try:
                return call(*args)
            except Exception as e:
                if not numba_failed(e):
                    raise
                return failed(e, args)
    else:
        def run(*args):
            try:
                out = call(*args)
            except Exception as e:
                if not numba_failed(e):
                    raise
                return failed(e, args)
            return box(out)
    return run


def unboxed(dispatcher):
    """A function giving the numbers of a variant's result numpy's scalar types where numba returns
    them as Python numbers of another precision (a float32 value or a float32 argument's gradient
    comes back as a Python float; the numpy backend's is an np.float32), from the return type numba
    compiled (the same for every layout of one signature's arrays); None when there are none."""
    plans = {_plan(sig.return_type) for sig in dispatcher.nopython_signatures}
    if len(plans) != 1:
        return None
    plan = plans.pop()
    return None if plan is None else _boxer(plan)


def _plan(t):
    import numpy as np
    from numba.core import types
    from numba.np.numpy_support import as_dtype
    if isinstance(t, types.BaseTuple):
        parts = tuple(_plan(x) for x in t.types)
        return None if all(p is None for p in parts) else parts
    if isinstance(t, (types.Float, types.Integer, types.Complex)) and not isinstance(t, types.Boolean):
        d = as_dtype(t)
        # numba boxes float64, int64 and complex128 as float, int and complex: the same precision
        return None if d in (np.dtype(np.float64), np.dtype(np.int64), np.dtype(np.complex128)) else d.type
    return None


def _boxer(plan):
    """The function applying `plan` (a scalar type, or a tuple of plans and Nones) to a result; the
    common (value, gradient) pair spelled out (it runs on every call)."""
    if type(plan) is not tuple:
        return plan
    if len(plan) == 2:
        a, b = (None if p is None else _boxer(p) for p in plan)
        if b is None:
            return lambda out: (a(out[0]), out[1])
        if a is None:
            return lambda out: (out[0], b(out[1]))
        return lambda out: (a(out[0]), b(out[1]))
    fns = tuple(None if p is None else _boxer(p) for p in plan)
    return lambda out: tuple(x if f is None else f(x) for f, x in zip(fns, out))


_FILE_LINE = re.compile(r'File "([^"]+)", line (\d+)')
_NOISE = ("Failed in nopython mode", "- Resolution failure", "During:", "File ", "<source elided>", "^",
          "There are", "- Of which", "Overload", "With argument", "Rejected as", "raised from",
          "This error may have", "For more information", "Enable logging", "No implementation of function",
          "Known signatures", "* (", ">>> ", "Current values", "NumbaPerformanceWarning")


def numba_reason(e: BaseException) -> str:
    """The sentence of numba's message that names what failed (its signature lines kept short)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(e))
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for l in lines:  # "No implementation of function ... found for signature: >>> clip(float64, ...)"
        if l.startswith(">>> "):
            return "no numba implementation of " + l[4:][:260]
    for l in lines:
        if l.startswith("TypingError: Failed in") or l.startswith("Failed in"):
            continue
        if l.startswith("TypingError:") or l.startswith("Unknown attribute") or l.startswith("Untyped global") \
                or l.startswith("Cannot unify") or l.startswith("Use of unsupported") or "got an unexpected" in l \
                or l.startswith("Invalid use of") or l.startswith("Cannot determine"):
            return l.replace("TypingError: ", "")[:300]
    kept = [l for l in lines if not l.startswith(_NOISE)]
    return (kept[0] if kept else lines[0] if lines else type(e).__name__)[:300]


def generated_line(e: BaseException, path: str):
    """The line number in `path` numba's message points at (the innermost mention), or None."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(e))
    found = None
    for m in _FILE_LINE.finditer(text):
        if os.path.basename(m.group(1)) == os.path.basename(path):
            found = int(m.group(2))
    if found is None and getattr(e, "loc", None) is not None and getattr(e.loc, "filename", None) == path:
        found = e.loc.line
    return found


class LoadedVariant:
    """One lowered generated function in its module: the numba dispatcher, the source text, the
    IR it was printed from (the source map to the user's lines) and the extra array arguments."""

    def __init__(self, fn_ir: ir.Function, text: str, fn_src: str, module, extra_names=()):
        self.fn_ir, self.text, self.fn_src, self.module = fn_ir, text, fn_src, module
        self.dispatcher = getattr(module, fn_ir.name)
        self.path = module.__file__
        self.extra_names = tuple(extra_names)
        self.compile_seconds = None
        self.from_cache = None

    def error(self, e: BaseException, what="backend='numba'") -> NumbaCompileError:
        """numba's refusal as an error at the user's line: the construct (the generated line), the
        reason, and what to write instead."""
        line = generated_line(e, self.path)
        site = None
        gen = None
        if line is not None:
            lines = self.text.splitlines()
            gen = lines[line - 1].strip() if 0 < line <= len(lines) else None
            offset = self.text.count("\n", 0, self.text.index(self.fn_src)) if self.fn_src in self.text else 0
            site = debug.source_map(self.fn_ir, self.fn_src).get(line - offset)
        from numba.core.errors import NumbaError
        # (a plain exception from inside numba's compiler carries no line: the user's def is named)
        reason = numba_reason(e) if isinstance(e, NumbaError) else \
            f"numba's compiler failed on it ({type(e).__name__}: {e})" if is_numba_error(e) else \
            f"numba's compiled code does not implement it for these arguments ({type(e).__name__}: {e})"
        construct = f"`{gen}`" if gen else f"the generated function {self.fn_ir.name}"
        where = f" ({os.path.basename(self.path)}:{line})" if line is not None else ""
        msg = (f"{what} cannot compile {construct}{where}: {reason}. "
               "Use backend='numpy' for this function, or differentiate(..., backend='numba', fallback=True) "
               "to run such signatures on the numpy backend (with a warning)")
        return NumbaCompileError(msg, site.loc if site is not None else self.fn_ir.loc)

    def first_call(self, args, call=None):
        """Call the dispatcher (or `call`, which calls it), timing the compilation this first call
        triggers."""
        out, self.compile_seconds, self.from_cache = timed_first_call(call or self.dispatcher, self.dispatcher, args)
        return out


def timed_first_call(call, dispatcher, args):
    """(result, seconds, whether numba loaded the machine code from its disk cache) of a variant's
    first call: `call(*args)`, which calls `dispatcher`."""
    t0 = time.perf_counter()
    out = call(*args)
    seconds = time.perf_counter() - t0
    stats = getattr(dispatcher, "stats", None)
    return out, seconds, bool(stats and sum(stats.cache_hits.values()) > 0)
