"""Lowering of calls: to a rule row, to a marker, or to a helper that is inlined.

Guarantees: a call resolves to exactly one of: a row of the rule table (its arguments arranged as
the row takes them, rules/args.py), `stop_gradient` (s2sgrad.markers), a dict method of a container
argument, builtin `sum`/`reversed`/`list` of a container, `functools.reduce` (the loop it stands
for, folds.py), a user function, method or
@differentiate'd helper (inlined: its body lowered with its own globals, which are guarded too),
or a local function (closures.py).  Anything else -- a function without a rule, recursion, a
computed callee, zip/enumerate outside a for, super, eval -- is refused at its line, never given a
guessed gradient.

A mixin of frontend.lower._Lowerer: it uses the lowerer's state and its core and expression methods.
"""
from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import inspect
import types

import libcst as cst
import numpy as np

from .. import ir
from ..errors import UnknownFunctionError, UnsupportedSyntaxError
from ..ir import Assign, Call, Const, Name, Tuple
from ..markers import FUNCTION_PASSED, custom_jvp, custom_vjp, no_grad, stop_gradient
from ..rules import METHODS, op_for_callable
from ..rules.table import RULES

from . import closures, dispatch, folds, function_values, listbuild, methods
from .guards import plain_constants
from .inlining import Inlining, _out_position, literal_of

_CONTAINER_METHODS = {"get", "items", "keys", "values"}


