"""Rule-table rows for shape and assembly: stacks, append, atleast_nd, moveaxis/swapaxes/rollaxis,
repeat, tile, pad, roll, flips, rot90, diag/diagonal/diagflat, sort/partition, take,
take_along_axis, choose, select.  (np.split and its relatives are written as slices by
rules/args.py: each piece is a getitem, so they need no row.)

Part of THE rule table (rules/__init__.py imports this module; the rows land in `RULES`).  Guarantees:
- the adjoint of a permutation of the elements is the inverse permutation (`np.flip(g)`,
  `np.roll(g, -shift)`, `np.rot90(g, -k)`, `np.moveaxis(g, dst, src)`); of a copy of elements
  (repeat, tile, pad in every mode, take) the sum over the copies (reshape-and-sum where the
  copies are regular, `np.add.at` / `np.bincount` where they are not: repeated indices accumulate);
- sort and partition follow the permutation numpy applied (ties: equal values, so any tied
  assignment is the same subgradient the stable argsort gives); `np.choose`/`np.select` send g to
  the chosen operand only (the conditions and indices are piecewise constant);
- stacks need the pieces' shapes when compiling (else refused at the line);
- forward mode: every row here but sort and partition is linear in its arrays (it moves, copies or
  drops elements), so its tangent is the same call on the tangents (`linear`, zeros for an element
  without one; np.pad's constant fill does not move, so the tangent is padded with zeros); sort
  and partition move the tangent with the permutation their reverse rules use.
"""
from __future__ import annotations

import numpy as np

from ..builder import E, NP, lift
from .. import runtime_jvp  # noqa: F401  (registers the tangent helpers in the generated code's namespace)
from ..ir import Call, Const, ListExpr, Slice, Tuple
from .table import linear, structural


def _rt(name, *args):
    return E(Call(name, tuple(lift(a) for a in args)))


def _none(n):
    return (None,) * max(n, 0)


def _piece(g, axis, start, stop, ndim):
    idx = (Slice(None, None, None),) * axis + (Slice(Const(start), Const(stop), None),)
    return g[Tuple(idx) if len(idx) > 1 else idx[0]]


def _copied(c, op, inputs, options=()):
    """Adjoints of an operation that copies elements, for shapes unknown when compiling
    (runtime_grads.copy_grad)."""
    elts = tuple(lift(x) for x in inputs)
    return tuple(_rt("copy_grad", c.g, op, i, Tuple(elts), tuple(options)) for i in range(len(elts)))


def _stack_rule(promote, axis_of):
    """Stacks that concatenate their pieces, each first promoted (`promote(shape)`), along
    `axis_of(promoted ndim)`: each piece gets its slice of g, reshaped back to its own shape."""
    def rule(c):
        n = c.list_len(0)
        shapes = c.list_shapes(0)
        if shapes is None:
            return (_copied(c, c.call.op[3:], c.call.args[0].elts),) + _none(len(c.args) - 1)
        out, start = [], 0
        for s in shapes:
            p = promote(tuple(s))
            ax = axis_of(len(p))
            piece = _piece(c.g, ax, start, start + p[ax], len(p))
            start += p[ax]
            out.append(piece if p == tuple(s) else piece.method("reshape", tuple(s)))
        assert len(out) == n
        return (tuple(out),) + _none(len(c.args) - 1)
    return rule


def _at1(s):
    return s if len(s) >= 1 else (1,)


def _at2(s):
    return s if len(s) >= 2 else (1,) + _at1(s) if len(s) == 1 else (1, 1)


def _at3(s):
    if len(s) == 0:
        return (1, 1, 1)
    if len(s) == 1:
        return (1,) + s + (1,)
    if len(s) == 2:
        return s + (1,)
    return s


def _col(s):
    return s + (1,) if len(s) < 2 else s


structural("np.hstack", _stack_rule(_at1, lambda nd: 0 if nd == 1 else 1), lazy_g=False, jvp=linear(0))
structural("np.vstack", _stack_rule(_at2, lambda nd: 0), lazy_g=False, jvp=linear(0))
structural("np.dstack", _stack_rule(_at3, lambda nd: 2), lazy_g=False, jvp=linear(0))
structural("np.column_stack", _stack_rule(_col, lambda nd: 1), lazy_g=False, jvp=linear(0))
if hasattr(np, "row_stack"):
    structural("np.row_stack", _stack_rule(_at2, lambda nd: 0), lazy_g=False, jvp=linear(0))


