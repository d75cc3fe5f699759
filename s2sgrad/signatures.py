"""Per-signature compilation for a differentiated function: binding a call's arguments, the cache
of generated code keyed by the arguments' signature (boundary.py), recompiling when a global or
closure value the code baked in was rebound, seeds checked against the output, and BLAS held to
one thread while compiling.  `Signatures` is a mixin of api.Differentiated (its state lives there:
_parsed, _params, _boundary, _cache, _last, backend, checkpoint).
"""
from __future__ import annotations

import contextlib
import inspect
import types
from typing import Any

import numpy as np

from . import debug, static_args
from .boundary import Boundary, check_source_current, fast_key, seed_for
from .errors import S2SGradError
from .frontend import parse_function
from .frontend.lower import guards_hold
from .passes.containers import tree_of
from .runtime import global_put, global_read
from .passes.shapes import UNKNOWN, abstract_of


def _one_blas_thread():
    """A context holding the BLAS library to one thread while a signature compiles.

    Shape inference runs numpy on placeholder arrays of the arguments' full shapes, matmuls
    included; each wakes BLAS's thread pool, whose spinning threads then compete with the compiler
    for the cores: on a busy 2-core machine the README's network took 25-65 ms to compile instead of
    8-15 ms (docs/figures.py).  threadpoolctl is a dependency; without it, nothing is limited."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")




def _check_structured_seed(seed, value, qualname, where="seed"):
    """A seed of a tuple/list/dict output has the output's structure, each part broadcasting to the
    output's part (an error naming the part otherwise, never a wrong gradient or a crash)."""
    from .errors import ArgumentError
    if isinstance(value, dict):
        if not isinstance(seed, dict) or set(seed) != set(value):
            raise ArgumentError(f"{qualname} returns a dict with keys {sorted(value)}: {where} must be a dict with "
                                f"the same keys (got {type(seed).__name__}"
                                + (f" with keys {sorted(seed)})" if isinstance(seed, dict) else ")"))
        for k in value:
            _check_structured_seed(seed[k], value[k], qualname, f"{where}[{k!r}]")
        return
    if isinstance(value, (tuple, list)):
        if not isinstance(seed, (tuple, list)) or len(seed) != len(value):
            raise ArgumentError(f"{qualname} returns a {type(value).__name__} of {len(value)} values: {where} must "
                                f"be a tuple of {len(value)} cotangents, one per value")
        for i, (sv, vv) in enumerate(zip(seed, value)):
            _check_structured_seed(sv, vv, qualname, f"{where}[{i}]")
        return
    if seed is None or not isinstance(seed, (int, float, np.ndarray, np.generic)):
        raise ArgumentError(f"{where} is {type(seed).__name__}: it must be a number or an array of the output's shape")
    try:
        ok = np.broadcast_shapes(np.shape(seed), np.shape(value)) == np.shape(value)
    except ValueError:
        ok = False
    if not ok:
        raise ArgumentError(f"{where} has shape {np.shape(seed)} but that output of {qualname} has shape "
                            f"{np.shape(value)}")


class _RandomState:
    """The state of numpy's global random generator (the one the rule table's random draws use), so
    a function that draws random numbers can be run again with the same draws: a run that only
    learns the output's shape must not make the gradient belong to another draw.  Taken only when
    the function draws (get_state copies the generator's 2.5 KB state: ~35 µs a call)."""

    def __init__(self, parsed):
        draws = parsed.__dict__.get("_draws_random")
        if draws is None:
            from . import ir
            from .rules.custom import may_draw
            draws = parsed.__dict__["_draws_random"] = any(
                may_draw(c.op) for st in ir.walk(parsed.ir.body) for c in ir.stmt_calls(st))
        self.global_state = np.random.get_state() if draws else None
        # (and the module-level names the function declares global and assigns: frontend/effects.py)
        self.held = {k: global_read(*k) for k in written_names(parsed)}

    def restore(self):
        if self.global_state is not None:
            np.random.set_state(self.global_state)
        for k, v in self.held.items():
            global_put(*k, v)


def written_names(parsed) -> tuple:
    """(module key, name) of each name the function declares global and assigns: the prologue's
    global_read calls (frontend/effects.written_through), found once per parsed function."""
    names = parsed.__dict__.get("_written_globals")
    if names is None:
        from . import ir
        names = parsed.__dict__["_written_globals"] = tuple(
            (st.value.args[0].value, st.value.args[1].value) for st in parsed.ir.body
            if isinstance(st, ir.Assign) and isinstance(st.value, ir.Call) and st.value.op == "global_read")
    return names


