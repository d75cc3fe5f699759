"""The user-facing API: `@differentiate`, `grad`, `value_and_grad`, `stop_gradient`, `no_grad`.

Compilation: the source is read, parsed and fenced when the decorator runs (so unsupported code is
reported at import time), and the adjoint is generated at the first call for each argument
*signature* (dtypes and shapes of arrays, types of Python numbers), then cached: later calls with
the same signature run the generated function directly, with no parsing and no tracing.  What an
argument, a seed and the source must be for cached code to apply is boundary.py's business.

Errors: every public entry point raises an `S2SGradError` with its traceback ending at the user's
call (one s2sgrad frame, the entry point's `raise` line; `S2SGRAD_DEBUG=1` keeps the internal
frames).  Any other exception raised inside generated code passes through unchanged but for a note
naming the user's line and sweep (debug.annotate).  The try blocks cost nothing when nothing is
raised (Python >= 3.11).
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Optional, Sequence, Union

import numpy as np

from . import debug
from .api_sources import GeneratedSources
from .boundary import Boundary, fast_key, seed_for
from .errors import NonScalarOutputError, S2SGradError, WrtError
from .frontend import parse_function
from .passes.outputs import scalarize, split_aux, structured_return
from .runtime import global_put, global_read
from .signatures import Signatures, _check_sources, _hide_internals, written_names
from .markers import detach, no_grad, stop_gradient  # noqa: F401 (re-exported: s2sgrad.no_grad, ...)


def _param_name(w, params, fn, parsed):
    """A wrt entry as a parameter name: names stay, integers are positions (negative from the end)."""
    if isinstance(w, int) and not isinstance(w, bool):
        if not -len(params) <= w < len(params):
            raise WrtError(f"wrt position {w} is out of range: {fn.__qualname__} has {len(params)} parameters "
                           f"({', '.join(params)})", parsed.ir.loc)
        return params[w]
    return w


class Differentiated(GeneratedSources, Signatures):
    """A function with its gradient.  Calling it calls the original function unchanged.  Compiling
    and the cache per signature are Signatures' (signatures.py); the generated-code views
    (`grad_source`, `jvp_source`, ...) GeneratedSources' (api_sources.py)."""

    wrt: tuple
    backend: str

    def __init__(self, fn: Callable, wrt: Union[None, str, int, Sequence[Union[str, int]]] = None,
                 backend: str = "numpy", check_nans: Optional[bool] = None, has_aux: bool = False,
                 checkpoint: Union[None, bool, int] = None, fallback: bool = False):
        functools.update_wrapper(self, fn)
        # a bound method (model.loss): its function, with the object passed as `self` on every call;
        # self's attributes are arguments read like a dict of arrays (frontend/methods.py)
        self._bound_self, cls = None, None
        if inspect.ismethod(fn) and isinstance(fn.__self__, Differentiated):
            # differentiate(f.grad): refused naming the user's f (its def line), which the unwrapped
            # method below would no longer carry
            from .frontend.lower import _refuse_generated
            _refuse_generated(fn, None)
        if inspect.ismethod(fn) and isinstance(fn.__self__, type):  # Model.cm of a classmethod
            from .errors import UnsupportedSyntaxError
            from .higher_grad import _def_loc
            raise UnsupportedSyntaxError(f"{fn.__qualname__} is a classmethod (its class passed as `cls`, which "
                                         "s2sgrad does not bind): differentiate a staticmethod or a module-level "
                                         "function taking what it reads from the class as arguments",
                                         _def_loc(fn.__func__))
        if inspect.ismethod(fn) and not isinstance(fn.__self__, type):
            self._bound_self, cls, fn = fn.__self__, type(fn.__self__), fn.__func__
        from .frontend.wrappers import trampoline
        fn = trampoline(fn)  # (a decorator's wrapper taking *args: called with the parameters it wraps)
        self.__wrapped_py__ = fn
        self._sig = inspect.signature(fn, follow_wrapped=False)  # (a decorator's wrapper is what runs)
        params = list(self._sig.parameters)
        self._params = params
        self._nparams = len(params)
        self._parsed = parse_function(fn, cls=cls)
        _check_sources(self._parsed)
        if wrt is None:
            if not params:
                raise WrtError(f"{fn.__qualname__} has no parameter to differentiate", self._parsed.ir.loc)
            wrt, single = (params[0],), True  # for a bound method: self, i.e. all its array attributes
        elif isinstance(wrt, (str, int)):
            wrt, single = (wrt,), True
        else:
            wrt, single = tuple(wrt), False
        chosen: tuple = tuple(_param_name(w, params, fn, self._parsed) for w in wrt)  # positions: argnums
        chosen = tuple(w[0] if isinstance(w, tuple) and len(w) == 1 else w for w in chosen)  # ("x",) is x
        if self._bound_self is not None:  # attribute names of the bound object: paths under self
            chosen = tuple((params[0], w) if isinstance(w, str) and w not in params and hasattr(self._bound_self, w)
                           else w for w in chosen)
        self.has_aux = has_aux  # fn returns (loss, aux): aux carried through, not differentiated
        # a tuple/list/dict output (without has_aux): gradients need a seed of the same structure
        self._structured = not has_aux and structured_return(self._parsed.ir)
        # refusals the source alone decides, raised when the decorator runs rather than at the first
        # call: every compilation of this function would make them (passes/outputs.py)
        if has_aux:
            split_aux(self._parsed.ir)  # has_aux: every return a pair
        elif self._structured:
            scalarize(self._parsed.ir, "cotangent")  # the same structure returned on every path
        for w in chosen:
            if w not in params and not isinstance(w, tuple):
                raise WrtError(f"wrt names '{w}', which is not a parameter of {fn.__qualname__} "
                               f"(parameters: {', '.join(params)})", self._parsed.ir.loc)
            if isinstance(w, tuple) and (not w or w[0] not in params):  # a path under a parameter
                raise WrtError(f"wrt path {w!r} does not start at a parameter of {fn.__qualname__} "
                               f"(parameters: {', '.join(params)})", self._parsed.ir.loc)
        self.wrt = chosen
        self._single = single
        self._boundary = Boundary(params, chosen, self._parsed)
        self.backend = backend
        self._cache: dict = {}
        self._static: tuple = ()  # parameters the code is generated per value of (static_args.py)
        self._last = None
        if backend == "triton":
            from .triton import TritonBackend
            self._triton = TritonBackend(self)
        elif backend == "numba":  # numba-compiled variants of each signature's code (backends/numba/)
            from .backends.numba import NumbaBackend
            self._numba = NumbaBackend(self, fallback)
        elif backend != "numpy":
            raise ValueError(f"unknown backend {backend!r} (use 'numpy', 'numba' or 'triton')")
        self.check_nans = debug.check_nans_default() if check_nans is None else bool(check_nans)
        if checkpoint is not None and not isinstance(checkpoint, bool) and (not isinstance(checkpoint, int)
                                                                            or checkpoint < 1):
            raise ValueError(f"checkpoint must be True or a number of snapshots >= 1, not {checkpoint!r}")
        self.checkpoint = checkpoint or None  # ad/checkpoint.py: segments recomputed in the reverse sweep
        if self.check_nans and backend != "numpy":
            raise ValueError("check_nans=True is supported on the numpy backend only")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._bound_self is not None:
            return self.__wrapped_py__(self._bound_self, *args, **kwargs)
        return self.__wrapped_py__(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<s2sgrad.differentiate {self.__wrapped_py__.__qualname__} wrt={self.wrt}>"

    def grad(self, *args: Any, seed: Any = None, **kwargs: Any) -> Any:
        """Gradient(s) with respect to `wrt`; `seed` gives the vector-Jacobian product for a
        non-scalar output (like `y.backward(gradient=seed)` in PyTorch)."""
        try:
            if seed is None and not kwargs and not self._parsed.guards and self.backend != "triton":
                # the per-call fast path: plain arrays and numbers of a signature already compiled
                # (the Triton backend's signatures are its launch plans, not this cache's numpy code)
                c = self._cache.get(fast_key(args))
                if c is not None and c.output_scalar:
                    return c.grad(*args)
            if self._parsed.guards:
                self._refresh_if_stale()
            if self.backend == "triton":
                return self._triton.value_and_grad(args, kwargs, seed)[1]
            if self._structured and seed is not None:
                return self._structured_seeded(args, kwargs, seed)[1]
            args, c = self._prepared(args, kwargs)
            if seed is None:
                if c.output_scalar:
                    return c.grad(*args)
                value, grads = self._unseeded(c, args)
                return grads
            return self._run_seeded(c, args, seed)[1]
        except Exception as e:
            if _hide_internals(e):
                raise e.with_traceback(None)  # s2sgrad's internal frames hidden (S2SGRAD_DEBUG=1 shows them)
            raise

    def value_and_grad(self, *args: Any, seed: Any = None, **kwargs: Any) -> tuple:
        """(value, gradient(s)) in one pass: the forward sweep computes the value anyway."""
        try:
            if self._parsed.guards:
                self._refresh_if_stale()
            if self.backend == "triton":
                return self._triton.value_and_grad(args, kwargs, seed)
            if self._structured and seed is not None:
                return self._structured_seeded(args, kwargs, seed)
            args, c = self._prepared(args, kwargs)
            if seed is None:
                if c.output_scalar:
                    return c.value_and_grad(*args)
                return self._unseeded(c, args)
            return self._run_seeded(c, args, seed)
        except Exception as e:
            if _hide_internals(e):
                raise e.with_traceback(None)  # s2sgrad's internal frames hidden (S2SGRAD_DEBUG=1 shows them)
            raise

    def vjp(self, *args: Any, **kwargs: Any) -> tuple:
        """(value, pullback): pullback(v) gives the gradients for cotangent v.

        The pullback re-runs the generated forward sweep with the seed (recomputation rather than
        keeping the forward's records alive between the two calls)."""
        try:
            if self._parsed.guards:
                self._refresh_if_stale()
            if kwargs or self._needs_binding(args):
                args = self._bind(args, kwargs)
            # the pullback runs the forward sweep again: on the arguments as they are now, not as an
            # in-place update between the two calls leaves them (params -= lr * g before backward)
            args = _snapshot(args)
            # (and with the draws the value saw: numpy's global generator as it is now, set again
            # around the pullback's run and given back as the pullback found it)
            # (and the module-level names it declares global and assigns as they are now: the value
            # below writes them once, as Python's call does, and the pullback reads these again)
            drawn = (np.random.get_state(), {k: global_read(*k) for k in written_names(self._parsed)})
            if self.backend == "triton":
                value = self._triton.value_and_grad(args, {}, 0.0)[0]
                return value, lambda v: _replaying(drawn, lambda: self._triton.value_and_grad(args, {}, v)[1])
            if self._structured:  # a tuple/list/dict output: the pullback takes a cotangent of its structure
                bound = args
                return self.__wrapped_py__(*args), lambda v: _replaying(
                    drawn, lambda: self._structured_seeded(bound, {}, v)[1])
            args, c = self._prepared(args, {})
            value = self.__wrapped_py__(*args)
        except Exception as e:
            if _hide_internals(e):
                raise e.with_traceback(None)  # s2sgrad's internal frames hidden (S2SGRAD_DEBUG=1 shows them)
            raise

        def pullback(v: Any) -> Any:
            try:
                seed = seed_for(v, np.shape(value), self.__wrapped_py__.__qualname__)
                return _replaying(drawn, lambda: c.seeded(*args, seed)[1])
            except Exception as e:
                if _hide_internals(e):
                    raise e.with_traceback(None)  # s2sgrad's internal frames hidden (S2SGRAD_DEBUG=1 shows them)
                raise
        return value, pullback

    def _unseeded(self, c, args):
        """(value, gradients) seeded with 1.0 where the output's shape was not known when compiling:
        a non-scalar output is a NonScalarOutputError -- also where the gradient code, seeded with a
        number, failed before the value could be checked (then the plain function tells the shape)."""
        try:
            value, grads = c.value_and_grad(*args)
        except S2SGradError:
            raise
        except Exception:
            try:
                value = self.__wrapped_py__(*args)
            except Exception:
                value = 0.0
            if np.ndim(value) == 0:
                raise
            grads = None  # (never returned: the check below raises, outside this handler, so unchained)
        self._check_scalar(value)
        return value, grads

    def _check_scalar(self, value):
        if np.ndim(value) != 0:
            raise NonScalarOutputError(
                f"{self.__wrapped_py__.__qualname__} returns an array of shape {np.shape(value)}: a gradient "
                "needs a scalar output. Pass seed=v for the vector-Jacobian product (PyTorch: "
                "y.backward(gradient=v)), or use .vjp()")


def _replaying(state, run):
    """run() with numpy's global generator and the function's written globals set to `state` (the
    draws and module values a vjp's value was computed with), both then left as run() found them: a
    pullback draws nothing and changes no module-level name of its own."""
    drawn, held = state
    now, found = np.random.get_state(), {}
    for (key, name), value in held.items():
        found[(key, name)] = global_read(key, name)
        global_put(key, name, value)
    np.random.set_state(drawn)
    try:
        return run()
    finally:
        np.random.set_state(now)
        for (key, name), value in found.items():
            global_put(key, name, value)


def _snapshot(a):
    """a with its arrays copied, inside dicts, lists and tuples too (other objects as they are)."""
    if isinstance(a, np.ndarray):
        return a.copy()
    if type(a) is dict:
        return {k: _snapshot(v) for k, v in a.items()}
    if type(a) in (list, tuple):
        return type(a)(_snapshot(v) for v in a)
    return a


def _make(fn: Callable, wrt, backend: str, check_nans: Optional[bool], has_aux: bool = False,
          checkpoint: Union[None, bool, int] = None, fallback: bool = False) -> Differentiated:
    return Differentiated(fn, wrt, backend, check_nans, has_aux, checkpoint, fallback)


def differentiate(fn: Optional[Callable] = None, *, wrt: Union[None, str, int, Sequence[Union[str, int]]] = None,
                  backend: str = "numpy", check_nans: Optional[bool] = None, has_aux: bool = False,
                  checkpoint: Union[None, bool, int] = None, fallback: bool = False) -> Any:
    """Decorator (bare or with arguments) or plain call: `differentiate(f, wrt=("a", "b"))`.

    Refusals decided from the source (unsupported syntax, a function without a rule, a `wrt` that
    names no parameter) are raised here, when the decorator runs; those that need argument shapes
    at the first call for each signature.  `check_nans=True` (default: the environment variable
    S2SGRAD_CHECK_NANS=1) runs instrumented code that raises `NaNError` at the first statement,
    forward or adjoint, producing a NaN or infinity.  `checkpoint=True` (or a number of snapshots)
    bounds the memory of long top-level loops: the reverse sweep recomputes segments from snapshots
    instead of recording every iteration (ad/checkpoint.py).  `backend="numba"` compiles the
    generated code with numba; what numba cannot compile raises an error at the user's line, or with
    `fallback=True` warns and runs that signature on the numpy backend."""
    if fn is None:
        def decorate(f: Callable) -> Differentiated:
            try:
                return _make(f, wrt, backend, check_nans, has_aux, checkpoint, fallback)
            except Exception as e:
                if _hide_internals(e):
                    raise e.with_traceback(None)  # s2sgrad's internal frames hidden (S2SGRAD_DEBUG=1 shows them)
                raise
        return decorate
    try:
        return _make(fn, wrt, backend, check_nans, has_aux, checkpoint, fallback)
    except Exception as e:
        if _hide_internals(e):
            raise e.with_traceback(None)  # s2sgrad's internal frames hidden (S2SGRAD_DEBUG=1 shows them)
        raise


def grad(fn: Callable, wrt: Union[None, str, int, Sequence[Union[str, int]]] = None, *,
         check_nans: Optional[bool] = None, has_aux: bool = False) -> Callable[..., Any]:
    """Functional form, like `jax.grad`: returns a callable computing the gradient (with has_aux,
    `(gradient, aux)`).  `grad(grad(f))`, to any depth, differentiates the generated code again
    (higher.Derivative)."""
    from .higher import derivative_of
    higher = derivative_of(fn, wrt)
    if higher is not None:
        if check_nans or has_aux:
            raise ValueError("grad of grad: check_nans and has_aux apply to the innermost grad only")
        return higher
    try:
        d = fn if isinstance(fn, Differentiated) and wrt is None and check_nans is None and not has_aux else _make(
            getattr(fn, "__wrapped_py__", fn), wrt, "numpy", check_nans, has_aux)
    except Exception as e:
        if _hide_internals(e):
            raise e.with_traceback(None)  # s2sgrad's internal frames hidden (S2SGRAD_DEBUG=1 shows them)
        raise
    return d.grad


def value_and_grad(fn: Callable, wrt: Union[None, str, int, Sequence[Union[str, int]]] = None, *,
                   check_nans: Optional[bool] = None, has_aux: bool = False) -> Callable[..., tuple]:
    """Functional form, like `jax.value_and_grad`: returns a callable computing (value, gradient)
    (with has_aux, `((value, aux), gradient)`)."""
    try:
        d = fn if isinstance(fn, Differentiated) and wrt is None and check_nans is None and not has_aux else _make(
            getattr(fn, "__wrapped_py__", fn), wrt, "numpy", check_nans, has_aux)
    except Exception as e:
        if _hide_internals(e):
            raise e.with_traceback(None)  # s2sgrad's internal frames hidden (S2SGRAD_DEBUG=1 shows them)
        raise
    return d.value_and_grad
