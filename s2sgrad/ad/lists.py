"""Lists of arrays built at run time: `hs = []`, `hs.append(h)`, `hs[t]`, `hs[-1]`, `for h in hs`,
`np.stack(hs)`, `np.concatenate(parts)`, `np.array(hs)`, `sum(terms)`, list comprehensions.

The forward sweep keeps the user's list (appended to in place, exactly as written).  Its adjoint is
a dict `grad_hs` from position to the adjoint of that element, filled by the reads of the list and
emptied by the appends, in reverse: walking the forward sweep backwards, `pos_hs` counts the
elements the list had at that point (it starts at `len(hs)` and each append's reverse takes one
off), so `hs[-1]` read when the list had 7 elements is position 6, and the append that made
position 6 pops `grad_hs[6]` into the adjoint of the value appended.  The list itself is never
saved or restored: it is only appended to, so its first `pos_hs` elements are always the ones the
forward sweep saw at that point.

A list made anew in each pass of a loop (`items = []` at the top of its body, used only in that
pass: a comprehension in a loop, a helper building a list inlined in one) is one iteration's
value: it is recorded with the pass's other values, and its reverse starts from an empty adjoint
and its own length at the start of each reverse pass.

Guarantees: a list variable is bound to `[]` once, at the top level of the function or of a loop's
body (as above), and otherwise only appended to (anything else -- rebinding, slicing into a new list, `pop`, writing an
element -- is refused at its line); every element read gets exactly the cotangent of that read;
an element never read has a zero adjoint (a missing key).
"""
from __future__ import annotations

import numpy as np

from .. import ir
from ..builder import E
from ..errors import UnsupportedSyntaxError
from ..frontend.user_words import user_name
from ..ir import Assign, Call, Const, ExprStmt, ListExpr, Name
from ..runtime import NAMESPACE


_READS = {"getitem", "np.stack", "np.array", "np.asarray", "np.concatenate", "list_sum", "np.vstack", "np.hstack"}


# ------------------------------------------------------------------------- run-time helpers
def adj_add(d, k, g):
    """grad_list[k] += g (a missing entry is zero)."""
    d[k] = d[k] + g if k in d else g


def list_pos(i, n):
    """The position `hs[i]` reads when the list has n elements."""
    return i if i >= 0 else n + i


def adj_add_stacked(d, g, n, axis=0):
    for k in range(n):
        adj_add(d, k, np.take(g, k, axis=axis))


def adj_add_concat(d, g, items, n, axis=0):
    if axis == "h":  # np.hstack: along axis 1, but axis 0 for 1-D items
        axis = 0 if n and np.ndim(items[0]) <= 1 else 1
    start = 0
    for k in range(n):
        size = np.shape(items[k])[axis] if np.ndim(items[k]) else 1
        adj_add(d, k, np.take(g, range(start, start + size), axis=axis))
        start += size


def adj_add_all(d, g, n):
    for k in range(n):
        adj_add(d, k, g)


NAMESPACE.update(list_sum=sum, adj_add=adj_add, list_pos=list_pos, adj_add_stacked=adj_add_stacked,
                 adj_add_concat=adj_add_concat, adj_add_all=adj_add_all)


# ------------------------------------------------------------------------- which names are lists
def loop_lists(fn) -> dict:
    """id(loop) -> the lists made anew in each pass of that loop: bound to `[]` once, at the top
    level of its body, only appended to or popped from after that, and read nowhere but in the rest
    of that body -- a list of one iteration, which the reverse sweep gets back with the iteration's
    other values (analysis._loop_locals; in a loop with a `break`, which has no such group, from
    the record its binding keeps: `restored`) and starts its adjoint from."""
    out = {}
    for loop in ir.walk(fn.body):
        if not isinstance(loop, (ir.For, ir.While)):
            continue
        inside = {id(x) for x in ir.walk(loop.body)}
        for i, s in enumerate(loop.body):
            if not (isinstance(s, Assign) and len(s.targets) == 1 and s.value == ListExpr(())):
                continue
            L = s.target
            uses = [x for x in ir.walk(fn.body) if L in ir.stmt_reads(x) or L in ir.stmt_writes(x)]
            if any(id(x) not in inside for x in uses) or any(L in ir.stmt_reads(x) for x in ir.walk(loop.body[:i])) \
                    or L in ir.expr_names(loop.test if isinstance(loop, ir.While) else loop.iter):
                continue
            if all(x is s or not (L in ir.stmt_writes(x)) or isinstance(x, Assign) and (_is_append(x) or _is_pop(x))
                   for x in uses):
                out.setdefault(id(loop), set()).add(L)
    return out


