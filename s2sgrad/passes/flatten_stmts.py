"""The statement side of the container pass (containers.py): a mixin of _Flattener.

Guarantees: a name bound to a container is bound at compile time only (no statement survives for
it); a branch whose two sides leave a name on different containers, a loop that rebinds a name to
another container, or a write into a container is refused at the user's line; a loop whose counter
indexes a container is unrolled over a range known when compiling, its counter left at the last
value as Python leaves it; statements of methods inlined while evaluating a statement come first.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, For, If, ListExpr, Name, Return, SetItem, Tuple, While
from . import container_writes, loop_carry, objects, unrolled_stops
from .constant_tests import truth
from .ctree import CTree, _Unroll
from .ctree import constants as _constants
from .dataflow import exposed
from .enums import enum_members
from .trees import function_attribute
from .unroll_flow import Conflict, stops_early, without_continue, without_jumps


def _iterated(e):
    """Whether e is the item a `for` binds (frontend/control._item)."""
    return isinstance(e, Call) and e.op == "getitem" and e.kw("iterate") is not None


def _held_values(v):
    """A literal tuple or list worth holding element by element: not empty, not only constants
    (shapes stay as they are), no slices (an index tuple: `idx = (0, slice(1, 3))`)."""
    return v.elts and not all(isinstance(x, Const) for x in v.elts) and \
        not any(isinstance(x, ir.Slice) or isinstance(x, Call) and x.op == "slice" for x in v.elts)


def _container(v):
    return isinstance(v, (CTree, Conflict))


class FlattenStatements:
    """Statements, blocks and loops over structured IR; expressions are _Flattener's (`ev`,
    `runtime`, `static`)."""

    def block(self, body):
        out = []
        for s in body:
            out += self.stmt(s)
        return out

    def stmt(self, s):
        """s flattened, after the statements of the methods its expressions call (inlined)."""
        outer, self.pre = self.pre, []
        outer_cache, self.ev_cache = self.ev_cache, {}  # (values hold for one statement's environment)
        self.current.append(s)  # (objects._inline: a method changing its object asks what else s reads)
        try:
            out = self._stmt(s)
            if self.pre and isinstance(s, While):
                raise UnsupportedSyntaxError("a method call in a while condition (compute the condition into a "
                                             "variable before the loop and again at the end of its body)", s.loc)
            return self.pre + out
        finally:
            self.pre, self.ev_cache = outer, outer_cache
            self.current.pop()

    def _item_part(self, e) -> bool:
        """Whether e reads a constant position of a container known when compiling (`nest = item[0]`
        of `for nest, alts in NESTS.items()`), or is a name holding a constant here (`nest = first`
        of a next() over one): known per pass, as a loop's own item is (a loop that is not unrolled
        refuses a pass reading the one before's: same_containers)."""
        if isinstance(e, Name):
            return isinstance(self.env.get(e.id), Const)
        return isinstance(e, Call) and e.op == "getitem" and isinstance(e.args[0], Name) \
            and isinstance(e.args[1], Const) and isinstance(self.env.get(e.args[0].id), CTree)

    def _stmt(self, s):
        if isinstance(s, Assign):
            v = self.ev(s.value, s.loc)
            if len(s.targets) == 1 and (isinstance(v, (Tuple, ListExpr)) and _held_values(v) or isinstance(
                    v, ListExpr) and v.elts and s.target in self.subscripted or isinstance(
                    v, CTree) and v.path is None and (isinstance(s.value, (Tuple, ListExpr, ir.DictExpr)) or
                                                      isinstance(s.value, Call) and s.value.op in ("add", "mul", "or_"))):
                # pair = (a, W @ x), d = {'a': x}, h, c = cell.step(x, h, c): a container known when
                # compiling, each element in a name of its own (the AD refuses a runtime tuple of
                # arrays; a dict read later must see the values it was made with)
                v = objects.hold_elements(self, s.target, v, s.loc, s.value)
            if len(s.targets) == 1 and s.target in self.carried and loop_carry.convertible(self.carried[s.target]) \
                    and (isinstance(v, ListExpr) and not v.elts or isinstance(v, Name) and v.id in self.built):
                raise loop_carry.ListAtRunTime(s.target)  # hs = [f(h) for h in hs] of a literal list carried
            if len(s.targets) == 1 and isinstance(v, ListExpr) and not v.elts:
                self.built.add(s.target)  # (a list built at run time: items = [] of a comprehension)
            if len(s.targets) == 1 and s.target in self.carried:  # p = {...} in a loop carrying p
                return loop_carry.assign(self, s.target, self.carried[s.target], v, s.loc)
            if isinstance(v, CTree) and len(s.targets) == 1:
                v, held = loop_carry.detached(self, v, s.loc)  # (old = dict(d) of a carried d: d's values now)
                self.env[s.target] = v
                return held
            if isinstance(v, CTree):
                raise UnsupportedSyntaxError("unpacking a container into several names at once", s.loc)
            for t in s.targets:
                self.env.pop(t, None)
            if len(s.targets) == 1 and isinstance(s.value, Name) and s.target in self.once:
                if s.value.id in getattr(self, "lens", {}):  # (a generator's batches_X = X: X's length, known)
                    self.lens[s.target] = self.lens[s.value.id]
                # (batches_size = size of a parameter: a value needed when compiling names the parameter,
                # which static_args.py may make static)
                self.alias_of[s.target] = self.alias_of.get(s.value.id, s.value.id)
            if isinstance(v, Const) and len(s.targets) == 1 and function_attribute(v.value) \
                    and all(entry.get(s.target) in (None, v) for entry in self.rolled):
                # self.act = np.sin in an inlined __init__ (frontend/held_functions.init_function), also a second
                # time: known when compiling, never a value of the generated code (branches that bind
                # it differently meet as a Conflict, refused where read; in a loop not unrolled, only a
                # name no pass finds bound to another function on entry)
                self.env[s.target] = v
                return []
            if isinstance(v, Const) and len(s.targets) == 1 and (s.target in self.once or _iterated(s.value)
                                                                 or self._item_part(s.value)):
                self.env[s.target] = v  # (a dict's key bound by an unrolled `for k in d`: known per pass)
                if enum_members(v):  # (an Enum member: known here, never a value of the generated code)
                    return []
            elif _constants(v) is not None and len(s.targets) == 1 and s.target in self.once:
                self.env[s.target] = v  # keys = ('W1', 'W2'): a loop over it knows its items
            elif len(s.targets) == 1 and s.target in self.once and len(self.current) == 1 and not self.loops \
                    and self.shape_known(v) is not None:  # (bound at the top: not in a branch that may not run)
                # k = Y.shape[1]: known in this signature, where a loop's range needs it (containers.static)
                self.shape_values[s.target] = self.shape_known(v)
            elif len(s.targets) == 1 and _iterated(s.value) and isinstance(s.value.args[1], Name) and \
                    _constants(self.ev(s.value.args[0], s.loc)) is not None:
                self.items_of[s.target] = s.value.args[1].id  # for k in ('W1', 'W2'): see containers.static
            return [replace(s, value=v)]
        if isinstance(s, SetItem):
            if isinstance(self.env.get(s.target), Conflict):
                self.env[s.target].refuse(s.loc)
            if isinstance(self.env.get(s.target), CTree):  # cache['h1'] = h1 (container_writes.py)
                return container_writes.write(self, s)
            if s.attr:
                raise UnsupportedSyntaxError(f"assignment to the attribute '.{s.index.value}' of '{s.target}', which "
                                             "is not an object the function made (s2sgrad changes only those: an "
                                             "argument's or an array's attributes stay as they are; keep the value "
                                             "in a variable)", s.loc)
            return [replace(s, index=self.runtime(s.index, s.loc), value=self.runtime(s.value, s.loc))]
        if isinstance(s, If):
            test = self.test(s.test, s.loc)
            if isinstance(test, Const) and isinstance(test.value, (bool, np.bool_)):  # if k in ('w1', 'w2'): known
                return self.decided(s, s.body if test.value else s.orelse)
            decided = truth(test)  # if reach.get('lateral') is not None: of a dict known when compiling
            if decided is not None:  # (the branch Python skips may read a key the dict lacks)
                return self.decided(s, s.body if decided else s.orelse)
            if enum_members(test):  # (frontend/dispatch.py: no generated code spells an Enum member)
                raise UnsupportedSyntaxError(f"a choice by the Enum member {enum_members(test)[0]} known only when "
                                             "the code runs: s2sgrad compares Enum members when compiling (read "
                                             "the member from an argument's attribute or a constant)", s.loc)
            before = dict(self.env)
            body = self.block(s.body)
            after_body, self.env = self.env, dict(before)
            orelse = self.block(s.orelse)
            names = ir.expr_names(test)  # (`if use_last:`, `if not no_bias:`, `if n > 1:`: a parameter made
            # static compiles each value's code, where a conflict below is read; a second name, after it, too)
            tested = self.alias_of.get(names[0], names[0]) if names else None
            for n in sorted((set(after_body) | set(self.env)) - self.internal):
                a, b = after_body.get(n), self.env.get(n)
                if _container(a) or _container(b):
                    merged = container_writes.merge(self, n, a, b, body, orelse, s.loc)
                    # (else refused where it is read next: unroll_flow.Conflict)
                    self.env[n] = merged if merged is not None else Conflict(n, "if statement", s.loc, tested)
                elif a != b and any(isinstance(x, Const) and function_attribute(x.value) for x in (a, b)):
                    # self.act = np.sin in one branch only (or another function in the other): an object's
                    # function is decided when compiling, so a read after the if is refused
                    self.env[n] = Conflict(n, "if statement", s.loc, tested, "function")
                elif a != b:  # a constant known on one path only: read at run time after the if
                    self.env.pop(n, None)
            return [If(test, tuple(body), tuple(orelse), s.loc)]
        if isinstance(s, While):
            return self.carrying(s, lambda: self.while_loop(s))
        if isinstance(s, For):
            return self.carrying(s, lambda: self.loop(s))
        if isinstance(s, ir.ExprStmt) and isinstance(s.value, Call) and s.value.op == "unpack_count":
            v, n = self.ev(s.value.args[0], s.loc), s.value.args[1].value
            if isinstance(v, CTree) and v.kind in ("dict", "object"):
                raise UnsupportedSyntaxError("unpacking a dict or an object (Python gives a dict's keys): read "
                                             "the values by key instead (a, b = p['a'], p['b'])", s.loc)
            if isinstance(v, CTree) and len(v.items) != n:  # Python raises ValueError
                raise UnsupportedSyntaxError(f"unpacking {len(v.items)} values into {n} names", s.loc)
            return [] if isinstance(v, CTree) else [s]  # (any other value: passes/unpacking.py)
        if isinstance(s, ir.ExprStmt) and isinstance(s.value, Call) and s.value.op == "spread_keys":
            v, names = self.ev(s.value.args[0], s.loc), s.value.args[1].value  # f(**d): frontend/call_stars.py
            if not (isinstance(v, CTree) and v.kind == "dict"):
                raise UnsupportedSyntaxError("f(**d) of something that is not a dict known when compiling", s.loc)
            apart, named = s.value.kw("apart"), s.value.kw("named")  # (frontend/call_stars.into_kwargs)
            both = [k for k in v.keys if apart is not None and k in apart.value]
            if both:  # Python raises TypeError (a keyword given twice)
                raise UnsupportedSyntaxError(f"f(**d): d has the key {both[0]!r}, which the call also gives by "
                                             "name (Python raises TypeError): pass it once", s.loc)
            param = [k for k in v.keys if named is not None and k in named.value]
            if param:  # Python binds the helper's own parameter from d: s2sgrad spreads d into **kwargs only
                fn = s.value.kw("callee").value
                raise UnsupportedSyntaxError(
                    f"f(**d): d has the key {param[0]!r}, a parameter of '{fn}' besides its **kwargs: s2sgrad "
                    f"spreads d into the **kwargs only; pass {param[0]} by name ({param[0]}=d[{param[0]!r}]) and "
                    "the rest with **", s.loc)
            extra = [k for k in v.keys if names is not None and k not in names]
            if extra:  # Python raises TypeError
                raise UnsupportedSyntaxError(f"f(**d): d has the key {extra[0]!r}, which is none of the parameters "
                                             f"the call leaves to it ({', '.join(names) or 'none'})", s.loc)
            return []
        if isinstance(s, Return) and s.value is not None:
            return [Return(self.runtime(s.value, s.loc), s.loc)]
        if isinstance(s, ir.ExprStmt) and (any(c.op in objects.OBJECT_OPS for c in ir.expr_calls(s.value)) or any(
                isinstance(self.env.get(n), CTree) for n in ir.expr_names(s.value))):
            # print(opt.step(g)), assert layer.norm() > 0: the method inlined, the object's values read
            return [replace(s, value=self.runtime(s.value, s.loc))]
        return [s]

    def decided(self, s, chosen):
        """The branch of the if s that its test, known when compiling, takes.  A name bound once in
        that branch and bound nowhere but in s is bound once (`choice = 0` of `np.sin if i == 1 else
        np.tanh` in an unrolled copy: a constant, as a name bound once to one is)."""
        counts = getattr(self, "write_counts", None)
        if counts:
            here = Counter(ir.all_writes(chosen))
            both = Counter(ir.all_writes(s.body)) + Counter(ir.all_writes(s.orelse))
            self.once = self.once | {n for n, c in here.items() if c == 1 and counts.get(n) == both[n]}
        return self.block(chosen)

    def carrying(self, s, run):
        """run() of the loop s; where it refuses a container the body binds again or writes into
        (loop_carry.CarryLoop), run again with that container's leaves as the loop's variables."""
        env, pre, names, deferred = dict(self.env), list(self.pre), [], len(self.deferred)
        lists = set()  # of names: carried lists the loop binds to lists built at run time
        while True:
            try:
                return self.carry(names, lists, s.loc) + run()
            except (loop_carry.CarryLoop, loop_carry.ListAtRunTime) as c:
                if isinstance(c, loop_carry.ListAtRunTime):
                    if c.name not in names or c.name in lists:
                        raise
                    lists.add(c.name)
                elif c.loop is not s or set(c.names) <= set(names):
                    raise
                else:
                    names += [n for n in c.names if n not in names]
                # (what the refused pass deferred names its variables, which the next pass renames)
                self.env, self.pre, self.ev_cache = dict(env), list(pre), {}
                del self.deferred[deferred:]
            finally:
                for n in names:
                    self.carried.pop(n, None)

    def carry(self, names, lists, loc):
        out = []
        for n in names:
            if n in lists:  # (made at run time before the loop: a name like any list built by appends)
                out += loop_carry.made_at_run_time(n, self.env.pop(n), loc)
                self.built.add(n)
                continue
            tree, stmts = loop_carry.carried_tree(self, n, self.env[n], loc)
            self.env[n] = self.carried[n] = tree
            out += stmts
        return out

    def while_loop(self, s):
        before = dict(self.env)
        self.rolled.append(before)
        self.loops.append(s)
        try:
            out = [While(self.runtime(s.test, s.loc), tuple(self.block(s.body)), s.loc)]
        finally:
            self.rolled.pop()
            self.loops.pop()
        self.same_containers(before, s)
        return out

    def loop(self, s):
        env, deferred = dict(self.env), len(self.deferred)
        self.rolled.append(env)  # (a write into a container bound before it is refused: container_writes)
        self.loops.append(s)
        try:
            out = [For(s.target, self.runtime(s.iter, s.loc), tuple(self.block(s.body)), s.loc)]
        except _Unroll as u:
            if u.var not in _from_counter(s):  # (i = (start - 0) // size of the counter start: too)
                raise
            asked = u  # (Python unbinds u after the clause)
            self.env = env
            del self.deferred[deferred:]  # (the unrolled copies defer their own)
        else:
            self.rolled.pop()
            self.loops.pop()
            self.same_containers(env, s)
            return out
        finally:  # (also when the body refuses, or asks for a retry: carrying, ListAtRunTime)
            if self.loops and self.loops[-1] is s:
                self.rolled.pop()
                self.loops.pop()
        try:
            values, guards = self.trip_values(s)
        except (_Unroll, UnsupportedSyntaxError) as err:
            why = getattr(asked, "refused", None)  # (what asked for the unrolling says why it is needed)
            if why is None or isinstance(err, _Unroll) and any(err.var in _from_counter(o) for o in self.loops):
                raise
            if isinstance(err, _Unroll):  # (a parameter may still be made static: containers.flatten)
                err.refused, err.loc = why, asked.loc
                raise
            raise UnsupportedSyntaxError(why, asked.loc) from None
        stops = unrolled_stops.Stops(self, s) if stops_early(s.body) else None  # (an inner loop's break: its own)
        # `continue`: the rest of the body under the other branch; `break`, `return`: flags
        body = without_continue(s.body) if stops is None else without_jumps(stops.body, stops.at_jump)
        if body is None:
            raise UnsupportedSyntaxError("continue, break or return in a loop over a container, in too many places "
                                         "for the unrolled copies: write the rest of the body under "
                                         "`if not ...:`", s.loc)
        var = ir.target_names(s.target)[0]
        out = [] if stops is None else stops.start()
        for g in guards:  # zip(layers, xs) with xs's length known at run time only: the loop is
            # unrolled for the container's length, which is zip's as long as xs is not shorter
            # (checked when it runs: a shorter one would stop Python's loop early)
            seq = ir.expr_src(g.args[0])
            said = s.loc is not None and seq in s.loc.text  # (not a temporary of the lowering's)
            what, name = (f"'{seq}'", seq) if said else ("the other sequence", "it")
            where = f"{s.loc.file}:{s.loc.line}: " if s.loc is not None else ""
            error = Call("ArgumentError", (Const(
                f"{where}s2sgrad unrolled this loop for the {len(values)} items of the container it zips "
                f"with {what}, which is shorter: pass {name} with at least {len(values)} items, or zip "
                f"sequences of one length"),))
            out.append(If(Call("lt", (g, Const(len(values)))), (ir.ExprStmt(Call("raise", (error,)), s.loc),), (),
                          s.loc))
        # (a body binding the counter itself leaves Python's counter at its last binding there)
        rebinds = var in ir.all_writes(s.body)
        if stops is not None:  # each copy after the first runs unless one before stopped
            return out + stops.copies(var, values, body, rebinds)
        for k in values:
            self.env[var] = Const(k)
            out += self.block(body)
        self.env.pop(var, None)
        if values and not rebinds:
            out.append(Assign((var,), Const(values[-1]), s.loc))  # Python keeps the last value
        return out

    def same_containers(self, before, s):
        """A loop that is not unrolled runs its body once here, for every iteration: a name bound to
        another container inside it (`layers = layers[1:]`) would be read as the first iteration's
        container in all of them."""
        carried = None

        def read_before_bound():  # (a while's test is read before every pass, the body's first reads too)
            nonlocal carried
            if carried is None:
                carried = set(exposed(s.body)) | set(ir.expr_names(s.test) if isinstance(s, While) else ())
            return carried
        carry = []
        for n in sorted((set(before) | set(self.env)) - self.internal):
            a, b = before.get(n), self.env.get(n)
            if a is None and isinstance(b, CTree) and b.kind == "object" and b.path is None:
                continue  # an object made in the body (l = Lin(W * i)): made afresh in every pass
            if (_container(a) or _container(b)) and a is not b:
                if n in read_before_bound() and isinstance(a, CTree):  # (its leaves: the loop's variables)
                    carry.append(n)
                    continue
                if n in read_before_bound():  # a pass reads the container the pass before bound
                    raise UnsupportedSyntaxError(f"'{n}' is bound to another container inside this loop, and "
                                                 "the next pass reads it before binding it: index the container "
                                                 "with the loop's counter instead (the loop is then unrolled "
                                                 "when compiling)", s.loc)
                # bound before every read in the body (an inner `for W, b in layers`): after the
                # loop it is the last pass's, or the one before the loop if none ran
                self.env[n] = Conflict(n, "loop", s.loc)
            elif (isinstance(a, Const) or isinstance(b, Const)) and a != b and n not in self.once:
                # a key bound by an inner `for k in d`: the next pass must not read the last one's
                if n in read_before_bound():
                    raise UnsupportedSyntaxError(f"'{n}' is bound to a key of a container inside this loop, and the "
                                                 "next pass reads it before binding it: bind it before the loop "
                                                 "body reads it", s.loc)
                self.env.pop(n, None)  # after the loop: read at run time
        if carry:
            raise loop_carry.CarryLoop(s, carry)

    def trip_values(self, s):
        """The counter's values, and the run-time lengths the loop also stops at (zip of a container
        with a sequence known at run time only: range(min(len(layers), len(xs))))."""
        it = s.iter
        what = "the range of a loop over a container"
        if isinstance(it, Call) and it.op == "range" and len(it.args) == 1 and isinstance(it.args[0], Call) \
                and it.args[0].op == "min" and not it.args[0].kwargs:
            known, guards = [], []
            for a in _min_parts(it.args[0]):
                try:
                    known.append(self.static(a, s.loc, what))
                except _Unroll as u:
                    if isinstance(a, Call) and a.op == "len" and isinstance(a.args[0], Name) \
                            and a.args[0].id not in ir.target_names(s.target):
                        guards.append(self.runtime(a, s.loc))
                        continue
                    raise u
            if known:
                return list(range(min(known))), guards
        if isinstance(it, Call) and it.op == "range":
            bounds = [self.static(a, s.loc, what) for a in it.args]
            return list(range(*bounds)), []
        raise UnsupportedSyntaxError("a loop whose counter indexes a container must run over a range known "
                                     "when compiling", s.loc)


def _min_parts(e):
    """The operands of nested min() calls (zip of three: min(min(len(a), len(b)), len(c)))."""
    if isinstance(e, Call) and e.op == "min" and not e.kwargs:
        for a in e.args:
            yield from _min_parts(a)
    else:
        yield e


def _from_counter(loop) -> set:
    """The loop's counter and the names its body binds once from it (transitively): known in each
    pass once the loop is unrolled, so a key built from one unrolls the loop as the counter does."""
    out = set(ir.target_names(loop.target))
    binds = [st for st in ir.walk(loop.body) if isinstance(st, Assign)]
    counts = {}
    for st in binds:
        for t in st.targets:
            counts[t] = counts.get(t, 0) + 1
    grew = True
    while grew:
        grew = False
        for st in binds:
            if len(st.targets) == 1 and counts[st.target] == 1 and st.target not in out \
                    and set(ir.expr_names(st.value)) & out:
                out.add(st.target)
                grew = True
    return out
