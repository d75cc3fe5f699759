"""s2sgrad's own compilation for the numba backend, kept on disk: the module texts lowered for one
function and one argument signature, so that a later process skips the compilation (shape
inference, the reverse sweep, the numba lowering: 15-50 ms per function) and goes straight to
numba's disk cache of the same module file.

An entry is found by a digest of everything the lowered text depends on, written canonically:
- s2sgrad's own sources (any change to s2sgrad misses every entry), numpy's, numba's and Python's
  versions, the format of the entry;
- the parsed function: its IR with every callee inlined (every constant by type and exact value,
  an array constant by its bytes, every statement's file, line and text), the refusals deferred to
  the signature;
- what it reads from globals and closures (`captured`): arrays by dtype and shape (the generated
  code reads their values at run time, as the in-memory cache does), numbers by exact value;
- the options: wrt, single, has_aux, checkpoint;
- the signature: dtype and shape of every array argument, the type of every number, the value of
  every parameter the code is specialised on (static_args.py).
A value the canonical form has no exact spelling for (an object, a function, a container
argument) makes the signature uncached: it compiles as before, every time.  An entry that cannot be
read, whose payload digest or key differs, or whose format is old is a miss, and is rewritten
(atomically: temporary file and rename).  A hit whose numba call fails (not expected: the entry
was written by a compilation that lowered) compiles in full, so errors and `fallback=True` are the
usual ones.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys

import numpy as np

from ...cachedir import write_atomically
from .module import cache_dir as _module_dir

FORMAT = 1


class Uncacheable(Exception):
    """A value with no exact canonical spelling: this signature is not kept on disk."""


def dtype_text(d) -> str:
    """A dtype's exact spelling: `dtype.str` names a plain dtype (byte order, kind, size, a datetime's
    unit) but is `|V<size>` for every structured or subarray dtype, which are not cached."""
    d = np.dtype(d)
    if d.fields is not None or d.subdtype is not None or d.hasobject:
        raise Uncacheable(f"the dtype {d}")
    return d.str


def canonical(v, out: list) -> None:
    """Append the exact, process-independent spelling of `v` to `out` (Uncacheable when there is none)."""
    t = type(v)
    if v is None or v is Ellipsis or t is bool or t is int or t is str:
        out.append(f"{t.__name__}:{v!r}")
    elif t is float:
        out.append(f"float:{v.hex()}")
    elif t is complex:
        out.append(f"complex:{v.real.hex()},{v.imag.hex()}")
    elif isinstance(v, np.generic):
        out.append(f"np:{dtype_text(v.dtype)}:{np.asarray(v).tobytes().hex()}")
    elif t is np.ndarray:
        if v.dtype.hasobject:
            raise Uncacheable("an object array")
        digest = hashlib.sha256(np.ascontiguousarray(v).tobytes()).hexdigest()
        out.append(f"array:{dtype_text(v.dtype)}:{v.shape}:{digest}")
    elif isinstance(v, np.dtype):
        out.append(f"dtype:{dtype_text(v)}")
    elif t is tuple or t is list or t is frozenset:
        items = sorted(v, key=repr) if t is frozenset else v
        out.append(f"{t.__name__}(")
        for x in items:
            canonical(x, out)
        out.append(")")
    elif t is slice:
        out.append("slice(")
        for x in (v.start, v.stop, v.step):
            canonical(x, out)
        out.append(")")
    elif isinstance(v, type) and (v.__module__ in ("builtins", "numpy") or issubclass(v, np.generic)):
        out.append(f"type:{v.__module__}.{v.__qualname__}")
    elif dataclasses.is_dataclass(v) and not isinstance(v, type) and type(v).__module__.startswith("s2sgrad."):
        out.append(f"{t.__module__}.{t.__qualname__}(")
        for f in dataclasses.fields(v):
            out.append(f.name + "=")
            canonical(getattr(v, f.name), out)
        out.append(")")
    else:
        raise Uncacheable(f"a value of type {t.__qualname__}")


def _captured(captured: dict, out: list) -> None:
    for name in sorted(captured):
        v = captured[name]
        out.append(f"captured {name}:")
        if type(v) is np.ndarray:  # read at run time: the code depends on its dtype and shape only
            if v.dtype.hasobject:
                raise Uncacheable("an object array")
            out.append(f"array:{dtype_text(v.dtype)}:{v.shape}")
        elif type(v) in (bool, int, float, complex) or isinstance(v, np.generic):
            canonical(v, out)
        elif type(v).__name__ == "module":
            out.append(f"module:{v.__name__}")
        else:
            raise Uncacheable(f"the global {name}")


def _signature(key, out: list) -> None:
    for k in key:
        if type(k) is tuple and len(k) == 2 and isinstance(k[0], np.dtype) and type(k[1]) is tuple:
            out.append(f"arg array:{dtype_text(k[0])}:{k[1]}")
        elif k in (float, int, bool) or isinstance(k, type) and issubclass(k, np.generic):
            out.append(f"arg type:{k.__module__}.{k.__qualname__}")
        elif type(k) is tuple and len(k) == 2 and k[0] in (bool, int, type(None), tuple) and (
                k[0] is not tuple or all(type(x) in (bool, int, type(None), str) or isinstance(x, (np.integer, np.bool_))
                                    for x in k[1])):  # a static parameter's value (static_args.py: a
            # tuple of ints or of strings; a tuple of arrays, a container argument, is (tuple, their keys))
            out.append("static value:")
            canonical(k[1], out)
        else:
            raise Uncacheable("a container or object argument")


_SOURCES: list = []


def _sources_digest() -> str:
    """The digest of every s2sgrad source file (once per process: ~3 ms)."""
    if not _SOURCES:
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        h = hashlib.sha256()
        for d, dirs, files in os.walk(root):
            dirs[:] = sorted(x for x in dirs if x != "__pycache__")
            for f in sorted(files):
                if f.endswith(".py"):
                    path = os.path.join(d, f)
                    h.update(os.path.relpath(path, root).encode() + b"\0")
                    with open(path, "rb") as fh:
                        h.update(fh.read())
                    h.update(b"\0")
        _SOURCES.append(h.hexdigest())
    return _SOURCES[0]


def base() -> list:
    """The first lines of every key: the format, s2sgrad's sources, the versions it runs on."""
    import numba
    return [f"format {FORMAT}", _sources_digest(), f"numpy {np.__version__}", f"numba {numba.__version__}",
            f"python {sys.version}", f"debug {os.environ.get('S2SGRAD_DEBUG', '')}"]


