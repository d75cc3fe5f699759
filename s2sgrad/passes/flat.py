"""The container pass's result (containers.flatten): the function with its container parameters
flattened to leaves, and how the gradients go back into containers of the arguments' structure.

Guarantee: `regroup` gives one entry per differentiated parameter, a container rebuilt with the
argument's kind, keys and named-tuple class (a dict for an object), each leaf's gradient where the
leaf is floating and None elsewhere; `wrt_leaves` names exactly the floating leaves under a path.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import ir
from ..ir import Call, Const, DictExpr, ListExpr, Tuple
from .normalize import _fresh
from .trees import Tree, is_floating


@dataclass
class Flat:
    fn: ir.Function              # parameters: the leaves (and the non-container parameters)
    abstract: dict               # parameter -> abstract value, for the flattened parameters
    prologue: list               # Assign leaf = param[...][...] for the generated code
    original_params: tuple = ()
    leaves: dict = field(default_factory=dict)   # container parameter -> [(path, leaf name, abstract)]
    trees: dict = field(default_factory=dict)    # container parameter -> Tree
    captured: dict = field(default_factory=dict)  # globals read by methods inlined here (objects.py)
    guards: list = field(default_factory=list)    # ... and their guards (a rebinding recompiles)
    inlined: dict = field(default_factory=dict)   # method name -> times inlined
    read_objects: bool = False   # objects read from globals or closures: their leaves come from the prologue
    named: dict = field(default_factory=dict)  # name -> a named tuple class a gradient is rebuilt as
    deferred: list = field(default_factory=list)  # aliasing.Deferred of attribute updates (container_writes.py)

    def wrt_leaves(self, wrt):
        """The differentiated variables for `wrt` (container parameters become their floating leaves;
        a path `("self", "W1")` names the leaves under it)."""
        out = []
        for p in wrt:
            root, path = (p[0], tuple(p[1:])) if isinstance(p, tuple) else (p, ())
            if root in self.leaves:
                out += [name for lp, name, a in self.leaves[root] if lp[:len(path)] == path and is_floating(a)
                        and name not in out]
            else:
                out.append(root)
        return out

    def regroup(self, wrt, finals: dict):
        """The gradients expression: one entry per wrt parameter, containers rebuilt (None where a
        leaf is not floating)."""
        out = []
        for p in wrt:
            root, path = (p[0], tuple(p[1:])) if isinstance(p, tuple) else (p, ())
            if root not in self.trees:
                out.append(finals[root])
                continue
            by_path = {lp: name for lp, name, _ in self.leaves[root]}
            tree = self.trees[root]
            for k in path:
                tree = tree.children[tree.keys.index(k)]
            out.append(_rebuild(tree, path, by_path, finals, self.named) if isinstance(tree, Tree)
                       else finals.get(by_path.get(path), Const(None)))
        return out


def name_tuples(tree, named, taken):
    """A name in the generated code's namespace for each named tuple class in the tree."""
    if tree.kind == "tuple" and tree.cls is not None and tree.cls not in named.values():
        base = tree.cls.__name__ if tree.cls.__name__.isidentifier() else "named_tuple"
        name = _fresh(base, taken)
        named[name] = tree.cls
    for child in tree.children:
        if isinstance(child, Tree):
            name_tuples(child, named, taken)


def _rebuild(tree, path, by_path, finals, named):
    parts = []
    for k, child in zip(tree.keys, tree.children):
        if isinstance(child, Tree):
            parts.append(_rebuild(child, path + (k,), by_path, finals, named))
        else:
            parts.append(finals.get(by_path.get(path + (k,)), Const(None)))
    if tree.kind in ("dict", "object"):  # an object's gradient: a dict of its attributes' gradients
        return DictExpr(tuple(Const(k) for k in tree.keys), tuple(parts))
    if tree.kind == "tuple" and tree.cls is not None:  # a named tuple's gradient: the same named tuple
        return Call(next(n for n, c in named.items() if c is tree.cls), tuple(parts))
    return ListExpr(tuple(parts)) if tree.kind == "list" else Tuple(tuple(parts))
