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
from ..ir import Assign, Call, Const, ExprStmt, Name
from .list_scopes import _EXTREMA, branch_lists, list_moves, loop_lists, rebound, restored
from ..runtime import NAMESPACE
from ..rules.table import casts_to_integer




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
    if axis == "c":  # np.column_stack: a vector (or number) is one column, a matrix its columns
        for k in range(n):
            if np.ndim(items[k]) < 2:
                adj_add(d, k, np.reshape(np.take(g, start, axis=1), np.shape(items[k])))
                start += 1
            else:
                adj_add(d, k, g[:, start:start + np.shape(items[k])[1]])
                start += np.shape(items[k])[1]
        return
    for k in range(n):
        size = np.shape(items[k])[axis] if np.ndim(items[k]) else 1
        adj_add(d, k, np.take(g, range(start, start + size), axis=axis))
        start += size


def adj_add_extremum(d, g, items, n, ans, axis=None):
    """np.max(L, axis=0) (builtin max(L)) / np.min: at each position the elements equal to the answer
    share g equally, as np.max's rule does (axis None: one answer, shared by all equal entries)."""
    hits = [np.asarray(items[k]) == ans for k in range(n)]
    count = sum(hits) if axis == 0 else sum(np.sum(h) for h in hits)
    for k in range(n):
        if np.any(hits[k]):
            adj_add(d, k, g * hits[k] / count)


def adj_add_all(d, g, n):
    for k in range(n):
        adj_add(d, k, g)


NAMESPACE.update(list_sum=sum, adj_add=adj_add, list_pos=list_pos, adj_add_stacked=adj_add_stacked,
                 adj_add_concat=adj_add_concat, adj_add_all=adj_add_all, adj_add_extremum=adj_add_extremum)


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
        self.first_binding = {L: i for L, i in rebound(gen.fn).items() if L in lists}  # (bound again later)
        self.moves = {k: v for k, v in list_moves(gen.fn).items() if v[0] in lists}
        self.moved_away = {M for _, M in self.moves.values()}  # (their adjoint comes from the move's reverse)
        # lists no derivative reaches (sorted()'s keys, ints read into an index): no adjoint, no count
        # (a list handed to or from another name keeps them: the hand-over passes them on)
        handed = {n for pair in self.moves.values() for n in pair}
        self.quiet = {L for L in lists if not gen.act.is_active(L)} - handed

    def rebind(self, s):
        """Reverse of `L = []`: a list of one pass gets back the one it replaced (`restored`); a list
        bound again (`rebound`) gets it back too, and starts its adjoint and count afresh.  Reverse
        of `L = M` (`list_moves`): first M's adjoint and count are the ones L has."""
        L, code = s.target, []
        if id(s) in self.moves:
            M = self.moves[id(s)][1]
            code = [Assign((self.grad(M),), Name(self.grad(L)), s.loc), Assign((self.pos(M),), Name(self.pos(L)), s.loc)]
        if L in self.restored:
            return code + [self.gen.restore(L, s)]
        if L not in self.first_binding or self.first_binding[L] == id(s):
            return code
        return code + [self.gen.restore(L, s)] + self.prologue(s.loc, {L}, fresh=False)

    def grad(self, L):
        return self.gen.names.get(("grad", L), f"grad_{L}")

    def pos(self, L):
        return self.gen.names.get(("pos", L), f"pos_{L}")

    def prologue(self, loc, lists=None, fresh=True):
        """The adjoint of each list (of the function, or of one loop's pass: `lists`), empty, and its
        count of elements, at the start of the reverse sweep (of that pass); not of a list handed to
        another name (its adjoint comes from the reverse of that hand-over), unless not `fresh` (a
        list bound again: the one its binding gives back)."""
        out = []
        for L in sorted((self.lists - self.in_loops if lists is None else lists) - (self.moved_away if fresh else set())
                        - self.quiet):
            out.append(Assign((self.grad(L),), ir.DictExpr((), ()), loc))
            out.append(Assign((self.pos(L),), Call("len", (Name(L),)), loc))
        return out

    def append(self, s):
        """Reverse of `L.append(v)`: one element fewer; v gets the adjoint of the element it made."""
        L, v = s.target, s.value.args[1]
        refuse_container_append(s, self.gen.act.is_active)
        if L in self.quiet:
            return []
        pos = Name(self.pos(L))
        code = [Assign((self.pos(L),), Call("sub", (pos, Const(1))), s.loc)]
        if isinstance(v, Name) and self.gen.act.is_active(v.id):
            popped = Call(".pop", (Name(self.grad(L)), pos, Const(0.0)))
            code += self.gen.accumulate(v.id, [popped], s, alias_ok=False, exact=False)
        return code

    def pop(self, s):
        """Reverse of `L.pop()`: the element comes back (its adjoint, from the read `x = L[-1]`
        before the pop, is added at this position when the reverse sweep reaches that read)."""
        L = s.target
        if L in self.quiet:
            return []
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
        if op in _EXTREMA:
            axis = call.kw("axis")
            if len(call.args) > 1 or [k for k, _ in call.kwargs if k != "axis"] or axis not in (None, Const(0)):
                raise UnsupportedSyntaxError(f"{op}(...) of the list '{L}' with an axis other than 0 (stack it "
                                             f"first: np.stack({L}))", s.loc)
            return [ExprStmt(Call("adj_add_extremum", (d, g, Name(L), n, Name(t)) + ((axis,) if axis else ())),
                             s.loc)]
        if op in ("np.array", "np.asarray"):
            if len(call.args) > 1 or any(k != "dtype" for k, _ in call.kwargs):
                raise UnsupportedSyntaxError(f"{op}(...) of the list '{L}' with arguments other than a dtype given "
                                             f"by keyword (write {op}({L}, dtype=...), then reshape the array)", s.loc)
            if casts_to_integer(call):
                return []  # (an integer or boolean array: piecewise constant, no cotangent reaches the list)
        if op == "np.concatenate" and call.kw("axis") == Const(None):
            raise UnsupportedSyntaxError(f"np.concatenate(..., axis=None) of the list '{L}' (write "
                                         f"np.concatenate([np.ravel(v) for v in {L}]))", s.loc)
        axis = call.kw("axis") if call.kw("axis") is not None else (call.args[1] if len(call.args) > 1 else Const(0))
        full = E(g).e if op == "list_sum" else Call("np.broadcast_to", (g, Call("np.shape", (Name(t),))))
        if op in ("np.stack", "np.array", "np.asarray"):
            return [ExprStmt(Call("adj_add_stacked", (d, full, n, axis)), s.loc)]
        if op == "np.vstack":
            raise UnsupportedSyntaxError("np.vstack of a list built at run time (use np.stack or np.concatenate)", s.loc)
        if op == "np.hstack":  # (the items' axis 1, or axis 0 of 1-D items: decided when it runs)
            axis = Const("h")
        if op == "np.column_stack":
            if len(call.args) > 1 or call.kwargs:
                raise UnsupportedSyntaxError(f"np.column_stack of the list '{L}' with more arguments", s.loc)
            axis = Const("c")
        if op in ("np.concatenate", "np.hstack", "np.column_stack"):
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