def branch_lists(fn) -> dict:
    """(id(if), 0 for its body or 1 for its else) -> the lists made in that branch of an `if`:
    bound to `[]` once, at the top level of the branch, and used nowhere outside it (the rest of a
    function after a guard clause's `return` is such a branch: passes/normalize.py).  The branch's
    reverse starts their adjoints from empty and their own length, as a loop's pass does; the
    branch not taken never reads them.  In a loop, each pass that takes the branch makes a new
    list, which the reverse sweep gets back from the record its binding keeps (`restored`)."""
    out = {}

    def visit(block):
        for s in block:
            if isinstance(s, (ir.For, ir.While)):
                visit(s.body)
            if not isinstance(s, ir.If):
                continue
            for side, branch in ((0, s.body), (1, s.orelse)):
                inside = {id(x) for x in ir.walk(branch)}
                for i, st in enumerate(branch):
                    if not (isinstance(st, Assign) and len(st.targets) == 1 and st.value == ListExpr(())):
                        continue
                    L = st.target
                    uses = [x for x in ir.walk(fn.body) if L in ir.stmt_reads(x) or L in ir.stmt_writes(x)]
                    if any(id(x) not in inside for x in uses) or any(
                            L in ir.stmt_reads(x) or L in ir.stmt_writes(x) for x in ir.walk(branch[:i])):
                        continue
                    out.setdefault((id(s), side), set()).add(L)
                visit(branch)
    visit(fn.body)
    return out


def restored(fn) -> set:
    """The lists of one pass that no iteration group brings back (analysis._loop_locals): made in a
    pass of a loop with a `break`, or in a branch inside a loop.  Each binding `L = []` records the
    list it replaces, and the reverse of that binding gives it back, so the reverse of a pass sees
    that pass's list (only appended to: exactly the elements it had at the end of the pass)."""
    grouped = {id(x) for x in ir.walk(fn.body) if isinstance(x, (ir.For, ir.While))
               and not any(isinstance(y, ir.Break) for y in ir.walk(x.body))}
    out = {L for k, names in loop_lists(fn).items() if k not in grouped for L in names}
    looped = {id(y) for x in ir.walk(fn.body) if isinstance(x, (ir.For, ir.While)) for y in ir.walk(x.body)}
    return out | {L for (k, _), names in branch_lists(fn).items() if k in looped for L in names}


def list_vars(fn) -> set:
    """Names bound to `[]` (checked: once, at the top level or of a loop's pass, then only appended to)."""
    top = {s.target for s in fn.body if isinstance(s, Assign) and len(s.targets) == 1
           and isinstance(s.value, ListExpr) and not s.value.elts}
    own = loop_lists(fn)
    top |= {L for names in own.values() for L in names} | {L for names in branch_lists(fn).values() for L in names}
    names, made = set(), set()
    for s in ir.walk(fn.body):
        if isinstance(s, Assign) and len(s.targets) == 1 and isinstance(s.value, ListExpr) and not s.value.elts:
            if s.target in made:  # the reverse sweep counts one list's positions per name
                shown = user_name(s.target, s.loc.text if s.loc else None) or s.target
                raise UnsupportedSyntaxError(f"the list '{shown}' is created twice (a list built at run time, bound "
                                             "once and then appended to, is what s2sgrad follows): give the second "
                                             "list a name of its own; a list rebuilt in each pass of a loop from the "
                                             f"one before is followed as an array ({shown} = np.array([...]) or "
                                             "arithmetic on arrays)", s.loc)
            made.add(s.target)
            if s.target not in top:
                if "split(" in (s.loc.text if s.loc else ""):  # parts = np.split(...): a list (frontend/listbuild)
                    raise UnsupportedSyntaxError(f"the list '{s.target}' of np.split's pieces is made inside a loop "
                                                 "or a branch (or twice): unpack the pieces into names instead "
                                                 "(a, b, c = np.split(x, 3)), or split once before the loop", s.loc)
                shown = user_name(s.target, s.loc.text if s.loc else None) or s.target
                raise UnsupportedSyntaxError(f"the list '{shown}' is created inside a loop or a branch and "
                                             "read outside it (a helper that builds a list, called in a loop, "
                                             "makes it in each pass): create it once, before the loop, or read "
                                             "it only in the pass or branch that makes it", s.loc)
            names.add(s.target)
    _refuse_loops_before_appends(fn.body, names, own, branch_lists(fn))
    popped = {s.target for s in ir.walk(fn.body) if isinstance(s, Assign) and _is_pop(s)}
    for s in ir.walk(fn.body):
        if isinstance(s, Assign) and isinstance(s.value, Call) and s.value.op in ("np.concatenate", "np.hstack") \
                and s.value.args and isinstance(s.value.args[0], Name) and s.value.args[0].id in popped:
            raise UnsupportedSyntaxError(f"np.concatenate of the list '{s.value.args[0].id}', which is popped from: "
                                         "stack it (np.stack) or concatenate its elements by index", s.loc)
        for t in ir.stmt_writes(s):
            if t in names and not (isinstance(s, Assign) and (_is_append(s) or _is_pop(s) or s.value == ListExpr(()))):
                raise UnsupportedSyntaxError(f"the list '{t}' is changed other than by append(): a list of "
                                             "arrays may only be appended to", s.loc)
    return names


