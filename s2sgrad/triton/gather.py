"""Row gathers and one-hot scatters with an `np.arange(M)` row index, computed in the kernels.

A cross-entropy reads one entry of each row, `picked = log_probs[np.arange(M), labels]`, and its
adjoint writes one: `g = np.zeros_like(log_probs); np.add.at(g, (np.arange(M), labels), c)`.  With
the row index exactly `arange(M)` over an (M, N) array, the first is a row reduction
(`sum(where(cols == label, x, 0))`: one entry per row, so the sum is that entry) and the second an
elementwise term of the (M, N) space (`where(cols == label, c, 0)`: each row is hit exactly once,
so `add.at` adds c to a zero), and both fuse with the softmax around them.  This module:

- `fold_shape_constants`: a size read from the signature (`n = logits.shape[0]`, bound once)
  becomes a constant where it is used, so the shapes pass knows the gather's length;
- `row_gather(value, shapes)`: the (array, labels) of a gather statement of that form, else None;
- `one_hot_pairs(body, shapes, taken)`: `zeros_like` + `add.at` pairs of that form (a scalar
  value, or one value per row) become `g_at = c` (host code, a scalar) and
  `g = one_hot_rows(labels, g_at)`.

numpy's index rules are kept: a label in [-N, N) selects column label % N (negative labels count
from the end).  numpy raises IndexError for any other label; a kernel cannot raise, so it writes
a flag per program (a column of its partials) and the host raises `LabelIndexError` once the call
has returned (one device read per call, no synchronisation per kernel).  Nothing is silently 0.
"""
from __future__ import annotations

import numpy as np

from .. import ir
from ..errors import S2SGradError
from ..ir import Assign, Attr, Call, Const, Name, Tuple, substitute
from ..passes.shapes import Arr, Known, PyNum

ONE_HOT = "one_hot_rows"  # the elementwise op of a rewritten scatter: one_hot_rows(labels, c)


class LabelIndexError(S2SGradError, IndexError):
    """A row gather or scatter met a label outside [-N, N) (numpy raises IndexError there)."""

    @classmethod
    def out_of_bounds(cls, N, name=None, loc=None):
        where = f" in `{name}`" if name else ""
        return cls(f"a label{where} is out of bounds for axis 1 with size {N}: numpy raises IndexError for "
                   f"labels outside [{-N}, {N}) (negative ones count from the end); check the labels", loc)


def _shape(shapes, name):
    v = shapes.get(name)
    return tuple(v.shape) if isinstance(v, Arr) and v.shape is not None else None


def _shape_read(e, shapes):
    """The int that `x.shape[k]` (or `x.size`) reads when x's shape is known, else None."""
    if isinstance(e, Call) and e.op == "getitem" and isinstance(e.args[1], Const) \
            and isinstance(e.args[0], Call) and e.args[0].op == "@shape" and isinstance(e.args[0].args[0], Name):
        s = _shape(shapes, e.args[0].args[0].id)
        k = e.args[1].value
        if s is not None and isinstance(k, int) and -len(s) <= k < len(s):
            return int(s[k])
    if (isinstance(e, Attr) and e.attr == "size" and isinstance(e.value, Name)) or (
            isinstance(e, Call) and e.op == "@size" and isinstance(e.args[0], Name)):
        s = _shape(shapes, (e.value if isinstance(e, Attr) else e.args[0]).id)
        if s is not None:
            return int(np.prod(s, dtype=np.int64))
    return None


def fold_sizes(e, shapes):
    """e with shape reads of known shapes (`x.shape[0]`, `x.size`) replaced by constants."""
    n = _shape_read(e, shapes)
    if n is not None:
        return Const(n)
    if isinstance(e, Call):
        return Call(e.op, tuple(fold_sizes(a, shapes) for a in e.args),
                    tuple((k, fold_sizes(v, shapes)) for k, v in e.kwargs))
    if isinstance(e, Tuple):
        return Tuple(tuple(fold_sizes(a, shapes) for a in e.elts))
    return e


