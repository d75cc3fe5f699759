"""Which names are lists built at run time, and where each list's life begins: the static half of
ad/lists.py (the reverse sweep's half is ListAdjoints there).

A list is bound to `[]` (or handed over from another: `list_moves`) and otherwise only appended to
or popped from.  Its bindings come in four kinds, each refused at its line when none applies:
- once, in the function's own body: the function's reverse starts its adjoint;
- once, at the top of a loop's body (`loop_lists`) or of a branch (`branch_lists`), and used only
  there: the reverse of that pass or branch starts it (a pass's list comes back with its group,
  analysis._loop_locals, or from its binding's record: `restored`);
- first in a block outside every loop and then again anywhere in it (`rebound`): each later binding
  records the list it replaces and its reverse gives it back and starts that list's adjoint afresh;
- at the top of two or more loops or branches, each use inside one of them (`_shared`: one name
  reused for each scope's own list), given back as a pass's list is.
Guarantees: every read of a list in the reverse sweep reads the very list object the forward sweep
read, with the elements it had then (a list is only appended to, so its first `pos_L` elements are
those); a loop over a list (its trip count is the list's length) sees no append after it.
"""
from __future__ import annotations

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..frontend.user_words import user_name
from ..ir import Assign, Call, ListExpr, Name

_EXTREMA = {"np.max", "np.min", "np.amax", "np.amin"}  # (max(L), min(L): frontend/calls.py)
_READS = {"getitem", "np.stack", "np.array", "np.asarray", "np.concatenate", "list_sum", "np.vstack", "np.hstack",
          "np.column_stack"} \
    | _EXTREMA


_MEMO = {}  # (analysis, id(fn)) -> (fn, result): the IR is immutable, and each analysis is asked for
# several times per compilation (list_vars, ListAdjoints, restored, the checkpoint plan)


def _per_function(analysis):
    """analysis(fn), computed once per function object (the last few kept)."""
    def once(fn):
        hit = _MEMO.get((analysis, id(fn)))
        if hit is not None and hit[0] is fn:
            return hit[1]
        if len(_MEMO) > 64:
            _MEMO.clear()
        result = analysis(fn)
        _MEMO[(analysis, id(fn))] = (fn, result)
        return result
    once.__doc__, once.__name__ = analysis.__doc__, analysis.__name__
    return once


def reads_list(s, lists) -> bool:
    v = s.value if isinstance(s, Assign) else None
    return isinstance(v, Call) and v.op in _READS and v.args and isinstance(v.args[0], Name) \
        and v.args[0].id in lists


def _scopes_of_bindings(fn, moved) -> list:
    """(key, L, block, i, header) for each binding of a list at the top of a loop's body (key id(loop))
    or of a branch (key (id(if), side)): block[i] binds L; header, the loop's test or iterable."""
    out = []
    for x in ir.walk(fn.body):
        if isinstance(x, (ir.For, ir.While)):
            sides = [(id(x), list(x.body), x.test if isinstance(x, ir.While) else x.iter)]
        elif isinstance(x, ir.If):
            sides = [((id(x), 0), list(x.body), None), ((id(x), 1), list(x.orelse), None)]
        else:
            continue
        for key, block, header in sides:
            out += [(key, st.target, block, i, header) for i, st in enumerate(block) if _binds(st, moved)]
    return out


@_per_function
def _shared(fn) -> dict:
    """L -> the keys of its scopes, for a list bound in two or more loops or branches, each binding at
    the top of its own, with every use of L inside one of them after its binding (the same name
    reused: `rows = []` in two loops one after the other).  Each scope's list is its own; the
    reverse of each binding gives back the list before it (`restored`)."""
    found, moved = {}, list_moves(fn)
    for key, L, block, i, header in _scopes_of_bindings(fn, moved):
        found.setdefault(L, []).append((key, block, i, header))
    out = {}
    for L, scopes in found.items():
        bindings = [x for x in ir.walk(fn.body) if isinstance(x, Assign) and x.targets == (L,) and _binds(x, moved)]
        if len(scopes) < 2 or len(scopes) != len(bindings):
            continue
        inside = [{id(x) for x in ir.walk(block)} for _, block, _, _ in scopes]
        if any(id(block[i]) in other for (_, block, i, _), mine in zip(scopes, inside) for other in inside
               if other is not mine):
            continue  # (one scope inside another)
        if any(L in ir.stmt_reads(x) or L in ir.stmt_writes(x) for _, block, i, _ in scopes for x in ir.walk(block[:i])) \
                or any(header is not None and L in ir.expr_names(header) for _, _, _, header in scopes):
            continue
        within = set().union(*inside)
        if all(id(x) in within for x in ir.walk(fn.body) if L in ir.stmt_reads(x) or L in ir.stmt_writes(x)):
            out[L] = {key for key, _, _, _ in scopes}
    return out


