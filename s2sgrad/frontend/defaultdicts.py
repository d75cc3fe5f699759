"""`collections.defaultdict` made in the function: `totals = defaultdict(float)` then
`totals[t] += v` in a loop over names known when compiling, `counts = defaultdict(int)`.

Rewritten in the function's source before lowering, into the dict code Python runs:

    totals = {}
    if t not in totals:
        totals[t] = 0.0
    totals[t] = totals[t] + v

-- the default is made where Python's `__missing__` makes it, when the statement reads a key the
dict lacks, before anything else of the statement runs; `d[k] += v` of numbers becomes
`d[k] = d[k] + v` after it (the same value: a number is never changed in place).  The container
pass then holds the dict as one it made (its keys must be known when compiling).

Guarantee: the dict gets the keys, in the order, and the values Python's defaultdict gets.  So
that the default can be made before the statement, a statement reading a missing key may use the
dict only through such reads (and an assignment `d[k] = v`), read before the other uses; a key
that is an expression is bound to a name first.  A read inside a lambda, a comprehension, a
conditional expression, the right side of `and`/`or` or a while's test, a key that calls
something or reads the dict, a factory other than
list, dict, float, int or a lambda without parameters, and the dict used other than by keys,
`len`, `in`, iteration, `.items()`, `.keys()`, `.values()` and `.get()` (passed on, returned,
bound to another name: it would lose its defaults), the name bound again, a key read while the
dict is iterated, `d[k] += v` where another name may hold the array d[k] holds (a plain store into
the dict, a read of its values before the update or in its loop), and lists appended to by key
(`d[k].append(v)`: the container pass builds lists in a dict only in a literal naming each key)
are refused at the line.
"""
from __future__ import annotations

import collections

import libcst as cst

from ..errors import UnsupportedSyntaxError

_FACTORIES = {list: "[]", dict: "{}", float: "0.0", int: "0"}
_READS = ("items", "keys", "values", "get")  # (methods that never insert a key)
_VIEWERS = ("len", "sorted", "list", "tuple", "dict", "reversed", "enumerate")  # builtins reading it as it is


def rewritten(lowerer, fdef: cst.FunctionDef) -> cst.FunctionDef:
    """fdef with each defaultdict it makes rewritten into a plain dict (see the module docstring)."""
    if "defaultdict" not in lowerer.src.text:  # (the common case: nothing to walk)
        return fdef
    parents = _parents(fdef.body)
    made = _made(lowerer, fdef, parents)
    if not made:
        return fdef
    _check_uses(lowerer, fdef, made, parents)
    new = fdef.visit(_Rewrite(lowerer, made))
    return lowerer.remade(new, fdef)


def _made(lowerer, fdef, parents):
    """name -> the default's expression, for each `name = defaultdict(factory)` in fdef's body."""
    out = {}

    class Find(cst.CSTVisitor):
        def visit_Call(self, node):
            if lowerer.static_callee(node.func) is collections.defaultdict:
                owner = parents.get(node)
                if not (isinstance(owner, cst.Assign) and owner.value is node and len(owner.targets) == 1
                        and isinstance(owner.targets[0].target, cst.Name)):
                    raise lowerer.error(UnsupportedSyntaxError, "defaultdict(...) other than bound to a name "
                                        "(`d = defaultdict(list)`): s2sgrad rewrites the reads of that name", node)
                name = owner.targets[0].target.value
                if name in out:
                    raise lowerer.error(UnsupportedSyntaxError, f"'{name}' bound to a defaultdict twice: give "
                                        "each its own name", node)
                out[name] = _default(lowerer, node)
            return True
    fdef.body.visit(Find())
    return out


def _default(lowerer, call):
    """The expression of the value the factory makes."""
    if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
        raise lowerer.error(UnsupportedSyntaxError, "defaultdict() takes its factory alone here (list, dict, "
                            "float, int, or a lambda without parameters)", call)
    f = call.args[0].value
    if isinstance(f, cst.Lambda) and not f.params.params and not f.params.kwonly_params \
            and not isinstance(f.params.star_arg, cst.Param) and f.params.star_kwarg is None:
        return f.body
    made = _FACTORIES.get(lowerer.static_callee(f)) if isinstance(f, (cst.Name, cst.Attribute)) else None
    if made is None:
        raise lowerer.error(UnsupportedSyntaxError, "a defaultdict whose factory is not list, dict, float, int or "
                            "a lambda without parameters", f)
    return cst.parse_expression(made)


