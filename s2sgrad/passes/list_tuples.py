"""A list of tuples built at run time, kept as one list per tuple position.

    joints = [(x, y)]                 joints_0 = []; joints_1 = []
    for ...:                          joints_0.append(x); joints_1.append(y)
        joints.append((x, y))   ->    for ...:
    ex, ey = joints[-1]                   joints_0.append(x); joints_1.append(y)
                                      ex = joints_0[-1]; ey = joints_1[-1]

ad/lists.py differentiates a run-time list whose elements are values (arrays, numbers); a tuple
element has no adjoint of its own there.  Each position of the tuples is such a list, and a
read of a tuple whose parts are then unpacked reads each part from its list.

A list of tuples read only whole as an array (`np.array(traj)`, np.stack, np.concatenate, ...)
has its tuples made arrays where they are appended (`traj_item = np.array((x, y));
traj.append(traj_item)`): numpy reads a tuple element exactly as it reads np.array of it.

Guarantee: split only to a list bound to `[]` once at the top level, every append of which is a
tuple literal of one length n, popped only by `L.pop()` (each part's list pops; `a, b = L.pop()`
reads the last tuple's parts first), and read only through `len(L)` and `t = L[i]` where t is bound
once and read only by its unpacking (`unpack_count(t, n)`, `t[j]` for constant j).  Every part is
read where the tuple was, at the index's value there.  Any other use leaves the function as it
was, and ad/lists.py refuses it with its message.
"""
from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..ir import Assign, Call, Const, ExprStmt, ListExpr, Name
from .list_slices import _len_only
from .normalize import _fresh


def split_tuple_lists(fn: ir.Function) -> ir.Function:
    writes = ir.all_writes(fn.body)
    lists = {s.target for s in fn.body if isinstance(s, Assign) and len(s.targets) == 1
             and s.value == ListExpr(()) and writes.count(s.target) > 1}
    for L in sorted(lists):
        n = _arity(fn.body, L)
        if n is not None and _read_by_parts(fn.body, L, n):
            fn = _split(fn, L, n)
        elif n is not None and _read_as_array(fn.body, L):
            fn = _wrapped(fn, L)
    return fn


_AS_ARRAY = {"np.array", "np.asarray", "np.stack", "np.vstack", "np.concatenate", "np.hstack"}


def _read_as_array(body, L) -> bool:
    def whole(s, v):  # np.array(L), np.stack(L, axis=...) with the other arguments free of L
        ok = isinstance(v, Call) and v.op in _AS_ARRAY and v.args[0] == Name(L) and \
            all(_len_only(e, L) for e in list(v.args[1:]) + [e for _, e in v.kwargs])
        return True if ok else None
    return _reads_only(body, L, whole)


def _reads_only(body, L, accept, n=None) -> bool:
    """Whether every statement reading L appends to it, is accepted by accept(statement, value)
    (True; None: look further), or reads it only through len(L) (and, given the tuples' length n,
    through `L[i][j]`: _part_reads)."""
    for s in ir.walk(body):
        if L not in ir.stmt_reads(s):
            continue
        v = s.value if isinstance(s, Assign) and len(s.targets) == 1 else None
        if isinstance(v, Call) and v.op == "list_append" and s.targets == (L,) or _popped(v, L):
            continue
        ok = accept(s, v)
        if ok is not None:
            if not ok:
                return False
            continue
        if isinstance(s, ir.SetItem) and s.target == L or \
                any(not (_len_only(e, L) if n is None else _part_reads(e, L, n)) for e in ir.exprs_of(s)):
            return False
    return True


def _wrapped(fn: ir.Function, L: str) -> ir.Function:
    taken = set(fn.params) | set(ir.all_writes(fn.body)) | set(ir.all_reads(fn.body))

    def block(body):
        out = []
        for s in body:
            if isinstance(s, Assign) and s.targets == (L,) and isinstance(s.value, Call) and s.value.op == "list_append":
                item = _fresh(f"{L}_item", taken)
                out.append(Assign((item,), Call("np.array", (s.value.args[1],)), s.loc))
                out.append(replace(s, value=Call("list_append", (Name(L), Name(item)))))
                continue
            out.append(ir.map_blocks(s, block))
        return out
    return replace(fn, body=tuple(block(fn.body)))


def _arity(body, L):
    """n when every binding of L after `L = []` is `L.append((e_1, ..., e_n))` (or of a list literal);
    None otherwise."""
    sizes = set()
    for s in ir.walk(body):
        if L not in ir.stmt_writes(s):
            continue
        v = s.value if isinstance(s, Assign) and s.targets == (L,) else None
        if v == ListExpr(()) or _popped(v, L):
            continue
        if not (isinstance(v, Call) and v.op == "list_append" and v.args[0] == Name(L)
                and isinstance(v.args[1], (ir.Tuple, ListExpr)) and not any(L in ir.expr_names(e) for e in v.args[1].elts)):
            return None
        sizes.add(len(v.args[1].elts))
    return sizes.pop() if len(sizes) == 1 and min(sizes) > 0 else None


def _popped(v, L) -> bool:
    """Whether v is `list_pop(L, i)` (`L.pop()`, after the element was read as `t = L[-1]`)."""
    return isinstance(v, Call) and v.op == "list_pop" and v.args[0] == Name(L)


