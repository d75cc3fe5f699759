"""Building the module `s2sgrad.jit` compiles (jit.py records the call sites' signatures): the
gradient code of each call site lowered for numba (with a shape check on entry), the definitions of
the numbers, numpy and math the function reads, and the function's own source with `f.grad` read as
the compiled gradient's name -- line for line, so numba's errors map back to the user's lines.
"""
from __future__ import annotations

import ast
import builtins
import math
import time

import numpy as np

from ... import debug, ir
from . import helper_imports, lowered_ir, reads_of
from .lower import NotLowerable
from .module import NumbaCompileError, generated_line, is_numba_error, load, module_text, numba_reason


def build(self, args):
    """Write and compile the module for the signatures the probe recorded; the dispatcher of the
    compiled function (`self` is the Jitted object)."""
    import numba
    inner, names, guards, used = [], {}, [], []
    for s in self._sites:
        if (id(s.d), s.variant) in names:
            continue
        c = s.d.compiled_for(*s.args)
        if s.d._static:  # its code is generated per value of these: one compiled call site cannot serve
            raise NumbaCompileError(  # values that change from call to call (static_args.py)
                f"{s.name} is compiled per value of {', '.join(repr(p) for p in s.d._static)} (used as an axis, "
                "keepdims, ddof...); s2sgrad.jit compiles one code per call site: write the value as a constant "
                f"in {s.name}, or use s2sgrad.jit(..., fallback=True) to run the loop in Python", self._site_loc(s))
        if s.variant == "grad" and not c.output_scalar:
            raise NumbaCompileError(f"{s.name}.grad needs a scalar output (use a seed outside the compiled "
                                    "function)", self._site_loc(s))
        new = _fresh(f"{s.name}_{s.variant}", set(self._names) | set(self._fn.__code__.co_varnames)
                     | set(names.values()))
        names[(id(s.d), s.variant)] = new
        fn_ir = (c.irs or {})[s.variant]
        if c.namespace:
            raise NumbaCompileError(f"{s.name} reads the global array(s) {', '.join(sorted(c.namespace))}: "
                                    "s2sgrad.jit cannot compile that yet; pass them as arguments",
                                    self._site_loc(s))
        try:
            low = lowered_ir(fn_ir, c.namespace or {}, new, c.signature, bool(c.output_scalar))
        except NotLowerable as e:
            raise NumbaCompileError(f"s2sgrad.jit cannot compile {s.name}.{s.variant}: {e}",
                                    e.loc or self._site_loc(s)) from None
        low = ir.Function(low.name, low.params, tuple(_shape_checks(low.params, s.args, s.name)) + low.body,
                          low.defaults, low.header, low.loc)
        used += reads_of(low, ir.to_source(low), {})[0]  # refuses a helper numba lacks, at its line
        inner.append(low)
        guards.extend(s.d._parsed.guards)  # a global the gradient code inlined, rebound: rebuild
    head, guards_g = _globals(self)
    head = helper_imports(used) + head
    train_src = _rewritten(self, names)
    fns = "\n\n".join(ir.to_source(f) for f in inner)
    header = (f"# s2sgrad.jit of {self._fn.__qualname__} ({self._file.rsplit('/', 1)[-1]}:{self._first}) -- "
              "do not edit\n")
    text = module_text(fns + "\n\n" + header + train_src, head)
    self.source = text
    module = load(text)
    disp = getattr(module, self._node.name)
    self._guards = guards_g + list(guards)
    t0 = time.perf_counter()
    try:
        disp.compile(tuple(numba.typeof(a) for a in args))
    except Exception as e:
        if not is_numba_error(e):
            raise
        raise _error(self, e, module, inner) from None
    self.compile_seconds = time.perf_counter() - t0
    return disp

def _globals(self):
    """Lines defining what the function reads, and the guards checking them on each call."""
    from ...api import Differentiated
    head, guards = [], []
    for n in self._names:
        container, v = self._value(n)
        if container is not None:
            guards.append((container, n, v))
        if isinstance(v, Differentiated):
            continue
        if v is np:
            head.append(f"{n} = np" if n != "np" else "")
        elif v is math:
            head.append(f"{n} = math" if n != "math" else "")
        elif type(v) in (bool, int, float) and container is not None:
            head.append(f"{n} = {v!r}")
        elif container is None and hasattr(builtins, n):
            continue
        else:
            line = next((x for x in ast.walk(self._node) if isinstance(x, ast.Name) and x.id == n), None)
            what = "an array (numba would freeze its values into the compiled code)" if isinstance(
                v, np.ndarray) else f"a {type(v).__name__}"
            raise NumbaCompileError(
                f"s2sgrad.jit cannot compile the read of `{n}`, {what}: pass it as an argument (numbers, "
                "numpy, math and differentiated functions' .grad/.value_and_grad are what it reads from "
                "globals)", self._loc(line.lineno, line.col_offset) if line is not None else None)
    return "".join(h + "\n" for h in head if h), guards

def _rewritten(self, names):
    """The function's source with `f.grad` read as the compiled gradient's name (lines kept)."""
    lines = list(self._src_lines)
    edits = sorted(((s.node.lineno, s.node.col_offset, s.node.end_col_offset, names[(id(s.d), s.variant)])
                    for s in self._sites), reverse=True)
    for ln, a, b, new in edits:
        line = lines[ln - 1]
        lines[ln - 1] = line[:a] + new + line[b:]
    body = lines[self._node.lineno - 1:]  # decorators dropped
    return "\n".join(body) + "\n"

def _error(self, e, module, inner):
    """numba's refusal at the user's line: in the function itself (its lines are the user's, shifted),
    or in an inlined gradient (through the source map of the generated code)."""
    line = generated_line(e, module.__file__)
    text = self.source
    lines = text.splitlines()
    reason = numba_reason(e)
    gen = lines[line - 1].strip() if line and 0 < line <= len(lines) else None
    train_def = next(i for i, l in enumerate(lines, 1) if l.startswith(f"def {self._node.name}("))
    loc = None
    if line is not None and line >= train_def:
        loc = self._loc(self._node.lineno + line - train_def)
    elif line is not None:  # inside a gradient function: its def line, then the source map
        for low in inner:
            src = ir.to_source(low)
            at = next((i for i, l in enumerate(lines, 1) if l.startswith(f"def {low.name}(")), None)
            if at is not None and at <= line:
                own = src.splitlines().index(next(l for l in src.splitlines() if l.startswith("def ")))
                site = debug.source_map(low, src).get(line - at + own + 1)
                loc = site.loc if site is not None else loc
    construct = f"`{gen}`" if gen else f"{self._fn.__qualname__}"
    return NumbaCompileError(f"s2sgrad.jit cannot compile {construct}: {reason}. Rewrite that line with "
                             "numpy and numbers, or use s2sgrad.jit(..., fallback=True) to run the function in "
                             "Python (with a warning)", loc)


def _shape_checks(params, args, name):
    """Statements raising when an array argument's shape is not the one the code was generated for."""
    out = []
    for p, a in zip(params, args):
        if isinstance(a, np.ndarray) and a.ndim:
            msg = f"{name}: '{p}' must have shape {a.shape} inside the compiled loop (its code was generated for it)"
            out.append(ir.If(ir.Call("ne", (ir.Attr(ir.Name(p), "shape"), ir.Const(tuple(a.shape)))),
                             (ir.ExprStmt(ir.Call("raise", (ir.Call("ValueError", (ir.Const(msg),)),))),), ()))
    return out


def _fresh(name, taken):
    k, out = 1, name
    while out in taken:
        k += 1
        out = f"{name}{k}"
    return out


