"""Forward-mode derivatives of a gradient s2sgrad made (`s2sgrad.jvp(s2sgrad.grad(f), ...)`,
`jacfwd(f.grad)`, `jacrev(f.grad)`), the clear refusal of the other derivatives of derivatives, and
`f.grad` called inside a differentiated function (`gradient_rule`, moved here from higher.py).

Guarantees:
- the JVP of grad_p f along tangents v is sum_q d2f/dp dq v_q: the reverse-mode gradient with
  respect to p of f's generated tangent code, whose output is <grad f, v> (the same
  reverse-over-forward program as `hvp`, with every floating argument's tangent), so it is exact and
  compiled once per signature; the value is f.grad itself;
- a Jacobian of a gradient is one such JVP per element of the argument (a Hessian block);
- a gradient object s2sgrad cannot take further in this way (a grad of grad, value_and_grad, a grad
  with respect to several parameters, `hessian`/`hvp` of a gradient, a third derivative) is refused
  with an S2SGradError at the user's function, saying what to write instead -- never by reading
  s2sgrad's own source as if it were the user's;
- `gradient_rule`'s reverse rule returns one cotangent per argument of the `f.grad(...)` call, each
  for its own argument (a bound method's object and defaulted parameters are not arguments of it).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from . import runtime
from .errors import ArgumentError, UnsupportedSyntaxError

if TYPE_CHECKING:
    from .api import Differentiated


def _def_loc(fn):
    """The Loc of fn's `def` line (None when its source cannot be read)."""
    from .frontend.source import get_source
    try:
        src = get_source(fn)
    except Exception:
        return None
    at = next((i for i, l in enumerate(src.lines) if l.lstrip().startswith(("def ", "async def "))), 0)
    return src.loc(at + 1, len(src.lines[at]) - len(src.lines[at].lstrip()) if src.lines else 0)


def gradient_of(fn, what: str) -> Optional[Any]:
    """The Differentiated d when fn is `d.grad` of one parameter (s2sgrad.grad(f), f.grad); None when
    fn is no gradient of s2sgrad's; raises the refusal for other gradient objects."""
    from .api import Differentiated
    from .higher import Derivative
    if isinstance(fn, Derivative):
        inner = fn.d.__wrapped_py__
        raise UnsupportedSyntaxError(
            f"{what} of a grad of grad of {inner.__qualname__}: s2sgrad takes derivatives of one gradient "
            "only. Use s2sgrad.grad(grad(grad(f))) with scalar arguments, or s2sgrad.hessian(f) / jacfwd(grad(f))",
            _def_loc(inner))
    d = getattr(fn, "__self__", None)
    if not isinstance(d, Differentiated):
        return None
    user = d.__wrapped_py__
    method = getattr(getattr(fn, "__func__", None), "__name__", "?")
    if method != "grad" or len(d.wrt) != 1 or not isinstance(d.wrt[0], str) or d.has_aux:
        raise UnsupportedSyntaxError(
            f"{what} of {user.__qualname__}.{method}"
            f"{' (with respect to several parameters)' if method == 'grad' and len(d.wrt) != 1 else ''}: s2sgrad "
            "takes forward-mode derivatives of the gradient with respect to one parameter only. Write "
            f"{what}(s2sgrad.grad(f, wrt='x'), ...) per parameter, or s2sgrad.hessian(f, wrt='x')", _def_loc(user))
    if what in ("hessian", "hvp"):
        raise UnsupportedSyntaxError(
            f"{what} of s2sgrad.grad({user.__qualname__}): that is a third derivative, which s2sgrad offers for "
            f"scalar arguments only (grad(grad(grad(f)))). For the second derivatives write "
            f"s2sgrad.{what}({user.__qualname__}, ...) or s2sgrad.jacfwd(s2sgrad.grad({user.__qualname__}))",
            _def_loc(user))
    return d


