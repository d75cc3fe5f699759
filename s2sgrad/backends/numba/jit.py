"""`s2sgrad.jit(train_fn)`: a plain Python function that calls differentiated functions'
`.grad` / `.value_and_grad` (a training loop, an optimiser, a simulation driver), compiled with
numba as one function, the gradient code compiled alongside it.

How a call runs:
1. The first call for an argument signature runs `train_fn` itself, in Python, exactly as a plain
   call would (the gradients from the numpy backend), recording the argument signature of every
   `.grad` / `.value_and_grad` call site.  Its result is returned: the first call *is* a plain call.
2. The gradient code for each recorded signature is lowered for numba (lower.py) and written with
   a copy of `train_fn`'s source, in which `f.grad(...)` reads `f_grad(...)`, into one module
   (module.py); numba compiles it for the argument types (cache=True: once per machine).
3. Later calls with the same signature run the compiled function; so does the first call in a
   later process, from the module kept on disk (jit_cache.py).  The gradient code checks on
   entry that its array arguments have the shapes it was generated for: a loop whose shapes change
   raises an error rather than running code generated for other shapes.

What `train_fn` may read besides its arguments: numpy, math, numbers (inlined; rebinding one
recompiles) and differentiated functions through `.grad` / `.value_and_grad`.  Anything else, and
anything numba cannot compile, raises a NumbaCompileError naming the line of `train_fn`; with
`fallback=True` the function runs in Python instead, after a warning.
"""
from __future__ import annotations

import ast
import builtins
import dis
import functools
import inspect
import textwrap
import types
import warnings

import numpy as np

from ... import ir
from ...errors import S2SGradError
from ...frontend.lower import guards_hold
from . import check_available
from .module import NumbaCompileError

VARIANTS = ("grad", "value_and_grad")


def arg_key(args):
    """The signature a compiled entry serves: array dtype, shape and layout; number types."""
    out = []
    for a in args:
        if isinstance(a, np.ndarray):
            out.append((a.dtype, a.shape, a.flags.c_contiguous, a.flags.f_contiguous))
        elif isinstance(a, (bool, int, float, complex, np.generic)):
            out.append(type(a))
        else:
            import numba
            out.append(str(numba.typeof(a)))
    return tuple(out)


def numba_key(args):
    """The signature as numba sees it (a Python float and a numpy float64 are both float64), with
    array shapes: what one compiled call site serves."""
    import numba
    return tuple((a.dtype, a.shape) if isinstance(a, np.ndarray) else str(numba.typeof(a)) for a in args)


class _Site:
    def __init__(self, name, variant, node, differentiated):
        self.name, self.variant, self.node, self.d = name, variant, node, differentiated
        self.args = None


