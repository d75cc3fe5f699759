"""Run-time debugging aids for generated code: a source map, and NaN/inf checks.

Source map.  Every generated function is registered here under its linecache file name, with a
map from each generated line to the user's line it came from (the IR statements carry `loc`) and
the sweep it belongs to (the forward sweep computes the value; the adjoint sweep, after the first
top-level blank line, the gradients).  `annotate(exc)` adds a note to an exception raised inside
generated code naming the user's `file:line`, the source line and the sweep, so a shape mismatch in
the user's own expression points at the user's code, not only at the generated line.

NaN checks.  `checked(compiled)` gives a Compiled whose functions are instrumented copies: after
every statement that binds a floating value, a check raises `NaNError` at the first NaN or infinity,
naming the user's line and the sweep (PyTorch's `detect_anomaly`, JAX's `debug_nans`).  The copies
are built only when asked for (`differentiate(..., check_nans=True)` or `S2SGRAD_CHECK_NANS=1` when
the decorator runs), so the normal path carries no check at all.
"""
from __future__ import annotations

import os
import weakref
from dataclasses import dataclass, replace
from typing import Optional

import numpy as np

from . import ir
from .errors import NaNError

FORWARD, ADJOINT = "forward", "adjoint"


@dataclass(frozen=True)
class Site:
    """Where a generated line came from."""
    loc: Optional[ir.Loc]  # the user's line (None: bookkeeping s2sgrad added, e.g. a record stack)
    sweep: str             # FORWARD or ADJOINT
    generated: str         # the generated line itself, stripped

    def describe(self) -> str:
        where = f"{self.loc.file}:{self.loc.line}" if self.loc is not None else "<no user line>"
        text = f"\n    {self.loc.text.strip()}" if self.loc is not None else ""
        what = "the forward sweep (computing the value)" if self.sweep == FORWARD else \
            "the adjoint sweep (computing the gradient of this line)"
        return f"{where}, in {what}:{text}"


@dataclass
class Registered:
    fn: ir.Function   # the IR the code was printed from
    src: str
    filename: str
    _lines: Optional[dict] = None
    live: int = 0     # generated function objects alive with this text (the entry goes with the last)

    @property
    def lines(self) -> dict:
        """generated line number (1-based) -> Site, built at the first error that needs it."""
        if self._lines is None:
            self._lines = source_map(self.fn, self.src)
        return self._lines


_REGISTRY: dict = {}


def debug_enabled() -> bool:
    """S2SGRAD_DEBUG=1: keep s2sgrad's internal frames in tracebacks (for debugging s2sgrad)."""
    return os.environ.get("S2SGRAD_DEBUG", "") not in ("", "0")


def check_nans_default() -> bool:
    """S2SGRAD_CHECK_NANS=1: every function decorated from then on checks for NaN/inf."""
    return os.environ.get("S2SGRAD_CHECK_NANS", "") not in ("", "0")


# ------------------------------------------------------------------------------- the source map
def _sweeps(body):
    """(statement, sweep) for the top-level body: the first top-level Blank separates the sweeps."""
    at = next((i for i, s in enumerate(body) if isinstance(s, ir.Blank)), len(body))
    return [(s, FORWARD if i < at else ADJOINT) for i, s in enumerate(body)]


def _children(s):
    """Nested statements in printed order (the printer's elif/`if not` forms keep this order)."""
    if isinstance(s, ir.If):
        return list(s.body) + list(s.orelse)
    if isinstance(s, (ir.For, ir.While)):
        return list(s.body)
    return []


def source_map(fn: ir.Function, src: str) -> dict:
    """{generated line number: Site} for `src == ir.to_source(fn)`.

    The statements are matched to the printed lines in printing order (each statement's own lines,
    compared without indentation, are found at or after the cursor; an `if` nested as an `elif`
    matches its `elif` line), so the map follows the printer without duplicating it."""
    lines = [l.strip() for l in src.split("\n")]
    out = {}
    cursor = next(i for i, l in enumerate(lines) if l.startswith("def ")) + 1

    def visit(s, sweep, last):
        nonlocal cursor
        loc = getattr(s, "loc", None) or last
        compound = isinstance(s, (ir.If, ir.For, ir.While))
        own = [l.strip() for l in ir.stmt_lines(s)]
        if compound:
            own = own[:1]
        at = _find(lines, own, cursor)
        if at is None and isinstance(s, ir.If):
            own = ["el" + own[0]]
            at = _find(lines, own, cursor)
        if at is not None:
            if not isinstance(s, (ir.Comment, ir.Blank)):
                for k in range(len(own)):
                    out[at + k + 1] = Site(loc, sweep, lines[at + k])
            cursor = at + len(own)
        inner = loc
        for c in _children(s):
            got = visit(c, sweep, inner)
            if not isinstance(c, (ir.Comment, ir.Blank)):
                inner = got or inner
        return getattr(s, "loc", None) or last

    last, last_sweep = None, FORWARD
    for s, sweep in _sweeps(fn.body):
        if sweep != last_sweep:  # a statement without a loc takes the last user line of its own sweep
            last, last_sweep = None, sweep
        new = visit(s, sweep, last)
        if not isinstance(s, (ir.Comment, ir.Blank)):
            last = new
    return out


def _find(lines, own, start):
    n = len(own)
    for i in range(start, len(lines) - n + 1):
        if lines[i:i + n] == own:
            return i
    return None


