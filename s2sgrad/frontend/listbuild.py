"""Lowering of list building (see s2sgrad/lists.py for how such lists are differentiated):
`hs.append(h)` becomes `hs = list_append(hs, h)` (printed back as `hs.append(h)`), a list
comprehension `[f(x) for x in xs]` becomes a list built by a loop, builtin `sum(terms)` becomes
`list_sum(terms)`.  Guarantee: only these forms are produced; comprehensions with conditions or
several `for` clauses are refused at their line."""
from __future__ import annotations

import libcst as cst

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign, Call, Const, ListExpr, Name, SetItem
from .scan import name_mentions


def append_statement(lowerer, s, loc):
    """`hs.append(v)` as a statement, or None when s is not one."""
    if not (isinstance(s, cst.Expr) and isinstance(s.value, cst.Call) and isinstance(s.value.func, cst.Attribute)
            and s.value.func.attr.value == "append" and isinstance(s.value.func.value, cst.Name)
            and s.value.func.value.value in lowerer.locals):
        return None
    if len(s.value.args) != 1 or s.value.args[0].keyword is not None:
        raise lowerer.error(UnsupportedSyntaxError, "append takes one value", s.value)
    name = s.value.func.value.value
    value = lowerer.expr(s.value.args[0].value)
    return lowerer.flush([Assign((name,), Call("list_append", (Name(name), value)), loc)])


def extend_statement(lowerer, s, loc):
    """`hs.extend(v)` or `hs += v` of a list the function builds: one append per element of a
    literal (every element evaluated first, as Python does), or a loop appending the items of
    anything else; None when s is not one."""
    if isinstance(s, cst.Expr) and isinstance(s.value, cst.Call) and isinstance(s.value.func, cst.Attribute) \
            and s.value.func.attr.value == "extend" and isinstance(s.value.func.value, cst.Name) \
            and s.value.func.value.value in lowerer.locals:
        if len(s.value.args) != 1 or s.value.args[0].keyword is not None:
            raise lowerer.error(UnsupportedSyntaxError, "extend takes one sequence", s.value)
        name, seq = s.value.func.value.value, s.value.args[0].value
    elif isinstance(s, cst.AugAssign) and isinstance(s.operator, cst.AddAssign) and isinstance(s.target, cst.Name) \
            and s.target.value in lowerer.appended:
        name, seq = s.target.value, s.value
    else:
        return None
    if isinstance(seq, (cst.List, cst.Tuple)) and not any(isinstance(el, cst.StarredElement) for el in seq.elements):
        values = _elements_first(lowerer, seq.elements, name, loc)  # (hs += [f(hs[-1])] reads the old hs)
        return lowerer.flush([Assign((name,), Call("list_append", (Name(name), v)), loc) for v in values])
    if name in name_values(seq):
        raise lowerer.error(UnsupportedSyntaxError, f"extending the list '{name}' with items read from '{name}' "
                            "itself: compute them into names first, then append those", seq)
    item = lowerer.fresh("item")
    body = cst.SimpleStatementLine([cst.Expr(cst.Call(cst.Attribute(cst.Name(name), cst.Name("append")),
                                                      [cst.Arg(cst.Name(item))]))])
    return lowerer.flush(lowerer.for_(cst.For(target=cst.Name(item), iter=seq, body=cst.IndentedBlock([body])),
                                      loc=loc))