def _append(c):
    """append(arr, values, axis): a concatenation (axis None: of the flattened inputs)."""
    axis = c.kw("axis", 2, None)
    sa, sv = c.shape(0), c.shape(1)
    if sa is None or sv is None:
        return _copied(c, "append", c.args[:2], (("axis", axis),)) + _none(len(c.args) - 2)
    g = c.g
    if axis is None:
        na = int(np.prod(sa))
        ga, gv = g[Slice(None, Const(na), None)], g[Slice(Const(na), None, None)]
        ga = ga if len(sa) == 1 else ga.method("reshape", sa)
        gv = gv if len(sv) == 1 else gv.method("reshape", sv)
        return (ga, gv) + _none(len(c.args) - 2)
    ax = axis % len(sa)
    return (_piece(g, ax, 0, sa[ax], len(sa)), _piece(g, ax, sa[ax], sa[ax] + sv[ax], len(sa))) + _none(len(c.args) - 2)


structural("np.append", _append, lazy_g=False, jvp=linear(0, 1))


def _delete(c):
    """delete(arr, obj, axis): arr's kept elements get their elements of g (runtime_grads.delete_grad)."""
    axis = c.kw("axis", 2, None)
    return (_rt("delete_grad", c.g, c.args[0], c.args[1], axis),) + _none(len(c.args) - 1)


def _insert(c):
    """insert(arr, obj, values, axis): arr and values get the elements of g where theirs went
    (runtime_grads.insert_grad, which follows numpy's broadcasting of values)."""
    axis = c.kw("axis", 3, None)
    x, obj, values = c.args[0], c.args[1], c.args[2]
    gx = _rt("insert_grad", c.g, x, obj, values, axis, "x")
    gv = _rt("insert_grad", c.g, x, obj, values, axis, "values") if c.active(2) else None
    return (gx, None, gv) + _none(len(c.args) - 3)


structural("np.delete", _delete, lazy_g=False, jvp=linear(0))
structural("np.insert", _insert, lazy_g=False, jvp=linear(0, 2))


def _atleast(c):
    if len(c.args) != 1:
        raise c.unsupported("several arrays at once (it returns a list: call it once per array)")
    s = c.shape(0)
    if s is not None and s == c.ans_shape():
        return (c.g,)
    shape = Const(()) if c.is_number(0) or s == () else (c.args[0].shape if c.is_array(0) else NP.shape(c.args[0]))
    return (c.g.method("reshape", shape),)


def _atleast_jvp(c):
    if len(c.args) != 1:
        raise c.unsupported("several arrays at once (it returns a list: call it once per array)")
    return linear(0)(c)


for _op in ("np.atleast_1d", "np.atleast_2d", "np.atleast_3d"):
    structural(_op, _atleast, lazy_g=False, jvp=_atleast_jvp)


def _axis_of(c, name, pos):
    """An axis option as the adjoint reads it: its value where known when compiling, else the
    expression itself (np.moveaxis(psi, 0, q) in a loop over q: the sweep reads q of that pass)."""
    v = c.call.kw(name)
    if v is None and pos < len(c.call.args):
        v = c.call.args[pos]
    if v is None or c.is_constant(v):
        return c.kw(name, pos)
    return E(v)


def _moveaxis(c):
    src, dst = _axis_of(c, "source", 1), _axis_of(c, "destination", 2)
    return (NP.moveaxis(c.g, dst, src),) + _none(len(c.args) - 1)


def _swapaxes(c):
    a, b = _axis_of(c, "axis1", 1), _axis_of(c, "axis2", 2)
    return (NP.swapaxes(c.g, a, b),) + _none(len(c.args) - 1)


def _rollaxis(c):
    nd = c.ndim(0)
    if nd is None:
        raise c.unsupported("an input of unknown rank")
    axis, start = c.kw("axis", 1), c.kw("start", 2, 0)
    perm = np.rollaxis(np.empty(tuple(range(2, nd + 2))), axis, start).shape
    inv = tuple(int(i) for i in np.argsort([p - 2 for p in perm]))
    return (NP.transpose(c.g, inv),) + _none(len(c.args) - 1)


