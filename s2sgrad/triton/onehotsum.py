"""Row sums of one-hot rows, in closed form: no per-element work in a rows kernel's loop.

A cross-entropy's adjoint scatters one value per row (`g = one_hot_rows(labels, c)`, gather.py),
and the adjoint of the softmax around it sums that scatter along the row (`(-g).sum(axis=1)`, and
the part rowsums.py splits off `(-grad_z).sum(axis=1)`).  Accumulated in the loop, each such sum
costs a compare, a select and an add per element of a loop that is bound by its instruction count
on a GPU.  Its value is known before the loop: a row of one_hot_rows(labels, c) holds c in the
label's column and 0 elsewhere, so its sum is c, exactly (adding zeros rounds nothing).

`closed_form(e)` recognises a sum's (resolved) input that is linear in one-hot rows of one labels
array: one_hot_rows itself, its negation, sums and differences of such with the same labels, and
products with a finite number (a finite number times 0 is 0; an infinite one would make the other
columns NaN, as it does in numpy, so it is not folded).  A label out of range never reaches a
result: the kernel still loads and flags the labels, and the host raises LabelIndexError.
"""
from __future__ import annotations

import math

from ..ir import Call, Const
from .gather import ONE_HOT


def closed_form(e):
    """(labels name, [(factor, one_hot_rows call)]) when the row sum of e is the sum of factor * c
    over its one-hot terms (c: the call's value), else None."""
    if not isinstance(e, Call):
        return None
    if e.op == ONE_HOT:
        return e.args[0].id, [(1.0, e)]
    if e.op in ("neg", "pos"):
        inner = closed_form(e.args[0])
        return inner and (inner[0], [(-k if e.op == "neg" else k, c) for k, c in inner[1]])
    if e.op in ("add", "sub"):
        a, b = closed_form(e.args[0]), closed_form(e.args[1])
        if a and b and a[0] == b[0]:
            return a[0], a[1] + [(k if e.op == "add" else -k, c) for k, c in b[1]]
        return None
    if e.op == "mul":
        for num, other in (e.args, e.args[::-1]):
            if isinstance(num, Const) and isinstance(num.value, (int, float)) and not isinstance(num.value, bool) \
                    and math.isfinite(num.value):
                inner = closed_form(other)
                return inner and (inner[0], [(k * num.value, c) for k, c in inner[1]])
    return None


def row_value(ks, form):
    """The (BM, 1) row sum of a closed form, as a kernel expression (its values are scalars or row
    values, loaded before any loop)."""
    lab, terms = form
    ks.label(lab)  # loaded and range-checked as for any scatter of these labels
    text = f"tl.zeros((BM, 1), {ks.dt})"
    for k, call in terms:
        c = ks.one_hot_value(call)
        sign, k = ("-", -k) if k < 0 else ("+", k)
        text += f" {sign} {c}" if k == 1.0 else f" {sign} {float(k)!r} * {c}"
    return text