def update_statement(lowerer, s, loc):
    """`d.update({'k': v})`, `d.update(k=v)` or `d.update(other)` of a name the function binds: the
    writes by key they are (`d['k'] = v`; a loop over other's keys), every value evaluated first;
    None when s is not one."""
    if not (isinstance(s, cst.Expr) and isinstance(s.value, cst.Call) and isinstance(s.value.func, cst.Attribute)
            and s.value.func.attr.value == "update" and isinstance(s.value.func.value, cst.Name)
            and s.value.func.value.value in lowerer.locals):
        return None
    name, args = s.value.func.value.value, s.value.args
    pos = [a for a in args if a.keyword is None]
    if len(pos) > 1 or any(a.star for a in args):
        raise lowerer.error(UnsupportedSyntaxError, "update with more than one dict (call update once per dict)", s.value)
    if pos and not isinstance(pos[0].value, (cst.Dict, cst.Name)):
        raise lowerer.error(UnsupportedSyntaxError, "update with something other than a dict literal, a name or "
                            "keyword arguments", pos[0].value)
    if pos and isinstance(pos[0].value, cst.Name):
        if [a for a in args if a.keyword is not None]:
            raise lowerer.error(UnsupportedSyntaxError, "update with a dict and keyword arguments (call update twice)",
                                s.value)
        key = lowerer.fresh("key")
        write = cst.SimpleStatementLine([cst.Assign(
            [cst.AssignTarget(cst.Subscript(cst.Name(name), [cst.SubscriptElement(cst.Index(cst.Name(key)))]))],
            cst.Subscript(pos[0].value, [cst.SubscriptElement(cst.Index(cst.Name(key)))]))])
        return lowerer.flush(lowerer.for_(cst.For(target=cst.Name(key), iter=pos[0].value,
                                                  body=cst.IndentedBlock([write])), loc=loc))
    pairs = []
    if pos:
        for el in pos[0].value.elements:
            if not isinstance(el, cst.DictElement):
                raise lowerer.error(UnsupportedSyntaxError, "a ** entry in update's dict (write the keys out)", el)
            pairs.append((lowerer.expr(el.key), el.value))
    pairs += [(Const(a.keyword.value), a.value) for a in args if a.keyword is not None]
    values = []
    for _, node in pairs:  # every value before the first write (d.update(a=d['b'], b=d['a']) swaps)
        v = lowerer.expr(node)
        if name in ir.expr_names(v):
            tmp = lowerer.fresh("value")
            lowerer.prelude.append(Assign((tmp,), v, loc))
            v = Name(tmp)
        values.append(v)
    return lowerer.flush([SetItem(name, k, v, loc) for (k, _), v in zip(pairs, values)])


_CHANGING = {"pop": "read {n}[-1] instead, and the elements before it by index (s2sgrad builds a list only by "
                    "appending to it)",
             "insert": "append in the order you read, or build a new list",
             "remove": "build a new list of the elements you keep",
             "clear": "bind a new list to another name",
             "popitem": "read the entry by its key",
             "setdefault": "write {n}[k] = v where the key is missing",
             "sort": "stack it and use np.sort, or sorted() of numbers",
             "reverse": "read it with reversed({n})"}


def pop_statement(lowerer, s, loc):
    """`x = parts.pop()`, `parts.pop(0)` of a list literal the function never appends to (a list
    known when compiling), or `x = hs.pop()` of a list built at run time: the element read, then
    `parts = list_pop(parts, i)`, which the container pass makes a list without it, and ad/lists.py
    follows as the stack it is (the alias fence refuses it where another name holds the list, as it
    refuses a write); None when s is not one."""
    if isinstance(s, cst.Assign) and len(s.targets) == 1 and isinstance(s.targets[0].target, (cst.Name, cst.Tuple,
                                                                                             cst.List)):
        call, target = s.value, s.targets[0].target
    elif isinstance(s, cst.Expr):
        call, target = s.value, None
    else:
        return None
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "pop"
            and isinstance(call.func.value, cst.Name)):
        return None
    name = call.func.value.value
    if name not in lowerer.list_literals and name not in lowerer.appended:
        return None
    if len(call.args) > 1 or any(a.keyword or a.star for a in call.args):
        raise lowerer.error(UnsupportedSyntaxError, "list.pop takes one position", call)
    at = lowerer.expr(call.args[0].value) if call.args else Const(-1)
    if name in lowerer.appended and at != Const(-1):  # a list built at run time: its last element only
        raise lowerer.error(UnsupportedSyntaxError, f"{name}.pop(i) of a list built at run time (s2sgrad follows "
                            f"such a list as a stack: pop() its last element, or read {name}[i])", call)
    out = []
    if isinstance(target, cst.Name):
        out += lowerer.assign(target, Call("getitem", (Name(name), at)), loc)
    elif target is not None:  # a, b = st.pop(): the targets are assigned after the pop, as Python does
        held = lowerer.fresh("popped")  # (out[len(st)], b = st.pop() reads the shorter st)
        out.append(Assign((held,), Call("getitem", (Name(name), at)), loc))
    out.append(Assign((name,), Call("list_pop", (Name(name), at)), loc))
    if target is not None and not isinstance(target, cst.Name):
        out += lowerer.assign(target, Name(held), loc)
    return lowerer.flush(out)