def _parents(root):
    out = {}

    class Walk(cst.CSTVisitor):
        def on_visit(self, node):
            for child in node.children:
                out[child] = node
            return True
    root.visit(Walk())
    return out


def _check_uses(lowerer, fdef, made, parents):
    """Refuse a use of a defaultdict's name other than those the module docstring lists."""
    from .scan import binding_counts
    _, counts, _ = binding_counts(fdef.body)  # (nested functions' bindings too)
    for name in made:
        if counts.get(name, 0) != 1:
            raise lowerer.error(UnsupportedSyntaxError, f"'{name}', bound to a defaultdict, is bound again (here "
                                "or in a nested function): s2sgrad follows the defaultdict by its name, so give "
                                "the other value a name of its own", fdef)
    for node in _subscript_methods(fdef.body, made, ("append", "extend", "insert")):
        raise lowerer.error(UnsupportedSyntaxError, f"a list of the defaultdict '{node.value.value}' appended to by "
                            "key: s2sgrad builds lists in a dict only in a dict literal naming every key "
                            "(`d = {\"loss\": [], \"acc\": []}` then `d[\"loss\"].append(v)`); write that, or "
                            "one list per key", node)
    _refuse_reads_while_iterating(lowerer, fdef, made)
    _refuse_shared_updates(lowerer, fdef, made)
    for node, parent in parents.items():
        if not (isinstance(node, cst.Name) and node.value in made):
            continue
        if isinstance(parent, cst.AssignTarget) or isinstance(parent, cst.Assign) and parent.value is not node:
            continue  # (the binding itself)
        if isinstance(parent, cst.Subscript) and parent.value is node:
            continue
        if isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value in _READS \
                and isinstance(parents.get(parent), cst.Call):
            continue
        if isinstance(parent, cst.Arg) and isinstance(parents.get(parent), cst.Call) \
                and isinstance(parents[parent].func, cst.Name) and parents[parent].func.value in _VIEWERS:
            continue
        if isinstance(parent, (cst.ComparisonTarget, cst.For, cst.CompFor)):
            continue  # (k in d, for k in d)
        raise lowerer.error(UnsupportedSyntaxError, f"the defaultdict '{node.value}' used here other than by its "
                            "keys, len, in, iteration, .items(), .keys(), .values() or .get() (passed on, returned "
                            "or bound to another name it would lose its defaults): read what you need out of it",
                            node)


