"""Row sums split by linearity, so that a rows kernel walks its rows fewer times.

A row sum can only be accumulated once everything it reads is known; a sum that reads a value
known after the first loop (the softmax's `exp(z)` needs the row max) costs a loop of its own, and
whatever reads the sum one more.  A cross-entropy's adjoint has such a sum:
`red = (-(g + r * exp_z / s)).sum(axis=1, keepdims=True)` with r and s one value per row.  A sum is
linear, and per-row values leave it:

    sum(-(g + r * e / s)) = -(sum(g) + r * sum(e) / s)

where sum(e) is a row sum the kernel already has (`s` itself, accumulated online with the max) and
sum(g) a new one, known from the first loop.  The rewritten statement is one value per row, known
one loop earlier, and so is what reads it.

The split reorders floating-point additions: the result is the same sum rounded differently (the
terms here cancel to ~1e-16 of their size either way).  RowPhases applies it only when the kernel
then needs fewer loops, and never to a sum written out of the kernel (keep).
"""
from __future__ import annotations

from ..ir import Assign, Call, Const, Name, expr_names

_SUMS = ("np.sum", ".sum")


def _row_level(e, ph, shapes):
    """Whether every name in e holds one value per row (or one for the whole kernel)."""
    for n in expr_names(e):
        if n in ph.in_level:  # a reduction of the group: keepdims ones are (M, 1)
            s = next(st for st in ph.stmts if st.target == n)
            if not (s.value.kw("keepdims") is not None and bool(getattr(s.value.kw("keepdims"), "value", False))):
                return False
            continue
        v = shapes.get(n)
        if v is None:
            return False
        shape = getattr(v, "shape", ())
        if shape is None or not (len(shape) == 0 or (len(shape) == 2 and shape[1] == 1)):
            return False
    return True


def _row_sum(s):
    k = s.value.kw("keepdims")
    return s.value.kw("axis") is not None and k is not None and bool(getattr(k, "value", False))


def split_row_sums(ph, shapes, keep):
    """ph's statements with row sums split by linearity where that makes them known earlier, or
    None when there is nothing to split."""
    from .rowloop import _is_reduction, _resolve, self_reading
    stmts = list(ph.stmts)
    changed = False
    for idx, s in enumerate(list(stmts)):
        if not (_is_reduction(s) and s.value.op in _SUMS and s.target not in ph.online and s.target not in keep
                and s.value.kw("axis") is not None and len(s.value.args) == 1):
            continue
        if not _row_sum(s):
            continue
        by_target = {st.target: st for st in stmts}
        own = self_reading(by_target)  # kept as names (2 * 2 * W when inlined: a wrong gradient, found by fuzzing)
        existing = {}
        for st in stmts:
            if _is_reduction(st) and st.value.op in _SUMS and st.target != s.target and _row_sum(st):
                existing.setdefault(_resolve(st.value.args[0], by_target, stop=own.__contains__), st.target)
        new = []
        split = _split(_resolve(s.value.args[0], by_target, stop=own.__contains__), ph, shapes, existing, new,
                       s.target)
        if split is None or isinstance(split, Name) and split.id in ph.in_level and not new:
            continue
        levels = [ph.level.get(n, 0) for n in expr_names(split) if n not in {t.target for t in new}]
        levels += [1 + max([ph.level.get(n, 0) for n in expr_names(t.value)] + [0]) for t in new]
        if max(levels + [0]) >= ph.level[s.target]:
            continue  # known no earlier: keep numpy's order of additions
        pos = stmts.index(s)
        stmts[pos:pos + 1] = new + [Assign(s.targets, split, s.loc)]
        changed = True
    return stmts if changed else None


def _split(e, ph, shapes, existing, new, base):
    """sum(e) over the row as an expression of per-row values and row sums (appended to new)."""
    if _row_level(e, ph, shapes):
        return None  # N * e: not worth it
    if isinstance(e, Call) and e.op in ("neg", "pos") and len(e.args) == 1:
        a = _split(e.args[0], ph, shapes, existing, new, base)
        return None if a is None else Call(e.op, (a,))
    if isinstance(e, Call) and e.op in ("add", "sub"):
        a = _split(e.args[0], ph, shapes, existing, new, base)
        b = _split(e.args[1], ph, shapes, existing, new, base) if a is not None else None
        return None if b is None else Call(e.op, (a, b))
    if isinstance(e, Call) and e.op == "mul" and _row_level(e.args[0], ph, shapes):
        b = _split(e.args[1], ph, shapes, existing, new, base)
        return None if b is None else Call("mul", (e.args[0], b))
    if isinstance(e, Call) and e.op == "mul" and _row_level(e.args[1], ph, shapes):
        a = _split(e.args[0], ph, shapes, existing, new, base)
        return None if a is None else Call("mul", (a, e.args[1]))
    if isinstance(e, Call) and e.op == "truediv" and _row_level(e.args[1], ph, shapes):
        a = _split(e.args[0], ph, shapes, existing, new, base)
        return None if a is None else Call("truediv", (a, e.args[1]))
    if e in existing:  # a row sum the kernel has already
        return Name(existing[e])
    t = f"{base}_part{len(new) + 1}"
    new.append(Assign((t,), Call(".sum", (e,), (("axis", Const(1)), ("keepdims", Const(True)))), None))
    existing[e] = t
    return Name(t)


__all__ = ["split_row_sums"]
