"""Static facts about the normalized function that the reverse transform plans with: values local to
one loop iteration (recorded as one group per step), variables defined once, cheap temporaries to
recompute instead of record, and index/shape predicates.  Pure functions over the IR.
"""
from __future__ import annotations

import numpy as np

from .. import ir
from ..ir import Assign, Blank, Break, Call, Comment, Const, For, If, ListExpr, Name, Slice, Tuple, While, expr_names, \
    target_names, walk
from ..passes.shapes import UNKNOWN, Arr, Known, PyNum

# numpy operations whose result may be a view of their argument (never updated in place as if fresh)
_VIEW_OPS = {"@T", ".reshape", "np.reshape", "np.transpose", ".transpose", "np.broadcast_to",
             "np.expand_dims", "getitem", "np.squeeze", ".squeeze", "np.ravel", ".ravel", "np.asarray",
             "np.swapaxes", ".swapaxes", "np.moveaxis", "np.atleast_1d", "np.atleast_2d", "np.atleast_3d",
             "np.diagonal", ".diagonal", "np.flip", "np.fliplr", "np.flipud", "np.rot90", "np.real",
             "np.imag", "@real", "@imag",  # (views of a complex array: rules/fft.py)
             "np.lib.stride_tricks.sliding_window_view",
             # a permutation or identity einsum ('ij->ji') returns a view of its operand: an adjoint
             # grad_X = np.einsum('ji->ij', W) updated in place wrote into the caller's W
             "np.einsum", "np.ascontiguousarray", "np.asfortranarray", "np.asanyarray", ".view",
             ".conj", ".conjugate"}  # (x.conj() of a real array is x itself)


def _loop_locals(body):
    """Per loop (without break): the variables local to one iteration -- assigned once at the top
    level of its body, nowhere else, read only inside the body and only after that assignment.
    Their values are recorded together, once per iteration, at the end of the forward iteration,
    and restored together at the start of the reverse one (a per-step cache, as in hand-written
    backprop through time), instead of one push and pop per variable."""
    count = {}
    for st in walk(body):
        for w in ir.stmt_writes(st):
            count[w] = count.get(w, 0) + 1
    out = {}
    for st in walk(body):
        if isinstance(st, (For, While)) and not any(isinstance(x, Break) for x in walk(st.body)):
            names = _locals_of(st, body, count)
            if names:
                out[id(st)] = names
    return out


def _grown(body, L) -> int:
    """How many statements of body append to or pop from the list L."""
    return sum(1 for x in walk(body) if isinstance(x, Assign) and x.targets == (L,) and isinstance(x.value, Call)
               and x.value.op in ("list_append", "list_pop"))


def _locals_of(loop, fn_body, count):
    inside = {id(x) for x in walk(loop.body)}
    header = set(expr_names(loop.test if isinstance(loop, While) else loop.iter))
    names = []
    for st in loop.body:
        if not (isinstance(st, Assign) and len(st.targets) == 1):
            continue
        v = st.target
        if v in header or v in names:
            continue
        if count.get(v) != 1 and not (st.value == ListExpr(()) and count.get(v) == 1 + _grown(loop.body, v)):
            continue  # (a list made in the pass and only grown there is one pass's value too: ad/lists.py)
        if any(v in ir.stmt_reads(x) and id(x) not in inside for x in walk(fn_body)):
            continue  # read outside the loop
        before = []
        for x in loop.body:
            if x is st:
                break
            before.append(x)
        if any(v in ir.stmt_reads(x) for x in walk(before)):
            continue  # read before its definition: the previous iteration's value
        names.append(v)
    return tuple(names)


def _single_defs(body):
    """Variables assigned exactly once in the whole function."""
    count = {}
    for st in walk(body):
        for w in ir.stmt_writes(st):
            count[w] = count.get(w, 0) + 1
    return {v for v, n in count.items() if n == 1}


_CHEAP = {"getitem", "add", "sub", "mul", "neg", "@T", "len", "@shape"}