def _read_by_parts(body, L, n) -> bool:
    writes = ir.all_writes(body)

    def by_parts(s, v):  # t = L[i], t only unpacked
        if not (isinstance(v, Call) and v.op == "getitem" and v.args[0] == Name(L)):
            return None
        t = s.target
        return not (t == L or isinstance(v.args[1], ir.Slice) or L in ir.expr_names(v.args[1])
                    or writes.count(t) != 1 or not _unpacked_only(body, t, n))
    return _reads_only(body, L, by_parts, n)


def _part_of(e, L, n):
    """(i, j) where e is `L[i][j]` (j a constant position, i a plain index free of L); else None."""
    if isinstance(e, Call) and e.op == "getitem" and not e.kwargs and len(e.args) == 2:
        inner, j = e.args[0], _part(e.args[1], n)
        if isinstance(inner, Call) and inner.op == "getitem" and not inner.kwargs and inner.args[0] == Name(L) \
                and not isinstance(inner.args[1], ir.Slice) and L not in ir.expr_names(inner.args[1]) \
                and j is not None:
            return inner.args[1], j
    return None


def _part_reads(e, L, n) -> bool:
    """Whether e reads L only through len(L) and `L[i][j]` (`blocks[-2][0] > blocks[-1][0]`)."""
    if _part_of(e, L, n) is not None:
        return True
    if isinstance(e, Call) and not (e.op == "len" and e.args == (Name(L),)):
        return all(_part_reads(a, L, n) for a in e.args) and all(_part_reads(v, L, n) for _, v in e.kwargs)
    if isinstance(e, (ir.Tuple, ListExpr)):
        return all(_part_reads(x, L, n) for x in e.elts)
    return _len_only(e, L)


def _by_parts(e, L, parts):
    """e with `L[i][j]` read as `L_j[i]`, and len(L) as len(L_0)."""
    at = _part_of(e, L, len(parts))
    if at is not None:
        return Call("getitem", (Name(parts[at[1]]), at[0]))
    if isinstance(e, Call):
        if e.op == "len" and e.args == (Name(L),):
            return Call("len", (Name(parts[0]),))
        return replace(e, args=tuple(_by_parts(a, L, parts) for a in e.args),
                       kwargs=tuple((k, _by_parts(v, L, parts)) for k, v in e.kwargs))
    if isinstance(e, (ir.Tuple, ListExpr)):
        return type(e)(tuple(_by_parts(x, L, parts) for x in e.elts))
    return e


def _unpacked_only(body, t, n) -> bool:
    for s in ir.walk(body):
        if t not in ir.stmt_reads(s):
            continue
        v = s.value if isinstance(s, (Assign, ExprStmt)) else None
        if isinstance(s, ExprStmt) and v == Call("unpack_count", (Name(t), Const(n))):
            continue
        if isinstance(s, Assign) and len(s.targets) == 1 and isinstance(v, Call) and v.op == "getitem" \
                and not v.kwargs and v.args[0] == Name(t) and _part(v.args[1], n) is not None:
            continue
        return False
    return True


def _part(e, n):
    ok = isinstance(e, Const) and isinstance(e.value, int) and not isinstance(e.value, bool) and -n <= e.value < n
    return e.value % n if ok else None


def _split(fn: ir.Function, L: str, n: int) -> ir.Function:
    taken = set(fn.params) | set(ir.all_writes(fn.body)) | set(ir.all_reads(fn.body))
    parts = [_fresh(f"{L}_{j}", taken) for j in range(n)]
    read = {}  # tuple name t -> the names its parts were read into

    def block(body):
        out = []
        for s in body:
            v = s.value if isinstance(s, (Assign, ExprStmt)) else None
            if isinstance(s, Assign) and s.targets == (L,):
                if v == ListExpr(()):
                    out.extend(replace(s, targets=(p,)) for p in parts)
                elif _popped(v, L):  # L.pop(): each part's list pops its last element
                    out.extend(replace(s, targets=(p,), value=Call("list_pop", (Name(p),) + v.args[1:])) for p in parts)
                else:
                    out.extend(replace(s, targets=(p,), value=Call("list_append", (Name(p), e)))
                               for p, e in zip(parts, v.args[1].elts))
                continue
            if isinstance(v, Call) and v.op == "getitem" and v.args[0] == Name(L):
                # the parts are read here, where the index has the value it has here (the tuple
                # itself is never built)
                read[s.target] = [_fresh(f"{s.target}_{j}", taken) for j in range(n)]
                out.extend(Assign((r,), Call("getitem", (Name(p), v.args[1])), s.loc)
                           for r, p in zip(read[s.target], parts))
                continue
            if isinstance(s, ExprStmt) and isinstance(v, Call) and v.op == "unpack_count" and v.args[0] in map(Name, read):
                continue
            if isinstance(s, Assign) and isinstance(v, Call) and v.op == "getitem" and isinstance(v.args[0], Name) \
                    and v.args[0].id in read:
                out.append(replace(s, value=Name(read[v.args[0].id][_part(v.args[1], n)])))
                continue
            out.append(ir.map_blocks(ir.with_exprs(s, lambda e: _by_parts(e, L, parts)), block))
        return out
    return replace(fn, body=tuple(block(fn.body)))
