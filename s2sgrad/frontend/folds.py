"""Lowering of `functools.reduce(f, seq[, init])` and `itertools.accumulate(seq[, f][, initial=])`
into the loops they stand for; reduce's:

    acc = init                       acc = seq[0]
    for item in seq:         or      for item in seq[1:]:
        acc = f(acc, item)               acc = f(acc, item)

placed before the statement that reads it (the lowerer's prelude), so the loop is differentiated
like one the user wrote (unrolled over a container known when compiling, recorded over a run-time
list).  A lambda's body is written in place of the call, its two parameters renamed to the loop's
names.  accumulate's is the same loop appending each partial result to a list (its first item the
initial value, or seq[0]), which is what `list(accumulate(...))` or a loop over it reads.
Guarantee: the sequence is evaluated once, before the first step, as Python does; anything but two
positional parameters of a lambda, or keyword and starred arguments (but accumulate's func= and
initial=), is refused at its line.  (An empty sequence without an initial value raises IndexError
at seq[0] where Python's accumulate gives an empty list: an error, never a wrong value.)"""
from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, Name
from ..ir.walk import map_blocks
from .listbuild import Rename


def reduce_call(lowerer, e: cst.Call):
    """The name holding reduce's result; its loop appended to the lowerer's prelude."""
    if any(a.keyword is not None or a.star for a in e.args) or len(e.args) not in (2, 3):
        raise lowerer.error(UnsupportedSyntaxError, "reduce() takes a function, a sequence and an optional "
                            "initial value, written out by position", e)
    loc = lowerer.loc(e)
    fn, seq = e.args[0].value, e.args[1].value
    acc, item = lowerer.fresh("acc"), lowerer.fresh("item")
    step = _step(lowerer, fn, acc, item)
    stmts = []
    items = _start(lowerer, seq, e.args[2].value if len(e.args) == 3 else None, acc, stmts)
    body = cst.IndentedBlock([_assign(acc, step)])
    stmts.append(cst.For(target=cst.Name(item), iter=items, body=body))
    _lowered(lowerer, stmts, loc)
    return Name(acc)


def _start(lowerer, seq, initial, acc, stmts):
    """The statements binding the sequence (once, before the initial value, as Python evaluates
    them) and `acc` to the initial value or seq[0]; the items the loop runs over."""
    if not isinstance(seq, cst.Name):
        held = lowerer.fresh("seq")
        stmts.append(_assign(held, seq))
        seq = cst.Name(held)
    if initial is not None:
        stmts.append(_assign(acc, initial))
        return seq
    # (an empty sequence raises in Python: seq[0] raises too)
    stmts.append(_assign(acc, cst.Subscript(seq, [cst.SubscriptElement(cst.Index(cst.Integer("0")))])))
    return cst.Subscript(seq, [cst.SubscriptElement(cst.Slice(lower=cst.Integer("1"), upper=None))])


def _lowered(lowerer, stmts, loc):
    """The CST statements lowered into the lowerer's prelude, after what is there."""
    out = lowerer.flush([])
    for s in stmts:
        out += lowerer.statement_of(s, loc)
    lowerer.prelude = out


def accumulate_call(lowerer, e: cst.Call):
    """The name of the list of accumulate's partial results; its loop appended to the prelude."""
    pos = [a for a in e.args if a.keyword is None]
    kw = {a.keyword.value: a.value for a in e.args if a.keyword is not None}
    if any(a.star for a in e.args) or not 1 <= len(pos) <= 2 or set(kw) - {"func", "initial"} \
            or len(pos) == 2 and "func" in kw:
        raise lowerer.error(UnsupportedSyntaxError, "accumulate() takes a sequence, an optional function and "
                            "initial= by keyword", e)
    loc = lowerer.loc(e)
    seq = pos[0].value
    fn = pos[1].value if len(pos) == 2 else kw.get("func")
    acc, item, out = lowerer.fresh("acc"), lowerer.fresh("item"), lowerer.fresh("partials")
    lowerer.appended.add(out)
    step = cst.BinaryOperation(cst.Name(acc), cst.Add(), cst.Name(item)) if fn is None else \
        _step(lowerer, fn, acc, item, "accumulate")
    stmts = []
    items = _start(lowerer, seq, kw.get("initial"), acc, stmts)
    stmts.append(_assign(out, cst.List([cst.Element(cst.Name(acc))])))
    append = cst.Expr(cst.Call(cst.Attribute(cst.Name(out), cst.Name("append")), [cst.Arg(cst.Name(acc))]))
    body = cst.IndentedBlock([cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(acc))], step)]),
                              cst.SimpleStatementLine([append])])
    stmts.append(cst.For(target=cst.Name(item), iter=items, body=body))
    _lowered(lowerer, stmts, loc)
    return Name(out)


