"""The numba backend: `differentiate(fn, backend="numba")` and `s2sgrad.jit(train_fn)`.

The program generated for the numpy backend, for one argument signature (compiler.Compiled and
the IR of each variant), is lowered to numba-compatible source (lower.py), written to a module file
in the cache directory and compiled by `numba.njit(cache=True)` (module.py) at the first call of
each variant: the same statements, run as machine code, the values those of the numpy backend up to
the order of additions inside reductions.  Anything numba cannot compile raises a
`NumbaCompileError` naming the user's line, or, with `fallback=True`, warns and runs that
signature's numpy code: never a silent change of backend.

numba is an optional dependency (`pip install s2sgrad[numba]`).
"""
from __future__ import annotations

import dis
import warnings

import numpy as np

from ... import ir
from ...compiler import LATER, Compiled
from ...errors import S2SGradError
from ...runtime import NAMESPACE
from .einsum import is_einsum
from .lower import NotLowerable, lower_function
from .module import (LoadedVariant, NumbaCompileError, guarded, load, module_text, numba_failed, unboxed,
                     with_globals)


class NumbaUnavailableError(S2SGradError):
    """numba is not installed."""


def check_available():
    try:
        import numba  # noqa: F401
    except ImportError:
        raise NumbaUnavailableError("backend='numba' needs numba: pip install numba (or pip install "
                                    "s2sgrad[numba])") from None


# helpers.py's and numpy_forms.py's names (kept literal here: importing them imports numba, which may
# be missing)
HELPERS = ("copy_of", "unbroadcast", "max_along", "min_along", "add_at", "keepdims_all", "np_outer", "mat_mul", "norm_of")
NUMPY_FORMS = ("is_close", "full_like_of", "cast_as", "var_along", "logsumexp_all", "logsumexp_along", "digamma",
               "flip_of", "cumsum_along", "inner_of", "ddof_scale", "roll_along", "nansum_along", "nanmean_along",
               "rows_of", "columns_of", "array_of", "diff_along")
CACHED = ("new_empty", "new_zeros", "new_empty_like", "new_zeros_like", "mat_vec", "vec_mat", "mat_mat", "outer_of")
VECMATH = ("exp32", "tanh32", "sum_add", "sum_add32")  # vecmath.py's: the float32 math and sum of fused loops
# names numba resolves by itself (builtins it types); everything else a generated function reads
# must be a module of the preamble or an array passed as an argument
_BUILTINS = {"range", "len", "min", "max", "abs", "float", "int", "bool", "print", "ValueError", "AssertionError", "UnboundLocalError",
             "round", "sum", "tuple", "np", "math"}


def global_reads(src: str, name: str) -> list:
    """The global names function `name` in `src` reads, in order of first use."""
    code = compile(src, "<lowered>", "exec")
    fn_code = next(c for c in code.co_consts if hasattr(c, "co_code") and c.co_name == name)
    seen = []
    for ins in dis.get_instructions(fn_code):
        if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME") and ins.argval not in seen:
            seen.append(ins.argval)
    return seen


def lower_variant(fn_ir: ir.Function, namespace: dict, name: str = None, signature: dict = None,
                  scalar_seed: bool = False) -> LoadedVariant:
    """A generated function (IR) as a numba-compiled function in its module file.  Arrays it reads
    from `namespace` become extra parameters (LoadedVariant.extra_names)."""
    low = lowered_ir(fn_ir, namespace, name, signature, scalar_seed)
    src = ir.to_source(low)
    used, extra = reads_of(low, src, namespace)
    if extra:  # before the seed's default: the wrapper passes them after the caller's arguments
        low = ir.Function(low.name, tuple(low.params) + tuple(extra), low.body, low.defaults, low.header, low.loc)
        src = ir.to_source(low)
    text = module_text(src, helper_imports(used))
    return LoadedVariant(low, text, _decorated_fn(src), load(text), extra)


def reads_of(low, src, namespace):
    """(helpers of helpers.py, global arrays) the lowered function reads; any other global is
    refused at the line that reads it."""
    used, extra = [], []
    for g in global_reads(src, low.name):
        if g in _BUILTINS:
            continue
        if g in HELPERS or g in VECMATH or g in NUMPY_FORMS or g in CACHED or is_einsum(g):
            used.append(g)
            continue
        if isinstance(namespace.get(g), np.ndarray):
            extra.append(g)
            continue
        what = "the runtime helper" if g in NAMESPACE else "the global"
        raise _refusal(low, src, g, f"{what} `{g}` has no numba version")
    return used, extra


def helper_imports(used):
    out = ""
    from .einsum import source_of
    einsums = sorted(set(g for g in used if is_einsum(g)))
    for module, names in (("cached", CACHED), ("helpers", HELPERS), ("numpy_forms", NUMPY_FORMS), ("vecmath", VECMATH)):
        mine = sorted(set(used) & set(names))
        if mine:
            # the digest of the helpers' source names the module file: numba's disk cache of a function
            # does not notice a change in a function it inlined, a new file name does
            out += f"from s2sgrad.backends.numba.{module} import {', '.join(mine)}  # {module}.py {_digest(module)}\n"
    for name in einsums:  # the loops each einsum's subscripts spell, in the module itself
        out += "\n\n" + source_of(name)
    return out


