"""An index that reads the array it writes, computed into a name of its own before the write.

`h[h < 0] = 0`, `A[A > 1] *= 0.5`, `p[np.argmax(p)] = 0`: Python computes the index from the
array as it was, then writes.  The reverse sweep needs that index again (to zero the cotangent of
the positions written, or to scale it), and at that point the array holds what was written: an index
read again there would select other positions.  Bound to a name first (`h_mask = h < 0`), the
index is a value like any other: the write reads the name, and so does the reverse sweep, which
the loop records keep per iteration like any name rebound in a loop.

Guarantee: `held(lowerer, base, index, loc)` returns the index with every part that reads the
values of `base` (a comparison, a call, a slice's bound; reads of its shape are left alone:
`P[np.arange(P.shape[0]), y]` reads no value) replaced by a fresh name, the statements that bind
them appended to the lowerer's prelude in the parts' order -- after the value's own parts, as
Python computes the value of a plain write first; nothing here changes which positions are
written.  An index np.ix_ made (`ix_part`) is left as it is, for frontend/index_checks.py to
refuse.
"""
from __future__ import annotations

from .. import ir
from .index_checks import reads_values

_MASK_OPS = frozenset({"lt", "le", "gt", "ge", "eq", "ne", "and_", "or_", "invert", "np.isnan", "np.isfinite",
                       "np.isinf", "np.logical_and", "np.logical_or", "np.logical_not", "np.logical_xor"})


def held(lowerer, base, index, loc):
    """`index` with its parts that read the values of `base` bound to names first (module docstring)."""
    if not reads_values(index, base):
        return index
    if isinstance(index, ir.Tuple):
        return ir.Tuple(tuple(_part(lowerer, base, p, loc) for p in index.elts))
    return _part(lowerer, base, index, loc)


def _part(lowerer, base, part, loc):
    if not reads_values(part, base) or isinstance(part, ir.Call) and part.op == "ix_part":
        return part
    if isinstance(part, ir.Slice):
        return ir.Slice(*(None if b is None else _part(lowerer, base, b, loc) for b in (part.lower, part.upper,
                                                                                         part.step)))
    kind = "mask" if isinstance(part, ir.Call) and part.op in _MASK_OPS else "index"
    name = lowerer.fresh(f"{base}_{kind}")
    lowerer.prelude.append(ir.Assign((name,), part, loc))
    return ir.Name(name)