def jvp_of_gradient(d, primals, tangents) -> tuple:
    """(d.grad(*primals), the derivative of d.grad along tangents); primals and tangents bound to d's
    parameters (forward_cache.bind_call: a bound method's object first)."""
    from .api import _make
    from .higher import _forward, _nonzero, _tangent_like, _wrt_of
    fw = _forward(d)
    floating = _wrt_of(fw, primals, None)
    if d.wrt[0] not in floating:
        raise ArgumentError(f"jvp of the gradient with respect to '{d.wrt[0]}', which is not floating here")
    args, c = fw.compiled(primals, floating)
    by_name = dict(zip(d._params, tangents))
    for p, a in zip(d._params, primals):
        t = by_name.get(p)
        if p not in floating and t is not None and _nonzero(t):
            raise ArgumentError(f"jvp: '{p}' is not floating, so it has no tangent: pass None or zeros for it")
    dots = [_tangent_like(by_name[p], a, p) for p, a in zip(d._params, args) if p in floating]
    cache = c.__dict__.setdefault("gradient_jvp", {})
    g = cache.get(d.wrt[0])
    if g is None:  # <grad f, v> differentiated with respect to the gradient's parameter
        g = cache[d.wrt[0]] = _make(c.tangent_only, d.wrt[0], "numpy", None)
    from .higher import _journal
    state = np.random.get_state()  # both runs see the draws one call of the function sees
    with _journal() as journal:  # ... and its module state (what `global` names it writes held then)
        now = {k: runtime.global_read(*k) for k in journal}  # (an outer Jacobian's journal: as they are now)
        grad = d.grad(*primals)
        np.random.set_state(state)
        runtime.put_back({**journal, **now})
        return grad, g.grad(*args, *dots)


def jacobian_of_gradient(d, args, wrt, state=None) -> np.ndarray:
    """d(grad_p f)/d(wrt), of shape grad.shape + wrt.shape: one JVP per element of `wrt` (args bound
    to d's parameters: forward_cache.bind_call)."""
    from .higher import _array_wrt, _basis, _floating, _forward, _same_draws, _wrt_of
    name = _wrt_of(_forward(d), args, wrt)[0]
    i = d._params.index(name)
    x = _array_wrt(args[i], name, "jacobian")
    value = None

    def column(e):
        nonlocal value
        tangents = [None] * len(args)
        tangents[i] = e
        value, t = jvp_of_gradient(d, tuple(args), tangents)
        return _floating(t)
    # (each column sees the draws and the module state of one call)
    cols = _same_draws(_basis(x), column, np.random.get_state() if state is None else state)
    out_shape = np.shape(value) if cols else np.shape(d.grad(*args))
    J = np.stack(cols, axis=-1) if cols else np.zeros(out_shape + (0,))
    return J.reshape(out_shape + np.shape(x))


# ------------------------------------------------------------------- f.grad inside a derivative
def gradient_rule(d: Differentiated):
    """d.grad as a custom_vjp (markers), so a differentiated function may call `f.grad(...)`
    (a meta-learning loss, a gradient penalty): the forward sweep calls d.grad and keeps its
    arguments; the reverse rule is the reverse-mode gradient of d's generated tangent code with
    the incoming cotangent as the tangent -- <ct, grad f(x)> differentiated with respect to every
    floating argument (H ct for x itself, the mixed second derivatives for the others)."""
    from .api import _make
    from .higher import _forward, at_user_line, bind_call
    from .markers import custom_vjp
    from .passes.containers import is_floating_value
    rule = d.__dict__.get("_gradient_rule")
    if rule is not None:
        return rule
    if not all(isinstance(w, str) for w in d.wrt):
        raise ArgumentError(f"{d.__wrapped_py__.__qualname__}.grad inside a differentiated function: its wrt "
                            "must name parameters (not paths into an object)")
    name = d.__wrapped_py__.__name__
    name = name if name.isidentifier() else "lambda"  # (inner = differentiate(lambda w: ...): '<lambda>')
    pullbacks: dict = {}

    def grad(*args):
        return d.grad(*args)

    def fwd(*args):
        return d.grad(*args), args

    def bwd(args, ct):
        fw = _forward(d)
        conv, c = fw.compiled(bind_call(d, args, f"{name}.grad"), tuple(d.wrt))
        cts = tuple(ct) if len(d.wrt) > 1 else (ct,)
        floating = tuple(p for p, a in zip(d._params, conv) if is_floating_value(a))
        key = (id(c), floating)
        g = pullbacks.get(key)
        try:
            if g is None:
                g = pullbacks[key] = (c, _make(c.tangent_only, floating, "numpy", None))
            grads = g[1].grad(*conv, *cts)
        except Exception as e:
            mapped = at_user_line(e)  # (run inside the outer generated code: api.py cannot map it)
            if mapped is e:
                raise
            raise mapped from None
        by = dict(zip(floating, grads if isinstance(grads, tuple) else (grads,)))
        # one cotangent per argument of the call: a bound method's object (a constant of the caller)
        # and parameters left to their defaults are not among them
        lead = 1 if d._bound_self is not None else 0
        return tuple(by.get(p) for p in d._params[lead:lead + len(args)])
    grad.__name__, fwd.__name__, bwd.__name__ = f"{name}_grad", f"{name}_grad_fwd", f"{name}_grad_bwd"
    rule = custom_vjp(grad)
    rule.defvjp(fwd, bwd)
    d.__dict__["_gradient_rule"] = rule
    return rule