def _step(lowerer, fn, acc, item, what="reduce"):
    """f(acc, item) as an expression: a lambda's body with its parameters renamed, else a call."""
    return _applied(lowerer, fn, (acc, item), f"{what}() of a lambda with other than two plain parameters "
                    "(write lambda acc, x: ...)")


def _applied(lowerer, fn, names, refusal):
    """fn(*names) as an expression: a lambda's body with its plain parameters renamed to `names`,
    else a call; a lambda of another form (more or fewer parameters, defaults, stars) is refused
    with the message `refusal`."""
    if not isinstance(fn, cst.Lambda):
        return cst.Call(fn, [cst.Arg(cst.Name(n)) for n in names])
    p = fn.params
    if p.star_arg is not cst.MaybeSentinel.DEFAULT or p.kwonly_params or p.star_kwarg or p.posonly_params \
            or len(p.params) != len(names) or any(q.default is not None for q in p.params):
        raise lowerer.error(UnsupportedSyntaxError, refusal, fn)
    return fn.body.visit(Rename({q.name.value: n for q, n in zip(p.params, names)}))


def _assign(name, value):
    return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(name))], value)])


def keyed_extreme_call(lowerer, e: cst.Call, which):
    """`min(seq, key=f)` / `max(seq, key=f)`: the name holding the item, its loop appended to the
    prelude -- Python's own loop, the key computed once per item and the item replaced only where
    its key is strictly below (above) the best so far, so ties keep the first and a NaN key never
    wins, as in CPython's min/max:

        best = seq[0]; best_key = f(best)
        for item in seq[1:]:
            item_key = f(item)
            if item_key < best_key:
                best = item; best_key = item_key

    The keys only decide which item is taken (a comparison: piecewise constant in them); the item
    carries the derivative it has.  An empty sequence raises IndexError at seq[0] (Python: ValueError);
    default= and more than one positional argument are refused."""
    pos = [a for a in e.args if a.keyword is None]
    kw = {a.keyword.value: a.value for a in e.args if a.keyword is not None}
    if any(a.star for a in e.args) or len(pos) != 1 or set(kw) != {"key"}:
        raise lowerer.error(UnsupportedSyntaxError, f"{which}() with key= takes one sequence and the key function "
                            "(no default=, no items written out: min((a, b), key=f))", e)
    loc = lowerer.loc(e)
    best, best_key, item, item_key = (lowerer.fresh(n) for n in ("best", "best_key", "item", "item_key"))
    stmts = []
    seq = mapped(lowerer, pos[0].value) or pos[0].value  # (max(map(f, xs), key=g))
    items = _start(lowerer, seq, None, best, stmts)
    stmts.append(_assign(best_key, _key(lowerer, kw["key"], best, which)))
    better = cst.Comparison(cst.Name(item_key), [cst.ComparisonTarget(cst.LessThan() if which == "min" else
                                                                      cst.GreaterThan(), cst.Name(best_key))])
    take = cst.IndentedBlock([_assign(best, cst.Name(item)), _assign(best_key, cst.Name(item_key))])
    body = cst.IndentedBlock([_assign(item_key, _key(lowerer, kw["key"], item, which)),
                              cst.If(test=better, body=take)])
    stmts.append(cst.For(target=cst.Name(item), iter=items, body=body))
    _lowered(lowerer, stmts, loc)
    return Name(best)


def _key(lowerer, fn, name, which):
    """f(name) as an expression: a one-parameter lambda's body with its parameter renamed, else a call."""
    return _applied(lowerer, fn, (name,), f"{which}(key=) of a lambda with other than one plain parameter "
                    "(write key=lambda v: ...)")


