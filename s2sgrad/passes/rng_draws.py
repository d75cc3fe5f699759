"""Draws of a random Generator the function makes: `rng = np.random.default_rng(seed)`, then
`rng.standard_normal((n, d))`, `rng.normal(mu, sigma)`, `rng.uniform(lo, hi, size)`,
`rng.integers(0, n, size)`, `rng.choice(n, size, replace=False)`, `rng.permutation(n)`.

The generated code makes the same Generator from the same seed and draws the same numbers in the
same order, so every run of it (the value's, the gradient's, a pullback's) sees the user's draws.
`normal`, `uniform` and `exponential` are drawn through their standard draw, as numpy computes them
(`loc + scale * standard_normal(size)`, `low + (high - low) * random(size)`, `scale *
standard_exponential(size)`): the same numbers, and the parameters get their gradients.  Every other
draw has no floating parameter a gradient could flow to (`integers`, `choice` of a count,
`permutation` of a count): rows without a derivative.

Guarantees: a method is lowered only on a name every binding of which is `np.random.default_rng`
with a seed given (passes/containers.py finds them), never on a Generator the caller or a global
holds (its state would move between runs: refused at the call, with the rewrite); `choice` and
`permutation` of an array (a gather of its elements, which has a derivative) are refused when they
run; anything else a Generator does is refused at its line.
"""
from __future__ import annotations

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, Name
from .normalize import _fresh

# method -> its parameters before size (with defaults) and the standard draw it is made of
_REPARAM = {"normal": ((("loc", Const(0.0)), ("scale", Const(1.0))), "standard_normal"),
            "uniform": ((("low", Const(0.0)), ("high", Const(1.0))), "random"),
            "exponential": ((("scale", Const(1.0)),), "standard_exponential")}
# draws without a derivative: method -> the parameters it takes by position
_PLAIN = {"standard_normal": ("size", "dtype"), "random": ("size", "dtype"), "standard_exponential": ("size", "dtype"),
          "integers": ("low", "high", "size", "dtype", "endpoint"), "choice": ("a", "size", "replace", "p", "axis"),
          "permutation": ("x",)}
GENERATOR_METHODS = frozenset(_REPARAM) | frozenset(_PLAIN)  # (rules/nondiff.py: the rows of _PLAIN)
MAKERS = ("np.random.default_rng",)


def generators(body) -> frozenset:
    """The names every binding of which makes a seeded Generator (`rng = np.random.default_rng(0)`)."""
    made, other = set(), set()
    for st in ir.walk(body):
        for t in ir.stmt_writes(st):
            if isinstance(st, Assign) and len(st.targets) == 1 and isinstance(st.value, Call) \
                    and st.value.op in MAKERS and (st.value.args or st.value.kwargs):
                made.add(t)
            else:
                other.add(t)
    return frozenset(made - other)


def draw(flat, receiver, name, args, kwargs, loc):
    """The value of `rng.name(*args, **kwargs)` (receiver: the Generator's name)."""
    if not (isinstance(receiver, Name) and receiver.id in flat.generators):
        raise UnsupportedSyntaxError(
            f"'.{name}()' of a random Generator s2sgrad did not see made in the function with a seed: it follows "
            "one bound to a name of the differentiated function itself (rng = np.random.default_rng(seed), passed "
            "on to helpers as it is); one the caller or a global holds, one made without a seed, in a method or "
            "held by an object, or bound to a second name, it does not (its draws could differ between the runs of "
            "the generated code: the value's, the gradient's); make it so, or draw the numbers before and pass "
            "the array", loc)
    if name in _REPARAM:
        return _reparameterised(flat, receiver, name, args, kwargs, loc)
    names = _PLAIN[name]
    if len(args) > len(names) or set(k for k, _ in kwargs) - set(names):
        raise UnsupportedSyntaxError(f"'.{name}()' with arguments other than {', '.join(names)}", loc)
    args = tuple(flat.runtime(a, loc) for a in args)
    kwargs = tuple((k, flat.runtime(v, loc)) for k, v in kwargs)
    if name in ("choice", "permutation"):  # (of a count only: an array's would be a gather of it)
        first = args[0] if args else dict(kwargs).get(names[0])
        guarded = Call("draw_count", (first, Const(name)))  # (runtime.draw_count)
        args = (guarded,) + args[1:] if args else args
        kwargs = tuple((k, guarded if k == names[0] else v) for k, v in kwargs)
    return Call(f".{name}", (receiver,) + args, kwargs)


def _reparameterised(flat, rng, name, args, kwargs, loc):
    params, standard = _REPARAM[name]
    kw = dict(kwargs)
    order = [p for p, _ in params] + ["size"]
    if len(args) > len(order) or set(kw) - set(order):
        raise UnsupportedSyntaxError(f"'.{name}()' with arguments other than {', '.join(order)}", loc)
    given = {}
    for p, v in list(zip(order, args)) + list(kwargs):  # (in the order written: Python evaluates so)
        v = flat.runtime(v, loc)
        # (read twice: by the draw's shape and the arithmetic)
        given[p] = v if isinstance(v, (Name, Const)) else _bound(flat, v, loc)
    values = [given.get(p, default) for p, default in params]
    # the size, which the parameters' broadcast shape must fit (runtime.draw_size; None: that shape)
    size = _bound(flat, Call("draw_size", (given.get("size", Const(None)),) + tuple(values)), loc)
    # numpy's checks of the parameters, before its draw (runtime.draw_scale, draw_range)
    if name == "uniform":
        width = _bound(flat, Call("draw_range", (values[1], values[0])), loc)  # (high - low, checked)
    else:
        scale = values[-1]
        checked = scale if isinstance(scale, Const) and isinstance(scale.value, (int, float)) and scale.value >= 0 \
            else _bound(flat, Call("draw_scale", (scale,)), loc)
    z = Call(f".{standard}", (rng, size))
    if name == "normal":
        spread = Call("mul", (checked, z))
        return spread if isinstance(values[0], Const) and values[0].value == 0 else Call("add", (values[0], spread))
    if name == "uniform":
        spread = Call("mul", (width, z))
        return spread if isinstance(values[0], Const) and values[0].value == 0 else Call("add", (values[0], spread))
    return Call("mul", (checked, z))


def _bound(flat, value, loc):
    """value bound to a name of its own before the statement (normalize._fresh reserves it)."""
    tmp = _fresh("draw_arg", flat.taken)
    flat.pre.append(Assign((tmp,), value, loc))
    return Name(tmp)