def identity(d, out: list) -> None:
    """Append what a differentiated function's compiled code depends on besides the signature: its
    parsed IR, deferred refusals, captured globals, options (Uncacheable when one has no spelling)."""
    if d._bound_self is not None or d.check_nans:
        raise Uncacheable("a bound method or check_nans")
    canonical(d._parsed.ir, out)
    canonical(tuple(d._parsed.deferred), out)
    _captured(d._parsed.captured, out)
    for option in (tuple(d.wrt), d._single, bool(d.has_aux), d.checkpoint):
        canonical(option, out)


def digest(lines: list) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def entry_key(differentiated, signature_key):
    """The digest naming the entry of this function and signature, or None when it is not cached."""
    out = base()
    try:
        identity(differentiated, out)
        _signature(signature_key, out)
    except Uncacheable:
        return None
    return digest(out)


def _path(key):
    return os.path.join(_module_dir(), "compiled", key[:2], key + ".json")


def read(key):
    """The entry stored under `key`, or None (missing, unreadable, altered or of another format)."""
    try:
        with open(_path(key), encoding="utf-8") as fh:
            stored = json.load(fh)
        payload = stored["payload"]
        text = json.dumps(payload, sort_keys=True)
        if stored.get("digest") != hashlib.sha256(text.encode()).hexdigest() or payload.get("key") != key \
                or payload.get("format") != FORMAT:
            return None
        return payload
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write(key, payload) -> None:
    """Store `payload` (JSON-able) under `key`, atomically; a failure to write only loses the entry."""
    payload = dict(payload, key=key, format=FORMAT)
    text = json.dumps(payload, sort_keys=True)
    stored = {"digest": hashlib.sha256(text.encode()).hexdigest(), "payload": payload}
    path = _path(key)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomically(path, json.dumps(stored))
    except OSError:
        pass


def discard(key) -> None:
    """Remove the entry stored under `key` (if any)."""
    try:
        os.unlink(_path(key))
    except OSError:
        pass
