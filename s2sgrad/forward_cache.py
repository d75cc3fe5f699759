"""Forward-mode compilations of a function, cached per function, argument signature and
differentiated parameters (what `jvp`, `jacfwd`, `hessian` and derivatives of a gradient run).

Guarantees: one `_Forward` per function (weakly keyed: it goes with the function); a compilation is
reused for the same argument signature and parameters, and dropped when a global, closure or class
value the function's code read has been rebound (`_fresh`), so forward results never use a stale
value; arguments left to their defaults are bound as a call would; a function whose forward code
cannot carry a batch axis gets None from `batched` (its Jacobian then takes one JVP per basis
vector).  Split from higher.py, which re-exports `_forward` and `_wrt_of`.
"""
from __future__ import annotations

import weakref

from .api import Differentiated, _make
from .boundary import fast_key
from .passes.containers import is_floating_value, tree_of
from .passes.shapes import abstract_of

_FORWARD: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


class _Forward:
    """Forward-mode compilations of one function, per (argument signature, differentiated params)."""

    def __init__(self, fn):
        self.d = fn if isinstance(fn, Differentiated) else _make(getattr(fn, "__wrapped_py__", fn), None, "numpy", None)
        self.cache: dict = {}
        self._parsed = self.d._parsed  # what self.cache holds compilations of

    def _fresh(self):
        """d parsed again where a global, closure or class value its code read was rebound, and the
        forward compilations of the old parse dropped (jvp and hessian kept the old value)."""
        d = self.d
        if d._parsed.guards:
            d._refresh_if_stale()
        if d._parsed is not self._parsed:
            self.cache.clear()
            self._parsed = d._parsed
        return d

    def compiled(self, args, wrt):
        from .compiler_forward import compile_jvp
        from .signatures import _one_blas_thread
        d = self._fresh()
        if len(args) < d._nparams:  # parameters left to their defaults
            args = d._bind(tuple(args), {})
        key = (fast_key(args), wrt)
        c = self.cache.get(key) if key[0] is not None else None
        if c is None:
            args, sig = d._boundary.prepare(args)
            key = (sig, wrt)
            c = self.cache.get(key)
            if c is None:
                abstract = {p: tree_of(a) or abstract_of(a) for p, a in zip(d._params, args)}
                with _one_blas_thread():
                    c = self.cache[key] = compile_jvp(d._parsed, wrt, abstract)
        return args, c

    def batched(self, args, name):
        """(converted args, the batched JVP) for a forward Jacobian, or None when this function's
        forward code cannot carry a batch axis (ad/batching.py): then one JVP per basis vector."""
        from .ad.batching import NotBatchable
        from .compiler_forward import compile_jvp
        d = self._fresh()
        if len(args) < d._nparams:  # parameters left to their defaults
            args = d._bind(tuple(args), {})
        args, sig = d._boundary.prepare(args)
        key = ("batched", sig, name)
        if key not in self.cache:
            abstract = {p: tree_of(a) or abstract_of(a) for p, a in zip(d._params, args)}
            try:
                self.cache[key] = compile_jvp(d._parsed, (name,), abstract, batched=True)
            except NotBatchable as e:
                self.cache[key] = e
        c = self.cache[key]
        return None if isinstance(c, NotBatchable) else (args, c)


def refuse_aux(fn, who="forward mode"):
    """A function differentiated with has_aux=True returns (value, aux): the Jacobians, Hessians and
    tangents of s2sgrad.higher take a function of the value alone."""
    if getattr(fn, "has_aux", False):
        from .errors import ArgumentError
        raise ArgumentError(f"{who} of {fn.__wrapped_py__.__qualname__}, differentiated with has_aux=True: its output "
                            "is (value, aux); give a function that returns the value alone")


def _forward(fn) -> _Forward:
    refuse_aux(fn)
    base = fn if isinstance(fn, Differentiated) else getattr(fn, "__wrapped_py__", fn)
    hit = _FORWARD.get(base)
    if hit is None:
        hit = _FORWARD[base] = _Forward(fn)
    return hit


def _wrt_of(fw, args, wrt):
    params = fw.d._params
    if wrt is None:
        return tuple(p for p, a in zip(params, args) if is_floating_value(a))
    items = (wrt,) if isinstance(wrt, (str, int)) else tuple(wrt)
    return tuple(params[w] if isinstance(w, int) else w for w in items)