def _rematerializable(fn):
    """Temporaries the reverse sweep recomputes instead of recording: defined once, by a cheap
    operation (an index, a scalar's arithmetic) on values that never change -- parameters never
    reassigned, loop counters (the reverse loop counts through the same values), constants, and
    other such temporaries.  `p[0]` and `i + 1` inside a loop are read again, not pushed."""
    writes = {}
    for st in walk(fn.body):
        for w in ir.stmt_writes(st):
            writes[w] = writes.get(w, 0) + 1
    loop_vars = {n for st in walk(fn.body) if isinstance(st, For) for n in target_names(st.target)}
    frozen = {p for p in fn.params if p not in writes}
    # a loop counter bound by one loop only: a second loop over the same name (`for j in ...`
    # twice) changes it between the forward use and the reverse sweep's read
    frozen |= {v for v in loop_vars if writes.get(v) == 1}
    defs, first_read, def_at = {}, {}, {}
    for k, st in enumerate(walk(fn.body)):
        for n in ir.stmt_reads(st):
            first_read.setdefault(n, k)
        if isinstance(st, Assign) and len(st.targets) == 1 and writes.get(st.target) == 1:
            defs[st.target], def_at[st.target] = st.value, k
    # a parameter assigned once still has two values (the argument's, then the new one), and a
    # name read before its definition (`use(t)` then `t = W[i]` in a loop body) is read with the
    # previous iteration's value: recomputing either would read the wrong one
    for t in list(defs):
        if t in fn.params or first_read.get(t, def_at[t] + 1) <= def_at[t]:
            del defs[t]
    out = {}
    changed = True
    while changed:
        changed = False
        for t, e in defs.items():
            if t in out or not isinstance(e, Call) or e.op not in _CHEAP:
                continue
            if e.op in ("add", "sub", "mul", "neg") and not all(
                    isinstance(a, Const) or (isinstance(a, Name) and a.id in loop_vars) for a in e.args):
                continue  # arithmetic only on loop counters: never recompute array work
            if all(n in frozen or n in out for n in expr_names(e)):
                out[t] = e
                changed = True
    return {t: ir.substitute(e, {k: v for k, v in out.items() if k != t}) for t, e in out.items()}


def loop_binds(s) -> list:
    """The names loop s binds: a for loop's targets, then every other name its body binds (sorted)."""
    own = list(ir.target_names(s.target)) if isinstance(s, For) else []
    return own + sorted(set(ir.all_writes(s.body)) - set(own))


def _line(s):
    return s.loc.line if s.loc is not None else 0


def _breaks(body):
    for s in body:
        if isinstance(s, Break):
            return True
        if isinstance(s, If) and (_breaks(s.body) or _breaks(s.orelse)):
            return True
    return False


def always_raises(block) -> bool:
    """Whether the forward block ends in a raise on every path (`else: raise TypeError(...)`, a
    None entry called: frontend/none_entries.py): its reverse never runs."""
    body = [s for s in block if not isinstance(s, (Comment, Blank))]
    if not body:
        return False
    last = body[-1]
    if isinstance(last, ir.ExprStmt) and isinstance(last.value, Call) and last.value.op == "raise":
        return True
    return isinstance(last, If) and always_raises(last.body) and always_raises(last.orelse)


def _has_work(code):
    return any(not isinstance(c, (Comment, Blank)) for c in code)


def _broadcasts(small, big):
    """Whether an array of shape `small` broadcasts to `big` without growing it."""
    if small is None or big is None:
        return False
    if len(small) > len(big):
        return False
    for a, b in zip(reversed(small), reversed(big)):
        if a != b and a != 1:
            return False
    return True


def _fresh(e):
    """Whether an expression certainly builds a new array (not a view or an alias)."""
    return isinstance(e, Call) and e.op not in _VIEW_OPS and e.op != "unbroadcast"


def _integer_array_index(index, gen, s):
    """Whether an index may hold an integer array that is not a constant (so may repeat a position)."""
    parts = index.elts if isinstance(index, Tuple) else (index,)
    for p in parts:
        if isinstance(p, ListExpr) and _negative_constant(p):
            return True  # (y[[0, -3]]: the frontend cannot tell the position without the shape)
        if isinstance(p, ListExpr) and any(isinstance(e, (Name, Call)) for e in p.elts):
            return True  # (h[[i, 1]]: i may be 1 when it runs)
        if isinstance(p, (Slice, Const, ListExpr)):
            continue  # constant lists were checked for repeats by the frontend
        v = gen.value_of(p.id, s) if isinstance(p, Name) else gen.eval_shape(p, s)
        if isinstance(v, Known) and isinstance(v.value, slice):
            continue  # (idx = [slice(None)] * 3; idx[1] = 1; y[tuple(idx)]: a slice held by a name)
        if isinstance(v, Known) and not isinstance(v.value, (int, np.integer)):
            return True  # (idx = np.ix_([0, 0], [1, 3]) of constants, a tuple: arrays that may repeat)
        if isinstance(v, (PyNum, Known)):
            continue
        if isinstance(v, Arr) and v.dtype is not None and np.dtype(v.dtype).kind == "b":
            continue  # a mask names each position once
        if isinstance(v, Arr) and v.shape == () and v.dtype is not None:
            continue
        return True
    return False