structural("np.moveaxis", _moveaxis, lazy_g=False, jvp=linear(0))
structural("np.swapaxes", _swapaxes, lazy_g=False, jvp=linear(0))
structural(".swapaxes", _swapaxes, lazy_g=False, jvp=linear(0))
structural("np.rollaxis", _rollaxis, lazy_g=False, jvp=linear(0))


def _repeat(c):
    """repeat(x, r, axis): each element appears r times in a row: g reshaped to (..., n, r, ...)
    and summed over the copies (axis None: of the flattened input)."""
    r = c.kw("repeats", 1)
    if not isinstance(r, int):
        raise c.unsupported("repeats other than one integer")
    axis = c.kw("axis", 2, None)
    s = c.shape(0)
    if s is None:
        return _copied(c, "repeat", c.args[:1], (("repeats", r), ("axis", axis))) + _none(len(c.args) - 1)
    g = c.g
    if s == ():  # copies of one number
        return (NP.sum(g),) + _none(len(c.args) - 1)
    if axis is None:
        out = g.method("reshape", (-1, r)).method("sum", axis=1)
        return ((out if len(s) == 1 else out.method("reshape", s)),) + _none(len(c.args) - 1)
    ax = axis % len(s)
    return (g.method("reshape", s[:ax + 1] + (r,) + s[ax + 1:]).method("sum", axis=ax + 1),) + _none(len(c.args) - 1)


structural("np.repeat", _repeat, lazy_g=False, jvp=linear(0))
structural(".repeat", _repeat, lazy_g=False, jvp=linear(0))


def _tile(c):
    """tile(x, reps): g reshaped to (r0, s0, r1, s1, ...) and summed over the r axes."""
    reps = c.kw("reps", 1)
    reps = reps if isinstance(reps, tuple) else (reps,)
    s = c.shape(0)
    if not all(isinstance(r, int) for r in reps):
        raise c.unsupported("reps that are not integer constants")
    if s is None:
        return _copied(c, "tile", c.args[:1], (("reps", reps),)) + _none(len(c.args) - 1)
    nd = max(len(s), len(reps))
    sp = (1,) * (nd - len(s)) + tuple(s)
    rp = (1,) * (nd - len(reps)) + tuple(reps)
    inter = tuple(v for pair in zip(rp, sp) for v in pair)
    out = c.g.method("reshape", inter).method("sum", axis=tuple(range(0, 2 * nd, 2)))
    return ((out if sp == tuple(s) else out.method("reshape", s)),) + _none(len(c.args) - 1)


structural("np.tile", _tile, lazy_g=False, jvp=linear(0))


def _pad(c):
    """constant mode: x gets its slice of g, a differentiable scalar fill value the sum of the
    rest; edge/reflect/symmetric/wrap: runtime_grads.pad_grad sums g into the element each
    padded value copies (np.pad of an index array says which)."""
    mode = c.kw("mode", 2, "constant")
    width = c.call.kw("pad_width") or c.call.args[1]
    pw = c.constant(width)
    s = c.shape(0)
    if pw is c.NOT_CONSTANT:  # a width known when it runs (`for n in sizes: np.pad(x, n // 2)`)
        pw, s = E(width), None
    if s is None:
        if mode == "constant" and c.call.kw("constant_values") is not None \
                and not isinstance(c.call.kw("constant_values"), Const):
            raise c.unsupported("a computed constant_values (write np.pad(x - v, ...) + v)")
        if mode not in ("constant", "edge", "reflect", "symmetric", "wrap"):
            raise c.unsupported(f"mode={mode!r}")
        return (_rt("pad_grad", c.g, c.args[0], pw, mode),) + _none(len(c.args) - 1)
    nd = len(s)
    w = np.broadcast_to(np.asarray(pw, dtype=int), (nd, 2))  # (numpy's reading: (1,), ((1,),), (1, 2), ...)
    n_rest = len(c.args) - 1
    if nd == 0:  # padding a number changes nothing
        return (c.g,) + _none(n_rest)
    if mode == "constant":
        idx = tuple(Slice(Const(int(lo)), Const(int(lo + n)), None) for (lo, _), n in zip(w, s))
        gx = c.g[Tuple(idx) if nd > 1 else idx[0]]
        fill = c.call.kw("constant_values")
        if fill is not None and not isinstance(fill, Const):
            raise c.unsupported("a computed constant_values (write np.pad(x - v, ...) + v)")
        return (gx,) + _none(n_rest)
    if mode not in ("edge", "reflect", "symmetric", "wrap"):
        raise c.unsupported(f"mode={mode!r}")
    if c.call.kw("reflect_type") is not None:
        raise c.unsupported("reflect_type")
    return (_rt("pad_grad", c.g, c.args[0], tuple(map(tuple, w.tolist())), mode),) + _none(n_rest)


