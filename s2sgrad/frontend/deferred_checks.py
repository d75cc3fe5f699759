"""The alias fence's checks that need the signature (frontend/aliasing.py decides from the source
alone, and leaves a `Deferred` where only the types can tell): applied by the compiler once shapes
are known.

Guarantee: `refuse_deferred` raises the deferred refusal wherever the name holds a mutable array
(or may) at the statement in question, and returns exactly the view bindings it kept because
nothing reads them after the write into their base (passes/views.py copies those; one of unknown
rank only where no int argument sizing something could be made static first).
"""
from __future__ import annotations

from .. import ir
from ..errors import UnsupportedSyntaxError
from ..ir import Assign


def refuse_deferred(deferred, fn, shapes, generic: bool) -> frozenset:
    """Apply the per-signature checks on the normalized function `fn`: refuse where the name holds
    a mutable array (or may) at the statement in question (the statements normalization made of
    the user's line: those reading the name for an update, those binding it for a kept view).
    Returns the bindings (loc, name) of the copyable views kept: passes/views.py copies exactly
    those (the write may go through another name: `b = a; b[0] = 5`)."""
    from ..passes.abstract import UNKNOWN, Arr, join
    at_line = {}
    for st in ir.walk(fn.body):
        if isinstance(st, Assign) and st.loc is not None:
            at_line.setdefault(st.loc, []).append(st)
    refused = {(d.loc, d.name) for d in deferred if not d.copyable}  # (a site one write cannot copy)
    copied = set()
    for d in deferred:
        v = None
        for st in at_line.get(d.loc, ()):
            if d.when == "before" and d.name in ir.expr_names(st.value):
                v = join(v, shapes.before(st, d.name))
            elif d.when == "after" and d.name in st.targets:
                v = join(v, shapes.after(st, d.name))
        if d.copyable and v is not None and isinstance(v, Arr) and not v.scalar and v.rank != 0 \
                and (d.loc, d.name) not in refused and (v.rank is not None or not _sized_by_ints(fn, shapes)):
            copied.add((d.loc, d.name))  # an array bound here: copied where it is bound (passes/views.py)
            continue
        if v is None:
            v = shapes.all.get(d.name, UNKNOWN)
        if d.vector_ok is not None and _diag_of_vector(at_line.get(d.vector_ok, ()), shapes):
            continue  # (np.diag of a vector: a new matrix, no view)
        mutable = (isinstance(v, Arr) and not v.scalar) or (v is UNKNOWN and not generic)
        if mutable:
            raise UnsupportedSyntaxError(d.message, d.loc)
    return frozenset(copied)


def _diag_of_vector(stmts, shapes) -> bool:
    """Whether every np.diag the statements of a line make reads a vector (then it made a new
    matrix); False where there is none to tell by."""
    from ..passes.abstract import Arr
    ranks = [shapes.before(st, st.value.args[0].id) for st in stmts if isinstance(st.value, ir.Call)
             and st.value.op == "np.diag" and st.value.args and isinstance(st.value.args[0], ir.Name)]
    return bool(ranks) and all(isinstance(r, Arr) and r.rank == 1 for r in ranks)


def _sized_by_ints(fn, shapes) -> bool:
    """Whether an int parameter known only at run time sizes something (`y[:m]`): the refusal then
    makes it static (static_args.size_parameters), and the signature with its value may know the
    view's rank -- a view of unknown rank is copied only where no such parameter is left."""
    from ..passes.abstract import PyNum
    from ..passes.shape_ints import sized_names
    reads = sized_names(fn.body)
    written = set(ir.all_writes(fn.body))
    return any(v == PyNum(int) and p in reads and p not in written for p, v in shapes.signature.items())


def refuse_dict_loops(fn, shapes) -> None:
    """Refuse a loop that reads a dict by position (frontend/control.POSITIONAL_LOOPS: `for k in d`
    of a value known only when running): there `d[i]` would read the value under the key i, not
    the i-th key, as Python's iteration gives -- a wrong number, or a KeyError."""
    from ..passes.abstract import Known
    from .control import POSITIONAL_LOOPS
    for st in ir.walk(fn.body):
        if not (isinstance(st, ir.For) and st.loc in POSITIONAL_LOOPS):
            continue
        for n in ir.expr_names(st.iter):
            v = shapes.before(st, n)
            if isinstance(v, Known) and isinstance(v.value, dict):
                raise UnsupportedSyntaxError(
                    "a loop over a dict s2sgrad reads only when the function runs (a module-level dict reached "
                    "through another name, a helper or a subscript): loop over its keys written out, or over "
                    "the module-level name itself (for k in SCALES, for k, v in SCALES.items())", st.loc)