def sorted_by_key(lowerer, e: cst.Call):
    """`sorted(seq, key=f, reverse=r)`: the sequence bound to a name, r evaluated, and the keys
    computed once per item in the prelude, as Python's sorted does, in that order:

        sorted_peaks = peaks
        sorted_peaks_keys = [f(item) for item in sorted_peaks]

    standing for `sorted_by(sorted_peaks, sorted_peaks_keys, reverse=r)`, which the container pass writes out as the
    permutation Python's sort gives those keys and each item read through it (passes/sort_by_key.py).
    f must be a name, an attribute or a one-parameter lambda, as for min(key=)."""
    pos = [a for a in e.args if a.keyword is None]
    kw = {a.keyword.value: a.value for a in e.args if a.keyword is not None}
    if any(a.star for a in e.args) or len(pos) != 1 or set(kw) - {"key", "reverse"}:
        raise lowerer.error(UnsupportedSyntaxError, "sorted() with key= takes one sequence, the key function and "
                            "reverse=", e)
    fn = kw["key"]
    if not isinstance(fn, (cst.Name, cst.Attribute, cst.Lambda)):
        raise lowerer.error(UnsupportedSyntaxError, "sorted(key=) of a function computed in place: bind it to a "
                            "name first (f = make(...); sorted(xs, key=f))", fn)
    loc = lowerer.loc(e)
    base = f"sorted_{pos[0].value.value}" if isinstance(pos[0].value, cst.Name) else "sorted_items"
    seq, keys, item = lowerer.fresh(base), lowerer.fresh(f"{base}_keys"), lowerer.fresh("item")
    stmts = [_assign(seq, mapped(lowerer, pos[0].value) or pos[0].value)]
    reverse = kw.get("reverse")
    if reverse is not None and not (isinstance(reverse, cst.Name) and reverse.value in ("True", "False")):
        name = lowerer.fresh("reverse")  # (evaluated before the first key, as Python evaluates arguments)
        stmts.append(_assign(name, reverse))
        reverse = cst.Name(name)
    elt = _applied(lowerer, fn, (item,), "sorted(key=) of a lambda with other than one plain parameter "
                   "(write key=lambda v: ...)")
    stmts.append(_assign(keys, cst.ListComp(elt=elt, for_in=cst.CompFor(target=cst.Name(item), iter=cst.Name(seq)))))
    _lowered(lowerer, stmts, loc)
    # (the keys only order the items: stop_gradient says they carry no derivative, and keeps the
    # reverse sweep from following a list whose adjoint is zero)
    lowerer.prelude = [_keys_without_derivative(st, keys) for st in lowerer.prelude]
    rev = Const(False) if reverse is None else \
        Const(reverse.value == "True") if reverse.value in ("True", "False") else Name(reverse.value)
    return Call("sorted_by", (Name(seq), Name(keys)), (("reverse", rev),))


def _keys_without_derivative(st, keys):
    """st with each `keys.append(v)` made `keys.append(stop_gradient(v))`."""
    if isinstance(st, Assign) and st.targets == (keys,) and isinstance(st.value, Call) \
            and st.value.op == "list_append" and len(st.value.args) == 2:
        return replace(st, value=Call("list_append", (st.value.args[0], Call("stop_gradient", (st.value.args[1],)))))
    return map_blocks(st, lambda block: [_keys_without_derivative(x, keys) for x in block])


