"""`for t in itertools.product(a, b, ...)` and `for t in itertools.combinations(seq, r)`: the nested
loops they stand for, written out as source and lowered as the user's own loops (control.py).

- product(a, b, repeat=r): one loop per iterable (each repeated r times), innermost last; the loop
  target gets the tuple of the loop variables in the innermost body.
- combinations(seq, r): r index loops over len(seq), each starting after the one around it; the
  target gets (seq[i0], seq[i1], ...) -- in Python's order (lexicographic in the positions).

Guarantees: the loops run the body on exactly the tuples Python's iterator yields, in its order.
Python builds those tuples from its arguments once, before the first pass, and so does this: an
argument must be a name, a constant, a list or tuple of those, or range(...)/len(...) of those, and the body must not write
into a name an argument reads, nor bind one in its target (else refused).  A `break` would leave only the innermost loop:
refused (a `continue` goes to the next tuple in both).
"""
from __future__ import annotations

import itertools

import libcst as cst

from ..errors import UnsupportedSyntaxError
from . import draw_order

_PURE_CALLS = ("range", "len")


def _pure(node) -> bool:
    """Whether an argument reads the same whenever it is evaluated: a name, a number, a list or tuple
    of those, or range/len of those."""
    if isinstance(node, (cst.Name, cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        return _pure(node.expression)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Subtract, cst.Multiply)):
        return _pure(node.left) and _pure(node.right)
    if isinstance(node, (cst.List, cst.Tuple)):
        return all(not isinstance(el, cst.StarredElement) and _pure(el.value) for el in node.elements)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in _PURE_CALLS:
        return all(a.keyword is None and a.star == "" and _pure(a.value) for a in node.args)
    return False


def _names(node) -> set:
    return {n.value for n in draw_order.nodes(node) if isinstance(n, cst.Name)}


def _loop(target, iterable, body):
    return cst.For(target=target, iter=iterable, body=cst.IndentedBlock(body=body))


def _line(target, value):
    return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(target)], value)])


def _tuple(items):
    return cst.Tuple([cst.Element(v) for v in items])


def nested(lowerer, s, it, fname):
    """The nested loops of `for target in fname(...)` (fname: itertools.product or combinations),
    as a cst.For to lower in place of s."""
    what = "itertools.product" if fname is itertools.product else "itertools.combinations"
    args = [a for a in it.args if a.keyword is None]
    kw = {a.keyword.value: a.value for a in it.args if a.keyword is not None}
    if any(a.star for a in it.args) or set(kw) - ({"repeat"} if fname is itertools.product else {"r"}):
        raise lowerer.error(UnsupportedSyntaxError, f"{what} with these arguments (write the loops)", it)
    every = args + list(kw.values())
    if not all(_pure(a.value if isinstance(a, cst.Arg) else a) for a in every):
        raise lowerer.error(UnsupportedSyntaxError, f"{what} of an expression: give its arguments names first "
                            "(Python builds the tuples from them once, before the loop)", it)
    from .control import _writes_into  # (control imports this module)
    read = set().union(*(_names(a.value if isinstance(a, cst.Arg) else a) for a in every))
    written = {n for n in read if _writes_into(s.body, n)} | (read & (_bound_in(s.body) | _names(s.target)))
    if written:
        raise lowerer.error(UnsupportedSyntaxError, f"{what} of '{sorted(written)[0]}', which the loop (its "
                            "target or body) changes: Python builds the tuples before the first pass; give the "
                            "loop's names others", it)
    if any(isinstance(n, cst.Break) for n in draw_order.nodes(s.body)):
        raise lowerer.error(UnsupportedSyntaxError, f"a break in a loop over {what} (it would leave only the "
                            "innermost of the loops it stands for): write the loops, with a flag", s)
    body = list(s.body.body)
    if fname is itertools.product:
        repeat = kw.get("repeat")
        r = _count(lowerer, repeat, it) if repeat is not None else 1
        seqs = [a.value for a in args] * r
        names = [cst.Name(lowerer.fresh("p")) for _ in seqs]
        inner = [_line(s.target, _tuple(names))] + body
        for name, seq in reversed(list(zip(names, seqs))):
            inner = [_loop(name, seq, inner)]
        return inner[0]
    if len(args) + len(kw) != 2:
        raise lowerer.error(UnsupportedSyntaxError, "itertools.combinations takes a sequence and r", it)
    seq = args[0].value
    r = _count(lowerer, args[1].value if len(args) == 2 else kw["r"], it)
    names = [cst.Name(lowerer.fresh("c")) for _ in range(r)]
    size = cst.Call(cst.Name("len"), [cst.Arg(seq)])
    items = [cst.Subscript(seq, [cst.SubscriptElement(cst.Index(n))]) for n in names]
    inner = [_line(s.target, _tuple(items))] + body
    for k in reversed(range(r)):
        start = [] if k == 0 else [cst.Arg(cst.BinaryOperation(names[k - 1], cst.Add(), cst.Integer("1")))]
        inner = [_loop(names[k], cst.Call(cst.Name("range"), start + [cst.Arg(size)]), inner)]
    return inner[0]


def _count(lowerer, node, it) -> int:
    if not isinstance(node, cst.Integer) or int(node.value) < 1:
        raise lowerer.error(UnsupportedSyntaxError, "itertools.product's repeat and combinations' r must be "
                            "a positive number written in the call", it)
    return int(node.value)


def _bound_in(body) -> set:
    """Names the body binds (a rebinding of an argument changes what a later pass would read)."""
    from .scan import assigned_names
    return set(assigned_names(body))
