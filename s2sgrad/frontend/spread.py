"""A helper's `**kwargs`, specialised to the keywords of the call being inlined (and to a `**d` the
call passes: the key "**", a parameter `kwargs_unpacked` holding d, whose keys the container pass
knows when compiling; frontend/call_stars.into_kwargs checks they are apart from the others).

    def __call__(self, *args, **kwargs):          (called as m(x, activate=False))
        return self.forward(*args, **kwargs)

is read, for this call, as

    def __call__(self, *args, kwargs_activate):
        kwargs = {'activate': kwargs_activate}
        return self.forward(*args, activate=kwargs_activate)

so the forwarding call passes the very keywords it was given, and `kwargs.get('activate', True)`,
`kwargs['activate']` and `for k in kwargs` read a dict the container pass knows.  (A helper's
`*args` is the tuple of its extra arguments: passes/normalize.inline_body.)

Guarantee: only a `**kwargs` that the helper never binds again, writes into or changes by a method
is specialised; otherwise the call is refused at the parameter, never read with other keywords."""
from __future__ import annotations

import inspect

import libcst as cst

from ..errors import UnsupportedSyntaxError
from .listbuild import name_values
from .scan import assigned_names

_CHANGING = {"pop", "update", "setdefault", "clear", "popitem", "__setitem__", "__delitem__"}


def call_spread(fn, positional, keywords):
    """(the keywords a call gives fn's **kwargs, how many extra positional arguments it gives fn's
    *args) for a call with `positional` positional arguments (None: not known, a `*seq` among them)
    and these keyword names; ((), None) where fn has neither."""
    try:
        params = inspect.signature(fn, follow_wrapped=False).parameters.values()
    except (TypeError, ValueError):
        return (), None
    named = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    keys = tuple(k for k in keywords if k not in named) if any(p.kind is p.VAR_KEYWORD for p in params) else ()
    extra = None
    if positional is not None and any(p.kind is p.VAR_POSITIONAL for p in params):
        extra = max(0, positional - sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)))
    return keys, extra


def keyword_names(fdef: cst.FunctionDef, keys, extra=None) -> dict:
    """key -> the parameter standing for it: a keyword of **kwargs (`kwargs_activate`), or position i
    of *args (`args_1`, when the call's count of extra positional arguments is known), clear of the
    function's other names."""
    p = fdef.params
    taken = {x.name.value for x in list(p.posonly_params) + list(p.params) + list(p.kwonly_params)}
    taken |= assigned_names(fdef.body) | name_values(fdef.body)  # (and the globals it reads: kw_scale)
    stars = [x.name.value for x in (p.star_arg, p.star_kwarg) if isinstance(x, cst.Param)]
    taken |= set(stars)
    out = {}
    wanted = [(k, f"{p.star_kwarg.name.value}_{'unpacked' if k == '**' else k}") for k in keys] \
        if p.star_kwarg is not None else []
    if extra is not None and isinstance(p.star_arg, cst.Param):
        wanted += [(i, f"{p.star_arg.name.value}_{i + 1}") for i in range(extra)]
    for k, name in wanted:
        while name in taken:
            name += "_"
        taken.add(name)
        out[k] = name
    return out