class Jitted:
    """The compiled version of a Python function; calling it is calling the function."""

    def __init__(self, fn, fallback=False):
        check_available()
        from . import helpers  # noqa: F401 -- registers numba forms of np.clip, np.sum, np.expand_dims on scalars
        functools.update_wrapper(self, fn)
        self._fn, self.fallback = fn, bool(fallback)
        from ...frontend.source import own_code  # (not the function a decorator wraps)
        lines, self._first = inspect.getsourcelines(own_code(fn))
        self._file = inspect.getsourcefile(own_code(fn)) or "?"
        src = textwrap.dedent("".join(lines))
        tree = ast.parse(src)
        node = tree.body[0]
        if not isinstance(node, ast.FunctionDef):
            raise S2SGradError(f"s2sgrad.jit compiles a function defined with def, not {type(node).__name__}")
        self._def_line = (node.decorator_list[0].lineno if node.decorator_list else node.lineno)
        self._src_lines = src.splitlines()
        self._node = node
        self._names = self._reads()
        self._sites = self._find_sites()
        self._compiled = {}     # arg_key -> dispatcher
        self._guards = []
        self.compile_seconds = None
        self.source = None      # the module numba compiled (the last one)
        self.disk_log = []      # per new signature: "hit", "miss" or "uncached" (jit_cache.py)

    # --------------------------------------------------------------- reading the function
    def _value(self, name):
        fn = self._fn
        if fn.__closure__:
            for n, cell in zip(fn.__code__.co_freevars, fn.__closure__):
                if n == name:
                    return cell, cell.cell_contents
        if name in fn.__globals__:
            return fn.__globals__, fn.__globals__[name]
        return None, getattr(builtins, name, None)

    def _reads(self):
        out = []
        for code in _codes(self._fn.__code__):
            for ins in dis.get_instructions(code):
                if ins.opname in ("LOAD_GLOBAL", "LOAD_DEREF", "LOAD_NAME") and ins.argval not in out \
                        and ins.argval not in self._fn.__code__.co_varnames and ins.argval not in code.co_cellvars:
                    out.append(ins.argval)
        return out

    def _loc(self, lineno, col=0):
        """The user's place: line `lineno` of the (dedented) function source."""
        if not 0 < lineno <= len(self._src_lines):
            return None
        return ir.Loc(self._file, self._first + lineno - 1, max(col, 0), self._src_lines[lineno - 1])

    def _find_sites(self):
        from ...api import Differentiated
        sites, plain = [], []
        for n in ast.walk(self._node):
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name):
                _, v = self._value(n.value.id)
                if isinstance(v, Differentiated):
                    if n.attr not in VARIANTS:
                        raise NumbaCompileError(f"s2sgrad.jit compiles {n.value.id}.grad(...) and "
                                                f"{n.value.id}.value_and_grad(...), not {n.value.id}.{n.attr}: call "
                                                "it outside the compiled function", self._loc(n.lineno, n.col_offset))
                    sites.append(_Site(n.value.id, n.attr, n, v))
            elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
                plain.append(n)
        used = {id(s.node.value) for s in sites}
        from ...api import Differentiated as D
        for n in plain:
            if id(n) not in used and isinstance(self._value(n.id)[1], D):
                raise NumbaCompileError(f"s2sgrad.jit compiles calls to {n.id}.grad and {n.id}.value_and_grad; "
                                        f"{n.id} used otherwise cannot be compiled: call it outside the compiled "
                                        "function, or differentiate what you need", self._loc(n.lineno, n.col_offset))
        return sites

    # --------------------------------------------------------------- calling
    def __call__(self, *args):
        if self._guards_hold():
            entry = self._compiled.get(arg_key(args))
            if entry is not None:
                return entry(*args)
        else:
            self._compiled.clear()
        from . import jit_cache
        key = jit_cache.key_of(self, args)
        hit = jit_cache.load_entry(self, args, key) if key is not None else None
        self.disk_log.append("hit" if hit is not None else "miss" if key is not None else "uncached")
        if hit is not None:  # built by an earlier process for this signature: no run in Python first
            self._compiled[arg_key(args)] = hit
            try:
                return hit(*args)
            except Exception as e:
                jit_cache.drop_if_shapes_differ(e, key)
                raise
        result, recorded = self._probe(args)
        if recorded:
            try:
                self._compiled[arg_key(args)] = self._build(args)
                if key is not None:
                    jit_cache.store(key, self.source, self._node.name)
            except (NumbaCompileError,) as e:
                if not self.fallback:
                    raise
                warnings.warn(f"{e}\n(fallback=True: {self._fn.__qualname__} runs in Python)", stacklevel=2)
                self._compiled[arg_key(args)] = self._fn
        return result

    def _guards_hold(self):
        return guards_hold(self._guards)  # globals and closure cells, module and class attributes

    def _probe(self, args):
        """Run the function in Python, recording each call site's first arguments."""
        for s in self._sites:
            s.args = None
        patched = {}
        for s in self._sites:
            key = (id(s.d), s.variant)
            if key in patched:
                continue
            orig = getattr(type(s.d), s.variant).__get__(s.d)
            same = [t for t in self._sites if t.d is s.d and t.variant == s.variant]

            def recorder(*a, _orig=orig, _same=same, **kw):
                if kw:
                    raise NumbaCompileError(f"s2sgrad.jit compiles calls with positional arguments only "
                                            f"(got {', '.join(kw)}=...)", self._site_loc(_same[0]))
                for t in _same:
                    if t.args is None:
                        t.args = a
                    elif numba_key(t.args) != numba_key(a):
                        raise NumbaCompileError(
                            f"{t.name}.{t.variant} is called with two argument signatures; s2sgrad.jit compiles "
                            "one per call: keep the shapes and types fixed in the loop", self._site_loc(t))
                return _orig(*a)
            patched[key] = (s.d, s.variant, recorder)
        for d, variant, rec in patched.values():
            setattr(d, variant, rec)  # an instance attribute shadowing the method, for this run only
        try:
            result = self._fn(*args)
        finally:
            for d, variant, _ in patched.values():
                delattr(d, variant)
        return result, all(s.args is not None for s in self._sites)

    def _refuse_random(self):
        """numba's np.random is a generator of its own: a compiled draw would not be the plain call's."""
        for n in ast.walk(self._node):
            if isinstance(n, ast.Attribute) and n.attr == "random" and isinstance(n.value, ast.Name) \
                    and self._value(n.value.id)[1] is np:
                raise NumbaCompileError(
                    f"s2sgrad.jit cannot compile {n.value.id}.random: numba draws from its own random "
                    "generator, not numpy's (np.random.seed in Python does not reach it), so the numbers "
                    "would differ from a plain call. Draw them outside and pass them in as an argument",
                    self._loc(n.lineno, n.col_offset))

    def _site_loc(self, s):
        return self._loc(s.node.lineno, s.node.col_offset)

    # --------------------------------------------------------------- building
    def _build(self, args):
        from .jit_module import build
        self._refuse_random()
        return build(self, args)


def _codes(code):
    yield code
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            yield from _codes(c)


def jit(fn=None, *, backend="numba", fallback=False):
    """Compile a function calling differentiated functions' `.grad` / `.value_and_grad` (a training
    loop) into one numba function; decorator or call."""
    if backend != "numba":
        raise ValueError(f"s2sgrad.jit supports backend='numba' only (got {backend!r})")
    if fn is None:
        return lambda f: Jitted(f, fallback)
    return Jitted(fn, fallback)
