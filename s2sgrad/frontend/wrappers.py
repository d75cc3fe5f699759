"""A decorator's wrapper differentiated itself: `differentiate(f)` of

    @log_calls                      def log_calls(fn):
    def f(x, scale=2.0): ...            @functools.wraps(fn)
                                        def wrapper(*args, **kwargs): ... return fn(*args, **kwargs)

What runs when f is called is the wrapper, so the wrapper is what is differentiated (never the
function functools.wraps names in __wrapped__, whose source inspect would read: the wrapper's work
would be left out).  A wrapper taking `*args`/`**kwargs` has no parameters to differentiate by name,
so it is called from a function of its own made here, with the parameters of the function it wraps:

    def f(x, scale=_default_scale):
        return _wrapper(x, scale=scale)

and that call is inlined as any helper's (its *args and **kwargs specialised to the call,
frontend/spread.py).  The made function's source is registered with linecache under a name of its
own (`<decorated f>`), so it is read, and checked unedited, like any other.

Guarantee: `trampoline(fn)` is fn itself unless fn is a plain function with __wrapped__ whose own
signature has *args or **kwargs that its body only passes on as they are (`fn(*args, **kwargs)`:
a wrapper reading `len(args)` or `kwargs.get('w')` would tell a parameter left to its default
from one given, so it is differentiated as it is, and refused); the function it returns gives
fn's results for every call by the wrapped signature (it only calls fn).
"""
from __future__ import annotations

import inspect
import itertools
import linecache
import types

_COUNT = itertools.count(1)


def trampoline(fn):
    """fn, or the function calling fn with the signature of the function fn wraps (see above)."""
    if not isinstance(fn, types.FunctionType) or getattr(fn, "__wrapped__", None) is None:
        return fn
    own = inspect.signature(fn, follow_wrapped=False).parameters.values()
    if not any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in own):
        return fn
    try:
        wrapped = inspect.signature(fn)  # (follows __wrapped__: the parameters callers give)
    except (TypeError, ValueError):
        return fn
    params = list(wrapped.parameters.values())
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params) or not fn.__name__.isidentifier() \
            or not _forwards_only(fn):
        return fn  # (differentiated as it is: its *args is refused at its line, frontend/lower.py)
    names = {p.name for p in params}
    target = "_wrapper"
    while target in names:
        target += "_"
    ns, heads, passed = {target: fn}, [], []
    for p in params:
        head = p.name
        if p.default is not p.empty:
            ns[f"_default_{p.name}"] = p.default
            head += f"=_default_{p.name}"
        heads.append((p.kind, head))
        passed.append(p.name if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) else f"{p.name}={p.name}")
    text = "def {}({}):\n    return {}({})\n".format(fn.__name__, _parameters(heads), target, ", ".join(passed))
    filename = f"<decorated {fn.__name__} {next(_COUNT)}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    exec(compile(text, filename, "exec"), ns)  # noqa: S102 - our own text, of names and defaults only
    made = ns[fn.__name__]
    made.__qualname__, made.__doc__, made.__module__ = fn.__qualname__, fn.__doc__, fn.__module__
    return made


def _parameters(heads) -> str:
    """The parameter list of (kind, text) in order: `/` after the positional-only ones, `*` before
    the keyword-only ones."""
    out, kinds = [], [k for k, _ in heads]
    for i, (kind, head) in enumerate(heads):
        if kind is inspect.Parameter.KEYWORD_ONLY and (i == 0 or kinds[i - 1] is not inspect.Parameter.KEYWORD_ONLY):
            out.append("*")
        out.append(head)
        if kind is inspect.Parameter.POSITIONAL_ONLY and (i + 1 == len(heads)
                                                          or kinds[i + 1] is not inspect.Parameter.POSITIONAL_ONLY):
            out.append("/")
    return ", ".join(out)


def _forwards_only(fn) -> bool:
    """Whether the wrapper's *args and **kwargs are only passed on as they are (`fn(*args,
    **kwargs)`): then a call with every parameter given is the same call to it as the user's, which
    may leave some to their defaults (a wrapper reading `len(args)` or `kwargs.get('w')` would see
    the difference)."""
    import libcst as cst

    from .source import get_source
    try:
        module = cst.parse_module(get_source(fn).text)
    except Exception:  # noqa: BLE001 - no source to read: not made here
        return False
    fdef = next((s for s in module.body if isinstance(s, cst.FunctionDef)), None)
    if fdef is None:
        return False
    p = fdef.params
    stars = {x.name.value for x in (p.star_arg, p.star_kwarg) if isinstance(x, cst.Param)}

    class Uses(cst.CSTVisitor):
        passed, all = set(), []

        def visit_Arg(self, node):
            if node.star and isinstance(node.value, cst.Name):
                self.passed.add(id(node.value))

        def visit_Name(self, node):
            if node.value in stars:
                self.all.append(node)
    uses = Uses()
    fdef.body.visit(uses)
    return all(id(n) in uses.passed for n in uses.all)
