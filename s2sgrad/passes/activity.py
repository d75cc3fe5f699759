"""Activity analysis: which variables need adjoints.

A variable is *varied* when it depends, through differentiable primitives, on a `wrt` parameter,
and *useful* when the function's result depends on it.  Only variables that are both (active) get
an adjoint: nothing is computed for `X` and `y` in `loss(W1, W2, X, y)`.

The analysis is flow-insensitive (one answer per name for the whole function).  That can only
over-approximate the active set, which costs an unused adjoint at worst and is never wrong.
Guarantee: every name outside `active` provably has a zero adjoint.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..ir import Assign, Call, DictExpr, ListExpr, Name, SetItem, Tuple, walk
from ..rules import RULES


# Python builtins the frontend passes to the container pass by name, which folds them on containers
# known when compiling; on anything else (list(W) of an array) they have no row: never a silent zero
UNFOLDED_BUILTINS = frozenset({"list", "reversed", "dict"})


def diff_reads(value) -> list:
    """Names read by a value in positions that carry derivatives (not indices, not nondiff ops)."""
    if isinstance(value, Name):
        return [value.id]
    if isinstance(value, (Tuple, ListExpr)):
        return [n for x in value.elts for n in diff_reads(x)]
    if isinstance(value, DictExpr):  # a dict literal carries its values' derivatives (or is refused)
        return [n for x in value.values for n in diff_reads(x)]
    if isinstance(value, Call):
        if value.op in ("list_append", "list_sum", "list_pop"):  # lists built at run time (lists.py): no rule row
            return [n for a in value.args for n in diff_reads(a)]
        if value.op in UNFOLDED_BUILTINS:  # list(x) of an array left to run time: a derivative reaches
            return [n for a in value.args for n in diff_reads(a)]  # it, and the transforms refuse it
        rule = RULES.get(value.op)
        if rule is None or rule.kind == "nondiff":
            return []
        if value.op == "getitem":
            return diff_reads(value.args[0])
        out = []
        for a in value.args:
            out += diff_reads(a)
        return out
    return []


@dataclass(frozen=True)
class Activity:
    varied: frozenset
    useful: frozenset

    @property
    def active(self) -> frozenset:
        return self.varied & self.useful

    def is_active(self, name) -> bool:
        return name in self.varied and name in self.useful


def analyze(fn, wrt, result: str) -> Activity:
    edges = []  # (target, source) pairs: target depends differentiably on source
    for s in walk(fn.body):
        if isinstance(s, Assign):
            srcs = diff_reads(s.value)
            for t in s.targets:
                edges += [(t, n) for n in srcs]
        elif isinstance(s, SetItem):
            edges += [(s.target, n) for n in diff_reads(s.value)]
    # reachability over the dependence graph, forward from wrt and backward from the result:
    # linear in the number of edges (a fixed point over the edge list was quadratic)
    forward, backward = {}, {}
    for t, src in edges:
        forward.setdefault(src, []).append(t)
        backward.setdefault(t, []).append(src)
    varied = _reach(set(wrt), forward)
    useful = _reach({result}, backward)
    return Activity(frozenset(varied), frozenset(useful))


def _reach(start, graph):
    seen, todo = set(start), list(start)
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def unfolded_builtin(op, loc):
    """The refusal of list(x) / reversed(x) / dict(x) of a value that is not a container known when
    compiling, where a derivative reaches it."""
    from ..errors import UnsupportedSyntaxError
    return UnsupportedSyntaxError(
        f"{op}() of an array (or of a value that is not a dict, list or tuple known when compiling) carrying a "
        f"derivative: s2sgrad cannot follow the {'list' if op != 'dict' else 'dict'} it makes. Use the array "
        "itself (np.concatenate(x) and np.stack(x) take it whole; x[::-1] reverses it), or its rows by index "
        "(x[i])", loc)