def specialised(lowerer, fdef: cst.FunctionDef, keys, extra=None) -> cst.FunctionDef:
    """fdef with its `**kwargs` replaced by one keyword-only parameter per key, and its `*args` by
    one parameter per extra positional argument where their count is known (see the docstring)."""
    p = fdef.params
    names = keyword_names(fdef, keys, extra)
    stars = {}
    if p.star_kwarg is not None:
        stars[p.star_kwarg.name.value] = ("**", p.star_kwarg)
    if extra is not None and isinstance(p.star_arg, cst.Param):
        stars[p.star_arg.name.value] = ("*", p.star_arg)
    first = []
    bound = assigned_names(fdef.body)
    for star, (kind, node) in stars.items():
        check = _Uses(star)
        fdef.body.visit(check)
        if check.changed is None and star in bound:
            check.changed = "bound again"  # (a for target, a tuple unpacking)
        if check.changed is not None:
            raise lowerer.error(UnsupportedSyntaxError, f"'{kind}{star}' changed in the function ({check.changed}): "
                                "s2sgrad forwards a helper's arguments only as they were given", node)
        if kind == "**":
            value = cst.Dict([cst.StarredDictElement(cst.Name(names[k])) if k == "**" else
                              cst.DictElement(cst.SimpleString(repr(k)), cst.Name(names[k])) for k in keys])
        else:
            value = cst.Tuple([cst.Element(cst.Name(names[i])) for i in range(extra)])
        first.append(cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(star))], value)]))
    # (after a parameter with a default, a parameter needs one too: the call gives each a value anyway)
    after_default = any(x.default is not None for x in p.params)
    positional = [cst.Param(cst.Name(names[i]), default=cst.Name("None") if after_default else None)
                  for i in range(extra or 0)] if "*" in {k for k, _ in stars.values()} else []
    kwonly = list(p.kwonly_params) + [cst.Param(cst.Name(names[k])) for k in keys if k in names]
    star_arg = p.star_arg
    if any(k == "*" for k, _ in stars.values()) or not isinstance(star_arg, cst.Param):
        star_arg = cst.ParamStar() if kwonly else cst.MaybeSentinel.DEFAULT  # (`*,` before keyword-only ones)
    params = p.with_changes(params=list(p.params) + positional, star_arg=star_arg, star_kwarg=None,
                            kwonly_params=kwonly)
    block = fdef.body
    if isinstance(block, cst.SimpleStatementSuite):  # def star(*zs): return zs[0] (one line): as a block
        block = cst.IndentedBlock([cst.SimpleStatementLine(list(block.body))])
    body = block.visit(_Forwarded(lowerer, stars, names, extra))
    return fdef.with_changes(params=params, body=body.with_changes(body=first + list(body.body)))



class _Uses(cst.CSTVisitor):
    """Whether the name is bound again, written into or changed by a method."""

    def __init__(self, name):
        self.name, self.changed = name, None

    def visit_AssignTarget(self, node):
        t = node.target
        base = t.value if isinstance(t, cst.Subscript) else t
        if isinstance(base, cst.Name) and base.value == self.name:
            self.changed = "assigned"

    def visit_AugAssign(self, node):
        if isinstance(node.target, cst.Name) and node.target.value == self.name:
            self.changed = "assigned"

    def visit_Call(self, node):
        f = node.func
        if isinstance(f, cst.Attribute) and isinstance(f.value, cst.Name) and f.value.value == self.name \
                and f.attr.value in _CHANGING:
            self.changed = f".{f.attr.value}()"

    def visit_Del(self, node):
        self.changed = "del"

    def visit_Lambda(self, node):
        self._shadowed(node.params)

    def visit_FunctionDef(self, node):
        self._shadowed(node.params)

    def _shadowed(self, p):
        """A nested lambda or def with a parameter of the name (`lambda **kw: g(**kw)`): its own."""
        own = [x.name.value for x in list(p.params) + list(p.kwonly_params) + list(p.posonly_params)]
        own += [x.name.value for x in (p.star_arg, p.star_kwarg) if isinstance(x, cst.Param)]
        if self.name in own:
            self.changed = "a nested function's parameter of that name"


class _Forwarded(cst.CSTTransformer):
    """`*args` and `**kwargs` in a call written as the arguments they hold; every node rebuilt keeps
    the position of the one it replaces (errors inside name the user's line)."""

    def __init__(self, lowerer, stars, names, extra):
        self.lowerer, self.stars, self.names, self.extra = lowerer, stars, names, extra

    def on_leave(self, original, updated):
        out = super().on_leave(original, updated)
        if out is not original and isinstance(out, cst.CSTNode):
            self.lowerer.made_from[out] = self.lowerer.made_from.get(original, original)
        return out

    def leave_Call(self, original, updated):
        args = []
        for a in updated.args:
            kind = self.stars.get(a.value.value, ("",))[0] if isinstance(a.value, cst.Name) else ""
            if a.star == "**" and kind == "**":
                args += [cst.Arg(cst.Name(v), star="**") if k == "**" else cst.Arg(cst.Name(v), keyword=cst.Name(k))
                         for k, v in self.names.items() if isinstance(k, str)]
            elif a.star == "*" and kind == "*":
                args += [cst.Arg(cst.Name(self.names[i])) for i in range(self.extra)]
            else:
                args.append(a)
        return updated.with_changes(args=args)
