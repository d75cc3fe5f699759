"""Parameter containers (pytrees): dicts, lists and tuples of arrays, flattened per signature.

A container argument's structure (its keys, its length, what each leaf is) is part of the call's
signature, so it is known when compiling.  This pass evaluates every use of the container at
compile time -- `params["W1"]`, `params.get("b1")`, `layers[-1]`, `layers[:-1]`, `len(layers)`,
`for W, b in layers:`, `for name, W in params.items():`, `zip(Ws, bs)`, `enumerate(layers)` --
down to its leaves, which become plain variables of the program (`W1`, `layers_0_1`).  A loop whose
body indexes a container with the loop counter is unrolled (its trip count is the container's
length).  A container passed to a call (`np.stack(hs)`) becomes a list of its leaves.

Guarantees: the flattened function reads every leaf through one variable bound in a prologue that
unpacks the arguments exactly as the user's code indexes them (`W1 = params["W1"]`); no container
survives into the IR the compiler differentiates; anything that would need the container at run
time (a key computed from data, a write into the container) is refused at the user's line.  The
gradient of a container argument is rebuilt with the same structure and keys, one entry per leaf:
the leaf's gradient for floating leaves, None for the others (ints, strings, None).
"""
from __future__ import annotations

import enum
from collections import Counter
from dataclasses import replace

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, DictExpr, ListExpr, Name, Slice, Tuple
from . import (confined, container_reads, container_values, container_writes, function_attrs, object_lists,
               object_operators, objects, private_attrs, rng_draws, sort_by_key)
from .constant_tests import truth
from .enums import holds_enum_members
from .flat import Flat, name_tuples
from .iterate_marks import backwards_item, reversed_position

# compile-time containers (CTree, imported from here by objects.py) live in passes/ctree.py
from .ctree import _FOLD, constants as _constants, CTree, _Unroll, shape_known
from .flatten_stmts import FlattenStatements, _held_values
from .shapes import Arr, Known
# the signature side (Tree, tree_of, ...) lives in passes/trees.py; re-exported for its users
from .trees import (Tree, leaf_name, _abstract, _attribute_kept, _is_object, is_floating,  # noqa: F401
                    is_floating_value, seed_tree, tree_of)
from .unroll_flow import Conflict


CONTAINER_OPS = {".get", ".items", ".keys", ".values", "reversed", "list", "dict", "getattr", "spread_keys", "sorted",
                 "sorted_by"}


# ------------------------------------------------------------------------------ the pass
_SEQUENCE_READS = ("getitem", "np.stack", "np.concatenate", "np.hstack", "np.vstack", "np.array", "np.asarray",
                   "list_sum", "len", "list_pop")


def _reads_sequence_names(fn) -> bool:
    """Whether a name bound to a tuple, list or dict literal (`pair = (a, W @ x)`) is indexed,
    unpacked, iterated, stacked or written into: the container pass then holds it element by element
    (flatten_stmts.py)."""
    bound = {s.target for s in ir.walk(fn.body) if isinstance(s, Assign) and len(s.targets) == 1 and (
        isinstance(s.value, (Tuple, ListExpr)) and _held_values(s.value) or isinstance(s.value, DictExpr))}
    lists = {s.target for s in ir.walk(fn.body) if isinstance(s, Assign) and len(s.targets) == 1 and (
        isinstance(s.value, ListExpr) and s.value.elts or isinstance(s.value, Call) and s.value.op in ("mul", "add")
        and any(isinstance(a, ListExpr) and a.elts for a in s.value.args))}  # (d = [0.0] * n: constants too)
    if any(isinstance(st, ir.SetItem) and st.target in bound | lists for st in ir.walk(fn.body)):
        return True  # cache = {}; cache['h'] = h; d[j] = 2.0 * c[j] (container_writes.py)
    if any(c.op in (".items", ".keys", ".values") and c.args and isinstance(c.args[0], DictExpr)
           for st in ir.walk(fn.body) for c in ir.stmt_calls(st)):
        return True  # NESTS.items() of a module-level dict: a literal's view (frontend/calls.held_view)
    for st in ir.walk(fn.body):  # a + [h], [x] * 3: lists or tuples joined when compiling
        for c in ir.stmt_calls(st):
            if c.op in ("add", "mul", "or_") and any(isinstance(a, Name) and a.id in bound or isinstance(
                    a, (Tuple, ListExpr)) and _held_values(a) for a in c.args):
                return True
    return bool(bound) and any(c.op in _SEQUENCE_READS + tuple(CONTAINER_OPS) and c.args and isinstance(c.args[0], Name)
                               and c.args[0].id in bound for st in ir.walk(fn.body) for c in ir.stmt_calls(st))