def _pad_jvp(c):
    """np.pad copies x's elements (every mode the reverse rule takes) and fills the rest with a
    constant (mode 'constant'): the tangent is x's tangent padded the same way, with zeros."""
    mode = c.kw("mode", 2, "constant")
    if mode not in ("constant", "edge", "reflect", "symmetric", "wrap"):
        raise c.unsupported(f"mode={mode!r}")
    if c.call.kw("reflect_type") is not None:
        raise c.unsupported("reflect_type")
    fill = c.call.kw("constant_values")
    if fill is not None and not isinstance(fill, Const):
        raise c.unsupported("a computed constant_values (write np.pad(x - v, ...) + v)")
    kwargs = tuple((k, v) for k, v in c.call.kwargs if k != "constant_values")
    return E(Call(c.call.op, (c.tangent_arg(0),) + c.call.args[1:], kwargs))


structural("np.pad", _pad, lazy_g=False, jvp=_pad_jvp)


def _roll(c):
    shift, axis = _axis_of(c, "shift", 1), _axis_of(c, "axis", 2) if c.call.kw("axis") is not None \
        or len(c.call.args) > 2 else None
    if isinstance(shift, E):  # np.roll(f, cx, axis=1) of a loop's cx: rolled back by -cx where the sweep runs
        by_position = len(c.call.args) > 1 and shift.e == c.call.args[1]
        neg = -shift if by_position and c.is_number(1) else NP.negative(shift)
    else:
        neg = tuple(-v for v in shift) if isinstance(shift, tuple) else -shift
    out = NP.roll(c.g, neg) if axis is None else NP.roll(c.g, neg, axis)
    return (out,) + _none(len(c.args) - 1)


structural("np.roll", _roll, lazy_g=False, jvp=linear(0))


def _flip(c):
    axis = c.kw("axis", 1, None)
    return ((NP.flip(c.g) if axis is None else NP.flip(c.g, axis)),) + _none(len(c.args) - 1)


structural("np.flip", _flip, lazy_g=False, jvp=linear(0))
structural("np.flipud", lambda c: (NP.flipud(c.g),), lazy_g=False, jvp=linear(0))
structural("np.fliplr", lambda c: (NP.fliplr(c.g),), lazy_g=False, jvp=linear(0))


def _rot90(c):
    k, axes = c.kw("k", 1, 1), c.kw("axes", 2, (0, 1))
    return (NP.rot90(c.g, -k, axes) if axes != (0, 1) else NP.rot90(c.g, -k),) + _none(len(c.args) - 1)


structural("np.rot90", _rot90, lazy_g=False, jvp=linear(0))


def _diag(c):
    """diag of a vector builds a matrix (x gets the k-th diagonal of g); of a matrix reads its
    k-th diagonal (x gets g on that diagonal of a zero matrix: runtime_grads.diagonal_grad)."""
    k = c.kw("k", 1, 0)
    nd = c.ndim(0)
    if nd == 1:
        return (NP.diagonal(c.g, k) if k else NP.diagonal(c.g),) + _none(len(c.args) - 1)
    return (_rt("diag_grad", c.g, c.args[0], k),) + _none(len(c.args) - 1)  # 2-D, or a rank unknown


def _diagonal(c):
    k, a1, a2 = c.kw("offset", 1, 0), c.kw("axis1", 2, 0), c.kw("axis2", 3, 1)
    return (_rt("diagonal_grad", c.g, c.args[0], k, a1, a2),) + _none(len(c.args) - 1)


def _diagflat(c):
    k = c.kw("k", 1, 0)
    d = NP.diagonal(c.g, k) if k else NP.diagonal(c.g)
    return ((d if c.ndim(0) == 1 else d.method("reshape", NP.shape(c.args[0]))),) + _none(len(c.args) - 1)