def _seed_key(v):
    if isinstance(v, dict):
        return ("dict", tuple((k, _seed_key(x)) for k, x in v.items()))
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, tuple(_seed_key(x) for x in v))
    if isinstance(v, np.ndarray):
        return (v.dtype, v.shape)
    return type(v)




def _hide_internals(e: BaseException) -> bool:
    """True when `e` should be re-raised without s2sgrad's internal frames (an S2SGradError, unless
    S2SGRAD_DEBUG=1); any other exception gets a note naming the user's line if it came from
    generated code, and keeps its traceback."""
    if isinstance(e, S2SGradError):
        if e.loc is None:  # a check of the generated code's (runtime.py): the user's line it came from
            site = debug.site_of(e.__traceback__)
            if site is not None and site.loc is not None:
                e.loc = site.loc
                e.args = (e._format(),)
        return not debug.debug_enabled()
    debug.annotate(e)
    return False


def _check_sources(parsed):
    """The function and the helpers it inlines must be the code Python runs (not an edited file)."""
    check_source_current(parsed.py_function, parsed.source)
    from .frontend.source import get_source
    for container, _, obj in parsed.guards:
        helper = getattr(obj, "__wrapped_py__", obj)
        if isinstance(container, dict) and _markers_of(container):
            continue  # a rule's fwd/bwd/jvp: called by the generated code, never read as source
        if isinstance(helper, types.FunctionType) and not helper.__module__.startswith("numpy"):
            try:
                src = get_source(helper)
            except S2SGradError:
                continue
            check_source_current(helper, src)


def _markers_of(container):
    """The custom_vjp / custom_jvp objects whose attribute dict this is (rules/custom.py's rows)."""
    from .rules.custom import CUSTOM
    return [obj for _, obj, _ in CUSTOM.values() if vars(obj) is container]


