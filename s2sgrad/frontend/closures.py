"""Functions inside functions: nested `def`, a `lambda` bound to a name, functions passed to helpers.

A nested function (or a lambda bound to a name) is not a run-time value in the generated code: each
call is inlined where it happens, like a call to a module-level helper.  Its free names are the
enclosing function's variables, read at the call -- which is when Python's closure reads them too
(late binding), so inlining computes what the closure computes.  A helper that calls one of its
parameters (`def rk4(f, y, h): k1 = f(y) ...`) is inlined with that parameter bound to the function
passed (a nested function, a lambda, or a module-level function), so `rk4(f, y, h)` works for any
of them.

Guarantees: a local function is inlined with its defaults and keyword arguments bound as Python
binds them; one that is assigned again, used as a value other than a call or a helper's argument,
declared `nonlocal`, decorated, or recursive is refused at its line; a free name that a helper it
is passed to also assigns is refused (the inlined names would clash).
"""
from __future__ import annotations

import inspect

import libcst as cst

from .. import ir
from ..errors import UnsupportedSyntaxError
from .scan import appended_names, binding_counts, assigned_names, bound_otherwise, container_names, list_literal_names


class LocalFunction:
    """A nested def or a named lambda of the function being lowered."""

    def __init__(self, name, node, outer):
        self.name, self.node, self.outer = name, node, outer
        self._ir = None
        self.defaults = {}  # parameter -> the variable its default was evaluated into (define_defaults)

    def define_defaults(self):
        """Evaluate the defaults that are not constants where the function is defined, as Python
        does (`lambda t, c=centres[k]: ...`, `def step(u, h=dt * 0.5)`): each into a variable of
        the enclosing function, which a call leaving that parameter out passes."""
        for prm in self.params():
            if prm.default is None:
                continue
            value = self.outer.expr(prm.default)
            if not (isinstance(value, ir.Const) or _float_literal(value)):
                var = self.outer.fresh(f"{self.name}_{prm.name.value}_default")
                self.outer.prelude.append(ir.Assign((var,), value, self.outer.loc(prm.default)))
                self.defaults[prm.name.value] = var
        return self

    def left_to_defaults(self, args, kwargs):
        """(parameter, Name) for each parameter with an evaluated default that a call with these
        arguments leaves out."""
        if not self.defaults:
            return ()
        given = set(self.signature().bind_partial(*args, **dict(kwargs)).arguments)
        return tuple((p, ir.Name(v)) for p, v in self.defaults.items() if p not in given)

    def params(self):
        p = self.node.params
        return list(p.posonly_params) + list(p.params) + list(p.kwonly_params)

    def signature(self):
        """An inspect.Signature (what inline_body binds arguments with), defaults as constants."""
        kinds = ([inspect.Parameter.POSITIONAL_ONLY] * len(self.node.params.posonly_params)
                 + [inspect.Parameter.POSITIONAL_OR_KEYWORD] * len(self.node.params.params)
                 + [inspect.Parameter.KEYWORD_ONLY] * len(self.node.params.kwonly_params))
        out = []
        for prm, kind in zip(self.params(), kinds):
            default = inspect.Parameter.empty
            if prm.name.value in self.defaults:  # (evaluated where defined: passed by each call)
                default = _EVALUATED
            elif prm.default is not None:
                value = self.outer.expr(prm.default)
                if _float_literal(value):  # float('inf')
                    value = ir.Const(float(value.args[0].value))
                if not isinstance(value, ir.Const):
                    raise self.outer.error(UnsupportedSyntaxError, "a default value that is not a constant", prm.default)
                default = value.value
            out.append(inspect.Parameter(prm.name.value, kind, default=default))
        return inspect.Signature(out)

    def stub(self):
        def stub(*args, **kwargs):  # pragma: no cover - only its signature is read
            raise NotImplementedError
        stub.__signature__ = self.signature()
        stub.__name__ = self.name
        return stub

    def lowered(self):
        """The function as IR, lowered in the enclosing function's scope (its free names are the
        enclosing function's variables)."""
        if self._ir is None:
            if getattr(self, "_lowering", False):
                raise self.outer.error(UnsupportedSyntaxError, f"recursive call to '{self.name}'", self.node)
            self._lowering = True
            outer = self.outer
            sub = outer.sublowerer()
            names = [p.name.value for p in self.params()]
            body = self.node.body
            if isinstance(self.node, cst.Lambda):
                assigned = set()
            else:
                assigned, counts, loops = binding_counts(body)
            sub.locals = set(outer.locals) | set(names) | assigned
            sub.bound_otherwise = set(names) | (set() if isinstance(self.node, cst.Lambda) else bound_otherwise(body))
            sub.appended = set() if isinstance(self.node, cst.Lambda) else appended_names(body)
            sub.containers = set() if isinstance(self.node, cst.Lambda) else container_names(body)
            sub.list_literals = set() if isinstance(self.node, cst.Lambda) else list_literal_names(body)
            if isinstance(self.node, cst.Lambda):
                sub.binding_counts = getattr(outer, "binding_counts", None) or (None, None)
            else:
                counts.update(names)
                sub.binding_counts = counts, loops
            sub.local_functions = dict(outer.local_functions)
            sub.bound_in = dict(outer.bound_in)
            sub.first_param = None
            if isinstance(self.node, cst.Lambda):
                stmts = sub.flush([ir.Return(sub.expr(body), outer.loc(body))])
            else:
                stmts = sub.block(body.body)
            outer.captured.update(sub.captured)
            outer.guards.update(sub.guards)
            self._ir = ir.Function(self.name, tuple(names), tuple(stmts), loc=outer.loc(self.node))
        return self._ir