def refuse_changing_call(lowerer, s):
    """`hs.pop()`, `hs.insert(0, x)`, `d.setdefault(k, v)`... on a list or dict the function made:
    refused at the line with the rewrite (they change the container in ways s2sgrad does not follow)."""
    for node in _calls(s):
        f = node.func
        if isinstance(f, cst.Attribute) and f.attr.value in _CHANGING and isinstance(f.value, cst.Name) \
                and f.value.value in lowerer.containers:
            raise lowerer.error(UnsupportedSyntaxError, f"{f.value.value}.{f.attr.value}() changes the container "
                                f"'{f.value.value}': {_CHANGING[f.attr.value].format(n=f.value.value)}", node)


def _nodes(node, kind):
    """Every node of a kind (cst.Name, cst.Call) inside node, node included."""
    out = []

    class V(cst.CSTVisitor):
        def on_visit(self, n):
            if isinstance(n, kind):
                out.append(n)
            return True
    node.visit(V())
    return out


def _names(node):
    return _nodes(node, cst.Name)


def name_values(node) -> set:
    """Every name written in node (attribute and keyword names too)."""
    return {n.value for n in _names(node)}


def _calls(node):
    return _nodes(node, cst.Call)


def literal_list(lowerer, s, loc):
    """`hs = [a, b]` of a name the function appends to: `hs = []` and one append per element (the
    list built at run time that it is), or None when s is not one."""
    if not (isinstance(s, cst.Assign) and len(s.targets) == 1 and isinstance(s.targets[0].target, cst.Name)
            and isinstance(s.value, cst.List) and s.value.elements
            and s.targets[0].target.value in lowerer.appended):
        return None
    if any(isinstance(el, cst.StarredElement) for el in s.value.elements):
        return None
    name = s.targets[0].target.value
    # (`hs = [np.stack(hs), x]`, `hs = [x * len(hs)]` read the list hs held before: Python evaluates
    # the elements before it binds the new list; they read the new, empty one, 0.0 for 6.0)
    values = _elements_first(lowerer, s.value.elements, name, loc)
    out = [Assign((name,), ListExpr(()), loc)]
    out += [Assign((name,), Call("list_append", (Name(name), v)), loc) for v in values]
    return lowerer.flush(out)


def _elements_first(lowerer, elements, name, loc):
    """The elements' values, each one that reads `name` computed into a variable of its own in the
    prelude, so that it reads the list `name` held before the statement changes it."""
    values = []
    for el in elements:
        v = lowerer.expr(el.value)
        if name in ir.expr_names(v):
            tmp = lowerer.fresh("item")
            lowerer.prelude.append(Assign((tmp,), v, loc))
            v = Name(tmp)
        values.append(v)
    return values


def _target_names(t):
    """The names a comprehension's target binds, nested tuples included (`for i, (cx, cy) in
    enumerate(zip(CX, CY))`); anything else (an attribute, a subscript, a star) is given back for
    the refusal."""
    if isinstance(t, (cst.Tuple, cst.List)):
        return [n for el in t.elements for n in (_target_names(el.value) if not isinstance(el, cst.StarredElement)
                                                   else [el])]
    return [t]