structural("np.diag", _diag, lazy_g=False, jvp=linear(0))
structural("np.diagonal", _diagonal, lazy_g=False, jvp=linear(0))
structural(".diagonal", _diagonal, lazy_g=False, jvp=linear(0))
structural("np.diagflat", _diagflat, lazy_g=False, jvp=linear(0))


def _sort(c):
    if c.kw("order", 3, None) is not None:
        raise c.unsupported("order=")
    axis = c.kw("axis", 1, -1)
    return (_rt("sort_grad", c.g, c.args[0], axis),) + _none(len(c.args) - 1)


def _partition(c):
    axis = c.kw("axis", 2, -1)
    return (_rt("permutation_grad", c.g, c.args[0], c.ans, axis),) + _none(len(c.args) - 1)


def _sort_jvp(c):
    """The tangent moves with the values: dx taken in x's stable sort order (ties as the reverse rule)."""
    if c.kw("order", 3, None) is not None:
        raise c.unsupported("order=")
    axis = c.kw("axis", 1, -1)
    dx = E(c.tangent_arg(0))
    if c.ndim(0) == 0:  # a number (axis=None): a one-element array
        return NP.ravel(dx)
    return NP.take_along_axis(dx, NP.argsort(c.args[0], axis=axis, kind="stable"), axis=axis)


def _partition_jvp(c):
    return _rt("permutation_jvp", E(c.tangent_arg(0)), c.args[0], c.ans, c.kw("axis", 2, -1))


structural("np.sort", _sort, lazy_g=False, jvp=_sort_jvp)
structural("np.partition", _partition, lazy_g=False, jvp=_partition_jvp)


def _take(c):
    mode = c.kw("mode", 4, "raise")
    if mode not in ("raise", "wrap", "clip"):
        raise c.unsupported(f"mode={mode!r}")
    axis = c.kw("axis", 2, None)
    extra = (mode,) if mode != "raise" else ()
    return (_rt("take_grad", c.g, c.args[0], c.args[1], axis, *extra), None) + _none(len(c.args) - 2)


def _take_along_axis(c):
    axis = c.kw("axis", 2)
    return (_rt("take_along_axis_grad", c.g, c.args[0], c.args[1], axis), None) + _none(len(c.args) - 2)


structural("np.take", _take, lazy_g=False, jvp=linear(0))
structural(".take", _take, lazy_g=False, jvp=linear(0))
structural("np.take_along_axis", _take_along_axis, lazy_g=False, jvp=linear(0))


def _choose(c):
    """choose(a, choices)[i] = choices[a[i]][i]: choice k gets g where a == k."""
    if c.kw("mode", 3, "raise") != "raise":
        raise c.unsupported("mode other than 'raise'")
    n = c.list_len(1)
    a = c.args[0]
    return (None, tuple(NP.where(a.eq(k), c.g, 0.0) for k in range(n))) + _none(len(c.args) - 2)


structural("np.choose", _choose, lazy_g=False, jvp=linear(1))  # the indices stay


def _select(c):
    """select(conds, choices, default): the first true condition's choice; choice k gets g where
    condition k holds and no earlier one does, the default where none holds."""
    n = c.list_len(0)
    if c.list_len(1) != n:
        raise c.unsupported("as many choices as conditions")
    conds = c.call.args[0].elts
    out, before = [], None
    for k in range(n):
        ck = E(conds[k])
        hit = ck if before is None else ck & ~before
        out.append(NP.where(hit, c.g, 0.0))
        before = ck if before is None else before | ck
    default = NP.where(before, 0.0, c.g) if len(c.args) > 2 else None
    return ((None,) * n, tuple(out), default) + _none(len(c.args) - 3)


structural("np.select", _select, lazy_g=False, jvp=linear(1, 2))  # the conditions stay


def _written_as_slices(c):
    """np.split and its relatives never reach the reverse sweep: rules/args.py writes each call as
    a tuple of slices of its input (see rule_args._split)."""
    raise c.unsupported("a split that was not written as slices (internal)")


for _op in ("np.split", "np.array_split", "np.vsplit", "np.hsplit", "np.dsplit"):
    structural(_op, _written_as_slices, lazy_g=False, jvp=_written_as_slices)


# season = list(y - level), written by element: the array's copy (passes/list_arrays.rows_as_array)
structural("list_as_array", lambda c: (c.g, None), lazy_g=False, jvp=linear(0))
