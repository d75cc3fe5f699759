"""Row sums of one-hot rows, in closed form: no per-element work in a rows kernel's loop.

A cross-entropy's adjoint scatters one value per row (`g = one_hot_rows(labels, c)`, gather.py),
and the adjoint of the softmax around it sums that scatter along the row (`(-g).sum(axis=1)`, and
the part rowsums.py splits off `(-grad_z).sum(axis=1)`).  Accumulated in the loop, each such sum
costs a compare, a select and an add per element of a loop that is bound by its instruction count
on a GPU.  Its value is known before the loop.

`closed_form(e, limit)` accepts a sum's (resolved) input e built from one-hot rows of one labels
array by operations that keep a zero a zero: negation, sums and differences of such terms, and
products with a number whose magnitude the kernel's float type holds (up to `limit`; numpy makes
an overflowing Python number inf, and inf * 0 is NaN in every other column).  Every column but the
label's then holds an exact zero, so the row's sum is e's own value at the label's column: e
evaluated with each one_hot_rows(labels, c) replaced by c, the same operations in the same order
as numpy applies them to that entry (`1e20 * (1e20 * c)` is not folded to `1e40 * c`, which
float32 cannot hold).  A label out of range never reaches a result: the kernel still loads and
flags the labels, and the host raises LabelIndexError.
"""
from __future__ import annotations

import math

from ..ir import Call, Const, Name
from .gather import ONE_HOT


def closed_form(e, limit):
    """The labels array's name when the row sum of e is e at the label's column, else None."""
    if not isinstance(e, Call):
        return None
    if e.op == ONE_HOT:
        return e.args[0].id if isinstance(e.args[0], Name) else None
    if e.op in ("neg", "pos"):
        return closed_form(e.args[0], limit)
    if e.op in ("add", "sub"):
        a, b = closed_form(e.args[0], limit), closed_form(e.args[1], limit)
        return a if a is not None and a == b else None
    if e.op == "mul":
        for num, other in (e.args, e.args[::-1]):
            v = num.value if isinstance(num, Const) else None
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and abs(v) <= limit:
                return closed_form(other, limit)
    return None


def row_value(ks, e, labels):
    """The (BM, 1) row sum of closed form e, as a kernel expression: e with each one-hot row
    replaced by its value (scalars or row values, known before any loop)."""
    ks.label(labels)  # loaded and range-checked as for any scatter of these labels
    return f"tl.zeros((BM, 1), {ks.dt}) + {ks.ex(_entries(ks, e))}"


def _entries(ks, e):
    """e with each one_hot_rows(labels, c) replaced by a name bound (in ks.env) to c's kernel value."""
    if isinstance(e, Call) and e.op == ONE_HOT:
        name = ks.fresh("@one_hot_entry")  # (not an identifier: no program variable has this name)
        ks.env[name] = ks.one_hot_value(e)
        return Name(name)
    if isinstance(e, Call):
        return Call(e.op, tuple(_entries(ks, a) for a in e.args), e.kwargs)
    return e