def _copied(tree, deep):
    """A copy of a container known when compiling: a new one (no argument's: it may be written
    into), of the same items (deep: containers in it copied too)."""
    items = [_copied(x, deep) if deep and isinstance(x, CTree) else x for x in tree.items]
    return CTree(tree.kind, list(tree.keys), items, None, tree.cls, tree.hidden)


def flatten(fn: ir.Function, signature: dict, captured=None):
    """Flat for a function whose signature has container arguments (None when it has none).  An
    object read from a global or a closure (`criterion = FocalLoss(...)`; `captured`) is read like
    an object argument that is not differentiated: its arrays and numbers through variables bound
    in the prologue from the object itself, each attribute guarded (rebinding one compiles again)."""
    trees = {p: v for p, v in signature.items() if isinstance(v, Tree)}
    from ..frontend.guards import container_of_arrays  # (LAYERS = [W1, W2]: its arrays through the prologue)
    reads = set(ir.all_reads(fn.body))
    reads_held = any(container_of_arrays(obj) for n, obj in (captured or {}).items() if n in reads)
    members = {p for p, v in signature.items() if isinstance(v, Known) and isinstance(v.value, enum.Enum)}
    spreads = any(c.op == "spread_keys" for st in ir.walk(fn.body) for c in ir.stmt_calls(st))  # (f(**d) of a dict made here)
    if not trees and not objects.uses_objects(fn) and not _reads_sequence_names(fn) and not reads_held \
            and not members and not holds_enum_members(fn) and not spreads:
        for st in ir.walk(fn.body):  # container methods on something that is not a container
            for c in ir.stmt_calls(st):
                if c.op in CONTAINER_OPS and not (c.op == "list" and c.kw("by_element") is not None):
                    if c.op == "getattr":  # the attribute's own refusal (of something that is no object)
                        _Flattener({}).call(c, st.loc)
                    if c.op == "spread_keys":
                        raise UnsupportedSyntaxError("f(**d) of something that is not a dict known when compiling "
                                                     "(a dict argument, or one the function makes)", st.loc)
                    if c.op in ("sorted", "sorted_by"):
                        raise UnsupportedSyntaxError(container_values.NOT_SORTED, st.loc)
                    raise UnsupportedSyntaxError(f"'{c.op.lstrip('.')}()' of something that is not a "
                                                 "dict, list or tuple argument" + (
                                                     " (or `a, *rest = x` of an array: rest would be the list of "
                                                     "x's rows; write rest = x[1:], an array, or index the rows)"
                                                     if c.op == "list" else ""), st.loc)
                if c.op == "dict_without":  # (del L[1], L.pop(2) of a list built at run time)
                    raise UnsupportedSyntaxError(container_values.NOT_WITHOUT, st.loc)
        return None
    taken = set(fn.params) | set(ir.all_writes(fn.body)) | reads
    flat = Flat(fn, {}, [], fn.params, {}, trees)
    for tree in trees.values():
        name_tuples(tree, flat.named, taken | set(captured or ()))
    env, params = {}, []
    read_guards = []
    for cname, obj in sorted((captured or {}).items()):
        held = _is_object(obj) or container_of_arrays(obj)
        tree = tree_of(obj) if cname not in fn.params and cname in reads and held else None
        if tree is None:
            continue
        leaves = []
        env[cname] = _ctree(tree, Name(cname), (), cname, taken, leaves, flat.prologue, fn.loc)
        for _, name, a in leaves:  # (inputs of the function, never differentiated)
            params.append(name)
            flat.abstract[name] = a
        if _is_object(obj):  # (a list or dict is guarded by its name: frontend/guards.SameElements)
            read_guards.extend((vars(obj), k, v) for k, v in vars(obj).items())
        flat.read_objects = True
    for p in fn.params:
        if p not in trees:
            params.append(p)
            flat.abstract[p] = signature.get(p)
            continue
        leaves = []
        env[p] = _ctree(trees[p], Name(p), (), p, taken, leaves, flat.prologue, fn.loc)
        flat.leaves[p] = leaves
        for _, name, a in leaves:
            params.append(name)
            flat.abstract[name] = a
    writes = ir.all_writes(fn.body)
    once = {n for n in writes if writes.count(n) == 1 and n not in fn.params}
    write_counts = Counter(w for w in writes if w not in fn.params)
    try:
        flattener = _Flattener(env, once, taken)
        flattener.write_counts = write_counts  # (names bound once on the path an if decided: flatten_stmts)
        flattener.abstract = flat.abstract  # (leaf name -> its value in this signature: sort_by_key.py)
        from ..frontend.guards import plain_constants
        # module-level containers of constants the function reads (a snapshot, guarded by content:
        # frontend/names.py): read at a position known when compiling, what they hold is known too
        flattener.constants = {n: v for n, v in (captured or {}).items() if n in reads and n not in fn.params
                               and type(v) in (dict, list, tuple) and plain_constants(v)}
        flattener.unconfined = confined.violations(fn.body)  # (which objects may change: confined.py)
        private_attrs.share_all(flattener, private_attrs.escapes(fn.body))  # (obj.m used as a value)
        flattener.generators = rng_draws.generators(fn.body)  # (rng = np.random.default_rng(seed): rng_draws.py)
        flattener.stable = {p for p in fn.params if p not in writes}  # names never bound again
        # d = [0.0, 0.0] written into (d[0] = c[0]): a list of the function's, though only constants
        flattener.subscripted = {st.target for st in ir.walk(fn.body) if isinstance(st, ir.SetItem)}
        # the lengths of the other arguments never bound again (temps = [300.0, 320.0]: zip(temps,
        # observations) runs len(temps) times in this signature)
        flattener.lens = {p: v.shape[0] for p, v in flat.abstract.items() if p in flattener.stable
                          and isinstance(v, Arr) and v.shape and isinstance(v.shape[0], int)}
        flattener.shapes = {p: tuple(v.shape) for p, v in {**signature, **flat.abstract}.items()
                            if p in flattener.stable and isinstance(v, Arr) and v.shape is not None
                            and all(isinstance(n, int) for n in v.shape)}
        for p, v in flat.abstract.items():  # acts=("relu", "tanh"): a signature constant, read as one
            if p in flattener.stable and isinstance(v, Known) and type(v.value) is tuple and \
                    all(type(x) in (int, float, str, bool, type(None)) for x in v.value):
                flattener.env[p] = CTree("tuple", list(range(len(v.value))), [Const(x) for x in v.value])
            if p in flattener.stable and p in members:  # an Enum member: a signature constant (frontend/dispatch.py)
                flattener.env[p] = Const(v.value)
        body = flattener.block(fn.body)
    except _Unroll as u:  # a name that no loop around binds: a value computed at run time
        err = u.refusal()
        err.runtime_name = u.var  # (a parameter may then be made static: static_args.py)
        raise err from None
    flat.fn = replace(fn, params=tuple(params), body=tuple(body))
    flat.captured, flat.guards, flat.inlined = flattener.captured, flattener.guards + read_guards, flattener.inline_count
    flat.deferred = flattener.deferred
    return flat


