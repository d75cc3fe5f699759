"""Lowering of compound statements: if, for (over range, reversed(range), enumerate, zip, or an
array/list/tuple), while, and `with s2sgrad.no_grad():`.

Guarantees: every loop comes out as a `For` over `range` (iteration over a sequence becomes an
index loop over its first axis, the sequence evaluated once, before the loop, as Python does) or a
`While`; statements an iterable or a test needs (an inlined helper) run once before the loop (for
a `while` test: at the top of each iteration); a loop's `else` block runs after it exactly when no
break of that loop ran (a flag each of its breaks sets); anything else (async for, loop targets
that are not names, any other `with`) is refused at its line.

An index loop reads a dict's values, not its keys: a sequence known only as a run-time value is
recorded in POSITIONAL_LOOPS (the loop's location), and frontend/deferred_checks.refuse_dict_loops
refuses the loop once shape inference knows the value is a dict (a module-level dict reached
through another name, a helper or a subscript).

A mixin of frontend.lower._Lowerer: it uses the lowerer's state (prelude, locals, no_grad) and its
core and expression methods.
"""
from __future__ import annotations

import itertools

import libcst as cst
import numpy as np

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, ExprStmt, For, If, Name
from ..markers import no_grad
from . import draw_order, function_values, generators, product_loops, row_updates
from .scan import assigned_names

# the locations of the loops that read a run-time sequence by position (seq[i] for i < len(seq)):
# where each is, decided by the source alone, so the same for every compilation of it
POSITIONAL_LOOPS: set = set()


def _item(seq, idx, backwards=False):
    """The item a `for` over seq binds on pass idx: `seq[idx]` (`seq[len(seq) - 1 - idx]` over
    reversed(seq): the `backwards` mark), marked so the container pass gives a dict's key there, as
    Python's iteration over a dict does (passes/containers.py reads and drops the marks)."""
    marks = (("iterate", Const(True)),) + ((("backwards", Const(True)),) if backwards else ())
    return Call("getitem", (seq, Name(idx)), marks)


def _flag_breaks(body, flag):
    """(body with `flag = True` before each of its own breaks -- not those of loops inside it --,
    whether it has any): for ... else and while ... else run their else block when no break ran."""
    found = []

    def mark(block):
        out = []
        for x in block:
            if isinstance(x, ir.Break):
                found.append(x)
                out += [Assign((flag,), Const(True), x.loc), x]
            elif isinstance(x, (For, ir.While)):
                out.append(x)  # (its breaks leave that loop)
            else:
                out.append(ir.map_blocks(x, mark))
        return out
    return tuple(mark(body)), bool(found)


def _quiet(lowerer, call) -> bool:
    """Whether `call` is np.errstate(...) with every setting 'ignore' or 'warn' (or
    warnings.catch_warnings()): it changes which warnings numpy prints, never a value, so its body
    is compiled as if it stood alone (the generated code may then print the warnings it silenced).
    'raise' or 'call' would turn a floating-point error into an exception or a call: refused."""
    import warnings
    callee = lowerer.static_callee(call.func)
    if callee is warnings.catch_warnings:
        return True
    if callee is not np.errstate:
        return False
    return all(a.keyword is not None and isinstance(a.value, cst.SimpleString)
               and a.value.evaluated_value in ("ignore", "warn") for a in call.args)


def _writes_into(body, name) -> bool:
    """Whether body writes into `name` (`name[i] = v`, `name[i] += v`, `name += v`) or calls one of
    its methods (`name.append(v)`)."""
    class Find(cst.CSTVisitor):
        found = False

        def visit_AssignTarget(self, node):
            t = node.target
            if isinstance(t, cst.Subscript) and isinstance(t.value, cst.Name) and t.value.value == name:
                Find.found = True

        def visit_AugAssign(self, node):
            t = node.target
            base = t.value if isinstance(t, cst.Subscript) else t
            if isinstance(base, cst.Name) and base.value == name:
                Find.found = True

        def visit_Call(self, node):
            f = node.func
            if isinstance(f, cst.Attribute) and isinstance(f.value, cst.Name) and f.value.value == name:
                Find.found = True
    body.visit(Find())
    return Find.found


def _reversed_arg(lowerer, node):
    """X when node is `reversed(X)` of anything but a range (which is a range of its own), else None."""
    if isinstance(node, cst.Call) and lowerer.static_callee(node.func) is reversed and len(node.args) == 1:
        inner = node.args[0].value
        if not (isinstance(inner, cst.Call) and lowerer.static_callee(inner.func) is range):
            return inner
    return None


