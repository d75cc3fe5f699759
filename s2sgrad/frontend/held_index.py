"""An index that reads the array it writes, computed into a name of its own before the write.

`h[h < 0] = 0`, `A[A > 1] *= 0.5`, `p[np.argmax(p)] = 0`: Python computes the index from the
array as it was, then writes.  The reverse sweep needs that index again (to zero the cotangent of
the positions written, or to scale it), and at that point the array holds what was written: an index
read again there would select other positions.  Bound to a name first (`h_mask = h < 0`), the
index is a value like any other: the write reads the name, and so does the reverse sweep, which
the loop records keep per iteration like any name rebound in a loop.

Guarantee: `held(lowerer, base, index, loc)` returns the statements binding, in the parts' order,
every part of the index that reads the values of `base` (a comparison, a call, a slice's bound;
reads of its shape are left alone: `P[np.arange(P.shape[0]), y]` reads no value) to a fresh name,
and the index reading those names; the caller puts the statements right before its write -- after
the value's own parts, as Python computes the value of a plain write first, and after the targets
before it in `h[h < 0], h[h < 1] = 5.0, 7.0` or `h, h[h < c] = ...`, as Python computes each
target's index after the assignments to the targets before it.  Nothing here changes which
positions are written.  An index np.ix_ made (`ix_part`) is left as it is, for frontend/index_checks.py to
refuse.
"""
from __future__ import annotations

from .. import ir
from .index_checks import reads_values

_MASK_OPS = frozenset({"lt", "le", "gt", "ge", "eq", "ne", "and_", "or_", "invert", "np.isnan", "np.isfinite",
                       "np.isinf", "np.logical_and", "np.logical_or", "np.logical_not", "np.logical_xor"})


def held(lowerer, base, index, loc):
    """(statements binding the parts of `index` that read the values of `base`, the index reading
    those names instead): the statements go right before the write itself -- not into the lowerer's
    prelude, which runs before every target of `a[i], h[h < 0] = ...` (module docstring)."""
    bound = []
    if not reads_values(index, base):
        return bound, index
    if isinstance(index, ir.Tuple):
        return bound, ir.Tuple(tuple(_part(lowerer, base, p, loc, bound) for p in index.elts))
    return bound, _part(lowerer, base, index, loc, bound)


def _part(lowerer, base, part, loc, bound):
    if not reads_values(part, base) or isinstance(part, ir.Call) and part.op == "ix_part":
        return part
    if isinstance(part, ir.Slice):
        return ir.Slice(*(None if b is None else _part(lowerer, base, b, loc, bound)
                          for b in (part.lower, part.upper, part.step)))
    kind = "mask" if isinstance(part, ir.Call) and part.op in _MASK_OPS else "index"
    name = lowerer.fresh(f"{base}_{kind}")
    bound.append(ir.Assign((name,), part, loc))
    return ir.Name(name)