def sum_of(items, start=None):
    """Python's sum(items, start) written out: ((start + a) + b) + ..., start 0 where none is given
    (kept: `0 + m1 + m2` counts boolean masks where `m1 + m2` is their logical or, makes -0.0 +0.0,
    runs an object's __radd__(0), and is a new array where `sum([x])` would be x itself)."""
    out = Const(0) if start is None else start
    for x in items:
        out = Call("add", (out, x))
    return out


def _ctree(tree, expr, path, root, taken, leaves, prologue, loc):
    items = []
    for k, child in zip(tree.keys, tree.children):
        sub = ir.Attr(expr, k) if tree.kind == "object" else Call("getitem", (expr, Const(k)))
        if isinstance(child, Tree):
            items.append(_ctree(child, sub, path + (k,), root, taken, leaves, prologue, loc))
        elif isinstance(child, Known):
            items.append(Const(child.value))
        else:
            name = leaf_name(root, path + (k,), taken)
            leaves.append((path + (k,), name, child))
            prologue.append(Assign((name,), sub, loc))
            items.append(Name(name))
    return CTree(tree.kind, list(tree.keys), items, expr, tree.cls, tree.hidden)


class _Flattener(FlattenStatements):
    """Evaluates container uses at compile time over structured IR (see the module docstring);
    expressions here, statements and loops in FlattenStatements (flatten_stmts.py)."""

    def __init__(self, env, once=frozenset(), taken=None):
        self.env = dict(env)   # name -> CTree, or an expression a name stands for (unrolled counters)
        self.once = once       # names bound once: a constant bound to one (n = len(layers)) is known
        self.alias_of = {}     # a name bound once to another (size = batch_size): that one
        self.taken = taken if taken is not None else set()  # every name of the function (inlining)
        self.pre = []          # statements of methods inlined while evaluating the current statement
        self.captured, self.guards, self.inline_count, self.inlining = {}, [], {}, []
        self.stable = frozenset()  # parameters never bound again (an object made reads them directly)
        self.subscripted = frozenset()  # names written into by subscript
        self.internal = set()
        self.rolled = []  # the names' values on entry to each enclosing loop that is not unrolled
        self.loops = []   # ... and those loops
        self.ev_cache = {}  # id(call) -> (call, value): the current statement's evaluated calls
        self.carried = {}  # name -> its tree of variables, in a loop carrying it (loop_carry.py)
        self.built = set()  # names bound to [] (a list built at run time: flatten_stmts._stmt)
        self.object_lists, self.appended_at_run_time = set(), set()  # (lists of objects: object_lists.py)
        self.items_of = {}  # k -> the counter of the loop `for k in ('a', 'b')` binding it (not unrolled yet)
        self.lens = {}  # argument -> its length in this signature (an array or a list of numbers)
        self.unconfined = {}  # name -> a statement using it other than through the object (confined.py)
        self.shared_attrs = {}  # attribute name -> (loc, why): its container may have another holder
        self.held_lists = set()  # names objects._held bound to a list or dict literal
        self.no_grad = 0  # inside stop_gradient(o.method(...)): an inlined method's values are constants
        self.generators = frozenset()  # names bound only to a seeded np.random.default_rng (rng_draws.py)
        self.written_through = {}  # attribute name -> the first write into its container (private_attrs.py)
        self.current = []  # the statements being flattened, innermost last
        self.deferred = []  # aliasing.Deferred: an attribute updated in place (container_writes.py)
        self.constants = {}  # captured name -> a module-level container of constants (held_constant)
        self.shapes = {}  # parameter never bound again -> its array's shape in this signature
        self.shape_values = {}  # name bound once to a value of those shapes (k = Y.shape[1]) -> that value

    def bind_tree(self, tree, internal=True):
        """A fresh name standing for a compile-time container (an inlined method's `self`).  Not
        `internal` where the method writes into it: branches and loops then merge and carry it."""
        name, n = "self_obj", 1
        while name in self.taken:
            n += 1
            name = f"self_obj{n}"
        self.taken.add(name)
        self.env[name] = tree
        if internal:
            self.internal.add(name)  # never a user's name: no loop or branch check applies to it
        return name

    # ---------------------------------------------------------------- expressions
    def ev(self, e, loc):
        """e evaluated when compiling.  A call is evaluated once per statement (`call` reads its
        arguments up to three times; an argument that inlines a property or method, re-evaluated,
        inlined it again at every level: 3**depth inlinings for np.sin(np.sin(... layer.weight)))."""
        if not isinstance(e, Call):
            return self._ev(e, loc)
        hit = self.ev_cache.get(id(e))
        if hit is not None and hit[0] is e:
            return hit[1]
        v = self._ev(e, loc)
        self.ev_cache[id(e)] = (e, v)
        return v

    def _ev(self, e, loc):
        if isinstance(e, Name):
            v = self.env.get(e.id, e)
            if isinstance(v, Conflict):
                v.refuse(loc)
            return v
        if isinstance(e, Call):
            return self.call(e, loc)
        if isinstance(e, (Tuple, ListExpr)):
            elts = [self.ev(x, loc) for x in e.elts]
            if any(isinstance(x, CTree) for x in elts):
                return CTree("tuple" if isinstance(e, Tuple) else "list", list(range(len(elts))), elts)
            return type(e)(tuple(elts))
        if isinstance(e, DictExpr):  # a dict literal: a compile-time container when it holds one
            values = {}
            for k, x in zip(e.keys, e.values):  # a repeated key: the last value, in the first key's place
                values[k.value] = self.ev(x, loc)
            return CTree("dict", list(values), list(values.values()))
        if isinstance(e, Slice):
            return Slice(*(None if x is None else self.runtime(x, loc) for x in (e.lower, e.upper, e.step)))
        if isinstance(e, ir.Attr):
            return ir.Attr(self.runtime(e.value, loc), e.attr)
        return e

    def test(self, e, loc):
        """An if's test: a constant where the containers known here decide it (container_truth), else
        the runtime expression."""
        v = self.ev(e, loc)
        if container_values.length(v) is not None:  # `if hs:` of a list known when compiling: its length decides
            return Const(bool(container_values.length(v)))
        return v.as_sequence_expr(loc) if isinstance(v, CTree) else v

    def runtime(self, e, loc):
        """e as a runtime expression: a container becomes the list of its leaves."""
        v = self.ev(e, loc)
        return v.as_sequence_expr(loc) if isinstance(v, CTree) else v

    def held_constant(self, e, loc):
        """What a module-level container of constants holds at e's index, where the index is known
        when compiling (an item of a loop over constants: that loop unrolled for it); None where it
        is not (read when the code runs, as written) or Python's read would raise (it raises there)."""
        from ..frontend.inlining import literal_of
        at = self.ev(e.args[1], loc)
        if isinstance(at, Name) and at.id in self.items_of:
            raise _Unroll(self.items_of[at.id], loc, "an index into a module-level container")
        if isinstance(at, Const):
            key = at.value
        elif isinstance(at, Tuple) and _constants(at) is not None:  # TABLE[(1, 2)]
            key = tuple(_constants(at))
        else:
            return None
        try:
            value = self.constants[e.args[0].id][key]
        except (KeyError, IndexError, TypeError):
            return None
        return self.ev(literal_of(value), loc)

    def static(self, e, loc, what):
        """The compile-time value of an index or key (a constant, or an unrolled counter)."""
        v = self.ev(e, loc)
        if isinstance(v, Const):
            return v.value
        if isinstance(v, Slice):
            parts = [None if x is None else self.static(x, loc, what) for x in (v.lower, v.upper, v.step)]
            return slice(*parts)
        if isinstance(v, Tuple):  # d[(1, 2)] = ...: a key of constants
            return tuple(self.static(x, loc, what) for x in v.elts)
        if isinstance(v, Call) and v.op == "len" and len(v.args) == 1 and isinstance(v.args[0], Name) \
                and v.args[0].id in self.lens:
            return self.lens[v.args[0].id]
        known = self.shape_known(v)
        if known is not None:  # range(Y.shape[1]), range(k) of k = len(x): this signature's shapes
            return known
        if isinstance(v, Call) and v.op in _FOLD and not v.kwargs:  # (len(hs) - 1 - k of a reversed loop)
            return _FOLD[v.op](*[self.static(a, loc, what) for a in v.args])
        names = [self.alias_of.get(n, n) for n in ir.expr_names(v)] if isinstance(v, ir.Expr) else []
        if isinstance(v, Name) and v.id in self.items_of:  # an item of a loop over constants: unroll it
            raise _Unroll(self.items_of[v.id], loc, what)
        if names:
            raise _Unroll(names[0], loc, what)
        raise UnsupportedSyntaxError(f"{what} must be known when compiling (a constant, or a loop over the "
                                     "container)", loc)

    def shape_known(self, e):
        """e's value where it reads only this signature's shapes (ctree.shape_known), else None."""
        return shape_known(e, self.shapes, self.shape_values)

    def call(self, e, loc):
        if e.op == "getitem" and isinstance(e.args[0], Name) and e.args[0].id in self.constants \
                and e.args[0].id not in self.env:
            held = self.held_constant(e, loc)  # SKELETON[name] of a module-level dict, name known here
            if held is not None:
                return held
        if e.op in ("bool_and", "bool_or") and len(e.args) == 2:  # Python stops at a first operand that
            first = self.ev(e.args[0], loc)  # decides ('gain' in reach and reach['gain'] > 0 of a dict
            decided = truth(first) if isinstance(first, Const) else None  # without 'gain': never read)
            if decided is not None:
                return first if decided == (e.op == "bool_or") else self.ev(e.args[1], loc)
        known = container_values.container_truth(self, e, loc)
        if known is not None:  # `weights is None`, `cfg or {...}`, `not hs` of a container known here
            return known
        if e.op in ("in_", "not_in") and isinstance(self.ev(e.args[1], loc), CTree):
            tree = self.ev(e.args[1], loc)
            if tree.kind in ("list", "tuple") and all(isinstance(x, Const) and type(x.value) in (str, int, bool)
                                                      for x in tree.items):
                # mode in ('car', 'bus') of constants (a module-level dict's list, an argument's names):
                # decided when compiling (a loop's item unrolled for it), as Python's == decides each
                needle = self.static(e.args[0], loc, "the value tested with 'in'")
                found = needle in [x.value for x in tree.items]
                return Const(found if e.op == "in_" else not found)
            if tree.kind != "dict":
                raise UnsupportedSyntaxError("'in' over a list or tuple argument (compare its elements)", loc)
            found = self.static(e.args[0], loc, "the key tested with 'in'") in tree.keys
            return Const(found if e.op == "in_" else not found)
        if e.op == "obj_method" and len(e.args) >= 2 and isinstance(e.args[1], Const) \
                and f".{e.args[1].value}" in container_values.TESTS and not e.kwargs:  # k.startswith('w') of a known key
            folded = container_values.folded_test(f".{e.args[1].value}", (self.ev(e.args[0], loc),) + tuple(
                self.ev(a, loc) for a in e.args[2:]))
            if folded is not None:
                return folded
        if e.op == "stop_gradient" and e.args and any(c.op == "obj_method" for c in ir.expr_calls(e.args[0])):
            # with no_grad(): o.step(g) -- what the method computes and sets is a constant too
            self.no_grad += 1
            try:
                self.ev(e.args[0], loc)  # (kept for the statement: evaluated once, ev_cache)
            finally:
                self.no_grad -= 1
        if e.op in objects.OBJECT_OPS:
            return objects.call(self, e, loc)
        if e.op == "function_pick":  # Dense(W, b, ACTS[i]) in an unrolled loop (function_attrs.pick)
            return function_attrs.pick(self, e, loc)
        if e.op == "sorted_by":  # sorted(peaks, key=lambda p: p["centre"]): the run's order (sort_by_key.py)
            return sort_by_key.sorted_by(self, e, loc)
        if e.op == "list_append":  # layers.append(Dense(W, b)): a list of objects known when compiling
            made = object_lists.append(self, e, loc)
            if made is not None:
                return made
        if e.op in ("copy.copy", "copy.deepcopy") and len(e.args) == 1 and isinstance(self.ev(e.args[0], loc), CTree):
            # p2 = copy.deepcopy(params): a container of the function's own, holding the same values
            # (every write into a container is a new one here, and an update in place of one of its
            # arrays is refused: aliasing.py), so the copy needs no copies of its arrays
            return _copied(self.ev(e.args[0], loc), deep=e.op == "copy.deepcopy")
        if e.op == "fresh_container":  # (a mark for passes/private_attrs.py: the value itself)
            return self.ev(e.args[0], loc)
        if e.op == "with_item":  # obj.m[k] = v: the container obj.m with v at k
            return container_writes.with_item(self, e, loc)
        if e.op in ("add", "mul", "or_") and len(e.args) == 2:  # a + b, [x] * 3, d | e known when compiling
            joined = container_values.joined(self, e, loc)
            if joined is not None:
                return joined
        base = self.ev(e.args[0], loc) if e.args else None
        if isinstance(base, CTree) and base.kind == "object" and e.op in objects.PYTHON_ON_OBJECT:
            return objects.python_on_object(self, e, base, loc)  # obj.shape, m.get(k), len(m): the class's
        if e.op == "stop_gradient" and isinstance(base, CTree):  # an aux output or a detached container
            return Call("stop_gradient", (base.as_value(loc),))
        if e.op == "list_sum" and isinstance(base, CTree) and e.kwargs:  # math.fsum (frontend/calls.py)
            raise UnsupportedSyntaxError("math.fsum of a list of a length fixed when compiling: its exact rounding is "
                                         "followed for a list built at run time only (or write sum(...))", loc)
        if e.op == "list_sum" and isinstance(base, CTree):  # sum(ws) of a container: its leaves added
            if len(e.args) == 2 and isinstance(self.ev(e.args[1], loc), CTree):  # sum(lists, []): joined
                return self.ev(Call("add", (e.args[1], Call("list_sum", e.args[:1]))), loc)
            # (start + a) + b ..., Python's order, each `+` evaluated: of objects, the class's method,
            # from __radd__(0) on
            return self.ev(sum_of(list(base.items), e.args[1] if len(e.args) == 2 else None), loc)
        if e.op == "list_pop" and isinstance(base, CTree):  # parts = list_pop(parts, i): the list without it
            if not (base.kind == "list" and base.path is None):
                raise UnsupportedSyntaxError("pop() of a list that is not a list literal the function made",
                                             loc)
            at = self.static(e.args[1], loc, "the position popped")
            if not isinstance(at, int) or not -len(base.items) <= at < len(base.items):
                raise UnsupportedSyntaxError(f"pop index {at!r} out of range for a list of length "
                                             f"{len(base.items)}", loc)
            items = list(base.items)
            del items[at]
            return CTree("list", list(range(len(items))), items)
        if e.op == "dict_without":  # d = dict_without(d, k, missing_ok): d.pop(k), del d[k]
            return container_values.without(self, base, e, loc)
        if e.op == "len" and _constants(base) is not None:  # (the trip count of a loop over ('W1', 'W2'))
            return Const(len(base.elts))
        if e.op == "getitem" and e.kw("iterate") is not None and _constants(base) is not None:
            # for k in ('W1', 'W2'): the item is known in each pass of the loop, once it is unrolled
            # (a read that needs it known asks for that: `static`, through self.items_of)
            at = self.ev(e.args[1], loc)
            if isinstance(at, Const):
                items = _constants(base)
                return Const(items[len(items) - 1 - at.value if backwards_item(e) else at.value])
        if e.op == "getitem" and backwards_item(e) and not isinstance(base, CTree):  # for h in reversed(hs)
            pos, e = reversed_position(e, self.taken)
            self.pre.append(Assign(pos.targets, self.runtime(pos.value, loc), loc))
        if e.op == "getitem" and e.kwargs and not isinstance(base, CTree):  # (a runtime sequence: plain x[i])
            e = Call("getitem", e.args)
        if isinstance(base, CTree) and e.op == "list_append":  # (objects refuse their own way, objects.py)
            raise UnsupportedSyntaxError(
                "append to a list or tuple known when compiling (an argument, a literal, or a name for one): "
                "s2sgrad builds lists at run time only from hs = [] and hs.append(...) on that name", loc)
        if isinstance(base, CTree):
            read = container_reads.read(self, base, e, loc)
            if read is not None:
                return read
        if e.op in (".items", ".keys", ".values", ".get"):
            raise UnsupportedSyntaxError(f"'{e.op[1:]}()' of something that is not a dict argument", loc)
        if e.op == "sorted" and isinstance(base, (Tuple, ListExpr)):
            return container_values.sorted_items(base, e, loc)
        if e.op == "sorted":
            raise UnsupportedSyntaxError(container_values.NOT_SORTED, loc)
        if e.op == "getattr":
            raise UnsupportedSyntaxError(f"attribute '.{e.args[1].value}' of something that is not an object "
                                         "argument (or that the object does not hold as an array or number; an "
                                         "object with __slots__ has no __dict__ for s2sgrad to read)", loc)
        overloaded = object_operators.operator(self, e, loc)  # v + w, dt * v, abs(v): the class's method
        if overloaded is not None:
            return overloaded
        for a in tuple(e.args) + tuple(v for _, v in e.kwargs):
            tree = self.ev(a, loc)
            if isinstance(tree, CTree) and tree.kind == "object":
                objects.refuse_as_operand(e.op, tree, loc)
        args = tuple(self.runtime(a, loc) for a in e.args)
        kwargs = tuple((k, self.runtime(v, loc)) for k, v in e.kwargs)
        if e.op in ("or_", "add", "mul") and any(isinstance(a, DictExpr) for a in args):
            # (a dict operation left to run time has no derivative: a zero gradient through it)
            raise UnsupportedSyntaxError(f"a dict in '{ir.INFIX[e.op][0]}' that s2sgrad cannot follow when "
                                         "compiling: build the dict with d[k] = v, or {**a, **b}", loc)
        if e.op == "list" and e.kw("by_element") is not None:  # list(x) of an array, written by element
            if isinstance(args[0], Const) and isinstance(args[0].value, (tuple, range)):  # list(x.shape)
                return ListExpr(tuple(Const(v) for v in args[0].value))
            return Call("list_as_array", args[:1] + (e.kw("by_element"),))  # (passes/list_arrays.rows_as_array)
        folded = container_values.folded_test(e.op, args) if not kwargs else None
        if folded is None and not kwargs:
            folded = container_values.folded_key(e.op, args) or container_values.folded_text(e.op, args) \
                or container_values.folded_int(e.op, args)
        return folded if folded is not None else Call(e.op, args, kwargs)

    def child(self, tree, key, loc):
        return tree.child(key, loc)

__all__ = ["Tree", "tree_of", "flatten", "Flat", "is_floating", "is_floating_value"]