def register(filename: str, fn: ir.Function, src: str, function=None) -> None:
    """Keep what the map of a generated function is built from (called by compiler._exec; the map
    itself is built only when an error needs it, so compiling costs nothing more).  With the
    generated `function` object given, the entry lives as long as some function with this text does
    (a long-running process compiling many signatures does not keep every IR)."""
    reg = _REGISTRY.get(filename)
    if reg is None:
        reg = _REGISTRY[filename] = Registered(fn, src, filename)
    if function is not None:
        reg.live += 1
        weakref.finalize(function, _release, filename)


def _release(filename):
    reg = _REGISTRY.get(filename)
    if reg is not None:
        reg.live -= 1
        if reg.live <= 0:
            del _REGISTRY[filename]


def site_of(tb) -> Optional[Site]:
    """The Site of the innermost frame of a traceback that runs generated code."""
    found = None
    while tb is not None:
        reg = _REGISTRY.get(tb.tb_frame.f_code.co_filename)
        if reg is not None:
            found = reg.lines.get(tb.tb_lineno, found)
        tb = tb.tb_next
    return found


def annotate(exc: BaseException) -> BaseException:
    """Add a note naming the user's line to an exception raised inside generated code (once)."""
    if getattr(exc, "_s2sgrad_annotated", False) or isinstance(exc, NaNError):
        return exc
    site = site_of(exc.__traceback__)
    if site is not None and site.loc is not None and hasattr(exc, "add_note"):
        exc.add_note(f"s2sgrad: raised by generated code for {site.describe()}")
        try:
            setattr(exc, "_s2sgrad_annotated", True)
        except AttributeError:  # an exception type with __slots__
            pass
    return exc


# ------------------------------------------------------------------------------- NaN/inf checks
def _bad(v):
    """'NaN' / 'inf' when v (a float, a floating/complex array or numpy scalar, or a tuple of them)
    holds one; None otherwise (integers, booleans, None and other objects are never bad)."""
    if isinstance(v, float):
        return "NaN" if v != v else ("inf" if v in (float("inf"), float("-inf")) else None)
    if isinstance(v, (np.ndarray, np.generic)):
        if v.dtype.kind not in "fc":
            return None
        if np.isfinite(v).all():
            return None
        return "NaN" if np.isnan(v).any() else "inf"
    if isinstance(v, (tuple, list)):
        for x in v:
            b = _bad(x)
            if b:
                return b
    return None


def _nan_check(value, site_index, sites):
    bad = _bad(value)
    if bad:
        site = sites[site_index]
        what = "forward sweep, computing the value" if site.sweep == FORWARD else \
            "adjoint sweep, computing the gradient through this line"
        where = "" if site.loc is not None else " by a statement s2sgrad added"
        raise NaNError(f"{bad} produced{where} ({what}; the generated statement: {site.generated})", site.loc,
                       sweep=site.sweep, kind=bad)
    return value


def _instrument(body, sweep_of, sites, last):
    out = []
    for s in body:
        sweep = sweep_of(s)
        if isinstance(s, ir.If):
            s = replace(s, body=tuple(_instrument(s.body, lambda _: sweep, sites, s.loc or last)),
                        orelse=tuple(_instrument(s.orelse, lambda _: sweep, sites, s.loc or last)))
        elif isinstance(s, (ir.For, ir.While)):
            s = replace(s, body=tuple(_instrument(s.body, lambda _: sweep, sites, s.loc or last)))
        out.append(s)
        if isinstance(s, (ir.Assign, ir.SetItem)):
            loc = s.loc or last
            if loc is not None:
                last = loc
            sites.append(Site(loc, sweep, ir.stmt_lines(s)[0].strip()))
            checked = s.target if isinstance(s, ir.SetItem) else None
            values = [ir.Name(checked)] if checked else [ir.Name(t) for t in s.targets]
            for v in values:
                out.append(ir.ExprStmt(ir.Call("_s2sgrad_nan_check", (v, ir.Const(len(sites) - 1))), s.loc))
    return out


def checked_function(reg: Registered, namespace: dict):
    """The instrumented copy of a registered generated function, run in `namespace`."""
    sites: list = []
    sweep = dict((id(s), w) for s, w in _sweeps(reg.fn.body))
    body = _instrument(reg.fn.body, lambda s: sweep.get(id(s), FORWARD), sites, None)
    fn = replace(reg.fn, body=tuple(body))
    src = ir.to_source(fn)
    filename = reg.filename[:-1] + " nan-checked>"
    code = compile(src, filename, "exec")
    import linecache
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    scope = dict(namespace)
    scope["_s2sgrad_nan_check"] = lambda v, i: _nan_check(v, i, sites)
    exec(code, scope)
    return scope[fn.name]


def checked(compiled):
    """A Compiled whose value_and_grad, grad and seeded functions check every floating value."""
    from .runtime import NAMESPACE
    namespace = dict(NAMESPACE)
    namespace.update(compiled.namespace or {})

    def swap(f):
        reg = _REGISTRY.get(getattr(getattr(f, "__code__", None), "co_filename", None))
        return checked_function(reg, namespace) if reg is not None else f
    return replace(compiled, value_and_grad=swap(compiled.value_and_grad), grad=swap(compiled.grad),
                   seeded=swap(compiled.seeded))
