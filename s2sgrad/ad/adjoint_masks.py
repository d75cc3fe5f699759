"""What the reverse sweep knows of where an adjoint is exactly zero (ad/accumulate.py,
ad/reverse_rules._remasked): the operations whose partial may be infinite where their result is
finite (`SINGULAR`: 0 * inf would be nan there), the operations whose result is a boolean mask,
and `where_mask`, the mask of an np.where operand's adjoint."""
from __future__ import annotations

from ..ir import Call, Const, Name

# operations whose partial may be infinite where their result is still finite (0 * inf = nan)
SINGULAR = frozenset({"np.sqrt", "np.arccos", "np.arcsin", "np.arctanh", "np.log", "np.log2", "np.log10",
                      "np.log1p", "np.cbrt", "pow", "np.power", "truediv", "np.reciprocal", "np.divide",
                      "np.true_divide"})


# operations whose result is a boolean array where their operands are arrays (a mask written in place)
_BOOLEAN_OPS = frozenset({"lt", "le", "gt", "ge", "eq", "ne", "and_", "or_", "xor", "invert", "np.isnan",
                          "np.isfinite", "np.isinf", "np.logical_and", "np.logical_or", "np.logical_not",
                          "np.logical_xor"})


def where_mask(c):
    """(mask, zero first, checked) when c is `np.where(mask, 0.0, G)` or `np.where(mask, G, 0.0)` of
    a named mask, else None: the adjoint of an operand of np.where (rules: `np.where`).  Checked:
    the where sits under a run-time broadcast or unbroadcast (shapes known at run time only), so
    the mask lines up with the adjoint only where their shapes agree when it runs (aligned_mask)."""
    checked = False
    while isinstance(c, Call) and c.op in ("unbroadcast", "np.broadcast_to") and c.args and not c.kwargs:
        c, checked = c.args[0], True
    if not (isinstance(c, Call) and c.op == "np.where" and len(c.args) == 3 and not c.kwargs):
        return None
    m = c.args[0]
    if isinstance(m, Call) and m.op == "aligned_mask" and isinstance(m.args[0], Name):
        m, checked = m.args[0], True  # (a contribution masked already: rules keep masking theirs, _remasked)
    if not isinstance(m, Name):
        return None
    zero = [isinstance(v, Const) and not isinstance(v.value, bool) and v.value == 0 for v in c.args[1:]]
    return (m, zero[0], checked) if zero[0] != zero[1] else None