@_per_function
def loop_lists(fn) -> dict:
    """id(loop) -> the lists made anew in each pass of that loop: bound to `[]` once, at the top
    level of its body, only appended to or popped from after that, and read nowhere but in the rest
    of that body -- a list of one iteration, which the reverse sweep gets back with the iteration's
    other values (analysis._loop_locals; in a loop with a `break`, which has no such group, from
    the record its binding keeps: `restored`) and starts its adjoint from."""
    out, moved = {}, list_moves(fn)
    shared = _shared(fn)
    for loop in ir.walk(fn.body):
        if not isinstance(loop, (ir.For, ir.While)):
            continue
        inside = {id(x) for x in ir.walk(loop.body)}
        for i, s in enumerate(loop.body):
            if not _binds(s, moved):
                continue
            L = s.target
            uses = [x for x in ir.walk(fn.body) if L in ir.stmt_reads(x) or L in ir.stmt_writes(x)]
            if id(loop) in shared.get(L, ()):
                uses = [x for x in uses if id(x) in inside]  # (the other scopes' uses are their lists')
            if any(id(x) not in inside for x in uses) or any(L in ir.stmt_reads(x) for x in ir.walk(loop.body[:i])) \
                    or L in ir.expr_names(loop.test if isinstance(loop, ir.While) else loop.iter):
                continue
            if all(x is s or not (L in ir.stmt_writes(x)) or isinstance(x, Assign) and (_is_append(x) or _is_pop(x))
                   for x in uses):
                out.setdefault(id(loop), set()).add(L)
    return out


@_per_function
def branch_lists(fn) -> dict:
    """(id(if), 0 for its body or 1 for its else) -> the lists made in that branch of an `if`:
    bound to `[]` once, at the top level of the branch, and used nowhere outside it (the rest of a
    function after a guard clause's `return` is such a branch: passes/normalize.py).  The branch's
    reverse starts their adjoints from empty and their own length, as a loop's pass does; the
    branch not taken never reads them.  In a loop, each pass that takes the branch makes a new
    list, which the reverse sweep gets back from the record its binding keeps (`restored`)."""
    out, moved = {}, list_moves(fn)
    shared = _shared(fn)

    def visit(block):
        for s in block:
            if isinstance(s, (ir.For, ir.While)):
                visit(s.body)
            if not isinstance(s, ir.If):
                continue
            for side, branch in ((0, s.body), (1, s.orelse)):
                inside = {id(x) for x in ir.walk(branch)}
                for i, st in enumerate(branch):
                    if not _binds(st, moved):
                        continue
                    L = st.target
                    uses = [x for x in ir.walk(fn.body) if L in ir.stmt_reads(x) or L in ir.stmt_writes(x)]
                    if (id(s), side) in shared.get(L, ()):
                        uses = [x for x in uses if id(x) in inside]
                    if any(id(x) not in inside for x in uses) or any(
                            L in ir.stmt_reads(x) or L in ir.stmt_writes(x) for x in ir.walk(branch[:i])):
                        continue
                    out.setdefault((id(s), side), set()).add(L)
                visit(branch)
    visit(fn.body)
    return out


@_per_function
def restored(fn) -> set:
    """The lists of one pass that no iteration group brings back (analysis._loop_locals): made in a
    pass of a loop with a `break`, or in a branch inside a loop, or one name's lists made in two or
    more loops or branches (`_shared`).  Each binding `L = []` records the
    list it replaces, and the reverse of that binding gives it back, so the reverse of a pass sees
    that pass's list (only appended to: exactly the elements it had at the end of the pass)."""
    grouped = {id(x) for x in ir.walk(fn.body) if isinstance(x, (ir.For, ir.While))
               and not any(isinstance(y, ir.Break) for y in ir.walk(x.body))}
    out = {L for k, names in loop_lists(fn).items() if k not in grouped for L in names}
    looped = {id(y) for x in ir.walk(fn.body) if isinstance(x, (ir.For, ir.While)) for y in ir.walk(x.body)}
    shared = set(_shared(fn))  # (one name, a list per scope: each binding gives the last back)
    return out | shared | {L for (k, _), names in branch_lists(fn).items() if k in looped for L in names}


