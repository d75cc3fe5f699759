"""Rule-table rows for `np.add.at(a, idx, v)` written as a statement, which the frontend makes
`a = scatter_add(a, idx, v)` (frontend/inplace.py; runtime_scatter.scatter_add), and np.bincount with weights
(the same scatter-add into zeros).

Part of THE rule table (rules/__init__.py imports this module).  Guarantee: scatter_add(a, idx, v) is
a plus v scattered at idx, repeated indices adding up; it is linear in (a, v): a gets the
cotangent g, v gets g[idx] (the gather that is the scatter's transpose; summed down to v's shape
where v was broadcast), idx nothing (it is an index); the tangent is scatter_add of the tangents.
"""
from __future__ import annotations

from ..builder import E
from ..ir import Call, Const
from .table import linear, structural


def _add_at(c):
    """a + scatter(v at idx): a gets g, v gets g[idx]."""
    return (c.g, None, E(Call("getitem", (E(c.g).e, c.call.args[1]))))


structural("scatter_add", _add_at, lazy_g=False, jvp=linear(0, 2))


def _bincount(c):
    """bincount(x, weights)[k] = the sum of the weights where x == k (a count where there are none:
    an integer result, no derivative): the weights get g[x], x nothing (it is an index)."""
    if len(c.call.args) < 2 or c.call.args[1] == Const(None):
        return (None,) * len(c.args)
    return (None, E(Call("getitem", (E(c.g).e, c.call.args[0])))) + (None,) * (len(c.args) - 2)


def _bincount_jvp(c):
    if len(c.call.args) < 2 or not c.has_tangent(1):
        return None
    return c.with_args([c.call.args[0], c.tangent_arg(1)] + list(c.call.args[2:]))


structural("np.bincount", _bincount, lazy_g=False, jvp=_bincount_jvp)