def first_call(lowerer, e: cst.Call):
    """`next(elt for t in seq if cond)` (and `next(..., default)`): the name holding the first item,
    its loop appended to the prelude -- the generator's one `for` clause, the item taken at the first
    pass whose conditions hold (a flag, tested before them, keeps later passes from evaluating the
    conditions or the item), as Python's next() takes the generator's first item; none: the
    default, or StopIteration as Python raises it.  The
    generator's variables get names of their own (listbuild._loops).  Nested `for` clauses, other
    arguments and next() of anything but a generator expression are refused."""
    from .listbuild import _loops
    pos = [a for a in e.args if a.keyword is None]
    if any(a.star or a.keyword is not None for a in e.args) or not 1 <= len(pos) <= 2 \
            or not isinstance(pos[0].value, cst.GeneratorExp) or pos[0].value.for_in.inner_for_in is not None:
        raise lowerer.error(UnsupportedSyntaxError, "next() of anything but a generator expression with one "
                            "`for` (next(x for x in xs if ...), with or without a default): write the loop", e)
    gen = pos[0].value
    loc = lowerer.loc(e)
    found, first, seq = lowerer.fresh("found"), lowerer.fresh("first"), lowerer.fresh("seq")
    # (Python evaluates the generator's first iterable when it makes the generator, before next's
    # default, and the default before the first item)
    stmts = [_assign(seq, gen.for_in.iter), _assign(found, cst.Name("False"))]
    if len(pos) == 2:
        stmts.append(_assign(first, pos[1].value))
    # (no break: a loop over a container is unrolled, and one with a break is not; the flag, tested
    # first, keeps later items from evaluating the conditions and the item, as Python never does)
    test = cst.UnaryOperation(cst.Not(), cst.Name(found))
    for cond in gen.for_in.ifs:
        test = cst.BooleanOperation(test, cst.And(), cond.test.with_changes(
            lpar=[cst.LeftParen()], rpar=[cst.RightParen()]))
    take = cst.If(test=test, body=cst.IndentedBlock([
        cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(first))], gen.elt),
                                 cst.Assign([cst.AssignTarget(cst.Name(found))], cst.Name("True"))])]))
    stmts.append(_loops(lowerer, gen, gen.for_in.with_changes(ifs=[], iter=cst.Name(seq)), take))
    if len(pos) == 1:
        stop = cst.SimpleStatementLine([cst.Raise(exc=cst.Call(cst.Name("StopIteration")))])
        stmts.append(cst.If(test=cst.UnaryOperation(cst.Not(), cst.Name(found)), body=cst.IndentedBlock([stop])))
    _lowered(lowerer, stmts, loc)
    return Name(first)


def mapped(lowerer, node):
    """The list comprehension a call `map(f, xs)` read at once stands for (map_comprehension),
    located where the call is; None for any other node."""
    if isinstance(node, cst.Call) and lowerer.static_callee(node.func) is map:
        return lowerer.remade(map_comprehension(lowerer, node), node)
    return None


def map_comprehension(lowerer, e: cst.Call) -> cst.ListComp:
    """`map(f, xs)` / `map(f, xs, ys)` consumed at once (by list, tuple, sum, max, min) as the list
    comprehension `[f(x) for x in xs]` / `[f(x, y) for x, y in zip(xs, ys)]`, a lambda's body written
    in place of the call.  The same values in the same order: the sequences are evaluated once,
    before the first call, and map stops at the shortest as zip does.  f must be a name, an
    attribute or a lambda (a call written there would run once per item here, once in Python)."""
    if any(a.keyword is not None or a.star for a in e.args) or len(e.args) < 2:
        raise lowerer.error(UnsupportedSyntaxError, "map() takes a function and sequences, written out by "
                            "position", e)
    fn, seqs = e.args[0].value, [a.value for a in e.args[1:]]
    if not isinstance(fn, (cst.Name, cst.Attribute, cst.Lambda)):
        raise lowerer.error(UnsupportedSyntaxError, "map() of a function computed in place: bind it to a name "
                            "first (f = make(...); list(map(f, xs)))", fn)
    if len(seqs) > 1 and ("zip" in lowerer.locals or lowerer.ns.get("zip", zip) is not zip):
        raise lowerer.error(UnsupportedSyntaxError, "map() of several sequences where 'zip' is not the builtin: "
                            "write the comprehension", e)
    items = [lowerer.fresh("item") for _ in seqs]
    elt = _applied(lowerer, fn, items, f"map() of a lambda with other than {len(seqs)} plain parameter"
                   f"{'s' * (len(seqs) > 1)} (one per sequence)")
    target = cst.Name(items[0]) if len(items) == 1 else \
        cst.Tuple([cst.Element(cst.Name(n)) for n in items], lpar=[], rpar=[])
    source = seqs[0] if len(seqs) == 1 else cst.Call(cst.Name("zip"), [cst.Arg(s) for s in seqs])
    return cst.ListComp(elt=elt, for_in=cst.CompFor(target=target, iter=source))