class _Rewrite(cst.CSTTransformer):
    """The rewrite: the binding a plain dict, each statement reading keys preceded by the defaults."""

    def __init__(self, lowerer, made):
        super().__init__()
        self.lowerer, self.made = lowerer, made

    def leave_Assign(self, original, updated):
        if len(updated.targets) == 1 and isinstance(updated.targets[0].target, cst.Name) \
                and updated.targets[0].target.value in self.made and isinstance(updated.value, cst.Call) \
                and self.lowerer.static_callee(updated.value.func) is collections.defaultdict:
            return self.lowerer.remade(updated.with_changes(value=cst.Dict([])), original)
        return updated

    def leave_IndentedBlock(self, original, updated):
        body = []
        for before, after in zip(original.body, updated.body):
            named = {}  # id(d[expr]) -> the name its key is bound to first (rec["cluster"], keys[i])
            body += self._defaults(before, named)
            if named:
                after = after.visit(_KeyNames(named))
            body.append(self._augmented(after))
        return self.lowerer.remade(updated.with_changes(body=body), original)

    def _defaults(self, stmt, named):
        """`if k not in d: d[k] = <default>` for each key stmt reads before its own body runs (a key
        that is an expression bound to a name first, read once as Python reads it)."""
        out = []
        for name, key, at in self._reads(stmt):
            if not isinstance(key, (cst.Name, cst.SimpleString, cst.Integer)):
                bound = self.lowerer.fresh(f"{name}_key")
                named[id(at)] = bound
                out.append(self.lowerer.remade(cst.SimpleStatementLine(
                    [cst.Assign([cst.AssignTarget(cst.Name(bound))], key)]), at))
                key = cst.Name(bound)
            test = cst.Comparison(key, [cst.ComparisonTarget(cst.NotIn(), cst.Name(name))])
            fill = cst.SimpleStatementLine([cst.Assign(
                [cst.AssignTarget(cst.Subscript(cst.Name(name), [cst.SubscriptElement(cst.Index(key))]))],
                self.made[name])])
            out.append(self.lowerer.remade(cst.If(test=test, body=cst.IndentedBlock([fill])), at))
        return out

    def _reads(self, stmt):
        """(dict name, key, node) of each read of a defaultdict's key stmt makes before its body: a
        simple statement's, an if's test, a for's iterable, a with's items."""
        if isinstance(stmt, cst.SimpleStatementLine):
            parts = list(stmt.body)
        elif isinstance(stmt, cst.If):
            parts = [stmt.test]
        elif isinstance(stmt, cst.For):
            parts = [stmt.iter]
        elif isinstance(stmt, cst.With):
            parts = list(stmt.items)
        else:
            parts = []
        reads, other = [], False
        for part in parts:
            found, uses = _key_reads(self.lowerer, part, self.made)
            reads += found
            other = other or uses
        if isinstance(stmt, cst.While):
            found, _ = _key_reads(self.lowerer, stmt.test, self.made)
            if found:
                raise self.lowerer.error(UnsupportedSyntaxError, "a defaultdict's key read in a while's test "
                                         "(a key it lacks is made each time the test runs): read it in the body",
                                         found[0][2])
        if reads and other:
            raise self.lowerer.error(UnsupportedSyntaxError, f"a statement reading a key of the defaultdict "
                                     f"'{reads[0][0]}' (made if missing) that also uses the dict otherwise (len, in, "
                                     "iteration...): Python makes the default where the key is read; split the "
                                     "statement so the read comes first", reads[0][2])
        return reads

    def _augmented(self, stmt):
        """`d[k] += v` of a number default: `d[k] = d[k] + v` (a number is never changed in place)."""
        if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1
                and isinstance(stmt.body[0], cst.AugAssign)):
            return stmt
        aug = stmt.body[0]
        t = aug.target
        if not (isinstance(t, cst.Subscript) and isinstance(t.value, cst.Name) and t.value.value in self.made):
            return stmt
        if not isinstance(self.made[t.value.value], (cst.Float, cst.Integer)) or type(aug.operator) not in _BINARY:
            raise self.lowerer.error(UnsupportedSyntaxError, f"an augmented assignment to a key of the defaultdict "
                                     f"'{t.value.value}' whose default is not a number (it would change the value in "
                                     "place): write d[k] = d[k] + v, or d[k].append(v)", aug)
        op = cst.BinaryOperation(t, _BINARY[type(aug.operator)](), aug.value.with_changes(
            lpar=[cst.LeftParen()], rpar=[cst.RightParen()]))
        new = cst.Assign([cst.AssignTarget(t)], op)
        return self.lowerer.remade(stmt.with_changes(body=[self.lowerer.remade(new, aug)]), stmt)


_BINARY = {cst.AddAssign: cst.Add, cst.SubtractAssign: cst.Subtract, cst.MultiplyAssign: cst.Multiply,
           cst.DivideAssign: cst.Divide, cst.PowerAssign: cst.Power, cst.FloorDivideAssign: cst.FloorDivide,
           cst.ModuloAssign: cst.Modulo, cst.BitOrAssign: cst.BitOr, cst.BitAndAssign: cst.BitAnd,
           cst.BitXorAssign: cst.BitXor, cst.LeftShiftAssign: cst.LeftShift, cst.RightShiftAssign: cst.RightShift}


