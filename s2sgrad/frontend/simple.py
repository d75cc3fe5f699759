"""Simple statements, lowered (a mixin of lower._Lowerer): assignments (plain, annotated,
augmented, unpacking, into a subscript), return, pass, break, continue, and the refusals of the rest.

Guarantees: every right-hand side of an unpacking is evaluated before any name is bound
(`a, b = b, a`); an augmented assignment is its plain form (`x += y` is `x = x + y`, `x[i] += y`
reads then writes the slot); inside `with no_grad():` every assigned value is wrapped in
`stop_gradient`; an assignment to an attribute, a subscript of an expression, or anything that is
not a name, tuple of names or subscript is refused at its line, as are the statements in
`_REFUSED_STATEMENTS`.  The operator tables here are listed in docs/syntax.md (docs/syntax_table.py
reads them through lower.py, which re-exports them).
"""
from __future__ import annotations

import types

import libcst as cst

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, ExprStmt, If, Name, SetItem, Tuple
from . import draw_order, closures, held_functions, held_index, dictops, dispatch, factories, function_comps, function_values, inplace, listbuild, methods, partials
from .effects import lower_effect

_AUGOPS = {
    cst.AddAssign: "add", cst.SubtractAssign: "sub", cst.MultiplyAssign: "mul",
    cst.DivideAssign: "truediv", cst.PowerAssign: "pow", cst.MatrixMultiplyAssign: "matmul",
    cst.FloorDivideAssign: "floordiv", cst.ModuloAssign: "mod",
}

_REFUSED_STATEMENTS = {
    cst.TryStar: "try ... except* statement", cst.ClassDef: "class definition",
    cst.Nonlocal: "nonlocal statement", cst.Import: "import statement", cst.ImportFrom: "import statement",
}