def fold_shape_constants(fn, shapes):
    """fn where each name bound exactly once, by a shape read of a known shape, is read as the
    constant (the binding stays, for host code that reads it)."""
    writes = {}
    for s in ir.walk(fn.body):
        for t in ir.stmt_writes(s):
            writes[t] = writes.get(t, 0) + 1
    consts = {}
    for s in fn.body:  # top level only: a binding inside a branch or loop may not run
        if isinstance(s, Assign) and len(s.targets) == 1 and writes.get(s.targets[0]) == 1 \
                and s.targets[0] not in fn.params:
            n = _shape_read(s.value, shapes)
            if n is not None:
                consts[s.targets[0]] = Const(n)
    if not consts:
        return fn

    def block(body):
        out = []
        for s in body:
            if isinstance(s, Assign) and s.targets[0] not in consts:
                s = Assign(s.targets, substitute(s.value, consts), s.loc, s.aug)
            elif isinstance(s, ir.ExprStmt):
                s = ir.ExprStmt(substitute(s.value, consts), s.loc)
            out.append(ir.map_blocks(s, block))
        return out
    return ir.Function(fn.name, fn.params, tuple(block(fn.body)), fn.defaults, fn.header, fn.loc)


def _row_index(idx, shapes):
    """(M, labels name) when idx is the tuple `(np.arange(M), labels)` with labels an integer (M,) array."""
    if not (isinstance(idx, Tuple) and len(idx.elts) == 2):
        return None
    rng, lab = idx.elts
    if not (isinstance(rng, Call) and rng.op == "np.arange" and len(rng.args) == 1 and not rng.kwargs):
        return None
    m = rng.args[0].value if isinstance(rng.args[0], Const) else _shape_read(rng.args[0], shapes)
    if not isinstance(m, int) or isinstance(m, bool) or not isinstance(lab, Name):
        return None
    v = shapes.get(lab.id)
    # signed integers only: the kernel compares labels with -N (unsigned ones stay host code)
    if not (isinstance(v, Arr) and v.shape == (m,) and v.dtype is not None and np.dtype(v.dtype).kind == "i"):
        return None
    return m, lab.id


def row_gather(value, shapes):
    """(x, labels) when value is `x[np.arange(M), labels]` with x a float (M, N) array."""
    if not (isinstance(value, Call) and value.op == "getitem" and isinstance(value.args[0], Name)):
        return None
    ri = _row_index(value.args[1], shapes)
    s = _shape(shapes, value.args[0].id)
    dt = getattr(shapes.get(value.args[0].id), "dtype", None)
    if ri is None or s is None or len(s) != 2 or s[0] != ri[0] or dt is None or np.dtype(dt).kind != "f":
        return None
    return value.args[0].id, ri[1]


def is_scalar(e, shapes):
    """Whether e is a number known at run time only through Python scalars or 0-d arrays."""
    for n in ir.expr_names(e):
        v = shapes.get(n)
        if not (isinstance(v, (PyNum, Known)) and isinstance(getattr(v, "value", 0.0), (int, float))
                or isinstance(v, Arr) and v.shape == () and v.dtype is not None and np.dtype(v.dtype).kind in "fiu"):
            return False
    return not (isinstance(e, Const) and not isinstance(e.value, (int, float)))


def per_row(e, m, shapes):
    """Whether e is a float (m,) array: one value per row (the cotangent of a gather's result)."""
    v = shapes.get(e.id) if isinstance(e, Name) else None
    return isinstance(v, Arr) and v.shape == (m,) and v.dtype is not None and np.dtype(v.dtype).kind == "f"


def _row_values(e, m, shapes):
    """Whether e is an expression whose value is a float (m,) array (one value per row)."""
    from ..passes.shapes import evaluate
    v = evaluate(e, shapes, {"np": np})
    return isinstance(v, Arr) and v.shape == (m,) and v.dtype is not None and np.dtype(v.dtype).kind == "f"