def _key_reads(lowerer, part, made):
    """((name, key, node) of each key read of a defaultdict in part, outside nested scopes; whether
    part uses one of them in another way before (in the source) its last key read).  An assignment's or del's target is no read; an
    augmented assignment's is."""
    reads = []
    targets = set()
    if isinstance(part, (cst.Assign,)):
        targets = {id(t.target) for t in part.targets}
    if isinstance(part, cst.Del):
        targets = {id(part.target)}

    class V(cst.CSTVisitor):
        def __init__(self):
            super().__init__()
            self.depth, self.maybe = 0, 0

        def visit_IfExp(self, node):  # (only the branch the test picks runs: its reads may not happen)
            node.test.visit(self)
            self.maybe += 1
            node.body.visit(self)
            node.orelse.visit(self)
            self.maybe -= 1
            return False

        def visit_BooleanOperation(self, node):  # (the right side runs only if the left does not decide)
            node.left.visit(self)
            self.maybe += 1
            node.right.visit(self)
            self.maybe -= 1
            return False

        def visit_Lambda(self, node):
            self.depth += 1

        def leave_Lambda(self, node):
            self.depth -= 1

        def visit_ListComp(self, node):
            self.depth += 1

        def leave_ListComp(self, node):
            self.depth -= 1

        visit_DictComp = visit_SetComp = visit_GeneratorExp = visit_ListComp
        leave_DictComp = leave_SetComp = leave_GeneratorExp = leave_ListComp

        def visit_Subscript(self, node):
            if isinstance(node.value, cst.Name) and node.value.value in made and id(node) in targets:
                return False  # (d[k] = v: a write, which makes no default)
            if isinstance(node.value, cst.Name) and node.value.value in made:
                if self.depth or self.maybe:
                    raise lowerer.error(UnsupportedSyntaxError, f"a key of the defaultdict '{node.value.value}' read "
                                        "inside a lambda, a comprehension, a conditional expression or the right side "
                                        "of `and`/`or` (the default is made before the statement, where Python may "
                                        "not read the key at all): write the loop or the if", node)
                key = node.slice[0].slice.value if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index) \
                    else None
                if key is None or _runs_code(key, made):
                    raise lowerer.error(UnsupportedSyntaxError, f"a key of the defaultdict '{node.value.value}' that "
                                        "calls something or reads the dict (it is read before the statement, where "
                                        "the default is made): bind it to a name first", node)
                reads.append((node.value.value, key, node))
                return False
            return True

        def visit_Name(self, node):
            if node.value in made:
                uses.append(node)
    uses = []
    part.visit(V())
    # (Python reads left to right here -- no conditional parts, and an assignment's value before its
    # target, which is no read --, so a use after the last key read sees the default made, as it would)
    if not (reads and uses):
        return reads, bool(uses)
    pos = lowerer.positions
    if not all(r[2] in pos for r in reads):
        return reads, True
    last = max((pos[r[2]].start.line, pos[r[2]].start.column) for r in reads)
    return reads, any(u not in pos or (pos[u].start.line, pos[u].start.column) < last for u in uses)


def _runs_code(key, made) -> bool:
    """Whether reading the key runs a call (a draw, a helper), an assignment expression, or reads a
    defaultdict: reading it before the rest of the statement could then change what happens."""
    found = []

    class V(cst.CSTVisitor):
        def on_visit(self, node):
            if isinstance(node, (cst.Call, cst.NamedExpr, cst.Await, cst.Yield, cst.Lambda)) \
                    or isinstance(node, cst.Name) and node.value in made:
                found.append(node)
            return True
    key.visit(V())
    return bool(found)


class _KeyNames(cst.CSTTransformer):
    """Each read `d[expr]` whose key was bound to a name first made `d[name]`."""

    def __init__(self, named):
        super().__init__()
        self.named = named

    def leave_Subscript(self, original, updated):
        name = self.named.get(id(original))
        if name is None:
            return updated
        return updated.with_changes(slice=[cst.SubscriptElement(cst.Index(cst.Name(name)))])


def _refuse_reads_while_iterating(lowerer, fdef, made):
    """A key read inside a loop over the dict itself: a missing key would change its size while it is
    iterated, Python's RuntimeError."""
    class V(cst.CSTVisitor):
        def visit_For(self, node):
            over = _live(node.iter, made)
            for name in over:
                for sub in _subscripts_of(node.body, name):
                    raise lowerer.error(UnsupportedSyntaxError, f"a key of the defaultdict '{name}' read while "
                                        f"iterating '{name}' (a missing key would change its size: Python raises "
                                        "RuntimeError): collect the keys first, `for k in list(d):`", sub)
            return True
    fdef.body.visit(V())


