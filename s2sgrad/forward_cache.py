"""Forward-mode compilations of a function, cached per function, argument signature and
differentiated parameters (what `jvp`, `jacfwd`, `hessian` and derivatives of a gradient run).

Guarantees: one `_Forward` per function (weakly keyed: it goes with the function); a compilation is
reused for the same argument signature and parameters, and dropped when a global, closure or class
value the function's code read has been rebound (`_fresh`), so forward results never use a stale
value; arguments are bound as the call `fn(*args)` would bind them (`bind_call`): a bound method's
object first (it is no primal and gets no tangent; a tangent never pairs with another parameter
than its primal's), parameters left to their defaults after, and a call Python would refuse (too
many arguments) an ArgumentError; `wrt` names a parameter of the function (a bound method's `self`
counting, as for `differentiate`) or is refused (`_wrt_of`); a function whose forward code
cannot carry a batch axis gets None from `batched` (its Jacobian then takes one JVP per basis
vector).  Split from higher.py, which re-exports `_forward` and `_wrt_of`.
"""
from __future__ import annotations

import weakref

from . import static_args
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
        d = self._fresh()
        if len(args) < d._nparams:  # parameters left to their defaults
            args = d._bind(tuple(args), {})
        key = fast_key(args)
        c = self.cache.get((key, wrt) + static_args.key_part(d, args)) if key is not None else None
        if c is None:
            args, sig = d._boundary.prepare(args)
            abstract = {p: tree_of(a) or abstract_of(a) for p, a in zip(d._params, args)}
            c = self._compile(args, (sig, wrt), lambda parsed: compile_jvp(parsed, wrt, abstract))
        return args, c

    def _compile(self, args, base, build):
        """build(parsed), cached under `base` and the static parameters' values.  Reverse mode's
        static arguments (static_args.py) apply here too, on the same Differentiated: a rule's
        refusal naming a parameter, or one an int size parameter may explain (`season = y[:m] -
        level` of an int m: without m's value, season's shape and so whether `season[t % m]` is one
        number or a view are unknown), makes it static and compiles again; a refusal that comes
        again stands.  Without this, forward mode refused what the gradient compiles."""
        from .ad.batching import NotBatchable
        from .errors import S2SGradError
        from .signatures import _one_blas_thread
        d = self.d
        while True:
            key = base + static_args.key_part(d, args)
            if key in self.cache:
                return self.cache[key]
            try:
                with _one_blas_thread():
                    c = build(static_args.specialised(d._parsed, d, args))
            except NotBatchable:
                raise
            except S2SGradError as e:
                p = static_args.candidate(e, d, args)
                sizes = [p] if p is not None else static_args.size_parameters(d, args)
                if not sizes:
                    raise
                for p in sizes:
                    static_args.add(d, p, e.loc)
                continue
            self.cache[key] = c
            return c

    def batched(self, args, name):
        """(converted args, the batched JVP) for a forward Jacobian, or None when this function's
        forward code cannot carry a batch axis (ad/batching.py): then one JVP per basis vector."""
        from .ad.batching import NotBatchable
        from .compiler_forward import compile_jvp
        d = self._fresh()
        if len(args) < d._nparams:  # parameters left to their defaults
            args = d._bind(tuple(args), {})
        args, sig = d._boundary.prepare(args)
        abstract = {p: tree_of(a) or abstract_of(a) for p, a in zip(d._params, args)}
        try:
            c = self._compile(args, ("batched", sig, name),
                              lambda parsed: compile_jvp(parsed, (name,), abstract, batched=True))
        except NotBatchable as e:
            c = self.cache[("batched", sig, name) + static_args.key_part(d, args)] = e
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


def bind_call(d, args, who: str, tangents=None):
    """args as d's parameters, bound as the call `fn(*args)` binds them (with tangents: the pair
    (args, tangents), each tangent still beside its own primal).  A bound method (`model.loss`) is
    called without its object, as `differentiate(model.loss).grad(w, x)` is: the object goes first
    with the tangent None (jvp differentiates along the arguments given), and parameters left to
    their defaults get None.  Padding the tangents only at the end paired the first tangent with
    `self` and every other one with the parameter before its own (a silent wrong JVP where the
    shapes matched)."""
    from .errors import ArgumentError
    args = tuple(args)
    lead = 1 if d._bound_self is not None else 0
    qual = d.__wrapped_py__.__qualname__
    if tangents is not None:
        tangents = tuple(tangents)
        if len(tangents) != len(args):
            hint = (f"; {qual} is a bound method: its object is not a primal and has no tangent here (for a "
                    f"derivative along its attributes call {qual} itself: s2sgrad.jvp({qual}, (obj, *primals), "
                    "(a dict of the object's tangents by attribute name, *tangents)))") if lead else ""
            raise ArgumentError(f"{who}: {len(args)} primals but {len(tangents)} tangents (give one per primal){hint}")
    if lead or len(args) != d._nparams:
        try:
            bound = d._bind(args, {})
        except TypeError as e:  # (what the plain call would raise: too many arguments, a missing one)
            raise ArgumentError(f"{who}: {qual}{' (a bound method: without its object)' if lead else ''} "
                                f"cannot be called with {len(args)} arguments: {e}") from None
    else:
        bound = args
    if tangents is None:
        return bound
    return bound, (None,) * lead + tangents + (None,) * (len(bound) - lead - len(args))


def _wrt_of(fw, args, wrt):
    """The differentiated parameters: those holding floating values (wrt None; args bound), or
    wrt's parameter names and positions (positions count a bound method's `self`, as differentiate's
    do)."""
    from .errors import ArgumentError
    params = fw.d._params
    if wrt is None:
        return tuple(p for p, a in zip(params, args) if is_floating_value(a))
    items = (wrt,) if isinstance(wrt, (str, int)) else tuple(wrt)
    out = []
    for w in items:
        if isinstance(w, int) and not isinstance(w, bool) and -len(params) <= w < len(params):
            out.append(params[w])
        elif isinstance(w, str) and w in params:
            out.append(w)
        else:
            qual = fw.d.__wrapped_py__.__qualname__
            attr = fw.d._bound_self is not None and isinstance(w, str) and hasattr(fw.d._bound_self, w)
            raise ArgumentError(
                f"wrt={w!r} names no parameter of {qual} (parameters: {', '.join(params)})" + (
                    f"; '{w}' is an attribute of the bound object, which forward mode does not take as wrt: "
                    f"use wrt='{params[0]}' with a direction for each of its attributes, as a dict (hvp), or "
                    f"s2sgrad.jacrev(..., wrt='{w}') for a Jacobian" if attr else ""))
    return tuple(out)