def _loops(lowerer, e, comp, body_stmt, tail=()):
    """The nested for/if statements a comprehension's clauses stand for, around body_stmt:
    `for a in A if c for b in B` is `for a in A: if c: for b in B: body` (Python's order).  The
    comprehension's variables are its own in Python: each gets a name no other name of the
    function (or global it reads, or name written outside it) has, so `t = 5.0; l = [x * t for t in
    range(3)]; l[2] * t` still reads t = 5.0 afterwards, and `[w * k for k in ks]; w * k` reads no k."""
    clauses, mapping = [], {}
    while comp is not None:
        if comp.asynchronous is not None:
            raise lowerer.error(UnsupportedSyntaxError, "an async comprehension", e)
        for t in _target_names(comp.target):
            if not isinstance(t, cst.Name):
                raise lowerer.error(UnsupportedSyntaxError, "this comprehension target (use names)", t)
            own, k = t.value, 1
            # (a name also written outside the comprehension is another name: a global, or none)
            outside = lowerer.mentions.get(own, 0) > name_mentions(e).get(own, 0)
            while own in lowerer.locals or own in lowerer.ns or (outside and own == t.value):
                k += 1
                own = f"{t.value}_{k}"
            lowerer.locals.add(own)
            if own != t.value:
                mapping[t.value] = own
        clauses.append(comp)
        comp = comp.inner_for_in
    rename = Rename(mapping)
    inner = [body_stmt.visit(rename) if mapping else body_stmt] + list(tail)  # (tail: not the comprehension's)
    for i, comp in reversed(list(enumerate(clauses))):
        for cond in reversed(comp.ifs):
            inner = [cst.If(test=cond.test.visit(rename) if mapping else cond.test, body=cst.IndentedBlock(inner))]
        # (the first clause's iterable is read in the enclosing scope, the others in the comprehension's)
        it = comp.iter.visit(rename) if mapping and i > 0 else comp.iter
        target = comp.target.visit(rename) if mapping else comp.target
        inner = [cst.For(target=target, iter=it, body=cst.IndentedBlock(inner))]
    return inner[0]


class Rename(cst.CSTTransformer):
    """Names renamed per mapping, except attribute names and keyword argument names."""

    def __init__(self, mapping):
        self.mapping = mapping

    def leave_Name(self, original, updated):
        return updated.with_changes(value=self.mapping[updated.value]) if updated.value in self.mapping else updated

    def leave_Attribute(self, original, updated):
        return updated.with_changes(attr=original.attr)

    def leave_Arg(self, original, updated):
        return updated.with_changes(keyword=original.keyword)


def comprehension_value(lowerer, e):
    """The list comprehension e is: [... for ...] itself, or list(...)/tuple(...) of a generator
    expression or a list comprehension (a tuple of it reads the same); else None."""
    if isinstance(e, cst.ListComp):
        return e
    if isinstance(e, cst.Call) and len(e.args) == 1 and not e.args[0].keyword and not e.args[0].star \
            and isinstance(e.args[0].value, (cst.GeneratorExp, cst.ListComp)) \
            and lowerer.static_callee(e.func) in (list, tuple):
        arg = e.args[0].value
        return lowerer.remade(cst.ListComp(elt=arg.elt, for_in=arg.for_in), arg)
    if isinstance(e, cst.Call) and len(e.args) == 1 and not e.args[0].keyword and not e.args[0].star \
            and lowerer.static_callee(e.func) in (list, tuple):  # list(map(f, xs)): [f(x) for x in xs]
        from .folds import mapped
        return mapped(lowerer, e.args[0].value)
    return None


def comprehension(lowerer, e: cst.ListComp, name=None):
    """[expr for target in iterable if cond ...] as `tmp = []` and the loops appending to it (in the
    prelude); `outs = [...]` builds the list `outs` itself."""
    loc = lowerer.loc(e)
    tmp = name or lowerer.fresh("items")
    if name is None:
        lowerer.fresh_containers.add(tmp)
    body_stmt = cst.SimpleStatementLine([cst.Expr(cst.Call(
        cst.Attribute(cst.Name(tmp), cst.Name("append")), [cst.Arg(e.elt)]))])
    loop = _loops(lowerer, e, e.for_in, body_stmt)
    pre = lowerer.flush([])
    stmts = [Assign((tmp,), ListExpr(()), loc)] + lowerer.statement_of(loop, loc)
    lowerer.prelude = pre + stmts
    return Name(tmp)