def _refuse_loops_before_appends(body, names, own, own_branch):
    """A `for` over a list (its range reads len(hs)) must come after every append to it, outside
    any loop that appends to it: the reverse sweep takes the loop's trip count from the list's
    final length (a list appended to after the loop ran out of saved values: a raw IndexError)."""
    def appends_in(block):  # (and pops: a loop's trip count is the list's final length)
        return {s.target for s in ir.walk(block) if isinstance(s, Assign) and (_is_append(s) or _is_pop(s))}

    def visit(block, later, enclosing):
        for i, s in enumerate(block):
            after = later | appends_in(block[i + 1:])
            if isinstance(s, ir.For):
                looped = {n for n in ir.expr_names(s.iter) if n in names}
                bad = looped & (after | enclosing | appends_in(s.body))
                if bad:
                    n = sorted(bad)[0]
                    raise UnsupportedSyntaxError(f"a loop over the list '{n}' that is appended to later (or in a "
                                                 "loop around it): loop over it after its last append, or keep "
                                                 "the items of that point in a list of their own", s.loc)
            if isinstance(s, (ir.For, ir.While)):  # (a list of one pass is another list in the next)
                visit(list(s.body), after, enclosing | (appends_in(s.body) - own.get(id(s), set())))
            elif isinstance(s, ir.If):  # (a list of a branch is made anew there: no earlier appends count)
                visit(list(s.body), after, enclosing - own_branch.get((id(s), 0), set()))
                visit(list(s.orelse), after, enclosing - own_branch.get((id(s), 1), set()))
    visit(list(body), set(), set())


def _is_append(s):
    return isinstance(s.value, Call) and s.value.op == "list_append"


def _is_pop(s):
    return isinstance(s.value, Call) and s.value.op == "list_pop"


def reads_list(s, lists) -> bool:
    v = s.value if isinstance(s, Assign) else None
    return isinstance(v, Call) and v.op in _READS and v.args and isinstance(v.args[0], Name) \
        and v.args[0].id in lists


def refuse_container_append(s, active):
    """`L.append((x, y))` with x or y differentiated, where passes/list_tuples.py found no way to
    keep the parts: the element's adjoint would have no parts to go to (it was silently dropped)."""
    v = s.value.args[1]
    if not isinstance(v, (Name, Const)) and any(active(n) for n in ir.expr_names(v)):
        raise UnsupportedSyntaxError(
            f"appending a tuple or list of differentiable values to the list '{s.target}', read here in a way "
            "that needs the tuple itself: unpack each element where you read it (x, y = pts[i], for x, y in "
            "pts), read the whole list with np.array(pts), or keep a list per part (xs.append(x); "
            "ys.append(y))", s.loc)