def _digest(module, _seen={}):
    if module not in _seen:
        import hashlib
        import os
        with open(os.path.join(os.path.dirname(__file__), module + ".py"), "rb") as fh:
            _seen[module] = hashlib.sha256(fh.read()).hexdigest()[:8]
    return _seen[module]


def lowered_ir(fn_ir, namespace, name=None, signature=None, scalar_seed=False):
    """The numba-compatible IR: rewritten (lower.py), record stacks of numbers preallocated
    (records.py) and elementwise runs fused (fuse.py) where the signature gives the shapes."""
    from ...passes.shapes import PyNum
    from .direct import direct_calls
    from .einsum import tensordots_as_einsums
    from .fuse import fuse
    from .records import preallocate
    low = lower_function(fn_ir, name or fn_ir.name)
    if signature:
        sig = dict(signature)
        if scalar_seed:  # the seed of a scalar output is a number
            sig.update({k: PyNum(float) for k, _ in fn_ir.defaults})
        ns = {**NAMESPACE, **namespace}
        low = fuse(tensordots_as_einsums(preallocate(low, sig, ns), sig, ns), sig, ns)
        low = direct_calls(low, sig, ns)
    return low


def _decorated_fn(src):
    from .module import decorated
    return decorated(src)


def _refusal(low, src, name, reason):
    """An error at the first line of `src` that uses `name` (the user's line through the source map)."""
    from ... import debug
    site = None
    for i, line in enumerate(src.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        if any(tok == name for tok in _tokens(line)):
            site = debug.source_map(low, src).get(i)
            gen = line.strip()
            break
    else:
        gen = name
    return NumbaCompileError(f"backend='numba' cannot compile `{gen}`: {reason}. Use backend='numpy' for this "
                             "function, or differentiate(..., backend='numba', fallback=True) to run such "
                             "signatures on the numpy backend (with a warning)",
                             site.loc if site is not None else None)


def _tokens(line):
    import re
    return re.findall(r"[A-Za-z_][A-Za-z_0-9]*", line)


class _FirstCall:
    """A variant's function until its first call has compiled it: then the Compiled object holds the
    numba dispatcher, guarded (module.guarded: numba failing on a later call's arguments of another
    layout is the same error at the user's line, or the same fallback, as on a first call), or, with
    `fallback`, the numpy backend's function after a warning."""

    def __init__(self, backend, compiled, attr, build, numpy_fn):
        self.backend, self.compiled, self.attr, self.build, self.numpy_fn = backend, compiled, attr, build, numpy_fn

    def __call__(self, *args):
        variant = None
        try:
            variant = self.build()
            _refuse_containers(variant.fn_ir.params, args, self.backend.f)
            call = variant.dispatcher
            if variant.extra_names:  # arrays read from globals: passed by reference on each call
                call = with_globals(variant.dispatcher, len(variant.fn_ir.params), variant.extra_names,
                                    self.compiled.namespace)
            out = variant.first_call(args, call)
        except (NumbaCompileError, NotLowerable) as e:
            return self._fall_back(e, args)
        except Exception as e:
            if variant is None or not numba_failed(e):
                raise
            return self._fall_back(variant.error(e), args)
        self.backend.compile_log.append((self.attr, variant.compile_seconds, variant.from_cache))
        call, out = compiled_call(call, variant.dispatcher, self.attr, out,
                                  lambda e, a: self._fall_back(variant.error(e), a))
        setattr(self.compiled, self.attr, call)
        return out

    def _fall_back(self, err, args):
        if isinstance(err, NotLowerable):
            err = NumbaCompileError(f"backend='numba' cannot compile {err}. Use backend='numpy' for this function, "
                                    "or differentiate(..., backend='numba', fallback=True) to run such signatures "
                                    "on the numpy backend (with a warning)", err.loc)
        if not self.backend.fallback:
            from ... import debug
            if debug.debug_enabled():  # S2SGRAD_DEBUG=1: numba's own error and traceback chained
                raise err
            raise err from None  # its reason is in the message: not numba's traceback above it
        warnings.warn(f"{err}\n(fallback=True: this signature runs on the numpy backend)", stacklevel=3)
        self.backend.fallbacks.append(str(err))
        setattr(self.compiled, self.attr, self.numpy_fn)
        return self.numpy_fn(*args)


def compiled_call(call, dispatcher, attr, out, failed):
    """(what the Compiled holds for variant `attr` once its first call has compiled it, that call's
    result): `call` guarded (module.guarded), its numbers boxed as numpy's scalar types where numba's
    boxing changes their type (module.unboxed: a float32 value comes back as an np.float32, as from
    the numpy backend).  Only value_and_grad and grad: their argument dtypes are the signature's, so
    the return type of the first call's compilation is every call's; a seed's dtype may vary."""
    box = unboxed(dispatcher) if attr in ("value_and_grad", "grad") else None
    if box is not None:
        out = box(out)
    return guarded(call, failed, box), out


def is_container(a) -> bool:
    """Whether argument `a` is a dict, a list or tuple holding arrays or containers, an empty list
    or an object: no type numba compiles."""
    from ...passes.trees import _is_object
    return isinstance(a, dict) or _is_object(a) or isinstance(a, list) and not a or isinstance(a, (list, tuple)) and any(
        isinstance(x, (np.ndarray, dict, list, tuple)) or _is_object(x) for x in a)  # ([]: numba has no type for it)


def _refuse_containers(params, args, differentiated):
    """A dict, list, tuple of arrays or object argument is no type numba compiles (it said 'non-precise
    type pyobject' at the decorator): refused at the user's def, naming the argument."""
    from ...higher_grad import _def_loc
    from ...passes.trees import _is_object
    for p, a in zip(params, args):
        if is_container(a):
            kind = f"an object of '{type(a).__name__}'" if _is_object(a) else f"a {type(a).__name__}"
            raise NumbaCompileError(
                f"backend='numba' takes arrays and numbers as arguments, and '{p}' is {kind}: pass its arrays as "
                "arguments of their own, or use backend='numpy' (which takes containers and objects), or "
                "differentiate(..., backend='numba', fallback=True) to run such signatures on the numpy backend",
                _def_loc(differentiated.__wrapped_py__))


class NumbaBackend:
    """Per Differentiated object: lowers each signature's Compiled into numba-compiled variants."""

    def __init__(self, differentiated, fallback=False):
        check_available()
        from . import helpers  # noqa: F401 -- registers numba forms of np.clip, np.sum, np.expand_dims on scalars
        self.f = differentiated
        self.fallback = bool(fallback)
        self.compile_log = []   # (variant, seconds of the first call, loaded from the disk cache)
        self.fallbacks = []     # the errors of signatures run on the numpy backend (fallback=True)
        self.disk_log = []      # per compiled signature: "hit", "miss" (entry written) or "uncached" (diskcache.py)

    def compiled(self, key, full) -> Compiled:
        """The Compiled of signature `key`: from s2sgrad's disk cache (diskcache.py) when an entry
        matches, else `full()` (the signature's compilation) lowered, and its entry written."""
        from . import diskcache, fromdisk
        digest = diskcache.entry_key(self.f, key)

        def store(out, built):  # at the lowering, and again once the seeded variant is built
            payload = fromdisk.payload_of(out, built)
            if payload is not None:
                diskcache.write(digest, payload)
        if digest is not None:
            payload = diskcache.read(digest)
            if payload is not None:
                self.disk_log.append("hit")
                # what the entry lacks comes from a full compilation, which writes the entry again
                # (an entry numba could not compile is replaced, not met again by every process)
                return fromdisk.compiled(self, payload, self.f._parsed.captured,
                                         lambda: self._lower(full(), store)[0])
        self.disk_log.append("miss" if digest is not None else "uncached")
        return self._lower(full(), store if digest is not None else None)[0]

    def lower(self, c: Compiled) -> Compiled:
        """A Compiled whose functions are numba-compiled at their first call; the sources are the
        module texts numba compiles."""
        return self._lower(c)[0]

    def _lower(self, c: Compiled, store=None):
        """(lower(c), the variants lowered so far: kind -> LoadedVariant); `store(out, built)` is
        called when the variants are lowered, and again when the seeded one is."""
        irs = c.irs or {}
        ns = c.namespace or {}
        built = {}

        def builder(kind, fn_ir):
            def build():
                if kind not in built:
                    built[kind] = lower_variant(fn_ir, ns, signature=c.signature, scalar_seed=bool(c.output_scalar))
                return built[kind]
            return build

        def source(kind, fn_ir):
            try:
                return builder(kind, fn_ir)().text
            except (NumbaCompileError, NotLowerable) as e:
                return f"# backend='numba' cannot compile this variant:\n# {e}\n"
        out = Compiled(None, None, source("value_and_grad", irs["value_and_grad"]), source("grad", irs["grad"]),
                       c.output_scalar, c.guard, LATER, dict(ns), c.signature, LATER, LATER, c.output_shape,
                       None, irs=irs)
        out.value_and_grad = _FirstCall(self, out, "value_and_grad", builder("value_and_grad", irs["value_and_grad"]),
                                        c.value_and_grad)
        out.grad = _FirstCall(self, out, "grad", builder("grad", irs["grad"]), c.grad)

        def later():
            seeded_ir = c.value_and_grad_ir
            fn = _FirstCall(self, out, "seeded", builder("seeded", seeded_ir), c.seeded)
            src = source("seeded", seeded_ir)
            if store is not None and "seeded" in built:
                store(out, built)
            return fn, src, seeded_ir
        out.later = later
        if store is not None:
            store(out, built)
        return out, built

    def compile_seconds(self):
        return sum(t for _, t, _ in self.compile_log if t is not None)