_EVALUATED = object()  # the default of a parameter whose default a call passes (LocalFunction.defaults)


def _float_literal(value) -> bool:
    return isinstance(value, ir.Call) and value.op == "float" and len(value.args) == 1 \
        and isinstance(value.args[0], ir.Const) and not value.kwargs


def define(lowerer, node: cst.FunctionDef):
    """A nested def statement: remembered, inlined at each call."""
    if node.decorators:
        raise lowerer.error(UnsupportedSyntaxError, "a decorated nested function", node.decorators[0])
    if node.asynchronous is not None:
        raise lowerer.error(UnsupportedSyntaxError, "an async nested function", node)
    p = node.params
    if p.star_kwarg is not None or not isinstance(p.star_arg, (type(None), cst.MaybeSentinel, cst.ParamStar)):
        raise lowerer.error(UnsupportedSyntaxError, "*args or **kwargs in a nested function", node.params)
    lf = LocalFunction(node.name.value, node, lowerer).define_defaults()
    _bind(lowerer, node.name.value, lf, node)
    from .factories import factory_shape
    if factory_shape(node) is None:  # (a factory's body is read where it is called: factories.py)
        lf.lowered()  # its body is checked now, when the decorator runs, called or not
    return []


def define_lambda(lowerer, name, node: cst.Lambda, where):
    lf = LocalFunction(name, node, lowerer).define_defaults()
    _bind(lowerer, name, lf, where)
    lf.lowered()
    return []


def _bind(lowerer, name, lf, node):
    if name in lowerer.local_functions:
        raise lowerer.error(UnsupportedSyntaxError, f"'{name}' is bound to a function and to something else; "
                            "use another name", node)
    lowerer.local_functions[name] = lf
    lowerer.note_function(name)


def call(lowerer, lf, e: cst.Call):
    """Inline a call of a local function at this point."""
    if lf in lowerer.calling:
        raise lowerer.error(UnsupportedSyntaxError, f"recursive call to '{lf.name}'", e)
    from ..passes.normalize import inline_body
    from .call_stars import expanded, in_order
    e = expanded(lowerer, lf.stub(), in_order(lowerer, e))  # f(*t), f(**d): each argument given by itself
    args, kwargs = lowerer.call_args(e)  # before: f(f(x)) is not a recursive call
    try:
        kwargs = tuple(kwargs) + lf.left_to_defaults(args, kwargs)
    except TypeError as err:
        raise lowerer.error(UnsupportedSyntaxError, f"call to '{lf.name}': {err}", e) from None
    lowerer.calling.append(lf)
    before = set(lowerer.locals)
    try:
        fn_ir = lf.lowered()
        n = lowerer.inline_count.get(lf.name, 0) + 1
        lowerer.inline_count[lf.name] = n
        prefix = lf.name if n == 1 else f"{lf.name}{n}"
        shared = frozenset()
        if isinstance(lf.node, cst.FunctionDef):  # (hs.append(v) of the enclosing function's hs: its own)
            own = assigned_names(lf.node.body) | {p.name.value for p in lf.params()}
            # (a[0] = v, c.t = v into the enclosing function's a or c: written there, as Python does)
            written = {st.target for st in ir.walk(fn_ir.body) if isinstance(st, ir.SetItem)}
            shared = frozenset(n for n in set(appended_names(lf.node.body)) | written
                               if n in lf.outer.locals and n not in own)
        try:
            stmts, result = inline_body(fn_ir, args, kwargs, prefix, lowerer.locals, lf.stub(), lowerer.loc(e),
                                        shared=shared)
        except TypeError as err:
            raise lowerer.error(UnsupportedSyntaxError, f"call to '{lf.name}': {err}", e) from None
    finally:
        lowerer.calling.pop()
    lowerer.prelude.extend(stmts)
    return read_now(lowerer, stmts, result, before, prefix, lowerer.loc(e))


def read_now(lowerer, stmts, result, before, prefix, loc):
    """An inlined helper's result, bound to a name right after its body where that body writes into
    an array of the caller's (a name in `before`) that the result reads: `put(h, 1.0) + put(h, 3.0)`
    of a helper writing into h and returning np.sum(h * h) reads each value before the other call
    writes into h again, as Python does (left as an expression, both would read the last h)."""
    written = {s.target for s in ir.walk(stmts) if isinstance(s, ir.SetItem)} & before
    if result is None or isinstance(result, (ir.Name, ir.Const)) or not written & set(ir.expr_names(result)):
        return result
    tmp = lowerer.fresh(f"{prefix}_result")
    lowerer.prelude.append(ir.Assign((tmp,), result, loc))
    return ir.Name(tmp)