def _is_new_list(s) -> bool:
    return isinstance(s, Assign) and len(s.targets) == 1 and s.value == ListExpr(())


@_per_function
def list_moves(fn) -> dict:
    """id(statement) -> (L, M) for each `L = M` that hands a list M over to the name L: M is bound to
    `[]` and used nowhere after the statement -- every use of M comes before it in its block (outside
    every loop), or after a binding `M = []` at the top of that block (in a loop: each pass makes M
    anew).  A comprehension reading its own target, `hs = [f(h) for h in hs]`, builds `items` and
    then binds hs to it; a helper returning a list it built hands it to the caller's name.  L is
    bound there like `L = []`; in reverse, M's adjoint is the one L had at that point."""
    made = {s.target for s in ir.walk(fn.body) if _is_new_list(s)}
    looped = {id(y) for x in ir.walk(fn.body) if isinstance(x, (ir.For, ir.While)) for y in ir.walk(x.body)}
    out = {}

    def bound_otherwise():
        """Names bound to other than a list too: no list (`rewards = np.asarray(rewards)` in a helper
        given one)."""
        return {t for s in ir.walk(fn.body) for t in ir.stmt_writes(s) if not (
            isinstance(s, Assign) and len(s.targets) == 1 and (_is_new_list(s) or _is_append(s) or _is_pop(s)
                                                               or isinstance(s.value, Name) and s.value.id in made))}

    def visit(block, other):
        for i, s in enumerate(block):
            for sub in (getattr(s, "body", ()), getattr(s, "orelse", ())):
                visit(list(sub), other)
            if not (isinstance(s, Assign) and len(s.targets) == 1 and isinstance(s.value, Name)
                    and s.value.id in made and s.target != s.value.id and s.target not in fn.params
                    and s.target not in other):
                continue
            M = s.value.id
            starts = [j for j, x in enumerate(block[:i]) if _binds(x, out) and x.target == M]
            if id(s) in looped and not starts:
                continue
            before = {id(x) for x in ir.walk(block[starts[-1] if starts else 0:i + 1])}
            if all(id(x) in before for x in ir.walk(fn.body) if M in ir.stmt_reads(x) or M in ir.stmt_writes(x)):
                out[id(s)] = (s.target, M)
    while True:  # (a list handed on again: `t = items; hs = t`, a helper's returned tuple unpacked)
        found = len(out)
        visit(list(fn.body), bound_otherwise())
        made |= {L for L, _ in out.values()}
        if len(out) == found:
            return out


def _binds(s, moved) -> bool:
    """Whether s makes a list (`L = []`) or hands one to its target (`list_moves`)."""
    return _is_new_list(s) or id(s) in moved


@_per_function
def rebound(fn) -> dict:
    """Name -> id of its first binding, for the lists bound to `[]` (or handed a list: `list_moves`)
    more than once where that first binding is a statement of a block outside every loop (the
    function's body, or a branch of an `if` there) that holds every later binding and every use
    (`queue = [...]` before a loop whose passes build the next `queue` from it).  Each later binding
    records the list it replaces, and its reverse gives it back and starts that list's adjoint
    afresh: the list bound there is only appended to after it, so the reverse of those appends has
    emptied the entries of every element it got (a constant's entry stays: it must not reach the
    old list)."""
    sites, moved = {}, list_moves(fn)
    for s in ir.walk(fn.body):
        if _binds(s, moved):
            sites.setdefault(s.target, []).append(s)
    blocks = {}  # id(statement) -> the block it is a statement of, for the blocks outside every loop

    def visit(block):
        for s in block:
            blocks[id(s)] = block
            if isinstance(s, ir.If):
                visit(list(s.body))
                visit(list(s.orelse))
    visit(list(fn.body))
    out = {}
    for L, ss in sites.items():
        block = blocks.get(id(ss[0]))
        if len(ss) < 2 or block is None:
            continue
        rest = block[next(i for i, x in enumerate(block) if x is ss[0]):]
        inside = {id(x) for x in ir.walk(rest)}
        if all(id(x) in inside for x in ir.walk(fn.body) if L in ir.stmt_reads(x) or L in ir.stmt_writes(x)):
            out[L] = id(ss[0])
    return out