class Calls(Inlining):
    """call, and the argument lists and inlining it needs (a mixin of lower._Lowerer)."""

    def call_args(self, e: cst.Call, functions=(), star=None, mapping=None):
        """(args, kwargs) as IR; star, the last positional argument `*seq`, is left out (inline reads it);
        a `**d` is the keyword "**" where `mapping` (a helper's **kwargs keys: spread.py) has that key."""
        args, kwargs = [], []
        for a in e.args:
            if star is not None and a is star:
                continue
            if a.star == "**" and mapping and "**" in mapping:
                kwargs.append(("**", self.expr(a.value)))
                continue
            if a.star:
                raise self.error(UnsupportedSyntaxError, "*args / **kwargs in a call", a)
            fn_arg = closures.function_value(self, a.value) if functions else None
            value = a.value
            joined = isinstance(e.func, cst.Attribute) and e.func.attr.value == "join" and \
                isinstance(e.func.value, (cst.SimpleString, cst.Name, cst.FormattedString))  # ", ".join(...)
            if isinstance(value, cst.GeneratorExp) and a is e.args[0] and \
                    (len(e.args) == 1 or self.static_callee(e.func) is sum) and \
                    (joined or self.static_callee(e.func) in (sum, list, tuple, max, min, math.fsum)):
                # sum(w ** 2 for w in ws): the builtin consumes it at once, as it would the list
                # (max and min too: unlike any and all, they never stop early)
                value = self.remade(cst.ListComp(elt=value.elt, for_in=value.for_in), value)
            if a is e.args[0] and (len(e.args) == 1 or self.static_callee(e.func) is sum
                                   or all(x.keyword is not None for x in e.args[1:])) and \
                    self.static_callee(e.func) in (sum, list, tuple, max, min, math.fsum):
                value = folds.mapped(self, value) or value  # sum(map(f, xs)): [f(x) for x in xs]
            mark = len(self.prelude)
            v = Const(FUNCTION_PASSED) if fn_arg is not None else self.expr(value)  # a function: inlined, not passed
            # (g(np.sum(h), put(h, 1.0)) of a helper writing into h: the arguments before it read first)
            args = [self.read_before(x, mark, e) for x in args]
            kwargs = [(k, self.read_before(x, mark, e)) for k, x in kwargs]
            if a.keyword is not None:
                kwargs.append((a.keyword.value, v))
            else:
                if kwargs:
                    raise self.error(UnsupportedSyntaxError, "positional argument after keyword", a)
                args.append(v)
        return tuple(args), tuple(kwargs)

    def held_view(self, func, e):
        """`SCALES.items()`, `.keys()`, `.values()` of a module-level dict of constants: the view of a
        literal of what it holds now (read as the snapshot frontend/names.py takes, which its guard
        watches), so a loop over it unrolls; None for any other call."""
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and not e.args
                and func.attr.value in ("items", "keys", "values") and func.value.value not in self.locals):
            return None
        obj = self.ns.get(func.value.value)
        if type(obj) is not dict or not plain_constants(obj):
            return None
        read = self.expr(func.value)  # (the guard on its contents)
        snapshot = self.captured.get(read.id, obj) if isinstance(read, Name) else obj
        # (the view of a dict literal: the container pass holds it when compiling, a list of its
        # entries, so a loop over it unrolls and `for k, v in` binds constants)
        return Call(f".{func.attr.value}", (literal_of(snapshot),))

    def rule_args(self, op, args, kwargs, e):
        """The call as the rule row takes it (see rules/args.py)."""
        from ..rules.args import arrange

        def bind(value, base):  # a value used twice is computed once, before the call
            name = self.fresh(base)
            self.prelude.append(Assign((name,), value, self.loc(e)))
            return Name(name)
        if op in ("np.stack", "np.concatenate") and args and isinstance(args[0], Call) \
                and args[0].op in ("list", "tuple") and len(args[0].args) == 1 and not args[0].kwargs:
            args = args[0].args + args[1:]  # np.stack(list(x)): numpy's np.stack(x), x's rows (rules/basic.py)
        return arrange(op, args, kwargs, lambda what: self.error(UnsupportedSyntaxError, what, e), bind)

    def call(self, e: cst.Call):
        func = e.func
        if isinstance(func, cst.Name) and func.value in self.local_functions:
            # act(z) of act = relu, a nested def, act = ACTS[key], a loop over functions
            return function_values.call_value(self, self.bound_function(func.value, func), e, func.value)
        if isinstance(func, cst.Name) and func.value in self.fn_params:  # a helper calling its argument f
            return function_values.call_value(self, self.fn_params[func.value], e, func.value, passed=True)
        held = function_values.held_by_self(self, func)
        if held is not None:  # self.act(z) of an object holding a function (Dense(W, b, act=np.tanh))
            return function_values.call_value(self, held, e, f"{func.value.value}.{func.attr.value}")
        if isinstance(func, cst.Name) and self.static_callee(func) is len and func.value not in self.locals:
            n = function_values.length(self, e)  # len(acts) of a table of functions
            if n is not None:
                return n
        held = self.held_view(func, e)
        if held is not None:
            return held
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) \
                and isinstance(self.fn_params.get(func.value.value), type):  # cls.from_log(...) in a classmethod
            klass = self.fn_params[func.value.value]
            if not hasattr(klass, func.attr.value):
                raise self.error(UnsupportedSyntaxError, f"'{klass.__name__}' has no attribute '{func.attr.value}'", e)
            return self.call_object(e, f"{klass.__name__}.{func.attr.value}", getattr(klass, func.attr.value))
        hit = self.static_path(func)
        if hit is None:
            if isinstance(func, cst.Attribute):  # a method of a local value: x.sum(axis=0)
                target = methods.method_of(self, func) or methods.super_method(self, func)
                if target is not None:  # self.forward(X): the method inlined, self passed on
                    fn_obj, bound = target
                    me = cst.Name(self.first_param) if isinstance(func.value, cst.Call) else func.value  # (super())
                    return self.inline(fn_obj, e, func.attr.value, pre_args=(self.expr(me),) if bound else (),
                                       on_self=bound)
                method = func.attr.value
                op = METHODS.get(method)
                if op is None and method in _CONTAINER_METHODS:
                    # dict methods of a container argument: evaluated when compiling (passes/containers.py)
                    args, kwargs = self.call_args(e)
                    return Call(f".{method}", (self.expr(func.value),) + args, kwargs)
                if op is None and (not hasattr(np.ndarray, method) or method == "__call__"):
                    # (np.ndarray, a class, has a __call__: layer.__call__(x) is the layer's)
                    # a method of an object (layer.forward(x)): resolved on its class once the
                    # argument's class is known (passes/objects.py)
                    args, kwargs = self.call_args(e)
                    return Call("obj_method", (self.expr(func.value), Const(method)) + args, kwargs)
                if op is None:
                    raise self.error(UnknownFunctionError,
                                     f"array method '.{method}()' has no differentiation rule (a method of your "
                                     "own class named like an array method is read as the array's: rename it)",
                                     func.attr)
                if method in ("reshape", "transpose") and any(a.star == "*" for a in e.args) and \
                        all(a.keyword is None and a.star != "**" for a in e.args):
                    # x.reshape(*x.shape[:-1], 2, -1): numpy reads the arguments as one shape tuple
                    e = self.remade(e.with_changes(args=[cst.Arg(cst.Tuple([
                        cst.StarredElement(a.value) if a.star else cst.Element(a.value) for a in e.args]))]), e)
                obj = self.expr(func.value)
                args, kwargs = self.call_args(e)
                return self.rule_args(op, (obj,) + args, kwargs, e)
            if isinstance(func, cst.Subscript) and isinstance(func.value, (cst.List, cst.Tuple, cst.Dict)) \
                    and function_values.looks_like_value(self, func.value):  # [np.sin, np.cos][i](x)
                return function_values.call_value(self, function_values.value_of(self, func), e, "table")
            picked = dispatch.call_from_table(self, e) if isinstance(func, cst.Subscript) else None
            if picked is not None:  # ACTS[name](z): ACTS a module-level dict or tuple of functions
                return picked
            if isinstance(func, cst.Call):  # get_activation("tanh")(z): the factory's function, called at once
                from .closures import function_value
                from .factories import makes_function
                made = function_value(self, func) if makes_function(self, func) else None
                if made is not None:
                    return function_values.call_value(self, made, e, "made")
            if isinstance(func, cst.Name) and func.value in self.locals or isinstance(func, (cst.Call, cst.Subscript)):
                # layer(x), layers[0](x), Lin(W)(x): an object called, resolved on its class when
                # compiling (passes/objects.py), which refuses anything else called
                args, kwargs = self.call_args(e)
                return Call("obj_method", (self.expr(func), Const("__call__")) + args, kwargs)
            if isinstance(func, cst.Name):
                raise self.error(UnsupportedSyntaxError, f"name '{func.value}' is not defined", func)
            raise self.error(UnsupportedSyntaxError, "call of a computed function", func)
        return self.call_object(e, *hit)

    def call_object(self, e: cst.Call, label: str, obj):
        """The call e of the object obj (found under label when compiling)."""
        func = e.func
        comp = listbuild.comprehension_value(self, e) if obj in (list, tuple) else None
        if comp is not None:  # list(f(x) for x in xs): the list the comprehension builds
            return self.expr(comp)
        if obj in (np.random.randn, np.random.rand) and len(e.args) == 1 and e.args[0].star == "*":
            # np.random.randn(*h.shape): the draw of that shape (numpy draws the same numbers)
            name = "standard_normal" if obj is np.random.randn else "random"
            e = e.with_changes(func=cst.Attribute(cst.Attribute(cst.Name("np"), cst.Name("random")), cst.Name(name)),
                               args=[e.args[0].with_changes(star="")])
            hit = self.static_path(e.func)
            if hit is None:  # (numpy is not `np` in this module: the rows by their own names)
                args, kwargs = self.call_args(e)
                return self.rule_args(op_for_callable(getattr(np.random, name)), args, kwargs, e)
            label, obj = hit
        if obj is stop_gradient:
            args, kwargs = self.call_args(e)
            return Call("stop_gradient", args, kwargs)
        if obj is no_grad:
            raise self.error(UnsupportedSyntaxError, "no_grad() outside a with statement", e)
        if isinstance(obj, (custom_vjp, custom_jvp)):
            return self.custom_call(obj, e)
        if obj is next:  # next(x for x in xs if ...): the loop it stands for
            return folds.first_call(self, e)
        if obj in (min, max) and any(a.keyword is not None and a.keyword.value == "key" for a in e.args):
            return folds.keyed_extreme_call(self, e, obj.__name__)  # the loop it stands for
        if obj is np.random.default_rng:  # rng = np.random.default_rng(seed): a seed, never None or a
            args, kwargs = self.call_args(e)  # generator (runtime.draw_seed: each run draws the same)
            seeds = list(args) + [v for k, v in kwargs if k == "seed"]
            if len(seeds) != 1 or len(seeds) != len(args) + len(kwargs):
                raise self.error(UnsupportedSyntaxError, "np.random.default_rng with other than one seed (give it "
                                 "a seed: each run of the generated code must draw the same numbers)", e)
            return Call("np.random.default_rng", (Call("draw_seed", tuple(seeds)),))
        op = op_for_callable(obj)
        if op is not None or _out_position(obj) is not None:
            self.refuse_out(obj, e, label)
        if op is not None:
            args, kwargs = self.call_args(e)
            return self.rule_args(op, args, kwargs, e)
        if obj is slice:  # idx = [slice(None)] * n; idx[axis] = i; x[tuple(idx)]: the slice itself
            args, kwargs = self.call_args(e)
            if kwargs or not 1 <= len(args) <= 3:
                raise self.error(UnsupportedSyntaxError, "slice() takes one to three positions", e)
            parts = [None if isinstance(a, Const) and a.value is None else a for a in args]
            return ir.Slice(None, parts[0], None) if len(parts) == 1 else ir.Slice(*(parts + [None] * (3 - len(parts))))
        if obj is np.block:  # np.block([[A, B], [C, D]]): the concatenations it stands for
            return listbuild.block(self, e)
        if obj is sum:  # builtin sum of a list of arrays (lists.py)
            args, kwargs = self.call_args(e)
            start = dict(kwargs).get("start", args[1] if len(args) == 2 else None)
            if len(args) + len(kwargs) != 1 + (start is not None) or set(dict(kwargs)) - {"start"}:
                raise self.error(UnsupportedSyntaxError, "sum() of more than a sequence and a start value", e)
            if isinstance(args[0], (Tuple, ir.ListExpr)):  # sum([x, y], s): written out as (s + x) + y
                from ..passes.containers import sum_of
                return sum_of(list(args[0].elts), start)
            # sum(ws, s) runs as Python's sum from s (its order and types: a float32 list with a
            # float64 start adds in float64 from the first item; s + sum(ws) added in float32 first)
            return Call("list_sum", args[:1] + ((start,) if start is not None else ()))
        if obj is math.fsum:  # math.fsum(terms): sum's adjoint, Python's exactly rounded value
            args, kwargs = self.call_args(e)
            if len(args) != 1 or kwargs or isinstance(args[0], (Tuple, ir.ListExpr)):
                raise self.error(UnsupportedSyntaxError, "math.fsum of other than one list built at run time (a "
                                 "comprehension, a generator, or a list appended to)", e)
            return Call("list_sum", args, (("exact", Const(True)),))
        if obj is dict and any(a.keyword is not None for a in e.args):
            # dict(a=x, b=y), dict(d, b=y): a literal of the keywords, joined over d's entries
            args, kwargs = self.call_args(e)
            if len(args) > 1 or any(a.star for a in e.args):
                raise self.error(UnsupportedSyntaxError, "dict() with more than one container or ** arguments", e)
            entries = ir.DictExpr(tuple(Const(k) for k, _ in kwargs), tuple(v for _, v in kwargs))
            return Call("or_", (Call("dict", args), entries)) if args else entries
        if obj in (list, tuple) and len(e.args) == 1 and not e.args[0].keyword and not e.args[0].star \
                and isinstance(e.args[0].value, cst.Call) and self.static_callee(e.args[0].value.func) is itertools.accumulate:
            return folds.accumulate_call(self, e.args[0].value)  # list(accumulate(...)): its list, made for it alone
        if obj is sorted:  # of a container known when compiling (passes/container_values.sorted_items)
            keywords = {a.keyword.value for a in e.args if a.keyword is not None}
            if "key" in keywords:  # sorted(peaks, key=lambda p: p["centre"]): passes/sort_by_key.py
                return folds.sorted_by_key(self, e)
            if keywords - {"reverse"} or sum(a.keyword is None for a in e.args) != 1 or any(a.star for a in e.args):
                raise self.error(UnsupportedSyntaxError, "sorted() with more than the sequence, key= and "
                                 "reverse=: s2sgrad sorts only what it knows when compiling, by the items' own "
                                 "order (sorted(d), sorted(d.items()), sorted(names)); for another order list the "
                                 "keys in it, or sort an array with np.sort / np.argsort", e)
            args, kwargs = self.call_args(e)
            rev = dict(kwargs).get("reverse", Const(False))
            held = self.captured.get(args[0].id) if isinstance(args[0], Name) else None
            if isinstance(args[0], (Tuple, ir.ListExpr)) and all(isinstance(x, Const) for x in args[0].elts):
                held = [x.value for x in args[0].elts]  # sorted([2, 1.5, 0]): a literal of constants
            if type(held) in (list, dict, tuple) and plain_constants(held) and isinstance(rev, Const) \
                    and type(rev.value) is bool:  # a module-level container (or a literal) of constants
                try:
                    return literal_of(sorted(held, reverse=rev.value))
                except TypeError:
                    pass  # (refused by the container pass, which says why)
            return Call("sorted", args, kwargs)
        if obj is reversed or obj is list or obj is dict:  # of a container (passes/containers.py)
            args, kwargs = self.call_args(e)
            held = self.captured.get(args[0].id) if len(args) == 1 and isinstance(args[0], Name) else None
            if obj is not reversed and not kwargs and type(held) in (list, dict):
                # dict(CONFIG) of a module-level container of constants: a container of the
                # function's own, written out (frontend/guards.py)
                return literal_of(obj(held))
            return Call(obj.__name__, args, kwargs)
        if obj is functools.reduce:  # reduce(f, seq, init): the loop it stands for (frontend/folds.py)
            return folds.reduce_call(self, e)
        if obj is map:  # (list(map(f, xs)) is read as a comprehension, in call_args)
            raise self.error(UnsupportedSyntaxError, "map() whose items are not read at once by list(), tuple(), "
                             "sum(), max() or min() (a loop over it would interleave its calls with the loop's "
                             "body): write list(map(f, xs)) or [f(x) for x in xs]", e)
        if obj is itertools.accumulate:  # the loop appending each partial result (frontend/folds.py)
            return folds.accumulate_call(self, e)
        if obj is dataclasses.replace:  # replace(state, pos=p): the container pass makes the new object
            args, kwargs = self.call_args(e)
            if len(args) != 1:
                raise self.error(UnsupportedSyntaxError, "dataclasses.replace takes the object, then fields by "
                                 "keyword", e)
            return Call("obj_replace", args, kwargs)
        if isinstance(obj, types.FunctionType) and (obj.__module__ or "").startswith("s2sgrad.") and \
                label in RULES and label not in _SECOND_ORDER_HELPERS:
            # a run-time helper with a row of its own, which generated code differentiated again (a
            # second derivative) calls by name: split_bounds, ddof_scale (of shapes only), scatter_add,
            # the draw checks, global_read, list_as_array, aligned_mask ...
            if label == "succeeds" and e.args and e.args[0].keyword is None:  # (a try's probe: its function by name)
                from .trystmt import _exceptions, _library_function
                fn, _ = _library_function(self, cst.Call(e.args[0].value, []))
                caught = [a for a in e.args if a.keyword is not None and a.keyword.value == "catching"]
                args, kwargs = self.call_args(e.with_changes(args=[a for a in e.args[1:] if a not in caught]))
                return Call(label, (fn,) + args, kwargs + tuple(("catching", _exceptions(self, a.value)) for a in caught))
            args, kwargs = self.call_args(e)
            return Call(label, args, kwargs)
        if isinstance(obj, types.FunctionType) and (obj.__module__ or "").startswith("s2sgrad."):
            # generated code differentiated again (second order) calling a helper of a rule
            what, instead = _SECOND_ORDER_HELPERS.get(label, (f"the call that uses '{label}'", None))
            raise self.error(UnsupportedSyntaxError, f"second derivatives (hessian, hvp, grad of grad) of {what}: its "
                             f"forward rule calls '{label}', a run-time helper with no rule of its own yet. "
                             + (instead or "Write this line with other operations, or take this Hessian "
                                "column by column from differences of f.grad"), func)
        if isinstance(obj, types.FunctionType) and self.src.file.startswith("<s2sgrad "):
            owner = _custom_jvp_owner(obj)
            if owner is not None:  # generated tangent code differentiated again calls the user's rule
                raise self.error(UnsupportedSyntaxError, f"second derivatives (hessian, hvp, grad of grad) through "
                                 f"'{owner}', a custom_jvp function: s2sgrad does not differentiate the rule "
                                 f"'{label}' itself. Call a plain version of {owner} (without @custom_jvp) in the "
                                 "function you take second derivatives of", func)
        if isinstance(obj, types.FunctionType) and not obj.__module__.startswith(("numpy", "scipy")):
            return self.inline(obj, e, label)
        if hasattr(obj, "__wrapped_py__"):  # a @differentiate'd helper: inline the plain function
            return self.inline(obj.__wrapped_py__, e, label)
        if isinstance(obj, functools._lru_cache_wrapper) and isinstance(obj.__wrapped__, types.FunctionType):
            # @functools.lru_cache / @cache: the function it caches, inlined -- its value for these
            # arguments is the cache's only where it depends on nothing but them (cached_purely)
            why = _cache_differs(obj.__wrapped__) or _cached_value_differs(obj, e)
            if why:
                raise self.error(UnsupportedSyntaxError, f"'{label}' is cached (functools.lru_cache) and {why}, so "
                                 "the cache's value can differ from the function's: pass what it reads as "
                                 "arguments, or drop the cache", e)
            return self.inline(obj.__wrapped__, e, label)
        owner = getattr(obj, "__self__", None)
        if hasattr(owner, "gradient_rule") and getattr(obj, "__name__", "") == "grad":
            # `f.grad(x)` inside a differentiated function: a rule of its own (higher.gradient_rule)
            return self.custom_call(owner.gradient_rule(), e)
        if methods.user_class(obj):  # Lin(W, b): its __init__ inlined, the object known when compiling
            return methods.construct(self, obj, e, label)
        if isinstance(obj, types.MethodType) and isinstance(owner, type) and methods.user_class(owner):
            # Cell.from_log(d), a @classmethod: inlined with its first parameter standing for the
            # class (cls(...) constructs it, as a function passed to a helper is called)
            first = next(iter(inspect.signature(obj.__func__).parameters), None)
            if first is None:
                raise self.error(UnsupportedSyntaxError, f"the classmethod '{label}' takes no class parameter", e)
            return self.inline(obj.__func__, e, label, pre_args=(Const(None),), passed={first: owner})
        if methods.user_class(type(obj)):  # a layer object read from a global or a closure: an object
            # known when compiling, its methods inlined, its arrays read from it (passes/containers.flatten)
            args, kwargs = self.call_args(e)
            return Call("obj_method", (self.captured_value(label, obj), Const("__call__")) + args, kwargs)
        owner = getattr(obj, "__self__", None)
        if isinstance(obj, types.MethodType) and methods.user_class(type(owner)):  # criterion.forward(x)
            args, kwargs = self.call_args(e)
            return Call("obj_method", (self.captured_value(label.rpartition(".")[0], owner), Const(obj.__name__))
                        + args, kwargs)
        if obj is zip or obj is enumerate:
            raise self.error(UnsupportedSyntaxError, f"{obj.__name__}() anywhere but as the iterable of a for loop "
                             f"(write `for a, b in {obj.__name__}(...):`; nest loops instead of enumerate(zip(...)))",
                             func)
        if obj is super:
            raise self.error(UnsupportedSyntaxError, "super(): call the parent class's method by name "
                             "(Parent.method(self, ...)), which s2sgrad inlines", func)
        if obj is eval or obj is exec:
            raise self.error(UnsupportedSyntaxError, f"{label}(): s2sgrad compiles your source code and cannot see "
                             "code built at run time (write the expression itself)", func)
        from ..rules.opaque import pure, register
        if pure(obj):  # a library function without a rule: kept, refused where a derivative reaches it
            op, names = register(obj, label)
            self.captured.update(names)
            args, kwargs = self.call_args(e)
            return Call(op, args, kwargs)
        from ..rules.opaque import draw
        op = draw(obj)
        if op is not None:  # np.random.beta(2.0, 2.0), permutation(n): a draw kept, its result a constant
            args, kwargs = self.call_args(e)
            return Call(op, args, kwargs)
        if (getattr(obj, "__module__", None) or "").startswith("numpy.random"):
            raise self.error(UnknownFunctionError, f"'{label}' has no rule: s2sgrad follows numpy's global "
                             "generator (np.random.seed as a statement, np.random.standard_normal, normal, rand, "
                             "randn, uniform, beta, permutation, choice, ...) and a Generator the function makes "
                             "(rng = np.random.default_rng(seed); rng.normal(...)), which draw the same numbers in "
                             "the generated code; shuffle (write x[np.random.permutation(len(x))]) and other "
                             "generator objects are not followed", func)
        if obj is itertools.pairwise or obj is functools.partial:
            raise self.error(UnsupportedSyntaxError, f"{obj.__name__}() here: s2sgrad reads "
                             + ("pairwise only as the iterable of a for loop or a comprehension (for a, b in "
                                "pairwise(c))" if obj is itertools.pairwise else
                                "partial only as a helper's argument or bound to a name (step = partial(f, a))"), func)
        if isinstance(obj, functools.partial):
            raise self.error(UnsupportedSyntaxError, f"'{label}' is a functools.partial made outside the function: "
                             "s2sgrad reads partial where the function makes it (step = partial(f, a)); make it "
                             "there, or write a def", func)
        if isinstance(getattr(obj, "__self__", None), (dict, list, tuple, set, str)):
            raise self.error(UnsupportedSyntaxError, f"'{label}', a method of a module-level "
                             f"{type(obj.__self__).__name__}: s2sgrad reads module-level lists and dicts of numbers, "
                             "strings and arrays by key (CONFIG['k'], with the key known when compiling); for "
                             "anything else pass the container as an argument", func)
        if getattr(obj, "__module__", None) == "builtins" or isinstance(obj, type) and obj.__module__ == "builtins":
            types_hint = " (s2sgrad compiles one version per argument type: write one function per case, or " \
                "pass a flag)" if obj in (isinstance, type, issubclass) else ""
            raise self.error(UnsupportedSyntaxError, f"the builtin '{label}' is not supported in a differentiated "
                             f"function{types_hint}; compute it outside and pass the result as an argument", func)
        if (getattr(obj, "__module__", None) or "") in ("itertools", "functools"):
            raise self.error(UnsupportedSyntaxError, f"'{label}' of {obj.__module__}: write the loop it stands for "
                             "(product(a, b): nested loops; chain(a, b): a loop over each), which s2sgrad "
                             "differentiates", func)
        raise self.error(UnknownFunctionError,
                         f"'{label}' has no differentiation rule (s2sgrad never guesses a zero gradient; "
                         "the supported functions are listed in the README, 'Supported numpy functions')", func)