def _refuse_shared_updates(lowerer, fdef, made):
    """`d[k] += v` is rewritten `d[k] = d[k] + v`, the same value as long as no other name holds the
    array d[k] holds (Python's += changes an array in place): refused where the dict gets a value by
    a plain store, or its values are read before the last augmented assignment or in a loop making one."""
    augs, stores, reads = {}, {}, {}

    class V(cst.CSTVisitor):
        def __init__(self):
            super().__init__()
            self.loops = []

        def visit_For(self, node):
            self.loops.append(node)

        def leave_For(self, node):
            self.loops.pop()

        visit_While, leave_While = visit_For, leave_For

        def visit_AugAssign(self, node):
            t = node.target
            if isinstance(t, cst.Subscript) and isinstance(t.value, cst.Name) and t.value.value in made:
                augs.setdefault(t.value.value, []).append((node, tuple(self.loops)))
                node.value.visit(self)
                return False
            return True

        def visit_Assign(self, node):
            for t in node.targets:
                if isinstance(t.target, cst.Subscript) and isinstance(t.target.value, cst.Name) \
                        and t.target.value.value in made:
                    stores.setdefault(t.target.value.value, []).append(node)
            return True

        def visit_Subscript(self, node):
            if isinstance(node.value, cst.Name) and node.value.value in made:
                reads.setdefault(node.value.value, []).append((node, tuple(self.loops)))
            return True

        def visit_Attribute(self, node):
            if isinstance(node.value, cst.Name) and node.value.value in made and node.attr.value in ("values", "items",
                                                                                                   "get"):
                reads.setdefault(node.value.value, []).append((node, tuple(self.loops)))
            return True
    fdef.body.visit(V())
    pos = lowerer.positions
    for name, found in augs.items():
        targets = {id(a.target) for a, _ in found}
        own = [(r, loops) for r, loops in reads.get(name, ()) if id(r) not in targets]
        for a, loops in found:
            if name in stores:
                bad = stores[name][0]
            else:
                bad = next((r for r, rl in own if pos[r].start.line <= pos[a].start.line
                            or set(map(id, rl)) & set(map(id, loops))), None)
            if bad is not None:
                raise lowerer.error(UnsupportedSyntaxError, f"an augmented assignment to a key of the defaultdict "
                                    f"'{name}', whose values are also stored or read before it or in its loop (Python's "
                                    "+= changes an array value in place, seen through every name holding it): write "
                                    "d[k] = d[k] + v", a)


def _live(it, made) -> set:
    """The defaultdicts the loop iterable `it` walks while they may change: the dict itself, its
    views, and enumerate / zip / reversed of those (sorted(d), list(d) are copies)."""
    if isinstance(it, cst.Name):
        return {it.value} & set(made)
    if isinstance(it, cst.Call) and isinstance(it.func, cst.Attribute) and isinstance(it.func.value, cst.Name) \
            and it.func.attr.value in ("items", "keys", "values"):
        return {it.func.value.value} & set(made)
    if isinstance(it, cst.Call) and isinstance(it.func, cst.Name) and it.func.value in ("enumerate", "zip", "reversed"):
        return set().union(*(_live(a.value, made) for a in it.args)) if it.args else set()
    return set()


def _subscripts_of(node, name):
    out = []

    class V(cst.CSTVisitor):
        def visit_Subscript(self, n):
            if isinstance(n.value, cst.Name) and n.value.value == name:
                out.append(n)
    node.visit(V())
    return out


def _subscript_methods(node, made, methods):
    """The reads `d[k]` whose method (one of methods) is called: `d[k].append(v)`."""
    out = []

    class V(cst.CSTVisitor):
        def visit_Attribute(self, n):
            if n.attr.value in methods and isinstance(n.value, cst.Subscript) \
                    and isinstance(n.value.value, cst.Name) and n.value.value.value in made:
                out.append(n.value)
    node.visit(V())
    return out