def list_vars(fn) -> set:
    """The names of lists built at run time, each checked to be bound (to `[]`, or handed a list) in
    one of the ways the module docstring lists and otherwise only appended to or popped from."""
    again, moved = rebound(fn), list_moves(fn)
    shared = _shared(fn)
    top = {s.target for s in fn.body if _binds(s, moved)}
    own = loop_lists(fn)
    top |= {L for names in own.values() for L in names} | {L for names in branch_lists(fn).values() for L in names}
    names, made = set(), set()
    for s in ir.walk(fn.body):
        if _binds(s, moved):
            if s.target in made and (s.target in again or s.target in shared):
                continue
            if s.target in made:  # the reverse sweep counts one list's positions per name
                shown = user_name(s.target, s.loc.text if s.loc else None) or s.target
                raise UnsupportedSyntaxError(f"the list '{shown}' is created twice, and its first binding is inside "
                                             "a loop or comes after a use (a list bound again is followed when its "
                                             "first binding, outside every loop, comes before every other binding "
                                             f"and use): bind it once before ({shown} = [] before the loop), or "
                                             "give the second list a name of its own", s.loc)
            made.add(s.target)
            if s.target not in top:
                if "split(" in (s.loc.text if s.loc else ""):  # parts = np.split(...): a list (frontend/listbuild)
                    raise UnsupportedSyntaxError(f"the list '{s.target}' of np.split's pieces is made inside a loop "
                                                 "or a branch (or twice): unpack the pieces into names instead "
                                                 "(a, b, c = np.split(x, 3)), or split once before the loop", s.loc)
                shown = user_name(s.target, s.loc.text if s.loc else None) or s.target
                raise UnsupportedSyntaxError(f"the list '{shown}' is created inside a loop or a branch, and "
                                             "s2sgrad cannot tell which list each use reads: it is read outside "
                                             "that loop or branch, or made in two of them (give each its own "
                                             "name; a `return` inside a loop makes the rest of the pass twice). "
                                             "Create it once, before the loop, or read it only in the pass or "
                                             "branch that makes it", s.loc)
            names.add(s.target)
    _refuse_loops_before_appends(fn.body, names, own, branch_lists(fn), moved)  # (computed once: _per_function)
    popped = {s.target for s in ir.walk(fn.body) if isinstance(s, Assign) and _is_pop(s)}
    for s in ir.walk(fn.body):
        if isinstance(s, Assign) and isinstance(s.value, Call) and s.value.op in ("np.concatenate", "np.hstack") \
                and s.value.args and isinstance(s.value.args[0], Name) and s.value.args[0].id in popped:
            raise UnsupportedSyntaxError(f"np.concatenate of the list '{s.value.args[0].id}', which is popped from: "
                                         "stack it (np.stack) or concatenate its elements by index", s.loc)
        if isinstance(s, Assign) and (_is_append(s) or _is_pop(s)) and (
                s.value.args[0] != Name(s.target) or s.target not in names):
            shown = user_name(s.target, s.loc.text if s.loc else None) or s.target
            raise UnsupportedSyntaxError(f"appending to (or popping from) '{shown}', another name for a list built "
                                         f"at run time ({shown} = hs): s2sgrad follows a list through its own name "
                                         "only; append to that name", s.loc)
        for t in ir.stmt_writes(s):
            if t in names and not (isinstance(s, Assign) and (_is_append(s) or _is_pop(s) or _binds(s, moved))):
                raise UnsupportedSyntaxError(f"the list '{t}' is changed other than by append(): a list of "
                                             "arrays may only be appended to", s.loc)
    return names