def _custom_jvp_owner(fn):
    """The name of the custom_jvp function whose rule fn is (None: fn is no such rule)."""
    from ..rules.custom import CUSTOM
    return next((obj.__name__ for kind, obj, _ in CUSTOM.values() if kind == "custom_jvp" and obj.jvp is fn), None)


# helpers of forward rules (runtime_jvp.py, runtime_linalg.py) met when generated tangent code is
# differentiated again: the user's operation, and what to write instead for a second derivative
_SECOND_ORDER_HELPERS = {
    "cumprod_jvp": ("np.cumprod", "Write the running product as a loop (p = p * x[i], stored with "
                                  "np.stack or written into an array the function owns)"),
    "quantile_jvp": ("np.quantile, np.percentile or np.median", "Sort and index instead "
                     "(np.sort(x)[k], with interpolation written out), which has second derivatives"),
    "permutation_jvp": ("a sort", None),
    "matrix_power_jvp": ("np.linalg.matrix_power with |n| > 4", "Write the power as products (a @ a @ a ...)"),
    "decompose": ("a matrix decomposition (np.linalg.eigh, eig, svd, qr, cholesky...)", None),
    "norm_grad": ("np.linalg.norm of this ord", "For ord=1 or inf write np.sum(np.abs(x)) or np.max(np.abs(x))"),
}