class Signatures:
    """Compilation and the per-signature cache (a mixin of api.Differentiated)."""

    def _needs_binding(self, args) -> bool:
        """Whether args are not yet one per parameter: too few or too many, or a bound method's
        arguments without its object (as many as its parameters only when the call gives one too
        many: `m.loss(other, w, x)`, which Python refuses, binding says so; internal callers pass
        the object itself first)."""
        return len(args) != self._nparams or (self._bound_self is not None and args[0] is not self._bound_self)

    def _bind(self, args, kwargs):
        if self._bound_self is not None:
            args = (self._bound_self,) + tuple(args)
        fn = self.__wrapped_py__
        if getattr(fn, "__defaults__", None) is not getattr(self, "_defaults_seen", ()) or \
                getattr(fn, "__kwdefaults__", None) is not getattr(self, "_kwdefaults_seen", ()):
            # (f.__defaults__ = (3.0,) after decorating: Python's next call uses the new defaults)
            self._sig = inspect.signature(fn, follow_wrapped=False)  # (a decorator's wrapper is what runs)
            self._defaults_seen, self._kwdefaults_seen = fn.__defaults__, fn.__kwdefaults__
        try:
            b = self._sig.bind(*args, **kwargs)
        except TypeError as e:
            if self._bound_self is None:
                raise
            from .errors import ArgumentError  # (the call Python refuses too: m.loss(other, w, x))
            raise ArgumentError(f"{fn.__qualname__} is a bound method, called without its object: {e} "
                                f"({len(args) - 1} given for {len(self._params) - 1})") from None
        b.apply_defaults()
        return tuple(b.arguments[p] for p in self._params)

    def _refresh_if_stale(self):
        """A global or closure value the compiled code baked in was rebound: parse again."""
        if not guards_hold(self._parsed.guards):
            self._parsed = parse_function(self.__wrapped_py__)
            _check_sources(self._parsed)
            self._boundary = Boundary(self._params, self.wrt, self._parsed)
            self._cache.clear()
            self._last = None
            self._generic_compiled = None
            if self.backend == "triton":
                self._triton._cache.clear()

    def _compile(self, args, key):
        """The compiled code for this call's signature `key` (cached under it).  A rule refusing a
        parameter's value as "computed at run time" makes that parameter static (static_args.py):
        the key then carries its value and the code is compiled for it."""
        base = key[:len(key) - len(self._static)]
        return static_args.compiling(self, args, lambda: base + static_args.key_part(self, args),
                                     lambda k: self._compile_key(args, k))

    def _compile_key(self, args, key):
        from .compiler import compile_signature

        def full():
            abstract = {p: tree_of(a) or abstract_of(a) for p, a in zip(self._params, args)}
            with _one_blas_thread():
                compiled = compile_signature(static_args.specialised(self._parsed, self, args), self.wrt,
                                             self._single, abstract, self.has_aux, checkpoint=self.checkpoint)
            if self.check_nans:  # the instrumented copies replace the plain ones for this object only
                compiled = debug.checked(compiled)
            return static_args.guarded(compiled, self, args)
        if self.backend == "numba":  # s2sgrad's disk cache first (backends/numba/diskcache.py)
            compiled = self._numba.compiled(key, full)
        else:
            compiled = full()
        self._cache[key] = compiled
        self._last = compiled
        return compiled

    def _prepared(self, args, kwargs):
        """(arguments the generated code runs on, its compiled code) for a call."""
        if kwargs or self._needs_binding(args):
            args = self._bind(args, kwargs)
        key = fast_key(args)  # plain arrays and numbers: the key alone, no conversion
        if self._static and key is not None:  # parameters the code is specialised on: their values too
            key = key + static_args.key_part(self, args)
        c = self._cache.get(key) if key is not None else None
        if c is None:
            args, key = self._boundary.prepare(args)
            if self._static:
                key = key + static_args.key_part(self, args)
            c = self._cache.get(key) or self._compile(args, key)
        return args, c

    def _structured_seeded(self, args, kwargs, seed):
        """(value, gradients) for a function returning a tuple/list/dict, with a seed of the same
        structure: the gradient of <seed, output> (compiled per argument and seed signature)."""
        from .compiler import compile_signature
        from .passes.containers import seed_tree
        if kwargs or self._needs_binding(args):
            args = self._bind(args, kwargs)
        args, key = self._boundary.prepare(args)
        draws = _RandomState(self._parsed)
        value = self.__wrapped_py__(*args)
        draws.restore()  # the gradient's run sees the same random draws as the value's
        _check_structured_seed(seed, value, self.__wrapped_py__.__qualname__)
        base = ("cotangent", key, _seed_key(seed))  # shapes, not values: a new seed value reuses the code

        def compile_one(key):
            abstract = {p: tree_of(a) or abstract_of(a) for p, a in zip(self._params, args)}
            c = compile_signature(static_args.specialised(self._parsed, self, args), self.wrt, self._single,
                                  abstract, self.has_aux, seed_tree(seed), checkpoint=self.checkpoint)
            if self.backend == "numba":
                c = self._numba.lower(c)
            self._cache[key] = c
            return c
        c = static_args.compiling(self, args, lambda: base + (static_args.key_part(self, args),), compile_one)
        return value, c.grad(*args, seed)

    def _run_seeded(self, c, args, seed):
        """c.seeded with a seed of the output's shape.  The static shape is only a fast path: it is
        confirmed by the value the run returns; otherwise the output's shape comes from running the
        function, and the seed is checked against it (an error naming both shapes) or broadcast to
        it (a scalar seed for an array output)."""
        draws = _RandomState(self._parsed)  # every run below sees the random draws the first would have
        if c.output_shape is not None and np.shape(seed) == c.output_shape:
            try:
                value, grads = c.seeded(*args, seed)
                if np.shape(value) == c.output_shape:
                    return value, grads
            except Exception:  # a wrong static shape (an error of the user's reappears below)
                pass
            draws.restore()
        shape = np.shape(self.__wrapped_py__(*args))
        draws.restore()
        return c.seeded(*args, seed_for(seed, shape, self.__wrapped_py__.__qualname__))

    def compiled_for(self, *args: Any, **kwargs: Any) -> Any:
        """The generated code (a compiler.Compiled: `value_and_grad_source`, `grad_source`,
        `seeded_source` and the functions) for these arguments' signature."""
        try:
            if self._parsed.guards:
                self._refresh_if_stale()
            return self._prepared(args, kwargs)[1]
        except Exception as e:
            if _hide_internals(e):
                raise e.with_traceback(None)  # s2sgrad's internal frames hidden (S2SGRAD_DEBUG=1 shows them)
            raise


    def _generic(self):
        from .compiler import compile_signature
        if getattr(self, "_generic_compiled", None) is None:
            abstract = {p: UNKNOWN for p in self._params}
            self._generic_compiled = compile_signature(self._parsed, self.wrt, self._single, abstract, self.has_aux,
                                                       checkpoint=self.checkpoint)
        return self._generic_compiled

    # ------------------------------------------------------------------ gradients