def _negative_constant(lst):
    return any(isinstance(e, Const) and type(e.value) is int and e.value < 0 for e in lst.elts)


def integer_array_parts(index, gen, s):
    """(axes, parts) of the integer-array components of an index whose other components are slices
    and ints (each one axis: no None, Ellipsis or mask), for the run-time check that the write names
    no position twice (runtime.check_distinct); None for any other index."""
    parts = index.elts if isinstance(index, Tuple) else (index,)
    if isinstance(index, Name):  # idx = np.tril_indices(3, -1); L[idx] = v: a tuple of integer arrays
        v = gen.value_of(index.id, s)
        held = v.value if isinstance(v, Known) else None
        if isinstance(held, tuple) and held and all(isinstance(a, np.ndarray) and a.dtype.kind in "iu" for a in held):
            return tuple(range(len(held))), tuple(Call("getitem", (index, Const(i))) for i in range(len(held)))
    axes, arrays = [], []
    for axis, p in enumerate(parts):
        if isinstance(p, Slice) or isinstance(p, Const) and type(p.value) is int:
            continue
        if isinstance(p, ListExpr) and all(isinstance(e, (Const, Name, Call)) for e in p.elts):
            axes.append(axis)  # a list of constants (or of names: h[[i, 1]]): checked when it runs too
            arrays.append(p)
            continue
        if not isinstance(p, (Name, Call)):
            return None
        if isinstance(p, Call) and p.op == "ix_part":  # np.ix_'s arrays are integer arrays, always
            axes.append(axis)
            arrays.append(p)
            continue
        v = gen.value_of(p.id, s) if isinstance(p, Name) else gen.eval_shape(p, s)
        if isinstance(v, (PyNum, Known)) and type(getattr(v, "type", None) or getattr(v, "value", None)) is not bool:
            continue
        if isinstance(v, Arr) and v.dtype is not None and np.dtype(v.dtype).kind in "iu" \
                or v is UNKNOWN or isinstance(v, Arr) and v.dtype is None:
            # (known only at run time -- `di` read from a list of tuples: an int there, or an
            # array, which the check tells apart: runtime.check_distinct)
            axes.append(axis)
            arrays.append(p)
            continue
        return None
    return (tuple(axes), tuple(arrays)) if arrays else None


def _basic_index(index, gen, s):
    parts = index.elts if isinstance(index, Tuple) else (index,)
    for p in parts:
        if isinstance(p, (Slice,)):
            continue
        if isinstance(p, Const) and (p.value is None or p.value is Ellipsis or isinstance(p.value, int)):
            continue
        if isinstance(p, (Name, Call)):  # a name, or arithmetic on names (`t - 1`): one integer
            v = gen.value_of(p.id, s) if isinstance(p, Name) else gen.eval_shape(p, s)
            if isinstance(v, PyNum) and v.type is int:
                continue
            if isinstance(v, Known) and type(v.value) is int:
                continue
            if isinstance(v, (PyNum, Known)) and isinstance(p, Name) and not isinstance(getattr(v, "value", 0), (tuple, list)):
                continue
            if isinstance(v, Arr) and v.scalar and v.dtype is not None and np.dtype(v.dtype).kind in "iu":
                continue
        return False
    return True


def bound_once(fn) -> frozenset:
    """Names bound by one statement, outside every loop: the reverse sweep never restores them, so
    they hold one value throughout it."""
    writes = ir.all_writes(fn.body)
    in_loops = {n for s in ir.walk(fn.body) if isinstance(s, (ir.For, ir.While)) for n in ir.all_writes([s])}
    return frozenset(n for n in set(writes) if writes.count(n) == 1 and n not in in_loops and n not in fn.params)