def _cache_differs(fn):
    """Why a cached function's value may not be what running it again gives (None: it reads only its
    arguments and modules, and draws nothing): a global it reads may change after caching (also
    one a function or class it calls reads), and a draw is cached once."""
    codes, names = [fn.__code__], set()
    while codes:
        code = codes.pop()
        names |= set(code.co_names)
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    if "random" in names or "default_rng" in names:
        return "draws random numbers"
    for n in sorted(names):  # (a function or class it calls may read or draw anything: not followed)
        v = fn.__globals__.get(n)
        if n not in fn.__globals__:
            continue
        if not isinstance(v, types.ModuleType) or v.__name__.split(".")[0] not in _CACHE_SAFE_MODULES:
            return f"reads the global '{n}' (only math, numpy and the like are read from a cached function)"
        if v.__name__.startswith("numpy.random"):
            return "draws random numbers"
    return None


# modules whose attributes a cached function may read: functions and constants that never change
_CACHE_SAFE_MODULES = frozenset({"math", "cmath", "numpy", "scipy", "functools", "itertools", "operator"})


def _cached_value_differs(cached, e):
    """Why a call of a cached pure function may differ from its inlined body (None: it may not):
    the cache hands every caller the same object, which only a number cannot be changed through --
    so the arguments must be literals and the value for them, computed now, a number."""
    import ast
    values = []
    for a in e.args:
        if a.keyword is not None or a.star:
            return "is called with keyword or starred arguments"
        try:
            values.append(ast.literal_eval(cst.Module([]).code_for_node(a.value)))
        except (ValueError, SyntaxError):
            return "is called with an argument that is not a literal"
    try:
        value = cached(*values)
    except Exception as err:  # (Python's call raises it too: said here, at the call)
        return f"raises {type(err).__name__} for these arguments"
    if not isinstance(value, (int, float, np.integer, np.floating)):
        return f"returns a {type(value).__name__}, one object the cache shares between calls"
    return None
