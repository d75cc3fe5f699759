"""A list built at run time given to a numpy function that reads it as an array: `np.mean(losses)`;
and a list made of an array's items, then written by index: `season = list(y[:m] - level)`.

numpy converts a list argument with np.asarray before it computes, so `np.mean(losses)` is
`np.mean(np.array(losses))`; this pass writes it so (`losses_array = np.array(losses)`), and
ad/lists.py differentiates np.array of a list.

Guarantee: only the functions below, whose first argument numpy reads as one array (never as a
sequence of arrays, as np.stack or np.concatenate do), and only their first argument; only a list
bound to `[]` at the top level (a list ad/lists.py follows).  Anything else is left as it was.

`rows_as_array`: `L = list(x)` of an array x, or `L = [c] * n` of a float constant c (the list of
np.full(n, c)), (not a container: decided by the container pass, or
by `marked_as_arrays` where it does not run), bound once and used only by element (`L[i]`,
`L[i] = v` with no slice, len, iteration, np.array/np.asarray, the functions above, sum) is the
array's copy (`list_as_array(x, written)`, which raises when it runs for anything but a float64 or
complex128 array: a list of ints would keep a float written into it, an array would truncate it; a
float32 array would round a float64 value a list keeps; and, where the list is written into, for
anything but one axis: a row written into a list may be any object, into an array it broadcasts).  Element by element the two read and write the
same values, and s2sgrad differentiates writes into an array (a list of its own it would refuse).
"""
from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..ir import Assign, Call, Const, ListExpr, Name
from .normalize import _fresh

_AS_ARRAY = frozenset({
    "np.mean", "np.sum", "np.max", "np.min", "np.amax", "np.amin", "np.prod", "np.std", "np.var", "np.median",
    "np.average", "np.linalg.norm", "np.cumsum", "np.cumprod", "np.ptp", "np.percentile", "np.quantile",
    "np.sort", "np.nanmean", "np.nansum", "np.nanmax", "np.nanmin", "np.argmax", "np.argmin", "np.diff",
    "np.exp", "np.log", "np.abs", "np.sqrt", "np.square", "np.tanh", "np.maximum", "np.minimum", "np.clip",
})


def lists_read_as_arrays(fn: ir.Function) -> ir.Function:
    lists = {s.target for s in fn.body if isinstance(s, Assign) and len(s.targets) == 1 and s.value == ListExpr(())}
    if not lists:
        return fn
    taken = set(fn.params) | set(ir.all_writes(fn.body)) | set(ir.all_reads(fn.body))

    def block(body):
        out = []
        for s in body:
            v = s.value if isinstance(s, Assign) and len(s.targets) == 1 else None
            if isinstance(v, Call) and v.op in _AS_ARRAY and v.args and isinstance(v.args[0], Name) \
                    and v.args[0].id in lists:
                arr = _fresh(f"{v.args[0].id}_array", taken)
                out.append(Assign((arr,), Call("np.array", (v.args[0],)), s.loc))
                out.append(replace(s, value=replace(v, args=(Name(arr),) + v.args[1:])))
                continue
            out.append(ir.map_blocks(s, block))
        return out
    return replace(fn, body=tuple(block(fn.body)))


def rows_as_array(fn: ir.Function, containers=frozenset()) -> ir.Function:
    """fn with each `L = list(x)` written as `L = list_as_array(x)` (see the module docstring);
    `containers`: the parameters that are containers in this signature."""
    writes = [t for s in ir.walk(fn.body) if isinstance(s, Assign) for t in s.targets] + \
        [t for s in ir.walk(fn.body) if isinstance(s, ir.For) for t in ir.target_names(s.target)]
    held = set(containers) | {s.target for s in ir.walk(fn.body) if isinstance(s, Assign) and len(s.targets) == 1
                              and (isinstance(s.value, (ir.Tuple, ListExpr, ir.DictExpr))
                                   or isinstance(s.value, Call) and s.value.op in ("obj_new", "named_new", "dict"))}
    made = {s.target for s in ir.walk(fn.body) if isinstance(s, Assign) and len(s.targets) == 1
            and isinstance(s.value, Call) and s.value.op == "list" and len(s.value.args) == 1 and not s.value.kwargs
            and writes.count(s.target) == 1 and not set(ir.expr_names(s.value.args[0])) & held}
    filled = {s.target: _filled(s.value) for s in ir.walk(fn.body) if isinstance(s, Assign) and len(s.targets) == 1
              and _filled(s.value) is not None and writes.count(s.target) == 1}
    # (`chi = chi_recursion_chi`: a helper's list under the caller's name, the same list)
    names_of = {n: {n} | {s.target for s in ir.walk(fn.body) if isinstance(s, Assign) and len(s.targets) == 1
                          and s.value == Name(n) and writes.count(s.target) == 1}
                for n in made | set(filled)}
    made = {n for n in made | set(filled) if all(_by_element(fn.body, a, names_of[n]) for a in names_of[n])}
    if not made:
        return fn

    reads = set(ir.all_reads(fn.body))
    taken = set(reads) | set(writes) | set(fn.params)

    def block(body):
        out = []
        for s in body:
            if isinstance(s, Assign) and len(s.targets) == 1 and s.target in made and s.target not in reads:
                continue  # (`first, *_ = x`: a list nothing reads, whose making changes nothing)
            if isinstance(s, Assign) and len(s.targets) == 1 and s.target in made:
                # (marked: the container pass reads list() of a container as it does, and makes
                # list_as_array of anything else; marked_as_arrays where that pass does not run)
                written = any(isinstance(w, ir.SetItem) and w.target == s.target for w in ir.walk(fn.body))
                source = (filled[s.target],) if s.target in filled else s.value.args
                s = replace(s, value=Call("list", source, (("by_element", Const(written)),)))
            if isinstance(s, ir.SetItem) and any(s.target in names_of[n] for n in made):
                # (a list of numbers may take an array as an element, an array would raise: refused then)
                value = s.value
                if not isinstance(value, (Name, Const)):
                    item = _fresh(f"{s.target}_item", taken)
                    taken.add(item)
                    out.append(Assign((item,), value, s.loc))
                    value = Name(item)
                    s = replace(s, value=value)
                out.append(ir.ExprStmt(Call("check_number_item", (value,)), s.loc))
            out.append(ir.map_blocks(s, block))
        return out
    return replace(fn, body=tuple(block(fn.body)))