class ControlFlow:
    """if_, for_, while_, with_ (a mixin of lower._Lowerer)."""

    def if_(self, s: cst.If) -> list:
        test = self.test_expr(s.test)
        pre = self.flush([])
        body = self.block(s.body.body)
        orelse = []
        if isinstance(s.orelse, cst.If):
            orelse = self.if_(s.orelse)
        elif isinstance(s.orelse, cst.Else):
            orelse = self.block(s.orelse.body.body)
        return pre + [If(test, tuple(body), tuple(orelse), self.loc(s))]

    def for_(self, s: cst.For, loc=None) -> list:
        if s.orelse is None:
            return self._for(s, loc)
        # for ... else: the else block runs when the loop ends without a break (a flag each break sets)
        if generators.generator_of(self, s.iter) is not None:
            raise self.error(UnsupportedSyntaxError, "for ... else over a generator of yours (write the loop "
                             "with a flag: found = False ... if not found: ...)", s.orelse)
        stmts = self._for(s.with_changes(orelse=None), loc)
        flag = self.fresh("broke")
        body, broke = _flag_breaks(stmts[-1].body, flag)
        orelse = self.block(s.orelse.body.body)
        if not broke:  # (no break: the else always runs, after the loop)
            return stmts + orelse
        at = self.loc(s)
        loop = For(stmts[-1].target, stmts[-1].iter, body, stmts[-1].loc)
        return stmts[:-1] + [Assign((flag,), Const(False), at), loop,
                             If(Call("not_", (Name(flag),)), tuple(orelse), (), at)]

    def _for(self, s: cst.For, loc=None) -> list:
        if loc is not None:
            self.synthetic_loc = loc
        loc = loc or self.loc(s)
        if isinstance(s.iter, cst.GeneratorExp):  # for a, b in (TABLE[n] for n in names): the loops it is
            return self._over_generator(s, loc)
        if s.asynchronous is not None:
            raise self.error(UnsupportedSyntaxError, "async for", s)
        it = s.iter
        keyed = function_values.dict_loop_iterable(self, it)
        if keyed is not None:  # for k in sorted(losses): the keys of a dict of functions, written out
            return self._for(s.with_changes(iter=keyed), loc)
        gen = generators.generator_of(self, it)
        if gen is not None:  # for xb, yb in batches(X, y): the body where the generator yields
            return generators.loop(self, s, gen, loc)
        fname = self.static_callee(it.func) if isinstance(it, cst.Call) else None
        if fname is range:
            iter_expr = self.expr(it)
            if draw_order.draws(iter_expr):  # range(rng.integers(2, 5)): drawn once, before the loop
                iter_expr = Call("range", tuple(self.atom(a, loc) for a in iter_expr.args), iter_expr.kwargs)
            target = self.for_target(s.target)
            pre = self.flush([])
            return pre + [For(target, iter_expr, tuple(self.block(s.body.body)), loc)]
        if fname is reversed and isinstance(it.args[0].value, cst.Call) and \
                self.static_callee(it.args[0].value.func) is range:
            rng = self.expr(it.args[0].value)
            iter_expr = Call("getitem", (rng, ir.Slice(None, None, Const(-1))))
            target = self.for_target(s.target)
            pre = self.flush([])
            return pre + [For(target, iter_expr, tuple(self.block(s.body.body)), loc)]
        if fname is enumerate:
            return self.enumerate_(s, it, loc)
        if fname is itertools.pairwise:
            return self.pairwise_(s, it, loc)
        if fname is itertools.product or fname is itertools.combinations:  # the nested loops they stand for
            loop = self.remade(product_loops.nested(self, s, it, fname), s)
            self.synthetic_loc = loc
            return self._for(loop, loc)
        if fname is zip:
            t = s.target
            if not (isinstance(t, (cst.Tuple, cst.List)) and len(t.elements) == len(it.args)):
                raise self.error(UnsupportedSyntaxError, "zip must be unpacked into one target per sequence", t)
            idx = self.fresh("k")
            head, n = self._zipped(it.args, t.elements, idx, loc, s)
            pre = self.flush([])
            return pre + [For(Name(idx), Call("range", (n,)), tuple(head + self.block(s.body.body)), loc)]
        # iteration over an array, a list or a tuple: an index loop over its first axis
        if not isinstance(s.target, (cst.Name, cst.Tuple, cst.List)):
            raise self.error(UnsupportedSyntaxError, "this loop target (use names)", s.target)
        inner = _reversed_arg(self, it)  # for h in reversed(hs): the same loop, counting down
        table = function_values.loop_table(self, inner or it)
        if table is not None:  # for act in acts: the entry at the loop's position, called where it is
            idx = self.fresh("k")
            function_values.bind_loop_target(self, s.target, table, idx, s.body.body)
            n = len(table.entries)
            rng = Call("range", (Const(n - 1), Const(-1), Const(-1))) if inner is not None else Call("range", (Const(n),))
            pre = self.flush([])
            return pre + [For(Name(idx), rng, tuple(self.block(s.body.body)), loc)]
        seq = self.sequence(self.expr(inner or it), loc, s)
        body, checks = s.body, []
        if isinstance(s.target, cst.Name):
            var = s.target.value
            function_values.refuse_value_binding(self, var, s.target)  # (a loop over functions binds it itself)
            idx = self.fresh(f"i_{var}")
            head = [Assign((var,), _item(seq, idx), loc)]
            rewritten = row_updates.rewritten_body(self, s, idx) if inner is None else None
            if rewritten is not None:  # for row in A: row /= row.sum() -- the write into A it is (row_updates.py)
                body = rewritten
                checks = [ExprStmt(Call("check_rows", (seq,)), loc)]  # (rows, not numbers)
        else:  # for W, b in layers: each item unpacked
            idx = self.fresh("i_item")
            head = self.assign(s.target, _item(seq, idx), loc)
        pre = self.flush([]) + checks
        n = Call("len", (seq,))
        rng = Call("range", (Call("sub", (n, Const(1))), Const(-1), Const(-1))) if inner is not None else \
            Call("range", (n,))
        return pre + [For(Name(idx), rng, tuple(head + self.block(body.body)), loc)]

    def _over_generator(self, s, loc):
        """`for a, b in (TABLE[n] for n in names if c): body` as the generator's own loops with the
        body at its item -- `for n in names: if c: a, b = TABLE[n]; body` --, so each item is made
        just before the pass that reads it, as Python's generator makes it (its variables get names
        of their own, listbuild._loops; the body's names are the function's).  A generator of two
        `for` clauses around a body that breaks or continues is refused: that would leave only the
        inner loop."""
        from .listbuild import _loops, _target_names
        gen = s.iter
        if gen.for_in.inner_for_in is not None and any(
                isinstance(n, (cst.Break, cst.Continue)) for n in draw_order.nodes(s.body)):
            raise self.error(UnsupportedSyntaxError, "a loop with break or continue over a generator expression of "
                             "two `for` clauses: loop over a list comprehension, or write the loops", gen)
        own, comp = set(), gen.for_in  # (the generator's variables, renamed in its own parts only)
        while comp is not None:
            own |= {n.value for n in _target_names(comp.target) if isinstance(n, cst.Name)}
            comp = comp.inner_for_in
        tail = list(s.body.body)
        target = s.target
        if own & {n.value for n in _target_names(s.target) if isinstance(n, cst.Name)}:
            # for x in (x * 2.0 for x in xs): the item through a name of its own, then the loop's x
            held = self.fresh("item")
            tail.insert(0, cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(s.target)], cst.Name(held))]))
            target = cst.Name(held)
        item = cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(target)], gen.elt)])
        loop = self.remade(_loops(self, gen, gen.for_in, item, tail=tail), s)
        self.synthetic_loc = loc
        return self._for(loop, loc)

    def pairwise_(self, s, it, loc):
        """`for a, b in itertools.pairwise(seq)`: an index loop over len(seq) - 1 passes, b read as
        seq[k + 1] at the top of pass k and a the b of the pass before (seq[0] at first) -- as
        Python's pairwise fetches each item once, before the body that may write into seq runs (the
        sequence evaluated once, before the loop, as Python does)."""
        if len(it.args) != 1 or it.args[0].keyword is not None or it.args[0].star:
            raise self.error(UnsupportedSyntaxError, "pairwise takes one sequence", it)
        t = s.target
        if not (isinstance(t, (cst.Tuple, cst.List)) and len(t.elements) == 2):
            raise self.error(UnsupportedSyntaxError, "pairwise must be unpacked into two targets "
                             "(for a, b in pairwise(seq))", t)
        arg = it.args[0].value
        seq = self.sequence(self.expr(arg), loc, s)
        if not (isinstance(arg, cst.Name) and _writes_into(s.body, arg.value)):
            # nothing in the body writes into seq: seq[k] and seq[k + 1], read at each pass, are the
            # items Python fetched (a list literal of arrays unrolls as any loop over a container)
            idx = self.fresh("k")
            second = Call("getitem", (seq, Call("add", (Name(idx), Const(1)))), (("iterate", Const(True)),))
            head = self.assign(t.elements[0].value, _item(seq, idx), loc) + self.assign(t.elements[1].value, second, loc)
            n = Call("max", (Call("sub", (Call("len", (seq,)), Const(1))), Const(0)))
            pre = self.flush([])
            return pre + [For(Name(idx), Call("range", (n,)), tuple(head + self.block(s.body.body)), loc)]
        idx, prev, nxt = self.fresh("k"), self.fresh("prev"), self.fresh("nxt")
        marks = (("iterate", Const(True)),)
        n = Call("sub", (Call("len", (seq,)), Const(1)))
        first = If(Call("gt", (n, Const(0))), (Assign((prev,), Call("getitem", (seq, Const(0)), marks), loc),), (), loc)
        head = [Assign((nxt,), Call("getitem", (seq, Call("add", (Name(idx), Const(1)))), marks), loc)]
        head += self.assign(t.elements[0].value, Name(prev), loc) + self.assign(t.elements[1].value, Name(nxt), loc)
        body = tuple(head + self.block(s.body.body) + [Assign((prev,), Name(nxt), loc)])
        pre = self.flush([])
        return pre + [first, For(Name(idx), Call("range", (Call("max", (n, Const(0))),)), body, loc)]

    def enumerate_(self, s, it, loc):
        """`for i, x in enumerate(seq, start)`, also of zip(...) (`for i, (W, b) in enumerate(zip(Ws, bs))`)
        and of reversed(...): an index loop, the counter plus start bound first in each pass."""
        args = [a for a in it.args if a.keyword is None]
        kw = {a.keyword.value: a.value for a in it.args if a.keyword is not None}
        if not 1 <= len(args) <= 2 or set(kw) - {"start"} or len(args) == 2 and kw:
            raise self.error(UnsupportedSyntaxError, "enumerate takes a sequence and a start", it)
        t = s.target
        if not (isinstance(t, (cst.Tuple, cst.List)) and len(t.elements) == 2
                and isinstance(t.elements[0].value, cst.Name)):
            raise self.error(UnsupportedSyntaxError, "enumerate must be unpacked into a counter and an item", t)
        start = args[1].value if len(args) == 2 else kw.get("start")
        start = None if start is None else self.atom(self.expr(start), loc)  # (evaluated once, as Python does)
        src = args[0].value
        counter = t.elements[0].value.value
        idx = counter if start is None else self.fresh(f"i_{counter}")
        head = [] if start is None else [Assign((counter,), Call("add", (Name(idx), start)), loc)]
        if isinstance(src, cst.Call) and self.static_callee(src.func) is zip:  # enumerate(zip(Ws, bs))
            item = t.elements[1].value
            if not (isinstance(item, (cst.Tuple, cst.List)) and len(item.elements) == len(src.args)):
                raise self.error(UnsupportedSyntaxError, "zip must be unpacked into one target per sequence", item)
            zipped, n = self._zipped(src.args, item.elements, idx, loc, s)
            head += zipped
        else:
            inner = _reversed_arg(self, src)  # enumerate(reversed(hs))
            table = function_values.loop_table(self, src)
            if table is not None:  # for i, act in enumerate(acts)
                function_values.bind_loop_target(self, t.elements[1].value, table, idx, s.body.body)
                n = Const(len(table.entries))
            else:
                seq = self.sequence(self.expr(inner or src), loc, s)
                head += self.assign(t.elements[1].value, _item(seq, idx, inner is not None), loc)
                n = Call("len", (seq,))
        pre = self.flush([])  # evaluated once, before the loop (the body flushes its own)
        return pre + [For(Name(idx), Call("range", (n,)), tuple(head + self.block(s.body.body)), loc)]

    def _zipped(self, args, targets, idx, loc, loop):
        """The head binding each target to its sequence's item at idx (an entry of a table of
        functions: bound to that entry, function_values.py), and the number of passes (the
        shortest sequence's length, as zip stops)."""
        inners = [_reversed_arg(self, a.value) for a in args]  # zip(xs, reversed(hs))
        tables = [function_values.loop_table(self, a.value) if i is None else None for i, a in zip(inners, args)]
        seqs = [self.sequence(self.expr(i or a.value), loc, loop) if tb is None else None
                for i, a, tb in zip(inners, args, tables)]
        head, lengths = [], []
        for e, sq, i, tb in zip(targets, seqs, inners, tables):
            if tb is not None:
                function_values.bind_loop_target(self, e.value, tb, idx, loop.body.body)
                lengths.append(Const(len(tb.entries)))
            else:
                head += self.assign(e.value, _item(sq, idx, i is not None), loc)
                lengths.append(Call("len", (sq,)))
        lengths.sort(key=lambda x: isinstance(x, Const))  # (min(len(ws), 3): the sequences first)
        n = lengths[0]
        for m in lengths[1:]:
            n = Call("min", (n, m))
        return head, n

    def sequence(self, e, loc, loop):
        """The object a `for` iterates: Python evaluates it once, so a body that rebinds the name
        (`for r in y: y = y * 2`) still iterates the original object."""
        held = self.captured.get(e.id) if isinstance(e, Name) and e.id not in self.locals else None
        if type(held) in (list, tuple) and all(type(v) in (str, int, float, bool) for v in held):
            # for k in FIELDS, a module-level list or tuple of keys: its items, known when compiling
            # (a list's snapshot frontend/names.py took, which its guard watches; a tuple cannot change)
            return ir.Tuple(tuple(Const(v) for v in held))
        if type(held) is dict and all(type(k) in (str, int, float, bool) for k in held):
            # for k in SCALES, a module-level dict of constants: its keys, in their order (read by
            # position, the loop would bind k to its values)
            return ir.Tuple(tuple(Const(k) for k in held))
        if type(held) is dict:
            raise UnsupportedSyntaxError(f"a loop over the module-level dict '{e.id}' whose keys are "
                                         "not numbers or strings: loop over a list of its keys", loc)
        POSITIONAL_LOOPS.add(loc)
        if isinstance(e, Name) and e.id in assigned_names(loop.body):
            tmp = self.fresh(f"{e.id}_seq")
            self.prelude.append(Assign((tmp,), e, loc))
            return Name(tmp)
        return self.atom(e, loc)

    def atom(self, e, loc, base="seq"):
        """e itself where it is a name or a constant, else bound to a fresh name (`base`) first."""
        if isinstance(e, (Name, Const)):
            return e
        tmp = self.fresh(base)
        self.prelude.append(Assign((tmp,), e, loc))
        return Name(tmp)

    def for_target(self, t):
        if isinstance(t, cst.Name):
            return Name(t.value)
        raise self.error(UnsupportedSyntaxError, "this loop target (use a plain name)", t)

    def while_(self, s: cst.While) -> list:
        test = self.test_expr(s.test)
        pre = self.flush([])
        body = self.block(s.body.body)
        at = self.loc(s)
        before, after = [], []
        if s.orelse is not None:  # while ... else: the else block runs when the test ends the loop
            flag = self.fresh("broke")
            body, broke = _flag_breaks(body, flag)
            orelse = self.block(s.orelse.body.body)
            before = [Assign((flag,), Const(False), at)] if broke else []
            after = [If(Call("not_", (Name(flag),)), tuple(orelse), (), at)] if broke else orelse
        if pre:  # the test needs statements (an inlined helper): while True + break (this break, the
            stop = If(Call("not_", (test,)), (ir.Break(at),), (), at)  # test's, sets no flag)
            return before + [ir.While(Const(True), tuple(pre) + (stop,) + tuple(body), at)] + after
        return before + [ir.While(test, tuple(body), at)] + after

    def with_(self, s: cst.With) -> list:
        ok = len(s.items) == 1 and isinstance(s.items[0].item, cst.Call) and s.items[0].asname is None
        if ok and _quiet(self, s.items[0].item):  # with np.errstate(divide='ignore'): the body as written
            return self.block(s.body.body)
        if ok:
            ok = self.static_callee(s.items[0].item.func) is no_grad
        if not ok:
            raise self.error(UnsupportedSyntaxError, "with statement (only `with s2sgrad.no_grad():`, and "
                             "np.errstate(...) or warnings.catch_warnings() that only silence warnings, are "
                             "supported)", s)
        self.no_grad += 1
        try:
            return self.block(s.body.body)
        finally:
            self.no_grad -= 1