# ------------------------------------------------------------------------- the reverse sweep
class ListAdjoints:
    """The list part of a ReverseGenerator (see the module docstring)."""

    def __init__(self, gen, lists):
        self.gen, self.lists = gen, lists
        self.of_loop = {k: v & lists for k, v in loop_lists(gen.fn).items()}  # id(loop) -> its passes' lists
        self.of_branch = {k: v & lists for k, v in branch_lists(gen.fn).items()}  # (id(if), side) -> its lists
        self.in_loops = {L for v in list(self.of_loop.values()) + list(self.of_branch.values()) for L in v}
        self.restored = restored(gen.fn) & lists  # (bound anew in a loop, given back by the binding's record)

    def grad(self, L):
        return self.gen.names.get(("grad", L), f"grad_{L}")

    def pos(self, L):
        return self.gen.names.get(("pos", L), f"pos_{L}")

    def prologue(self, loc, lists=None):
        """The adjoint of each list (of the function, or of one loop's pass: `lists`), empty, and its
        count of elements, at the start of the reverse sweep (of that pass)."""
        out = []
        for L in sorted(self.lists - self.in_loops if lists is None else lists):
            out.append(Assign((self.grad(L),), ir.DictExpr((), ()), loc))
            out.append(Assign((self.pos(L),), Call("len", (Name(L),)), loc))
        return out

    def append(self, s):
        """Reverse of `L.append(v)`: one element fewer; v gets the adjoint of the element it made."""
        L, v = s.target, s.value.args[1]
        pos = Name(self.pos(L))
        code = [Assign((self.pos(L),), Call("sub", (pos, Const(1))), s.loc)]
        refuse_container_append(s, self.gen.act.is_active)
        if isinstance(v, Name) and self.gen.act.is_active(v.id):
            popped = Call(".pop", (Name(self.grad(L)), pos, Const(0.0)))
            code += self.gen.accumulate(v.id, [popped], s, alias_ok=False, exact=False)
        return code

    def pop(self, s):
        """Reverse of `L.pop()`: the element comes back (its adjoint, from the read `x = L[-1]`
        before the pop, is added at this position when the reverse sweep reaches that read)."""
        L = s.target
        return [Assign((self.pos(L),), Call("add", (Name(self.pos(L)), Const(1))), s.loc)]

    def read(self, s):
        """Reverse of a statement reading list L: its cotangent into grad_L's entries."""
        gen = self.gen
        t, call = s.target, s.value
        cur = gen.adj.pop(t, None)
        if cur is None:
            return []
        L = call.args[0].id
        d, n = Name(self.grad(L)), Name(self.pos(L))
        g = cur.expr
        op = call.op
        if op == "getitem":
            idx = call.args[1]
            if isinstance(idx, Const) and isinstance(idx.value, int) and idx.value >= 0:
                k = idx
            elif isinstance(idx, Const) and isinstance(idx.value, int):
                k = Call("sub", (n, Const(-idx.value)))
            elif isinstance(idx, Name) or _counter_arithmetic(idx):  # hs[t], hs[t + 1], hs[2 * t - 1]
                k = Call("list_pos", (idx, n))
            else:
                raise UnsupportedSyntaxError(f"a slice or computed index into the list '{L}' (index it with a "
                                             "number, a loop counter, or arithmetic on counters such as t + 1)",
                                             s.loc)
            return [ExprStmt(Call("adj_add", (d, k, g)), s.loc)]
        axis = call.kw("axis") if call.kw("axis") is not None else (call.args[1] if len(call.args) > 1 else Const(0))
        full = E(g).e if op == "list_sum" else Call("np.broadcast_to", (g, Call("np.shape", (Name(t),))))
        if op in ("np.stack", "np.array", "np.asarray"):
            return [ExprStmt(Call("adj_add_stacked", (d, full, n, axis)), s.loc)]
        if op == "np.vstack":
            raise UnsupportedSyntaxError("np.vstack of a list built at run time (use np.stack or np.concatenate)", s.loc)
        if op == "np.hstack":  # (the items' axis 1, or axis 0 of 1-D items: decided when it runs)
            axis = Const("h")
        if op in ("np.concatenate", "np.hstack"):
            return [ExprStmt(Call("adj_add_concat", (d, full, Name(L), n, axis)), s.loc)]
        if op == "list_sum":  # sum(L) or sum(L, start): every item's adjoint is g, and so is start's
            return [ExprStmt(Call("adj_add_all", (d, g, n)), s.loc)] + self.start_of_sum(call, g, s)
        raise UnsupportedSyntaxError(f"'{op}' of the list '{L}'", s.loc)

    def start_of_sum(self, call, g, s):
        """The adjoint of sum(L, start)'s start: g, unbroadcast to start's shape."""
        start = call.args[1] if len(call.args) == 2 else None
        if not (isinstance(start, Name) and self.gen.act.is_active(start.id)):
            return []
        return self.gen.accumulate(start.id, [g], s, alias_ok=False, exact=False)