def call_passed(lowerer, lf, e: cst.Call):
    """A helper calling the local function passed to it: inlined into the helper, whose own names
    must not shadow the function's free names (the enclosing function's variables)."""
    fn_ir = lf.lowered()
    free = set(ir.all_reads(fn_ir.body)) - set(fn_ir.params) - set(ir.all_writes(fn_ir.body))
    clash = sorted(free & lowerer.locals)
    if clash:
        raise lowerer.error(UnsupportedSyntaxError, f"the function passed here reads '{clash[0]}', which this "
                            f"helper also names: rename one of them", e)
    return call(lowerer, lf, e)


def function_arguments(lowerer, callee, e: cst.Call, skip=0):
    """{helper parameter: function} for the arguments of `e` that are functions (a local function,
    a lambda written in place, a module-level or numpy function: function_values.py), to be inlined
    where the helper calls that parameter; `skip`: the parameters given before e's arguments (a
    method's self)."""
    try:
        sig = inspect.signature(callee, follow_wrapped=False)
    except (TypeError, ValueError):
        return {}
    positional = [a for a in e.args if a.keyword is None]
    out = {}
    names = list(sig.parameters)[skip:]
    for a in e.args:
        target = function_value(lowerer, a.value)
        if target is None:
            continue
        pname = a.keyword.value if a.keyword is not None else (names[positional.index(a)]
                                                                if positional.index(a) < len(names) else None)
        if pname is None:
            raise lowerer.error(UnsupportedSyntaxError, "a function passed as an extra positional argument", a)
        out[pname] = target
    if not any(a.star for a in e.args):  # def dense(x, W, act=np.tanh): the default a call leaves
        from .function_values import Known, _callable
        given = set(names[:len(positional)]) | {a.keyword.value for a in e.args if a.keyword is not None}
        for p in list(sig.parameters.values())[skip:]:
            if p.name not in given and p.kind is not p.VAR_KEYWORD and _callable(p.default):
                out[p.name] = Known(p.default, f"{getattr(callee, '__name__', 'the helper')}'s default {p.name}")
    return out


def left_to_defaults(fn_args, e: cst.Call):
    """The function parameters of fn_args the call e does not give (their defaults'): passed as
    None, as the functions given are (inlined where called, not passed)."""
    from .function_values import Known
    return tuple(k for k, v in fn_args.items() if isinstance(v, Known) and "'s default " in v.label)


def function_value(lowerer, node):
    """The function a call argument denotes (None when it is not one)."""
    if isinstance(node, cst.Name) and node.value in lowerer.local_functions:
        return lowerer.bound_function(node.value, node)  # (act = relu, act = ACTS[key]: function_values.py)
    if isinstance(node, cst.Name) and node.value in lowerer.fn_params and not isinstance(lowerer.fn_params[node.value], type):
        return lowerer.fn_params[node.value]  # (a helper passing its function on)
    if isinstance(node, cst.Lambda):
        return LocalFunction("lambda", node, lowerer).define_defaults()
    from .function_values import held_by_self
    if held_by_self(lowerer, node) is not None:  # apply(self.act, z) of an object holding a function
        return held_by_self(lowerer, node)
    from .partials import is_partial, partial_lambda
    if is_partial(lowerer, node):  # scan(partial(step, params), h0, xs): the lambda it stands for
        return LocalFunction("partial", partial_lambda(lowerer, node), lowerer)
    from .factories import bind, makes_function
    if isinstance(node, cst.Call) and makes_function(lowerer, node):
        # euler(make_rhs(a), y0, h): the factory's function, bound to a name first
        name = lowerer.fresh("made")
        stmts = bind(lowerer, cst.Assign([cst.AssignTarget(cst.Name(name))], node), lowerer.loc(node))
        if stmts is not None:
            lowerer.prelude.extend(stmts)
            return lowerer.local_functions[name]
    if isinstance(node, (cst.List, cst.Tuple, cst.Dict)):  # mlp(x, layers, [relu, np.tanh, None]): the table
        from .function_values import looks_like_value, value_of
        return value_of(lowerer, node) if looks_like_value(lowerer, node) else None
    if isinstance(node, (cst.Subscript, cst.IfExp)):  # apply(acts[i], x), Dense(W, b, np.sin if last else relu)
        from .function_values import looks_like_value, value_of
        return value_of(lowerer, node) if looks_like_value(lowerer, node) else None
    if isinstance(node, (cst.Name, cst.Attribute)) and not (isinstance(node, cst.Name) and node.value in lowerer.locals):
        hit = lowerer.static_path(node)
        if hit is not None and inspect.isfunction(hit[1]) and not hit[1].__module__.startswith("numpy"):
            return hit[1]
        from .function_values import Known, Table, _callable, value_of
        if hit is not None and _callable(hit[1]):  # apply(np.tanh, x): the row called where apply calls it
            return Known(hit[1], hit[0])
        if hit is not None and type(hit[1]) in (list, tuple, dict):  # mlp(x, layers, ACTS): the module's table
            table = value_of(lowerer, node)
            return table if isinstance(table, Table) else None
    return None