def _filled(e):
    """np.full(n, c) for `[c] * n` (or `n * [c]`) of a float constant c: the array a list of n copies
    of c is the copy of, element by element (None for anything else: an int list keeps a float
    written into it, which an array would truncate)."""
    if not (isinstance(e, Call) and e.op == "mul" and len(e.args) == 2 and not e.kwargs):
        return None
    lst, n = e.args if isinstance(e.args[0], ListExpr) else e.args[::-1]
    # (a count known when compiling makes a container instead, whose elements may be anything)
    if isinstance(lst, ListExpr) and len(lst.elts) == 1 and isinstance(lst.elts[0], Const) \
            and type(lst.elts[0].value) is float and isinstance(n, Name):
        return Call("np.full", (n, lst.elts[0]))
    return None


def marked_as_arrays(fn: ir.Function) -> ir.Function:
    """fn with each marked `list(x)` (rows_as_array) as `list_as_array(x)`: a function without
    containers, where x can only be an array."""
    def value(e):
        return Call("list_as_array", e.args[:1] + (e.kw("by_element"),)) if isinstance(e, Call) \
            and e.op == "list" and e.kw("by_element") is not None else e

    def block(body):
        return [ir.map_blocks(replace(s, value=value(s.value)) if isinstance(s, Assign) else s, block) for s in body]
    return replace(fn, body=tuple(block(fn.body)))


_WHOLE = _AS_ARRAY | {"np.array", "np.asarray", "len", "list_sum"}


def _by_element(body, n, same=()) -> bool:
    """Whether every use of n reads or writes one element (no slice), or reads the whole as an array
    (or binds another of the names `same` of the same list)."""
    for s in ir.walk(body):
        if isinstance(s, Assign) and len(s.targets) == 1 and s.target in same and isinstance(s.value, Name):
            continue
        if isinstance(s, ir.SetItem) and s.target == n:
            if _sliced(s.index) or n in ir.expr_names(s.index) or not _element_reads_only(s.value, n):
                return False
            continue
        for e in ir.exprs_of(s):
            if not _element_reads_only(e, n):
                return False
    return True


def _sliced(index) -> bool:
    parts = index.elts if isinstance(index, ir.Tuple) else (index,)
    return any(isinstance(p, ir.Slice) for p in parts)


def _element_reads_only(e, n) -> bool:
    if isinstance(e, Name):
        return e.id != n
    if isinstance(e, Call):
        if e.args and isinstance(e.args[0], Name) and e.args[0].id == n:
            if e.op == "getitem" and not _sliced(e.args[1]) and n not in ir.expr_names(e.args[1]):
                return True
            if e.op == "list" and len(e.args) == 1:  # (the list's own binding)
                return True
            if e.op in _WHOLE:
                return all(_element_reads_only(a, n) for a in e.args[1:]) and \
                    all(_element_reads_only(v, n) for _, v in e.kwargs)
            return False
        return all(_element_reads_only(a, n) for a in e.args) and all(_element_reads_only(v, n) for _, v in e.kwargs)
    if isinstance(e, (ir.Tuple, ListExpr)):
        return all(_element_reads_only(x, n) for x in e.elts)
    return n not in ir.expr_names(e) if isinstance(e, ir.Expr) else True