def _counter_arithmetic(e) -> bool:
    """Whether e is +, -, *, // of names and int constants only (`t + 1`): the reverse sweep computes
    it again from the names' values at that point, as it reads a plain name (never len(hs), which
    changes as the list grows)."""
    if isinstance(e, Const):
        return isinstance(e.value, int) and not isinstance(e.value, bool)
    if isinstance(e, Name):
        return True
    return isinstance(e, Call) and e.op in ("add", "sub", "mul", "floordiv", "neg") and not e.kwargs \
        and all(_counter_arithmetic(a) for a in e.args)


def settled(fn, lists) -> set:
    """The lists whose every change (creation, append, pop) comes in a top-level statement before
    the first that reads them otherwise: an index read inline (`logp[t, ext[s]]`), which the
    reverse sweep evaluates again, sees the same list then."""
    out = set()
    for name in lists:
        last_change, first_read = -1, None
        for i, top in enumerate(fn.body):
            for s in ir.walk([top]):
                changes = isinstance(s, Assign) and name in s.targets
                if changes:
                    last_change = i
                reads = ir.stmt_reads(s)
                if name in reads and not (changes and isinstance(s.value, Call) and s.value.args
                                          and s.value.args[0] == Name(name) and reads.count(name) == 1):
                    first_read = i if first_read is None else first_read
        if first_read is None or last_change < first_read:
            out.add(name)
    return out


def refuse_other_uses(fn, lists):
    """A list variable used anywhere but by append, `len` and the reads above is refused at its line."""
    for s in ir.walk(fn.body):
        if isinstance(s, Assign) and reads_list(s, lists) and s.value.op == "getitem" \
                and isinstance(s.value.args[1], ir.Slice):  # a new list, which nothing here tracks
            raise UnsupportedSyntaxError(f"a slice of the list '{s.value.args[0].id}' (a new list): read its "
                                         "elements by index, or stack it first (np.stack(hs)[::-1])", s.loc)
        if isinstance(s, Assign) and (_is_append(s) or _is_pop(s) or s.value == ListExpr(()) or reads_list(s, lists)):
            # the list itself is the first argument; only the other arguments are checked
            exprs = list(s.value.args[1:]) + [v for _, v in s.value.kwargs] if isinstance(s.value, Call) else []
        else:  # (not an if's or while's test: a branch is piecewise constant, the list gets no adjoint from it)
            exprs = [getattr(s, f) for f in ("value", "iter", "index") if isinstance(getattr(s, f, None), ir.Expr)]
        for e in exprs:
            used = sorted(set(_names_outside_len(e)) & lists)
            if used:
                op = _direct_consumer(e, used[0])
                what = f"the list '{used[0]}'" + ("" if not used[0].startswith("items") else
                                                   " (a list comprehension's, when you named no list so)")
                given = "" if op is None else f" given to '{op}'"
                raise UnsupportedSyntaxError(f"{what}{given} used here in a way s2sgrad cannot differentiate (read "
                                             "elements, np.stack, np.concatenate or np.array it first, or add its "
                                             "elements with sum(...))", s.loc)


def _direct_consumer(e, name):
    """The op of the call in e that takes the list `name` as an argument itself (None: none found)."""
    if isinstance(e, Call):
        if any(isinstance(a, Name) and a.id == name for a in list(e.args) + [v for _, v in e.kwargs]):
            return e.op
        for a in list(e.args) + [v for _, v in e.kwargs]:
            op = _direct_consumer(a, name)
            if op is not None:
                return op
    return None


def _names_outside_len(e):
    """The names an expression reads, except inside len(...)."""
    if isinstance(e, Call) and e.op == "len":
        return []
    if isinstance(e, Call):
        return [n for a in list(e.args) + [v for _, v in e.kwargs] for n in _names_outside_len(a)]
    if isinstance(e, ir.DictExpr):
        return [n for a in e.values for n in _names_outside_len(a)]
    if isinstance(e, (ir.Tuple, ListExpr)):
        return [n for a in e.elts for n in _names_outside_len(a)]
    return ir.expr_names(e)