def dict_comprehension(lowerer, e: cst.DictComp):
    """{k: f(v) for k, v in d.items()} as `tmp = {}` and a loop writing into it (in the prelude):
    the dict is known when compiling, so the loop is one over a container, unrolled
    (passes/container_writes.py)."""
    loc = lowerer.loc(e)
    tmp = lowerer.fresh("entries")
    lowerer.fresh_containers.add(tmp)
    write = cst.SimpleStatementLine([cst.Assign(
        [cst.AssignTarget(cst.Subscript(cst.Name(tmp), [cst.SubscriptElement(cst.Index(e.key))]))], e.value)])
    loop = _loops(lowerer, e, e.for_in, write)
    pre = lowerer.flush([])
    stmts = [Assign((tmp,), ir.DictExpr((), ()), loc)] + lowerer.statement_of(loop, loc)
    lowerer.prelude = pre + stmts
    return Name(tmp)


_SPLIT_OPS = {"np.split", "np.array_split", "np.hsplit", "np.vsplit", "np.dsplit"}


def split_list(lowerer, s, loc):
    """`parts = np.split(x, 3)` (or array_split, hsplit, vsplit, dsplit) as the list of arrays it is:
    `parts = []` and one append per piece, so `parts[0]`, `for p in parts`, `enumerate(parts)`,
    comprehensions, `len(parts)`, `np.stack(parts)` work as on any list built by appends (ad/lists.py).
    None when s is not such an assignment (`a, b = np.split(x, 2)` stays an unpacked tuple)."""
    from ..rules import op_for_callable
    if not (isinstance(s, cst.Assign) and len(s.targets) == 1 and isinstance(s.targets[0].target, cst.Name)
            and isinstance(s.value, cst.Call)):
        return None
    obj = lowerer.static_callee(s.value.func)
    if obj is None or op_for_callable(obj) not in _SPLIT_OPS:
        return None
    pieces = lowerer.expr(s.value)
    name = s.targets[0].target.value
    out = [Assign((name,), ListExpr(()), loc)]
    for p in pieces.elts:
        out.append(Assign((name,), Call("list_append", (Name(name), lowerer.wrap(p))), loc))
    return lowerer.flush(out)


def block(lowerer, e):
    """`np.block([[A, B], [C, D]])` as the concatenations numpy makes of it: the innermost lists
    along the last axis, the lists of them along the one before, each block first given the
    dimensions of the nesting (np.atleast_1d / np.atleast_2d, as np.block promotes); a nesting
    deeper than two lists, or a block that is not a list literal, is refused at the call."""
    from .. import ir
    if len(e.args) != 1 or e.args[0].keyword is not None or not isinstance(e.args[0].value, cst.List):
        raise lowerer.error(UnsupportedSyntaxError, "np.block of anything but a list literal of arrays (or of "
                            "lists of arrays) written in the call", e)

    def depth(node):
        if not isinstance(node, cst.List):
            return 0
        inner = {depth(el.value) for el in node.elements}
        if len(inner) != 1 or not node.elements:
            raise lowerer.error(UnsupportedSyntaxError, "np.block with lists nested to different depths, or an "
                                "empty list", node)
        return 1 + inner.pop()

    d = depth(e.args[0].value)
    if d > 2:
        raise lowerer.error(UnsupportedSyntaxError, "np.block nested more than two lists deep (write the "
                            "np.concatenate calls it stands for)", e)
    promote = "np.atleast_1d" if d == 1 else "np.atleast_2d"

    def build(node, level):
        if level == d:
            return lowerer.rule_args(promote, (lowerer.expr(node),), (), node)
        parts = ir.ListExpr(tuple(build(el.value, level + 1) for el in node.elements))
        return lowerer.rule_args("np.concatenate", (parts,), (("axis", Const(level - d)),), node)
    return build(e.args[0].value, 0)