class SimpleStatements:
    """`small` (one simple statement), `assign` (one target) and `wrap` (no_grad)."""

    def small(self, s, loc) -> list:
        if getattr(self, "init_of", None) is not None:  # super().__init__() in an inlined __init__
            done = methods.init_super(self, s)
            if done is not None:
                return done
        changed = dictops.dict_statement(self, s, loc)  # d.pop(k), del d[k], d.setdefault(k, v) of a dict made here
        if changed is not None:
            return changed
        effect = lower_effect(self, s, loc)  # assert, raise, print, del, global, pass
        if effect is not None:
            return effect
        for cls, what in _REFUSED_STATEMENTS.items():
            if isinstance(s, cls):
                hint = (": a nested function that rebinds the enclosing function's variable can return the new "
                        "value instead (count = bump(count))") if cls is cst.Nonlocal else ""
                raise self.error(UnsupportedSyntaxError, f"{what} is not supported in a differentiated function{hint}", s)
        if isinstance(s, cst.Assign) and isinstance(s.value, cst.Lambda) and len(s.targets) == 1 \
                and isinstance(s.targets[0].target, cst.Name):  # f = lambda t: ...: inlined where called
            return closures.define_lambda(self, s.targets[0].target.value, s.value, s)
        if isinstance(s, cst.Assign) and len(s.targets) == 1 and isinstance(s.targets[0].target, cst.Name) \
                and partials.is_partial(self, s.value):  # step = partial(rnn_step, params): the lambda it is
            lam = partials.partial_lambda(self, s.value)
            pre = self.flush([])
            return pre + closures.define_lambda(self, s.targets[0].target.value, lam, s)
        # ([lambda t, c=c: ... for c in CS]: a table of functions, written out: function_comps.py)
        comp = listbuild.comprehension_value(self, s.value) if isinstance(s, cst.Assign) \
            and not function_comps.makes_functions(self, s.value) and not function_comps.makes_objects(self, s.value) \
            else None
        if comp is not None and len(s.targets) == 1 and isinstance(s.targets[0].target, cst.Name) \
                and s.targets[0].target.value not in listbuild.name_values(comp):
            # outs = [f(x) for x in xs] (or list(...)/tuple(...) of a generator): the list outs (not
            # params = [p - lr * p for p in params], which reads the old params: a list of its own)
            name = s.targets[0].target.value
            listbuild.comprehension(self, comp, name)
            return self.flush([])
        if not methods.calls_own_method(self, s):  # (self.update(b) of a class with update: its method)
            popped = listbuild.pop_statement(self, s, loc)  # last = parts.pop() of a list literal
            if popped is not None:
                return popped
            listbuild.refuse_changing_call(self, s)  # hs.pop(), d.setdefault(k, v): refused with the rewrite
            extended = listbuild.extend_statement(self, s, loc)  # hs.extend(v), hs += [h]
            if extended is not None:
                return extended
            updated = listbuild.update_statement(self, s, loc)  # d.update(k=v)
            if updated is not None:
                return updated
        split = listbuild.split_list(self, s, loc)  # parts = np.split(x, 3): a list of arrays
        if split is not None:
            return split
        literal = listbuild.literal_list(self, s, loc)  # hs = [x], later appended to
        if literal is not None:
            return literal
        picked = dispatch.bind_picked(self, s, loc)  # act = ACTS[key], called later (dispatch.py)
        if picked is not None:
            return picked
        made = factories.bind(self, s, loc) if isinstance(s, cst.Assign) else None
        if made is not None:  # k = make_rbf(bw): the function the factory returns, local to this one
            return made
        held = held_functions.init_function(self, s, loc)  # self.act = act in an inlined __init__
        if held is not None:
            return held
        bound = function_values.bind(self, s, loc)  # act = relu, acts = [relu, np.tanh], f = a if c else b
        if bound is not None:
            return bound
        if isinstance(s, cst.Assign):
            src = s.value
            if isinstance(src, cst.GeneratorExp) and all(isinstance(t.target, (cst.Tuple, cst.List)) for t in s.targets):
                # s, a, r = (batch[k] for k in keys): unpacked at once, the list it yields
                src = self.remade(cst.ListComp(elt=src.elt, for_in=src.for_in), src)
            value = self.expr(src)
            out = []
            if len(s.targets) > 1 and not isinstance(value, (Name, Const)):
                tmp = self.fresh("t")
                out.append(Assign((tmp,), value, loc))
                value = Name(tmp)
            if len(s.targets) > 1 and isinstance(value, Name):  # a = b = {...}: one container, two holders
                self.fresh_containers.discard(value.id)  # (never fresh for an attribute: methods.fresh)
            for t in s.targets:
                out.extend(self.assign(t.target, value, loc, in_turn=len(s.targets) > 1))
            return self.flush(out)
        if isinstance(s, cst.AnnAssign):
            if s.value is None:
                return []
            return self.flush(self.assign(s.target, self.expr(s.value), loc))
        if isinstance(s, cst.AugAssign) and isinstance(s.operator, cst.BitOrAssign) and \
                isinstance(s.target, cst.Name) and s.target.value in dictops.made_dicts(self):
            # d |= {'k': v} of a dict the function made: d.update({'k': v}), in place as Python does
            update = cst.Expr(cst.Call(cst.Attribute(s.target, cst.Name("update")), [cst.Arg(s.value)]))
            return listbuild.update_statement(self, update, loc)
        if isinstance(s, cst.AugAssign):
            op = _AUGOPS.get(type(s.operator))
            if op is None:
                raise self.error(UnsupportedSyntaxError, f"augmented assignment {s.operator.__class__.__name__}", s)
            if isinstance(s.target, cst.Subscript) and isinstance(s.target.value, cst.Name):
                # (Python reads the target's index before the value: y[rng.integers(4)] += v)
                base = self.written_name(s.target.value)
                bound, index = held_index.held(self, base, self.index(s.target), loc)  # (h[h > 1] *= 0.5)
                self.prelude.extend(bound)  # (one target: Python reads the index before the value)
                start = len(self.prelude)
                value = self.expr(s.value)
                # (h[0] += bump(h) of a helper writing into h: Python reads h[0] before the call)
                old = self.read_before(Call("getitem", (Name(base), index)), start, s.target)
                return self.flush([SetItem(base, index, self.wrap(Call(op, (old, value))), loc, inplace=True)])
            value = self.expr(s.value)
            if isinstance(s.target, cst.Name):
                name = s.target.value
                return self.flush([Assign((name,), self.wrap(Call(op, (Name(name), value))), loc, aug=True)])
            if isinstance(s.target, cst.Attribute):  # self.t += 1: in place where it holds an array
                old = self.expr(s.target)
                return self.flush(methods.attribute_write(self, s.target, self.wrap(Call(op, (old, value))), loc,
                                                          inplace=True))
            if isinstance(s.target, cst.Subscript):
                raise self.error(UnsupportedSyntaxError, methods.nested_write_message(s.target, augmented=True),
                                 s.target)
            raise self.error(UnsupportedSyntaxError, "augmented assignment to this target", s.target)
        if isinstance(s, cst.Return):
            value = None if s.value is None else self.expr(s.value)
            return self.flush([ir.Return(value, loc)])
        if isinstance(s, cst.Pass):
            return []
        if isinstance(s, cst.Break):
            return [ir.Break(loc)]
        if isinstance(s, cst.Continue):
            return [ir.Continue(loc)]
        appended = listbuild.append_statement(self, s, loc)  # hs.append(h)
        if appended is not None:
            return appended
        filled = inplace.statement(self, s, loc)  # np.fill_diagonal(S, v): S[diag, diag] = v
        if filled is not None:
            return filled
        if isinstance(s, cst.Expr):
            if isinstance(s.value, (cst.SimpleString, cst.Ellipsis)):
                return []
            if isinstance(s.value, (cst.Yield, cst.Await)):
                raise self.error(UnsupportedSyntaxError, "yield: a generator cannot be differentiated (return the "
                                 "values, e.g. as a list or a stacked array)", s)
            if self.calls_user_function(s.value):  # record(cache, h): the helper's statements, its value unused
                value = self.expr(s.value)
                keep = any(c.op.startswith(("np.random.", ".")) or c.op == "obj_method" for c in ir.expr_calls(value))
                # (a random draw in its return value still moves numpy's generator, as in Python; a
                # method called there -- f = lambda: c.bump(); f() -- still changes its object)
                return self.flush([Assign((self.fresh("unused"),), self.wrap(value), loc)] if keep else [])
            if isinstance(s.value, cst.Call) and isinstance(s.value.func, cst.Attribute):
                # opt.step(g), self.advance(): a method of an object, run for what it changes in the
                # object (passes/objects.py puts that back into the variable); anything else refused
                if methods.method_of(self, s.value.func) is not None:  # (its own errors are its lines')
                    return self.flush([Assign((self.fresh("unused"),), self.wrap(self.expr(s.value)), loc)])
                mark = len(self.prelude)
                value = self.expr(s.value)  # (its own refusal, where it has one: x.fill(0), super().m())
                if isinstance(value, Call) and value.op == "obj_method":  # (under no_grad: what it sets too)
                    return self.flush([Assign((self.fresh("unused"),), self.wrap(value), loc)])
                del self.prelude[mark:]
            raise self.error(UnsupportedSyntaxError,
                             "expression statement (a value computed and thrown away, or a call made for its "
                             "side effect) is not supported in a differentiated function", s)
        raise self.error(UnsupportedSyntaxError, f"{type(s).__name__} statement is not supported", s)

    def calls_user_function(self, e) -> bool:
        """Whether e is a call of a function of the user's (a helper s2sgrad inlines), not numpy's."""
        if not isinstance(e, cst.Call):
            return False
        f = e.func
        if isinstance(f, cst.Name) and (f.value in self.local_functions or f.value in self.fn_params):
            return True
        obj = self.static_callee(f) if isinstance(f, (cst.Name, cst.Attribute)) else None
        module = getattr(obj, "__module__", None) or ""
        return isinstance(obj, types.FunctionType) and not module.split(".")[0] in ("numpy", "scipy", "s2sgrad")

    def wrap(self, value):
        """Inside `with no_grad():` every assigned value is a constant for differentiation."""
        return Call("stop_gradient", (value,)) if self.no_grad else value

    def assign(self, target, value, loc, in_turn=False) -> list:
        """The statements binding `target` to `value`.  in_turn: one of several targets Python assigns
        left to right (`a = b = v`, and every target inside a tuple target), whose index statements go
        right before its write instead of into the statement's prelude."""
        saved = getattr(self, "in_turn", False)
        self.in_turn = in_turn or saved or isinstance(target, (cst.Tuple, cst.List))
        try:
            return self._assign(target, value, loc)
        finally:
            self.in_turn = saved

    def _assign(self, target, value, loc) -> list:
        attr = methods.init_attribute(self, target)  # self.W = W in an inlined __init__
        if attr is not None:
            return [Assign((attr,), methods.fresh(self, value), loc)]
        if isinstance(target, cst.Name):
            function_values.refuse_value_binding(self, target.value, target)
        if isinstance(target, cst.Name):
            made = value.args[0].value if isinstance(value, Call) and value.op == "obj_new" else None
            self.made_classes.setdefault(target.value, set()).add(made)  # (evaluation_order: lower.classes_of)
            return [Assign((target.value,), self.wrap(value), loc)]
        if isinstance(target, (cst.Tuple, cst.List)) and any(isinstance(el, cst.StarredElement)
                                                              for el in target.elements):
            return self.starred_assign(target, value, loc)
        if isinstance(target, (cst.Tuple, cst.List)):
            names, nested = [], {}
            for el in target.elements:
                if isinstance(el.value, (cst.Tuple, cst.List, cst.Attribute, cst.Subscript)):
                    # x, (mu, sd) = ...: a name, unpacked after; self.W, self.b = W, b in an __init__ too;
                    # y[0], y[2] = y[2], y[0]: every value read first, then each target written in turn
                    names.append(self.fresh("part"))
                    nested[names[-1]] = el.value
                    continue
                if not isinstance(el.value, cst.Name):
                    raise self.error(UnsupportedSyntaxError, "unpacking into anything but plain names", el.value)
                names.append(el.value.value)
            if isinstance(value, Call) and value.op == "np.gradient" and value.kw("axis") is None and value.args:
                value = self.gradients_by_axis(value, len(names), loc)  # gy, gx = np.gradient(img)
            if nested and not isinstance(value, Tuple):
                # out[i], i = t: every part unpacked first, then each target assigned in turn, left to
                # right (out[i] with the old i), as Python does
                parts = [n if n in nested else self.fresh("part") for n in names]
                out = self.assign(cst.Tuple([cst.Element(cst.Name(n)) for n in parts]), value, loc)
                for n, p in zip(names, parts):
                    out += self.assign(nested[n], Name(p), loc) if n in nested else \
                        [Assign((n,), self.wrap(Name(p)), loc)]
                return out
            if isinstance(value, Tuple):
                if len(value.elts) != len(names):
                    raise self.error(UnsupportedSyntaxError,
                                     f"unpacking {len(value.elts)} values into {len(names)} names", target)
                # evaluate every right-hand side before binding (a, b = b, a)
                tmps, out = [], []
                for i, v in enumerate(value.elts):
                    empty = isinstance(v, ir.ListExpr) and not v.elts or isinstance(v, ir.DictExpr) and not v.keys
                    if isinstance(v, Const) or empty:  # (hs, gs = [], []: each list made where it is bound)
                        tmps.append(v)
                    elif isinstance(v, Name) and v.id not in names[:i] and all(
                            methods.is_init_attribute(self, t) for t in nested.values()):
                        # (a, b = x, y and self.W, self.b = W, b: no name bound before it is read, no temporary)
                        tmps.append(v)
                    else:
                        tmp = self.fresh("t")
                        out.append(Assign((tmp,), v, loc))
                        tmps.append(Name(tmp))
                for n, t in zip(names, tmps):  # ((a, b), c = (x, y), z: the inner tuple's own temporary)
                    out += self.assign(nested[n], t, loc) if n in nested else [Assign((n,), self.wrap(t), loc)]
                return out
            if not isinstance(value, Name):
                tmp = self.fresh("t")
                pre = [Assign((tmp,), value, loc)]
                value = Name(tmp)
            else:
                pre = []
            # (the count is checked when compiling where the value is a container: passes/containers.py)
            count = ExprStmt(Call("unpack_count", (value, Const(len(names)))), loc)
            return pre + [count] + [Assign((n,), self.wrap(Call("getitem", (value, Const(i)))), loc)
                                    for i, n in enumerate(names)]
        if isinstance(target, cst.Subscript):
            if methods.is_element_write(target) and target.value.value.value in self.locals | {
                    getattr(self, "first_param", None)}:  # self.m[k] = v, opt.m[k] = v
                return methods.element_write(self, target, self.wrap(value), loc)
            if not isinstance(target.value, cst.Name):
                raise self.error(UnsupportedSyntaxError, methods.nested_write_message(target), target)
            if target.value.value in self.local_functions:  # acts[1] = None of a list of functions
                raise self.error(UnsupportedSyntaxError, f"an entry of '{target.value.value}', a list or dict of "
                                 "functions, set in place: s2sgrad decides which function each entry calls when "
                                 "compiling; build the list or dict with the entries it should hold", target)
            if draw_order.index_draws(target):  # y[rng.integers(4)] = v: v first, as Python computes it
                value = self.atom(value, loc)
            base = self.written_name(target.value)
            # (the index's own statements -- a draw in it, then a part reading the target -- right before
            # the write, after the targets before it: Python computes each target's index in turn)
            saved, self.prelude = self.prelude, []
            index = self.index(target)
            drawn, self.prelude = self.prelude, saved
            if not self.in_turn:  # (one target: its index after the value, as the prelude has them)
                self.prelude.extend(drawn)
                drawn = []
            bound, index = held_index.held(self, base, index, loc)
            return drawn + bound + [SetItem(base, index, self.wrap(value), loc)]
        if isinstance(target, cst.Attribute):  # opt.t = t + 1, self.v = v (an object the function made)
            return methods.attribute_write(self, target, methods.fresh(self, self.wrap(value)), loc)
        raise self.error(UnsupportedSyntaxError, f"assignment to {type(target).__name__}", target)

    def starred_assign(self, target, value, loc) -> list:
        """`a, *rest, z = t`: the starred name gets the list of the items between (a list literal
        of a tuple's elements written out; `list(t[1:-1])` of anything else, which passes/containers.py
        reads for a container, passes/list_arrays.py for an array).  Every value is read before any
        target is bound (`a, *b = b, a`; `hs, *rest = hs`), and a value shorter than the names
        raises Python's ValueError (checked when compiling for a tuple, when it runs otherwise)."""
        els = list(target.elements)
        star = [i for i, el in enumerate(els) if isinstance(el, cst.StarredElement)]
        if len(star) > 1:
            raise self.error(UnsupportedSyntaxError, "two starred names in one unpacking", target)
        k = star[0]
        j = len(els) - k - 1
        star_target = els[k].value
        if not isinstance(star_target, cst.Name):
            raise self.error(UnsupportedSyntaxError, "a starred target that is not a name", els[k])
        plain = [el.value for el in els[:k] + els[k + 1:]]
        out = []
        if isinstance(value, Tuple):
            if len(value.elts) < len(plain):
                raise self.error(UnsupportedSyntaxError, f"unpacking {len(value.elts)} values into at least "
                                 f"{len(plain)} names", target)
            held = []
            for v in value.elts:  # (all read before any is bound)
                if isinstance(v, Const):
                    held.append(v)
                    continue
                tmp = self.fresh("t")
                out.append(Assign((tmp,), v, loc))
                held.append(Name(tmp))
            middle = held[k:len(held) - j]
            parts = held[:k] + held[len(held) - j:]
            for t, v in zip(plain, parts):
                out += self.assign(t, v, loc)
            return out + [Assign((star_target.value,), self.wrap(ir.ListExpr(tuple(middle))), loc)]
        bound = {t.value for t in plain + [star_target] if isinstance(t, cst.Name)}
        if not (isinstance(value, Name) and value.id not in bound):  # (hs, *rest = hs: hs read first)
            tmp = self.fresh("t")
            out.append(Assign((tmp,), value, loc))
            value = Name(tmp)
        message = Const(f"not enough values to unpack (expected at least {len(plain)})")
        out.append(If(Call("lt", (Call("len", (value,)), Const(len(plain)))),
                      (ir.ExprStmt(Call("raise", (Call("ValueError", (message,)),)), loc),), (), loc))
        items = [Call("getitem", (value, Const(i))) for i in range(k)] + \
            [Call("getitem", (value, Const(i - j))) for i in range(j)]
        for t, item in zip(plain, items):
            out += self.assign(t, item, loc)
        middle = Call("getitem", (value, ir.Slice(Const(k), Const(-j) if j else None, None)))
        out.append(Assign((star_target.value,), self.wrap(Call("list", (middle,))), loc))
        return out

    def gradients_by_axis(self, call, n, loc):
        """`np.gradient(f, *spacing)` unpacked into n names: the tuple of its gradient along each axis
        (np.gradient(f, spacing_k, axis=k)), once f is checked to have n axes when compiling."""
        f, spacing = call.args[0], call.args[1:]
        if not isinstance(f, Name):
            tmp = self.fresh("f")
            self.prelude.append(Assign((tmp,), f, loc))
            f = Name(tmp)
        if len(spacing) not in (0, 1, n):
            raise UnsupportedSyntaxError(f"np.gradient with {len(spacing)} spacings for {n} axes", loc)
        shape = self.fresh("shape")
        self.prelude += [Assign((shape,), Call("@shape", (f,)), loc),
                         ExprStmt(Call("unpack_count", (Name(shape), Const(n))), loc)]
        parts = []
        for k in range(n):
            own = spacing if len(spacing) <= 1 else (spacing[k],)
            parts.append(Call("np.gradient", (f,) + tuple(own), call.kwargs + (("axis", Const(k)),)))
        return Tuple(tuple(parts))

    def written_name(self, node: cst.Name) -> str:
        """The variable `node[...] = v` writes into: a local, or the name a global or closure value is
        read under (a module-level array is written in place, as Python would; a module-level list
        or dict is refused by guards.refuse_changes)."""
        if node.value in self.locals:
            return node.value
        v = self.expr(node)
        if not isinstance(v, Name):
            raise self.error(UnsupportedSyntaxError, f"assignment into '{node.value}', which holds {ir.expr_src(v)}",
                             node)
        return v.id
