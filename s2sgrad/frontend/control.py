"""Lowering of compound statements: if, for (over range, reversed(range), enumerate, zip, or an
array/list/tuple), while, and `with s2sgrad.no_grad():`.

Guarantees: every loop comes out as a `For` over `range` (iteration over a sequence becomes an
index loop over its first axis, the sequence evaluated once, before the loop, as Python does) or a
`While`; statements an iterable or a test needs (an inlined helper) run once before the loop (for
a `while` test: at the top of each iteration); anything else (for/while ... else, async for,
loop targets that are not names, any other `with`) is refused at its line.

A mixin of frontend.lower._Lowerer: it uses the lowerer's state (prelude, locals, no_grad) and its
core and expression methods.
"""
from __future__ import annotations

import libcst as cst

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, For, If, Name
from ..markers import no_grad
from .scan import assigned_names


def _item(seq, idx):
    """The item a `for` over seq binds on pass idx: `seq[idx]`, marked so the container pass gives a
    dict's key there, as Python's iteration over a dict does (passes/containers.py drops the mark)."""
    return Call("getitem", (seq, Name(idx)), (("iterate", Const(True)),))


class ControlFlow:
    """if_, for_, while_, with_ (a mixin of lower._Lowerer)."""

    def if_(self, s: cst.If) -> list:
        test = self.expr(s.test)
        pre = self.flush([])
        body = self.block(s.body.body)
        orelse = []
        if isinstance(s.orelse, cst.If):
            orelse = self.if_(s.orelse)
        elif isinstance(s.orelse, cst.Else):
            orelse = self.block(s.orelse.body.body)
        return pre + [If(test, tuple(body), tuple(orelse), self.loc(s))]

    def for_(self, s: cst.For, loc=None) -> list:
        if loc is not None:
            self.synthetic_loc = loc
        loc = loc or self.loc(s)
        if s.orelse is not None:
            raise self.error(UnsupportedSyntaxError, "for ... else is not supported yet", s.orelse)
        if s.asynchronous is not None:
            raise self.error(UnsupportedSyntaxError, "async for", s)
        it = s.iter
        fname = self.static_callee(it.func) if isinstance(it, cst.Call) else None
        if fname is range:
            iter_expr = self.expr(it)
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
            if len(it.args) != 1:
                raise self.error(UnsupportedSyntaxError, "enumerate with a start", it)
            t = s.target
            if not (isinstance(t, (cst.Tuple, cst.List)) and len(t.elements) == 2
                    and isinstance(t.elements[0].value, cst.Name)):
                raise self.error(UnsupportedSyntaxError, "enumerate must be unpacked into a counter and an item", t)
            seq = self.sequence(self.expr(it.args[0].value), loc, s)
            idx = t.elements[0].value.value
            head = self.assign(t.elements[1].value, _item(seq, idx), loc)
            rng = Call("range", (Call("len", (seq,)),))
            pre = self.flush([])  # evaluated once, before the loop (the body flushes its own)
            return pre + [For(Name(idx), rng, tuple(head + self.block(s.body.body)), loc)]
        if fname is zip:
            t = s.target
            if not (isinstance(t, (cst.Tuple, cst.List)) and len(t.elements) == len(it.args)):
                raise self.error(UnsupportedSyntaxError, "zip must be unpacked into one target per sequence", t)
            seqs = [self.sequence(self.expr(a.value), loc, s) for a in it.args]
            idx = self.fresh("k")
            head = [a for e, sq in zip(t.elements, seqs)
                    for a in self.assign(e.value, _item(sq, idx), loc)]
            n = Call("len", (seqs[0],))
            for sq in seqs[1:]:
                n = Call("min", (n, Call("len", (sq,))))
            pre = self.flush([])
            return pre + [For(Name(idx), Call("range", (n,)), tuple(head + self.block(s.body.body)), loc)]
        # iteration over an array, a list or a tuple: an index loop over its first axis
        if not isinstance(s.target, (cst.Name, cst.Tuple, cst.List)):
            raise self.error(UnsupportedSyntaxError, "this loop target (use names)", s.target)
        seq = self.sequence(self.expr(it), loc, s)
        if isinstance(s.target, cst.Name):
            var = s.target.value
            idx = self.fresh(f"i_{var}")
            head = [Assign((var,), _item(seq, idx), loc)]
        else:  # for W, b in layers: each item unpacked
            idx = self.fresh("i_item")
            head = self.assign(s.target, _item(seq, idx), loc)
        pre = self.flush([])
        return pre + [For(Name(idx), Call("range", (Call("len", (seq,)),)), tuple(head + self.block(s.body.body)), loc)]

    def sequence(self, e, loc, loop):
        """The object a `for` iterates: Python evaluates it once, so a body that rebinds the name
        (`for r in y: y = y * 2`) still iterates the original object."""
        if isinstance(e, Name) and e.id in assigned_names(loop.body):
            tmp = self.fresh(f"{e.id}_seq")
            self.prelude.append(Assign((tmp,), e, loc))
            return Name(tmp)
        return self.atom(e, loc)

    def atom(self, e, loc):
        if isinstance(e, (Name, Const)):
            return e
        tmp = self.fresh("seq")
        self.prelude.append(Assign((tmp,), e, loc))
        return Name(tmp)

    def for_target(self, t):
        if isinstance(t, cst.Name):
            return Name(t.value)
        raise self.error(UnsupportedSyntaxError, "this loop target (use a plain name)", t)

    def while_(self, s: cst.While) -> list:
        if s.orelse is not None:
            raise self.error(UnsupportedSyntaxError, "while ... else is not supported", s.orelse)
        test = self.expr(s.test)
        pre = self.flush([])
        body = self.block(s.body.body)
        if pre:  # the test needs statements (an inlined helper): while True + break
            stop = If(Call("not_", (test,)), (ir.Break(self.loc(s)),), (), self.loc(s))
            return [ir.While(Const(True), tuple(pre + [stop] + body), self.loc(s))]
        return [ir.While(test, tuple(body), self.loc(s))]

    def with_(self, s: cst.With) -> list:
        ok = len(s.items) == 1 and isinstance(s.items[0].item, cst.Call) and s.items[0].asname is None
        if ok:
            ok = self.static_callee(s.items[0].item.func) is no_grad
        if not ok:
            raise self.error(UnsupportedSyntaxError, "with statement (only `with s2sgrad.no_grad():` is supported)", s)
        self.no_grad += 1
        try:
            return self.block(s.body.body)
        finally:
            self.no_grad -= 1