def _refuse_loops_before_appends(body, names, own, own_branch, moved):
    """A `for` over a list (its range reads len(hs)) must come after every append to it, outside
    any loop that appends to it: the reverse sweep takes the loop's trip count from the list's
    final length (a list appended to after the loop ran out of saved values: a raw IndexError)."""
    def appends_in(block):  # (and pops: a loop's trip count is the list's final length)
        return {s.target for s in ir.walk(block) if isinstance(s, Assign) and (_is_append(s) or _is_pop(s))}

    def suffixes(block):
        """For each i, the lists appended to (or popped from) in block[i + 1:] before that part binds
        them anew at the block's own level: later appends go to another list (`rebound`; a break
        or return after the loop leaves it without them, and `later` keeps the appends after the
        block).  Computed from the end, once per block."""
        out, acc = [set()] * len(block), set()
        for i in range(len(block) - 1, -1, -1):
            out[i] = acc
            s = block[i]
            acc = (acc - {s.target}) if _is_new_list(s) or id(s) in moved else acc | appends_in([s])
        return out, acc

    if not names:
        return

    def visit(block, later, enclosing):
        rest, _ = suffixes(block)
        for i, s in enumerate(block):
            after = later | rest[i]
            if isinstance(s, ir.For):
                looped = {n for n in ir.expr_names(s.iter) if n in names}
                bad = looped & (after | enclosing | appends_in(s.body))
                if bad:
                    n = sorted(bad)[0]
                    n = user_name(n, s.loc.text if s.loc else None) or n  # (a helper's list: the name it has there)
                    raise UnsupportedSyntaxError(f"a loop over the list '{n}' that is appended to later (or in a "
                                                 "loop around it): loop over it after its last append, or keep "
                                                 "the items of that point in a list of their own", s.loc)
            if isinstance(s, (ir.For, ir.While)):  # (a list of one pass is another list in the next)
                # (a list of one pass of this loop is used only in that pass: no append of the
                # loops around it, nor of this loop's other passes, reaches it)
                visit(list(s.body), after, (enclosing | suffixes(list(s.body))[1]) - own.get(id(s), set()))
            elif isinstance(s, ir.If):  # (a list of a branch is made anew there: no earlier appends count)
                visit(list(s.body), after, enclosing - own_branch.get((id(s), 0), set()))
                visit(list(s.orelse), after, enclosing - own_branch.get((id(s), 1), set()))
    visit(list(body), set(), set())


def _is_append(s):
    return isinstance(s.value, Call) and s.value.op == "list_append"


def _is_pop(s):
    return isinstance(s.value, Call) and s.value.op == "list_pop"


def settled(fn, lists) -> set:
    """The lists whose every change (creation, append, pop) comes before every statement that reads
    them otherwise, in the order of the code (or after a binding of the list anew in the function's
    own body: a change after it is to another list), and in no loop around such a read: an index
    read inline (`logp[t, ext[s]]`), which the reverse sweep evaluates again, sees the same list
    then (a list bound again is given back at its bindings: ListAdjoints.rebind)."""
    top = {id(s) for s in fn.body}
    loops = [x for x in ir.walk(fn.body) if isinstance(x, (ir.For, ir.While))]
    out = set()
    for name in lists:
        changes, reads, read_since = [], [], False
        for s in ir.walk(fn.body):
            changed = isinstance(s, Assign) and name in s.targets
            if changed and id(s) in top and not (_is_append(s) or _is_pop(s)):
                read_since = False
            if changed:
                changes.append(s)
                if read_since:
                    break
            seen = ir.stmt_reads(s)
            if name in seen and not (changed and isinstance(s.value, Call) and s.value.args
                                     and s.value.args[0] == Name(name) and seen.count(name) == 1):
                reads.append(s)
                read_since = True
        else:
            if not any(_spans_passes(x, name, changes, reads) for x in loops):
                out.add(name)
    return out


def _spans_passes(loop, name, changes, reads) -> bool:
    """Whether a change of the list in one pass of loop may come after a read of it in the pass
    before: the loop holds both, and its body does not bind the list anew first (at its top)."""
    inside = {id(y) for y in ir.walk(loop.body)}
    if not (any(id(c) in inside for c in changes) and any(id(r) in inside for r in reads)):
        return False
    for s in loop.body:
        if isinstance(s, Assign) and s.targets == (name,) and not (_is_append(s) or _is_pop(s)):
            return False  # (a binding: every change and read of this pass comes after it)
        if any(id(y) in {id(c) for c in changes} | {id(r) for r in reads} for y in ir.walk([s])):
            return True
    return True


def refuse_other_uses(fn, lists, is_active):
    """A list variable used anywhere but by append, `len`, the reads above and the hand-over of a list
    to another name (`list_moves`) is refused at its line -- except a list no derivative reaches,
    built before it is read (ints read into an index, `logp[t, ext[s]]`), which may be used anyhow.
    Both sweeps ask this (reverse: adjoints.py; forward: forward.py)."""
    if not lists:
        return
    lists = lists - ({n for n in lists if not is_active(n)} & settled(fn, lists))
    moved = list_moves(fn)
    for s in ir.walk(fn.body):
        if id(s) in moved:
            continue
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
                said = user_name(used[0], s.loc.text if s.loc else None) or used[0]
                what = f"the list '{said}'" + ("" if not used[0].startswith("items") else
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