def one_hot_pairs(body, shapes, fresh):
    """Rewrite `g = np.zeros_like(x)` ... `np.add.at(g, (np.arange(M), labels), c)` (x a float (M, N)
    array, c a scalar or a float (M,) array, nothing in between touching g) as
    `g_at = c; g = one_hot_rows(labels, g_at)` (at the add.at's place; an array c is used as it is).
    fresh(base) gives an unused name; shapes get the new names."""
    from ..passes.shapes import evaluate
    out = list(body)
    i = 0
    while i < len(out):
        s = out[i]
        z = _zeros_like(s, shapes)
        j = _matching_add_at(out, i, z, shapes) if z else None
        if j is None:
            out[i] = ir.map_blocks(s, lambda b: one_hot_pairs(b, shapes, fresh))
            i += 1
            continue
        g, labels, c = out[j].value.args[0].id, out[j].value.args[1].elts[1].id, fold_sizes(out[j].value.args[2], shapes)
        new = []
        if not isinstance(c, Const) and not per_row(c, _shape(shapes, g)[0], shapes):
            # a scalar (host code, moved above the forward when it can be), or an expression of (M,)
            # arrays (an elementwise statement of its own): the one-hot term reads its name
            t = fresh(f"{g}_at")
            new.append(Assign((t,), c, out[j].loc))
            shapes[t] = evaluate(c, shapes, {"np": np})
            c = Name(t)
        new.append(Assign((g,), Call(ONE_HOT, (Name(labels), c)), out[j].loc))
        out[j:j + 1] = new
        del out[i]
    return out


def _zeros_like(s, shapes):
    if isinstance(s, Assign) and len(s.targets) == 1 and isinstance(s.value, Call) and s.value.op == "np.zeros_like" \
            and len(s.value.args) == 1 and not s.value.kwargs and isinstance(s.value.args[0], Name):
        shp = _shape(shapes, s.targets[0])
        dt = getattr(shapes.get(s.targets[0]), "dtype", None)
        if shp is not None and len(shp) == 2 and dt is not None and np.dtype(dt).kind == "f":
            return s.targets[0]
    return None


def _matching_add_at(body, i, g, shapes):
    for j in range(i + 1, len(body)):
        s = body[j]
        if isinstance(s, ir.ExprStmt) and isinstance(s.value, Call) and s.value.op == "np.add.at" \
                and len(s.value.args) == 3 and not s.value.kwargs and s.value.args[0] == Name(g):
            ri = _row_index(s.value.args[1], shapes)
            c = fold_sizes(s.value.args[2], shapes)
            ok = ri is not None and ri[0] == _shape(shapes, g)[0] and (is_scalar(c, shapes) or per_row(c, ri[0], shapes)
                                                                       or _row_values(c, ri[0], shapes))
            return j if ok and g not in ir.expr_names(s.value.args[1]) + ir.expr_names(s.value.args[2]) else None
        if isinstance(s, (ir.Comment, ir.Blank)):
            continue
        if not isinstance(s, (Assign, ir.ExprStmt)) or g in ir.stmt_reads(s) + ir.stmt_writes(s):
            return None
        if isinstance(s, ir.ExprStmt) and isinstance(s.value, Call) and s.value.args \
                and s.value.args[0] == Name(g):
            return None
    return None


def describe(s, shapes):
    """A statement as a kernel's docstring shows it, with no size in it (the docstring is part of
    Triton's cache key)."""
    v = s.value
    if isinstance(v, Call) and v.op == ONE_HOT:
        return f"{s.target} = np.zeros_like(...); {s.target}[np.arange(M), {v.args[0].id}] += {ir.expr_src(v.args[1])}"
    if row_gather(v, shapes):
        x, lab = row_gather(v, shapes)
        return f"{s.target} = {x}[np.arange(M), {lab}]"
    return ir.stmt_lines(s)[0].strip()


__all__ = ["ONE_HOT", "LabelIndexError", "fold_shape_constants", "fold_sizes", "row_gather", "one_hot_pairs",
           "is_scalar", "per_row", "describe"]
